import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../helpers/interfaces';
import type { ApiResponse } from './index';

/**
 * Hypersender's v2 queued model, as data: the immediate answer of an action call, the queued
 * request record it points to, and what that record says happened. No I/O here: the callers
 * (actions/queued.ts, the Queued Request resource) send the requests.
 */

/** The immediate answer of a queued call: `{ queued, queued_request_uuid, queued_request_link }`. */
export interface QueuedAnswer {
	queued: boolean;
	queuedRequestId: string;
	queuedRequestLink: string;
}


/**
 * The queued answer in a 2xx response; a description of what is missing when it is not one.
 * The UUID is also taken from `data` and from the link, the plausible alternatives of the shape.
 */
export function parseQueuedAnswer(response: ApiResponse): QueuedAnswer | { problem: string } {
	const json = response.json;
	if (!isObject(json)) return { problem: 'the answer is not a JSON object' };
	const source = isObject(json.data) && json.queued_request_uuid === undefined ? json.data : json;
	const link = typeof source.queued_request_link === 'string' ? source.queued_request_link : '';
	let uuid = typeof source.queued_request_uuid === 'string' ? source.queued_request_uuid.trim() : '';
	if (uuid === '' && link !== '') uuid = /\/queued-requests\/([^/?#]+)/.exec(link)?.[1] ?? '';
	if (uuid === '') return { problem: 'the JSON has no "queued_request_uuid"' };
	return { queued: source.queued !== false, queuedRequestId: uuid, queuedRequestLink: link };
}

/** Where a queued request stands: still processing, done and sent, or done and failed. */
export type QueuedStatus = 'pending' | 'sent' | 'failed';

/** `GET /{instance}/queued-requests/{uuid}`: `response_*` are null while processing. */
export interface QueuedRecord extends IDataObject {
	uuid: string;
	response_status: number | null;
}

/** The record in a 2xx answer (bare or under `data`), or undefined when the answer is not one. */
export function parseRecord(json: unknown): QueuedRecord | undefined {
	const record = isObject(json) && isObject(json.data) && json.uuid === undefined ? json.data : json;
	if (!isObject(record)) return undefined;
	if (!('response_status' in record)) return undefined;
	const status = record.response_status;
	if (status !== null && typeof status !== 'number' && !(typeof status === 'string' && /^\d{3}$/.test(status))) {
		return undefined;
	}
	return {
		...record,
		uuid: typeof record.uuid === 'string' ? record.uuid : '',
		response_status: status === null ? null : Number(status),
	};
}

export function recordStatus(record: QueuedRecord): QueuedStatus {
	if (record.response_status === null) return 'pending';
	return record.response_status >= 200 && record.response_status < 300 ? 'sent' : 'failed';
}

/**
 * The message ID react, forward, star and delete take: `{fromMe}_{remoteJid}_{key.id}`
 * (e.g. `true_4915123456789@c.us_3EB0C767D26A1C4D6A7B`), from the sent message in a record's
 * `response_body`. Engines that already give the serialized form are taken at their word.
 */
export function serializedMessageId(message: unknown): string | undefined {
	if (!isObject(message)) return undefined;
	const id = message.id;
	if (isObject(id) && typeof id._serialized === 'string') return id._serialized;
	if (typeof id === 'string' && /^(true|false)_.+_.+/.test(id)) return id;
	const key = message.key;
	if (isObject(key) && typeof key.id === 'string' && typeof key.remoteJid === 'string') {
		return `${key.fromMe === true ? 'true' : 'false'}_${key.remoteJid}_${key.id}`;
	}
	return undefined;
}

/** What a failed record's `response_body` says: the API's message and Laravel-style field errors. */
export function recordFailure(record: QueuedRecord): { message: string | undefined; fieldErrors: string[] } {
	const body = record.response_body;
	if (typeof body === 'string') return { message: body.trim() || undefined, fieldErrors: [] };
	if (!isObject(body)) return { message: undefined, fieldErrors: [] };
	const message = typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : undefined;
	const fieldErrors: string[] = [];
	if (isObject(body.errors)) {
		for (const [field, messages] of Object.entries(body.errors)) {
			const list = Array.isArray(messages) ? messages.map(String) : [String(messages)];
			fieldErrors.push(`${field}: ${list.join(' ')}`);
		}
	}
	return { message, fieldErrors };
}

/**
 * When to look at a pending record again: a quarter of the time since it was queued, at least
 * 250 ms and at most 5 s. So a result is seen at most about 25% later than it appeared, and a
 * long wait costs a few dozen reads, not one per second.
 */
export const POLL = { minDelayMs: 250, maxDelayMs: 5000, share: 0.25 };

export function nextPollDelay(sinceQueuedMs: number): number {
	return Math.round(Math.min(POLL.maxDelayMs, Math.max(POLL.minDelayMs, sinceQueuedMs * POLL.share)));
}
