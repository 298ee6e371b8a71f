import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import type { ApiFailure } from '../transport/errors';
import type { ApiResponse } from '../transport/index';
import type { SmsClient } from '../transport/smsClient';

/**
 * Calls that name one message or thread by its ID. The official SDK sends `message_id` and
 * `message_thread_id`; the API reference's v1 pages spell them `messageId` and `messageThreadId`.
 * The SDK's spelling goes first; when the API answers 422 naming the other one, the call is sent
 * once more with it. Both calls are safe to repeat (deleting or archiving twice leaves the same
 * state), so they are retried like reads.
 */

export interface IdCall {
	method: IHttpRequestMethods;
	path: string;
	/** Where the ID goes: the query (DELETE) or the JSON body (PUT). */
	in: 'qs' | 'body';
	/** The SDK's spelling, then the reference's. */
	spellings: [string, string];
	id: string;
	/** More of the JSON body. */
	body?: IDataObject;
	/** The request in words, for errors: 'delete-message request for the message "…"'. */
	what: string;
}

/** Whether a 422 is about the field `name` (Laravel's `errors` are keyed by the field as sent or expected). */
function namesField(failure: ApiFailure, name: string): boolean {
	if (failure.type !== 'status' || failure.status !== 422) return false;
	return failure.fieldErrors.some((line) => line.startsWith(`${name}:`)) || (failure.apiMessage ?? '').includes(name);
}

/** Sends the call, in the other spelling once if the API asks for it; resolves with the 2xx answer or throws the error to show. */
export async function callWithId(client: SmsClient, call: IdCall, spelling = 0): Promise<ApiResponse> {
	const named = { [call.spellings[spelling]]: call.id };
	const { outcome, attempts } = await client.request(
		{
			method: call.method,
			path: call.path,
			qs: call.in === 'qs' ? named : undefined,
			body: call.in === 'body' ? { ...named, ...call.body } : undefined,
		},
		true,
	);
	if (outcome.ok) return outcome.response;
	const { failure } = outcome;
	const other = call.spellings[spelling + 1];
	if (other !== undefined && namesField(failure, other)) return await callWithId(client, call, spelling + 1);
	const gone = failure.type === 'status' && (failure.status === 404 || failure.status === 422);
	throw client.error(failure, {
		what: call.what,
		expected: 'JSON',
		attempts,
		note:
			gone && attempts > 1
				? 'An earlier attempt of this request failed in a way that may have carried it out already: check before running the node again.'
				: undefined,
	});
}
