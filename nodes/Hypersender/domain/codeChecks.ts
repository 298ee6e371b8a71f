import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import { isObject } from '../helpers/interfaces';
import type { ItemClient } from '../transport';
import { apiRequest } from '../transport';
import type { ApiFailure } from '../transport/errors';
import { apiError } from '../transport/errors';
import { mayHaveActed, withRetries } from '../transport/retry';
import { apiMessage, camelCaseRecord } from './oneTimeCodes';

/**
 * Checking a one-time code (`POST …/api/otp/v2/{instance}/validate-code`). A code that is wrong,
 * used or expired is an answer, not an error: the check says `valid: false`, why (the API's own
 * words) and a status a workflow can branch on. The docs show only the success answer, so a
 * refusal is recognised by its shape: a 400, 404, 409, 410 or 422 with the API's `message` and no
 * Laravel `errors` object (which would mean the request itself was malformed), or a 2xx with
 * `success: false`. A 401, 403, 429, 5xx, a 422 with `errors`, a network failure, and a 404 about
 * the instance or the route stay errors.
 */

/** Why a check came out as it did: `validated` (the code was right and is now used up), else why not. */
export type CheckStatus = 'validated' | 'invalid' | 'expired' | 'used' | 'notFound';

export const CHECK_STATUSES: CheckStatus[] = ['validated', 'invalid', 'expired', 'used', 'notFound'];

export interface CodeCheck {
	valid: boolean;
	status: CheckStatus;
	/** The API's message, or the status in words when it sent none. */
	reason: string;
	/** The API's `data` in camelCase (uuid, chatId, validatedAt, …); empty when it sent none. */
	record: IDataObject;
}

/** HTTP statuses that, with the API's message and no field errors, mean "this code does not pass". */
const REFUSAL_STATUSES = new Set([400, 404, 409, 410, 422]);

/** The API's `data.status` values of a code that did not pass (lower case, without separators). */
const API_STATUSES: Record<string, CheckStatus> = {
	expired: 'expired',
	used: 'used',
	consumed: 'used',
	redeemed: 'used',
	// Said of a code that does not pass: it was validated before.
	validated: 'used',
	verified: 'used',
	invalid: 'invalid',
	wrong: 'invalid',
	failed: 'invalid',
	mismatch: 'invalid',
	notfound: 'notFound',
	missing: 'notFound',
};

const VALIDATED = /^(validated|verified|valid|success|succeeded)$/i;

const REASONS: Record<CheckStatus, string> = {
	validated: 'The code is valid.',
	invalid: 'The code is not valid for this chat.',
	expired: 'The code has expired.',
	used: 'The code was already used.',
	notFound: 'No code was found for this chat.',
};

/** Why a code did not pass: the API's `data.status`, else its message, else the HTTP status. */
export function failedStatus(apiStatus: unknown, message: string | undefined, httpStatus: number): CheckStatus {
	if (typeof apiStatus === 'string') {
		const known = API_STATUSES[apiStatus.toLowerCase().replace(/[\s_-]/g, '')];
		if (known) return known;
	}
	const text = message ?? '';
	if (/already|\bused\b|consumed|redeemed/i.test(text)) return 'used';
	if (/expire/i.test(text)) return 'expired';
	if (/not found|does ?n[o']t exist|no (such |matching |active )?(otp|code)/i.test(text)) return 'notFound';
	if (httpStatus === 404) return 'notFound';
	if (httpStatus === 409) return 'used';
	if (httpStatus === 410) return 'expired';
	return 'invalid';
}

/** A 2xx answer as a check; undefined when it says neither yes nor no (not what the API documents). */
export function answeredCheck(json: unknown, httpStatus: number): CodeCheck | undefined {
	if (!isObject(json)) return undefined;
	const data = isObject(json.data) ? json.data : {};
	const message = apiMessage(json);
	const record = camelCaseRecord(data);
	// The check's own fields; the API's `status` is read below and output normalised.
	for (const key of ['valid', 'status', 'reason']) delete record[key];
	const apiStatus = typeof data.status === 'string' ? data.status : undefined;
	const validated = apiStatus === undefined ? json.success === true : VALIDATED.test(apiStatus) && json.success !== false;
	if (validated) return { valid: true, status: 'validated', reason: message ?? REASONS.validated, record };
	if (json.success !== false && apiStatus === undefined) return undefined;
	const status = failedStatus(apiStatus, message, httpStatus);
	return { valid: false, status, reason: message ?? REASONS[status], record };
}

/** A failed call as a check, when it is the API refusing the code rather than the request. */
export function refusedCheck(failure: ApiFailure): CodeCheck | undefined {
	if (failure.type !== 'status' || !REFUSAL_STATUSES.has(failure.status)) return undefined;
	const body = isObject(failure.json) ? failure.json : {};
	const data = isObject(body.data) ? body.data : {};
	const message = failure.apiMessage;
	// The API's refusal: its message, or at least `success: false` (a Laravel `errors` object means a malformed request).
	if ((message === undefined && body.success !== false) || failure.fieldErrors.length > 0) return undefined;
	// A wrong instance or Base URL also answers 404: that must not read as "no such code".
	if (failure.status === 404 && message !== undefined && /instance|route|url|page/i.test(message) && !/code|otp/i.test(message)) return undefined;
	const status = failedStatus(data.status, message, failure.status);
	const record = camelCaseRecord(data);
	for (const key of ['valid', 'status', 'reason']) delete record[key];
	return { valid: false, status, reason: message ?? REASONS[status], record };
}

const EXPECTED = 'JSON with "success" and "data.status"';

/** The outcome of one check: its answer, or the error to show and whether the code may have been used up anyway. */
export type CheckOutcome = { check: CodeCheck } | { error: NodeApiError; mayHaveValidated: boolean };

/**
 * Checks a code. Sent again only where the server surely did not take it (refused connection,
 * 429, 503): after a timeout or a 5xx the code may have been validated, and so used up, already.
 */
export async function checkCode(
	this: IExecuteFunctions,
	client: ItemClient,
	body: { chatId: string; code: string },
	mayHaveValidatedNote: string,
): Promise<CheckOutcome> {
	const what = `check of a one-time code for the chat "${body.chatId}"`;
	const { outcome, attempts } = await withRetries(
		async () =>
			await apiRequest.call(this, client.connection, { method: 'POST', api: 'otp', path: 'validate-code', body, timeoutMs: client.timeoutMs }),
		{ idempotent: false, maxAttempts: client.maxAttempts, clock: client.clock },
	);
	let failure: ApiFailure;
	if (outcome.ok) {
		const check = answeredCheck(outcome.response.json, outcome.response.status);
		if (check) return { check };
		failure = { type: 'response', garbled: false, problem: 'the JSON says neither "success" nor a "data.status"' };
	} else {
		failure = outcome.failure;
		const check = refusedCheck(failure);
		if (check) return { check };
	}
	const acted = mayHaveActed(failure);
	const error = apiError(failure, {
		node: client.node,
		itemIndex: client.itemIndex,
		secret: client.connection.apiToken,
		baseUrl: client.connection.baseUrl,
		what,
		expected: EXPECTED,
		attempts,
		note: acted ? mayHaveValidatedNote : undefined,
		messageNote: acted ? 'the code may have been validated, so it was not sent again' : undefined,
	});
	return { error, mayHaveValidated: acted };
}
