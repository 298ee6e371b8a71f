import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isObject } from '../helpers/interfaces';
import type { ApiFailure } from '../transport/errors';
import { getNextRetryDelay, mayHaveActed } from '../transport/retry';
import type { SmsClient } from '../transport/smsClient';
import { numberKey } from './smsFields';
import { readSmsList } from './smsPages';
import type { SmsTries } from './smsTries';

/**
 * SMS › Send, exactly once wherever the API answers at all. Every send carries a request ID (the
 * user's, or one the node makes per item, the same in every try of the item: ./smsTries). A send
 * that fails in a way that may have reached the server (timeout, dropped connection, 500, 502,
 * 504, an unreadable answer) is followed by a look-up of its request ID (`GET messages
 * ?filter[request_id]=…`); only if no message has it is the SMS sent again. 429, 503 and a refused
 * connection never reached it: those are sent again at once (with backoff). When the look-up
 * itself keeps failing, the item fails and says that the SMS may have been sent, and its ID.
 */

export interface SmsToSend {
	/** E.164, as sent. */
	to: string;
	content: string;
	/** The request body without `request_id`. */
	body: IDataObject;
	/** The Request ID option, when set: an ID the user keeps, so an SMS already sent with it is not sent again. */
	givenRequestId?: string;
}

const SEND_WORDS = { what: 'send-message request', expected: 'JSON with the SMS message' };

/** The message record in a 2xx answer: `data` when the API wraps it, else the body itself. */
export function unwrapRecord(json: unknown): IDataObject {
	if (isObject(json) && isObject(json.data)) return json.data;
	return isObject(json) ? json : { response: json as IDataObject[keyof IDataObject] };
}

/** The message recorded with this exact request ID (the API's filter may also match parts of IDs), or undefined. */
export async function findByRequestId(
	client: SmsClient,
	requestId: string,
	words: { note?: string; messageNote?: string } = {},
): Promise<IDataObject | undefined> {
	const isIt = (message: IDataObject) => message.request_id === requestId;
	const messages = await readSmsList(
		client,
		{ path: 'messages', noun: `SMS messages with the request ID ${requestId}`, qs: { 'filter[request_id]': requestId }, ...words },
		{ until: isIt },
	);
	return messages.find(isIt);
}

const sameText = (value: unknown) => (typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : value);

/**
 * An SMS recorded before this try with the user's request ID: output again when it went to the same
 * number with the same text, else the ID belongs to another SMS.
 */
function alreadySent(client: SmsClient, record: IDataObject, sms: SmsToSend, requestId: string): IDataObject {
	const same = numberKey(record.to_phone_number) === numberKey(sms.to) && sameText(record.content) === sameText(sms.content);
	if (!same) {
		throw new NodeOperationError(client.node, `The request ID "${requestId}" is already taken by another SMS (to ${String(record.to_phone_number)})`, {
			itemIndex: client.itemIndex,
			description:
				'A request ID names one SMS. This one was recorded with a different number or text, so nothing was sent. Use a new request ID, or remove the Request ID option so the node makes one per item.',
		});
	}
	return { ...record, requestId, alreadySent: true };
}

function isRequestIdRefused(failure: ApiFailure): boolean {
	return failure.type === 'status' && failure.status === 422 && failure.fieldErrors.some((line) => /^request_?id:/i.test(line));
}

/** The error of a send that may have reached the server and could not be looked up: it may have been sent. */
function maybeSent(client: SmsClient, failure: ApiFailure, attempts: number, requestId: string, why: string): Error {
	return client.error(failure, {
		...SEND_WORDS,
		attempts,
		messageNote: `the SMS may have been sent: request ID ${requestId}`,
		note: `The send failed in a way that may have reached the server, and ${why}, so it was not sent again. Look for it with SMS › Get Many, filter Request ID = ${requestId}, before sending it again (n8n's Retry On Fail looks it up first).`,
	});
}

/** A look-up made when an SMS may have been sent: an error of the look-up becomes "may have been sent". */
async function lookUpAfterFailure(
	client: SmsClient,
	failure: ApiFailure,
	attempts: number,
	requestId: string,
): Promise<IDataObject | undefined> {
	try {
		return await findByRequestId(client, requestId);
	} catch (error) {
		throw maybeSent(client, failure, attempts, requestId, `looking its request ID up failed as well (${(error as Error).message})`);
	}
}

/**
 * Sends until the API has recorded the SMS once (see the top of this file); resolves with its
 * record. What it knows is written to `tries` before each step, so a try that ends anywhere leaves
 * the next one the truth: 'uncertain' before a send goes out, 'notSent' or 'sent' once known.
 */
async function sendUntilRecorded(client: SmsClient, sms: SmsToSend, requestId: string, tries: SmsTries): Promise<IDataObject> {
	/** Sends that may have reached the server and were not found recorded. */
	let uncertainSends = 0;
	const notSent = (error: Error) => {
		tries.remember({ state: 'notSent', requestId });
		return error;
	};
	for (;;) {
		tries.remember({ state: 'uncertain', requestId });
		const { outcome, attempts } = await client.request(
			{ method: 'POST', path: 'send-message', body: { ...sms.body, request_id: requestId } },
			false,
		);
		if (outcome.ok) return { ...unwrapRecord(outcome.response.json), requestId };
		const { failure } = outcome;
		if (isRequestIdRefused(failure)) {
			const found = await lookUpAfterFailure(client, failure, attempts, requestId);
			if (found && uncertainSends > 0) return { ...found, requestId };
			if (found) return alreadySent(client, found, sms, requestId);
		}
		if (failure.type === 'network' && failure.cancelled) {
			// The send may have been under way when the execution stopped, and nothing may be looked up now.
			throw maybeSent(client, failure, attempts, requestId, 'the execution was cancelled meanwhile');
		}
		if (!mayHaveActed(failure)) {
			throw notSent(client.error(failure, { ...SEND_WORDS, attempts, note: `The SMS was not sent (request ID ${requestId}).` }));
		}
		uncertainSends++;
		// A moment for the server to finish what it may still be doing with the send.
		const waited = await client.clock.wait(getNextRetryDelay(uncertainSends, undefined, client.clock.environment.random));
		if (waited !== 'waited') {
			const why = waited === 'cancelled' ? 'the execution was cancelled before it could be looked up' : 'the Retry Time Budget ran out before it could be looked up';
			throw maybeSent(client, failure, attempts, requestId, why);
		}
		const found = await lookUpAfterFailure(client, failure, attempts, requestId);
		if (found) return { ...found, requestId };
		if (uncertainSends >= client.maxAttempts) {
			throw notSent(
				client.error(failure, {
					...SEND_WORDS,
					attempts: uncertainSends,
					messageNote: `not sent: request ID ${requestId} was looked up after each failure and is not recorded`,
					note: 'Raise the Max Attempts option, or run the node again later.',
				}),
			);
		}
	}
}

/**
 * Sends one item's SMS exactly once, taking what an earlier try did with the item (`tries`): sent
 * → its item again, flagged `alreadySent`; may have been sent → looked up first. A user's request
 * ID is looked up before the first send, so an SMS already sent with it is output, not sent again.
 */
export async function sendSmsExactlyOnce(client: SmsClient, sms: SmsToSend, tries: SmsTries): Promise<IDataObject> {
	const earlier = tries.earlier();
	const requestId = sms.givenRequestId ?? earlier?.requestId ?? tries.madeRequestId;
	const sameId = earlier?.requestId === requestId ? earlier : undefined;
	if (sameId?.state === 'sent') return { ...sameId.json, alreadySent: true };
	let json: IDataObject | undefined;
	if (sms.givenRequestId !== undefined || sameId?.state === 'uncertain') {
		const uncertain = sameId?.state === 'uncertain';
		if (!uncertain) tries.remember({ state: 'notSent', requestId });
		const words = uncertain
			? {
					messageNote: `the SMS may have been sent in an earlier try: request ID ${requestId}`,
					note: `An earlier try of this node failed in a way that may have sent the SMS, and it is not sent again until a look-up says it was not. Look for it with SMS › Get Many, filter Request ID = ${requestId}.`,
				}
			: { note: 'Nothing was sent: the node checks first whether an SMS already has this request ID.' };
		const found = await findByRequestId(client, requestId, words);
		if (found) json = sms.givenRequestId !== undefined ? alreadySent(client, found, sms, requestId) : { ...found, requestId, alreadySent: true };
	}
	json ??= await sendUntilRecorded(client, sms, requestId, tries);
	tries.remember({ state: 'sent', requestId, json });
	return json;
}
