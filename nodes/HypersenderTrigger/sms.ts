import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../Hypersender/helpers/interfaces';

/**
 * Hypersender's SMS webhooks (an Android phone as the gateway, API map §1.10 and §3.3), as data:
 * which events exist, the body `{ event, data: <record> }`, and the item it becomes. The body has
 * no WhatsApp `payload` and no `me`: `data` is the record itself, one of four shapes (the official
 * SDK's fixtures, tests/fixtures/Sms/Webhook of hypersender/hypersender-laravel):
 *   - a message (sent, delivered, received, failed, expired, scheduled): id, request_id,
 *     message_thread_id, phone_id (and on some events phone{…}), from_phone_number,
 *     to_phone_number, content, status, type, failure_reason, sim, the *_at timestamps, …;
 *   - a missed call: message_id, from_phone_number, sim, received_at, response_message_id, …;
 *   - a heartbeat (received): id, phone_id, battery_level, is_charging, local_timestamp, app_version, …;
 *   - the phone (online, offline, missed, disabled): id, phone_id, user_id, phone_number, name,
 *     is_online, last_heartbeat_at, heartbeat_enabled_at, … .
 * No I/O here; the trigger node answers the HTTP request.
 */

/**
 * The twelve SMS events (the SDK's SmsWebhookEventEnum), named "SMS: …" so that in the one Events
 * list they follow the WhatsApp events as a group (the list is sorted by name). `action` is the
 * entry n8n's nodes panel shows for it.
 */
export const SMS_EVENTS = [
	{
		value: 'message.call.missed',
		name: 'SMS: Call Missed',
		action: 'On SMS phone missed call',
		description: 'The phone missed a call ("response_message_id" is the auto-reply SMS, when one is set)',
	},
	{
		value: 'phone.heartbeat.disabled',
		name: 'SMS: Heartbeat Disabled',
		action: 'On SMS phone heartbeat disabled',
		description: 'Heartbeats were turned off for the phone',
	},
	{
		value: 'phone.heartbeat.missed',
		name: 'SMS: Heartbeat Missed',
		action: 'On SMS phone heartbeat missed',
		description: 'An expected heartbeat of the phone did not arrive',
	},
	{
		value: 'phone.heartbeat.received',
		name: 'SMS: Heartbeat Received',
		action: 'On SMS phone heartbeat',
		description: 'The phone reported in (every 15 minutes, or by hand in the app): battery level, charging, app version',
	},
	{
		value: 'message.phone.delivered',
		name: 'SMS: Message Delivered',
		action: 'On SMS delivered',
		description: 'An SMS the phone sent was delivered to the recipient',
	},
	{
		value: 'message.send.expired',
		name: 'SMS: Message Expired',
		action: 'On SMS expired',
		description: 'An SMS expired before the phone could send it (for example, the phone was off)',
	},
	{
		value: 'message.send.failed',
		name: 'SMS: Message Failed',
		action: 'On SMS failed',
		description: 'The phone could not send an SMS, or the request to the phone failed ("failure_reason" says why)',
	},
	{
		value: 'message.phone.received',
		name: 'SMS: Message Received',
		action: 'On SMS received',
		description: 'The phone received an SMS',
	},
	{
		value: 'message.notification.scheduled',
		name: 'SMS: Message Scheduled',
		action: 'On SMS scheduled',
		description: 'An SMS was scheduled for sending ("schedule_send_at" says when)',
	},
	{
		value: 'message.phone.sent',
		name: 'SMS: Message Sent',
		action: 'On SMS sent',
		description: 'The phone sent an SMS',
	},
	{
		value: 'phone.heartbeat.offline',
		name: 'SMS: Phone Offline',
		action: 'On SMS phone offline',
		description: 'The phone is considered offline: its heartbeats stopped arriving',
	},
	{
		value: 'phone.heartbeat.online',
		name: 'SMS: Phone Online',
		action: 'On SMS phone online',
		description: 'The phone is back online: a heartbeat arrived after it was offline',
	},
] as const;

export type SmsEventName = (typeof SMS_EVENTS)[number]['value'];

const SMS_EVENT_NAMES: ReadonlySet<string> = new Set(SMS_EVENTS.map(({ value }) => value));

export function isSmsEvent(event: unknown): event is SmsEventName {
	return typeof event === 'string' && SMS_EVENT_NAMES.has(event);
}

export interface SmsEnvelope {
	channel: 'sms';
	event: SmsEventName;
	/** The message, missed-call, heartbeat or phone record, as it came. */
	data: IDataObject;
}

/**
 * The SMS body `{ event, data }`, what is wrong with it, or undefined when the body is not an SMS
 * event (its top-level `event` is none of the twelve); the WhatsApp envelope is read then.
 */
export function parseSmsEnvelope(body: unknown): SmsEnvelope | { problem: string } | undefined {
	if (!isObject(body) || !isSmsEvent(body.event)) return undefined;
	if (!isObject(body.data)) return { problem: 'the body has no "data" object' };
	return { channel: 'sms', event: body.event, data: body.data };
}

/**
 * The instance SMS webhooks come from: the credential's SMS Instance ID, or its Instance ID when
 * that is empty (the credential's own rule for the SMS API).
 */
export function smsInstanceOf(credentials: { instanceId?: unknown; smsInstanceId?: unknown }): string {
	const sms = typeof credentials.smsInstanceId === 'string' ? credentials.smsInstanceId.trim() : '';
	return sms !== '' ? sms : String(credentials.instanceId ?? '').trim();
}

/** The item fields the node sets itself, in this order; a record field of the same name does not replace them. */
export const SMS_ITEM_FIELDS = ['event', 'instanceId', 'userId'] as const;

/** Record keys never copied: the node's own fields, and `__proto__`, whose assignment would set the item's prototype. */
const NOT_COPIED = new Set<string>([...SMS_ITEM_FIELDS, '__proto__']);

/**
 * One output item per SMS event: `event`, `instanceId` and `userId` (from the headers, as on the
 * WhatsApp items), then the record's own fields beside them, one level flattened (a message's
 * `phone` stays an object). A record field named like the node's own keeps the node's value.
 */
export function smsItem(envelope: SmsEnvelope, context: { instanceId: string | undefined; userId: string | undefined }): IDataObject {
	const item: IDataObject = {
		event: envelope.event,
		instanceId: context.instanceId ?? null,
		userId: context.userId ?? null,
	};
	for (const [name, value] of Object.entries(envelope.data)) if (!NOT_COPIED.has(name)) item[name] = value;
	return item;
}
