// @ts-check
'use strict';
// What the SMS gateway's phone does, simulated (`simulate sms --event …`): an SMS arrives, a sent
// one is sent, delivered, fails or expires, a call is missed, a heartbeat comes in, the phone goes
// online or offline, misses a heartbeat or has them disabled. The gateway's state changes as the
// event says, and the event is delivered as the SMS webhooks are: `{event, data: <record>}`.
const { randomUUID } = require('node:crypto');
const { messageView, phoneStatusView, heartbeatView } = require('./sms-records');
const { SimulationError } = require('./simulation-error');
const { sqlDateTime } = require('./times');

/** @typedef {import('./sms').SmsGateway} SmsGateway */
/** @typedef {import('./sms-records').SmsMessage} SmsMessage */

/** The SMS webhook events, as the SDK's SmsWebhookEventEnum lists them. */
const SMS_EVENTS = [
	'message.phone.sent',
	'message.phone.delivered',
	'message.phone.received',
	'message.send.failed',
	'message.send.expired',
	'message.notification.scheduled',
	'message.call.missed',
	'phone.heartbeat.received',
	'phone.heartbeat.online',
	'phone.heartbeat.offline',
	'phone.heartbeat.missed',
	'phone.heartbeat.disabled',
];
const DEFAULT_SENDER = '+15550100001';
const DEFAULT_CONTENT = 'Hello from the sandbox';

/**
 * A phone number in any common writing as E.164 (`+49 151 2345-6789` -> `+4915123456789`).
 * @param {unknown} value
 * @param {string} fallback
 */
function e164(value, fallback) {
	if (value === undefined || value === null) return fallback;
	const digits = String(value).trim().replace(/[\s().-]/g, '');
	if (!/^\+?[0-9]{3,15}$/.test(digits)) throw new SimulationError(400, `from must be a phone number like +4915123456789, got "${value}"`);
	return digits.startsWith('+') ? digits : `+${digits}`;
}

/**
 * The sent message `messageId` names, or the newest one sent through the API.
 * @param {SmsGateway} sms
 * @param {Record<string, unknown>} input
 */
function sentMessage(sms, input) {
	if (typeof input.messageId === 'string' && input.messageId.trim() !== '') {
		const found = sms.messages.get(input.messageId.trim());
		if (!found) throw new SimulationError(404, 'Message not found.');
		if (found.type !== 'sent_to_mobile') throw new SimulationError(400, 'messageId names a received message: these events are about messages the phone sends');
		return found;
	}
	/** @type {SmsMessage | undefined} */
	let newest;
	for (const message of sms.messages.values()) if (message.type === 'sent_to_mobile' && (!newest || message.seq > newest.seq)) newest = message;
	if (!newest) throw new SimulationError(400, 'there is no SMS sent through the API yet: send one (POST send-message) or give messageId');
	return newest;
}

/**
 * A number from the input, or the fallback.
 * @param {unknown} value
 * @param {number} fallback
 * @param {string} field
 */
function numberInput(value, fallback, field) {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	if (!Number.isFinite(number)) throw new SimulationError(400, `${field} must be a number, got ${JSON.stringify(value)}`);
	return number;
}

/**
 * Applies one SMS event to the gateway and gives what to deliver, in order.
 * @param {SmsGateway} sms
 * @param {string} event one of SMS_EVENTS
 * @param {Record<string, unknown>} input
 * @param {number} now
 * @returns {{ planned: Array<{ event: string, data: unknown }>, extra: Record<string, unknown> }}
 */
function smsEvent(sms, event, input, now) {
	if (event === 'message.phone.received') {
		const content = input.content ?? input.text ?? DEFAULT_CONTENT;
		if (typeof content !== 'string') throw new SimulationError(400, 'content must be a string');
		const { message } = sms.receive({ from: e164(input.from, DEFAULT_SENDER), content }, now);
		const data = messageView(message, sms.phone, { phone: true });
		return { planned: [{ event, data }], extra: { message: data } };
	}
	if (['message.phone.sent', 'message.phone.delivered', 'message.send.failed', 'message.send.expired'].includes(event)) {
		const message = sentMessage(sms, input);
		const status = /** @type {const} */ ({ 'message.phone.sent': 'sent', 'message.phone.delivered': 'delivered', 'message.send.failed': 'failed', 'message.send.expired': 'expired' })[
			/** @type {'message.phone.sent'} */ (event)
		];
		sms.force(message, status, now, typeof input.reason === 'string' ? input.reason : null);
		const data = messageView(message, sms.phone);
		return { planned: [{ event, data }], extra: { message: data } };
	}
	if (event === 'message.notification.scheduled') {
		const data = messageView(sentMessage(sms, input), sms.phone, { phone: true });
		return { planned: [{ event, data }], extra: { message: data } };
	}
	if (event === 'message.call.missed') {
		sms.phone.lastMissedCallAt = now;
		const data = { message_id: randomUUID(), from_phone_number: e164(input.from, DEFAULT_SENDER), sim: sms.phone.sim, received_at: sqlDateTime(now), response_message_id: null, created_at: sqlDateTime(now), updated_at: sqlDateTime(now) };
		return { planned: [{ event, data }], extra: {} };
	}
	return phoneEvent(sms, event, input, now);
}

/**
 * The phone.heartbeat.* events.
 * @param {SmsGateway} sms
 * @param {string} event
 * @param {Record<string, unknown>} input
 * @param {number} now
 * @returns {{ planned: Array<{ event: string, data: unknown }>, extra: Record<string, unknown> }}
 */
function phoneEvent(sms, event, input, now) {
	if (event === 'phone.heartbeat.received') {
		const wasOffline = !sms.phone.isOnline;
		const beat = sms.heartbeat(
			{
				batteryLevel: numberInput(input.batteryLevel ?? input.battery_level, 80, 'batteryLevel'),
				isCharging: input.isCharging === true || input.is_charging === true || input.isCharging === 'true',
				appVersion: typeof input.appVersion === 'string' ? input.appVersion : 'v1.0.3',
			},
			now,
		);
		const data = heartbeatView(beat, sms.phone);
		/** @type {Array<{ event: string, data: unknown }>} */
		const planned = [{ event, data }];
		// A heartbeat from a phone that was offline brings it back online.
		if (wasOffline && sms.setOnline(true, now)) planned.push({ event: 'phone.heartbeat.online', data: phoneStatusView(sms.phone) });
		return { planned, extra: { heartbeat: data } };
	}
	if (event === 'phone.heartbeat.online' || event === 'phone.heartbeat.offline') sms.setOnline(event === 'phone.heartbeat.online', now);
	if (event === 'phone.heartbeat.disabled') sms.phone.heartbeatEnabledAt = null;
	return { planned: [{ event, data: phoneStatusView(sms.phone) }], extra: {} };
}

module.exports = { DEFAULT_SMS_CONTENT: DEFAULT_CONTENT, DEFAULT_SMS_SENDER: DEFAULT_SENDER, SMS_EVENTS, e164, smsEvent };
