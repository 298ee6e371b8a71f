import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { instanceIdOption, maxAttemptsOption, retryBudgetOption, timeoutOption } from './common';
import type { OutputSchema } from './outputSchemas';
import { field } from './outputSchemas';

/**
 * What the SMS and SMS Thread operations share: the options of every SMS request, Return All and
 * Limit, and the records the SMS API returns (as its reference and the official SDK's fixtures
 * show them) as output schemas.
 */

/** The Instance ID option, worded for the SMS gateway (the node's override wins over the credential's SMS Instance ID). */
export const smsInstanceIdOption: INodeProperties = {
	...instanceIdOption,
	description:
		'Use this SMS instance (the Android phone used as gateway) instead of the credential\'s SMS Instance ID (or, when that is empty, its Instance ID)',
};

/** The request options of SMS reads, archive and delete. */
export const smsRequestOptions: INodeProperties[] = [smsInstanceIdOption, maxAttemptsOption, retryBudgetOption, timeoutOption];

/** Return All and Limit, as n8n's own list operations have them (Limit 50 by default). */
export function returnAllAndLimit(show: IDisplayOptions['show']): { returnAll: INodeProperties; limit: INodeProperties } {
	return {
		returnAll: {
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show },
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		limit: {
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...show, returnAll: [false] } },
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
		},
	};
}

const free = (description: string): OutputSchema => ({ type: ['object', 'null'], additionalProperties: true, description });
const text = (description?: string) => field(['string', 'null'], description);
const count = (description?: string) => field(['integer', 'null'], description);

/** An SMS message as the API lists it. */
export const smsMessageFields: Record<string, OutputSchema> = {
	id: field('string', 'The message\'s ID (for SMS › Delete)'),
	request_id: text('The request ID it was sent with'),
	message_thread_id: text('The thread\'s ID (for SMS Thread › Archive and Delete)'),
	phone_id: text(),
	from_phone_number: text('The sender\'s number (E.164) or short code'),
	to_phone_number: text('The recipient\'s number (E.164)'),
	content: text('The text'),
	send_duration: field(['number', 'null']),
	schedule_on_phone_at: text(),
	sent_at: text(),
	last_attempted_at: text(),
	delivered_at: text(),
	received_at: text(),
	expired_at: text(),
	schedule_send_at: text('When it is scheduled to be sent'),
	failed_at: text(),
	send_attempt_count: count(),
	max_send_attempts: count(),
	failure_reason: text(),
	message_expiration_seconds: count(),
	timezone: text(),
	sim: text(),
	status: text('pending, scheduled, sending, sent, failed, received, delivered, expired or deleted'),
	type: text('sent_to_mobile (sent through the API) or received_from_mobile (received by the phone), as the API\'s records show it'),
	created_at: text(),
	updated_at: text(),
};

/** One item per message (SMS › Get Many). */
export const smsMessageOutput: OutputSchema = {
	type: 'object',
	properties: smsMessageFields,
	additionalProperties: true,
	required: ['id'],
};

/** SMS › Send: the message record (with its phone and thread, as send-message answers), its request ID, and whether it had been sent before. */
export const smsSendOutput: OutputSchema = {
	type: 'object',
	properties: {
		...smsMessageFields,
		phone: free('The phone (gateway) that sends it'),
		message_thread: free('Its thread (the conversation with this number)'),
		requestId: field('string', 'The request ID the SMS was sent with: the Request ID option, or one the node made'),
		alreadySent: field('boolean', 'Present (true) when the SMS had already been sent with this request ID (an earlier run or try), so it was not sent again'),
	},
	additionalProperties: true,
	required: ['requestId'],
};

/** An SMS thread (the conversation with one number). */
export const smsThreadOutput: OutputSchema = {
	type: 'object',
	properties: {
		id: field('string', 'The thread\'s ID'),
		phone_id: text(),
		last_message_id: text(),
		from_phone_number: text(),
		to_phone_number: text(),
		is_archived: field(['boolean', 'null'], 'Whether the thread is archived'),
		last_message_content: text(),
		last_message_at: text(),
		created_at: text(),
		updated_at: text(),
	},
	additionalProperties: true,
	required: ['id'],
};

/** A heartbeat of the gateway phone. */
export const smsHeartbeatOutput: OutputSchema = {
	type: 'object',
	properties: {
		id: field('string'),
		phone_id: text(),
		battery_level: field(['integer', 'number', 'null'], 'Battery level in percent'),
		is_charging: field(['boolean', 'null']),
		local_timestamp: text('The phone\'s own clock when it sent the heartbeat'),
		app_version: text(),
		created_at: text(),
		updated_at: text(),
	},
	additionalProperties: true,
	required: ['id'],
};

/** A delete's item: `{ deleted: true, <what>Id }`. */
export function deletedOutput(idName: string, description: string): OutputSchema {
	return {
		type: 'object',
		properties: { deleted: field('boolean', 'Always true: the API confirmed the deletion'), [idName]: field('string', description) },
		required: ['deleted', idName],
	};
}

/** The ID of the record an operation acts on (a message, a thread). */
export function smsIdField(show: IDisplayOptions['show'], names: Pick<INodeProperties, 'displayName' | 'name' | 'description'>): INodeProperties {
	return {
		...names,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 9e064045-039b-4f94-a378-aa47b86a7e3f',
		displayOptions: { show },
	};
}
