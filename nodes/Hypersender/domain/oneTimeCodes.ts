import type { IDataObject, NodeApiError } from 'n8n-workflow';

import { isObject } from '../helpers/interfaces';
import type { CallOptions, ItemClient } from '../transport';
import { nodeApiError } from '../transport/errors';

/**
 * One-time codes (Hypersender's OTP API, `…/api/otp/v2/{instance}/…`): the code records that
 * Request Code and Generate Link create. Checking a code is ./codeChecks.
 *
 * A record is output as the API's `data` with its keys in camelCase (`chat_id` → `chatId`,
 * `whatsapp_link` → `whatsappLink`), the documented keys first, any other key the API adds after
 * them, so an item reads the same whatever the API sends.
 */

/** The documented keys of a code record, in the order they are output. */
const RECORD_KEYS = ['uuid', 'chatId', 'code', 'status', 'otpType', 'expiresAt', 'createdAt', 'whatsappLink'];

/** `expires_at` → `expiresAt`; a key already in camelCase stays as it is. */
export function camelCaseKey(key: string): string {
	return key.replace(/_+([a-zA-Z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

/** An API object with its keys in camelCase (one level: the records are flat), documented keys first. */
export function camelCaseRecord(data: IDataObject): IDataObject {
	const renamed: IDataObject = {};
	for (const [key, value] of Object.entries(data)) {
		const name = camelCaseKey(key);
		// A key sent both ways (`chat_id` and `chatId`) keeps the first one sent.
		if (!(name in renamed)) renamed[name] = value;
	}
	const ordered: IDataObject = {};
	for (const key of RECORD_KEYS) if (key in renamed) ordered[key] = renamed[key];
	return Object.assign(ordered, renamed);
}

/** The API's own words in an answer, when it has any. */
export function apiMessage(json: unknown): string | undefined {
	return isObject(json) && typeof json.message === 'string' && json.message.trim() !== '' ? json.message.trim() : undefined;
}

/** Which OTP call creates a record, and its words for errors. */
export interface RecordCall {
	path: 'request-code' | 'generate-link';
	body: IDataObject;
	/** The chat asked for: the record's `chatId` when the API leaves it out. */
	chatId: string;
	/** What was not done, for a refusal in a 2xx answer: e.g. "request a code". */
	action: string;
	how: CallOptions;
}

/** A 2xx answer that says it did not do it (`success: false`): the API's words, and nothing was created. */
function refusedInAnswer(client: ItemClient, call: RecordCall, status: number, message: string | undefined): NodeApiError {
	return nodeApiError(client.node, `Hypersender did not ${call.action}: ${message ?? 'the answer says "success": false'}`, {
		itemIndex: client.itemIndex,
		httpCode: String(status),
		description: `The API answered "success": false for the chat "${call.chatId}" (${call.how.what}), so nothing was created. Check the chat ID and the options, then run the node again.`,
	});
}

/**
 * Creates a code record (a code sent to the chat, or a login link) and returns it in camelCase.
 * A 2xx answer without `data.uuid` is an error (worded by the client as "may have been done").
 */
export async function createCodeRecord(client: ItemClient, call: RecordCall): Promise<IDataObject> {
	const response = await client.call({ method: 'POST', api: 'otp', path: call.path, body: call.body }, call.how);
	const json = response.json;
	if (isObject(json) && json.success === false) throw refusedInAnswer(client, call, response.status, apiMessage(json));
	const data = isObject(json) ? json.data : undefined;
	if (!isObject(data) || typeof data.uuid !== 'string' || data.uuid === '') {
		throw client.unexpected('the JSON has no "data" object with the record\'s "uuid"', call.how);
	}
	const record = camelCaseRecord(data);
	if (typeof record.chatId !== 'string' || record.chatId === '') record.chatId = call.chatId;
	return camelCaseRecord(record);
}
