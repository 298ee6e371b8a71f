import type {
	NodeApiError,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INode,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { HypersenderCredentials } from '../helpers/interfaces';
import { apiFamilyUrl, BASE_URL_FORMS, checkBaseUrl, type ApiFamily } from '../helpers/baseUrl';
import { instanceId as parseInstanceId } from '../helpers/parameters';
import { redactSecret } from '../helpers/redaction';
import type { ApiFailure } from './errors';
import { apiError, describeBody, headerValue, parseJson, statusFailure, transportFailure } from './errors';
import { multipartBody, type MultipartPart } from './multipart';
import { mayHaveActed, RetryClock, withRetries } from './retry';

export const CREDENTIAL_TYPE = 'hypersenderApi';

/** Where API calls come from: a node's execution, or a polling trigger's poll. */
export type ApiContext = IExecuteFunctions | IPollFunctions;

/** What every request of one input item shares: where to send it and which secret to keep out of errors. */
export interface HypersenderConnection {
	baseUrl: string;
	instanceId: string;
	/** The SMS gateway's instance: the node's override, else the credential's SMS Instance ID, else the instance. */
	smsInstanceId: string;
	apiToken: string;
	/** Read once per item and handed to every request, so n8n does not load and decrypt it per page. */
	credentials: ICredentialsDecrypted;
}

/** Reads the credential and resolves the instance (the node's override wins). */
export async function getConnection(
	this: ApiContext,
	itemIndex: number,
	instanceOverride: string | undefined,
): Promise<HypersenderConnection> {
	const data = await this.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const credentials = data as unknown as HypersenderCredentials;
	const reference = this.getNode().credentials?.[CREDENTIAL_TYPE];
	const base = checkBaseUrl(credentials.baseUrl);
	if ('problem' in base) {
		throw new NodeOperationError(this.getNode(), `Invalid Base URL in the Hypersender API credential: ${base.problem}`, {
			itemIndex,
			description: `Set the credential's Base URL to one of the allowed forms: ${BASE_URL_FORMS}. Nothing was sent.`,
		});
	}
	const baseUrl = base.url;
	const instanceId =
		instanceOverride ??
		parseInstanceId({ displayName: 'Instance ID of the credential', name: 'instanceId', type: 'string', default: '' }, credentials.instanceId);
	const smsInstance = String(credentials.smsInstanceId ?? '').trim();
	const smsInstanceId =
		instanceOverride ??
		(smsInstance === ''
			? instanceId
			: parseInstanceId({ displayName: 'SMS Instance ID of the credential', name: 'smsInstanceId', type: 'string', default: '' }, smsInstance));
	return {
		baseUrl,
		instanceId,
		smsInstanceId,
		apiToken: String(credentials.apiToken ?? ''),
		credentials: { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data },
	};
}

/**
 * `{family base}/{instance}/{path}`, or `{family base}/{path}` for an account call (the instance
 * list, creating an instance); the instance is one path segment whatever it contains ("/", "?",
 * "#", "%2F"). SMS calls go to the SMS gateway's instance.
 */
export function requestUrl(connection: HypersenderConnection, request: Pick<ApiRequest, 'api' | 'scope' | 'path'>): string {
	const base = apiFamilyUrl(connection.baseUrl, request.api ?? 'whatsapp');
	if (request.scope === 'account') return `${base}/${request.path}`;
	const instance = request.api === 'sms' ? connection.smsInstanceId : connection.instanceId;
	return `${base}/${encodeURIComponent(instance)}/${request.path}`;
}

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Below the instance (or, for an account call, below the family's base), e.g. `contacts/get-all`. */
	path: string;
	/** Which API: WhatsApp (default), one-time codes or SMS; all on the Base URL's origin. */
	api?: ApiFamily;
	/** `instance` (default): under the instance; `account`: the account's own calls (`instances`, `create-instance`). */
	scope?: 'instance' | 'account';
	qs?: IDataObject;
	/** Sent as JSON. */
	body?: IDataObject;
	/** Sent as multipart/form-data (file uploads). */
	parts?: MultipartPart[];
	timeoutMs: number;
}

/** A 2xx answer, its body parsed as JSON (`undefined` when it is not JSON). */
export interface ApiResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	json: unknown;
	/** The body as text, for error messages about bodies that are not what the API documents. */
	text: string;
}

export type ApiOutcome = { ok: true; response: ApiResponse } | { ok: false; failure: ApiFailure };

interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body === undefined || body === null) return '';
	return JSON.stringify(body);
}

/**
 * One attempt at one API call, authenticated by n8n with the credential. Never throws for
 * what the server or the network did: the outcome is the answer or a classified failure, and
 * the caller decides (with ./retry) whether to try again and (with ./errors) what to tell the user.
 */
export async function apiRequest(
	this: ApiContext,
	connection: HypersenderConnection,
	request: ApiRequest,
): Promise<ApiOutcome> {
	const headers: IDataObject = { Accept: 'application/json' };
	let body: string | Buffer | undefined;
	if (request.parts) {
		// Built once per request and kept, so a write sent again after a 429 or 503 re-sends it whole.
		const multipart = await multipartBody(request.parts);
		headers['Content-Type'] = multipart.contentType;
		body = multipart.body;
	} else if (request.body) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(request.body);
	}
	const options: IHttpRequestOptions = {
		method: request.method,
		url: requestUrl(connection, request),
		qs: request.qs,
		headers,
		body,
		// Read the body as text and parse it here: a proxy's HTML page or an empty body must
		// become a precise error, not a string that looks like an empty result.
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A 3xx is answered as an error (./errors), never followed: n8n's helper would carry the
		// Authorization header, and a 307 the whole message, to wherever the Location points.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: request.timeoutMs,
	};
	let raw: RawResponse;
	try {
		// Both contexts carry the same request helper; its type is written out for each of them.
		const context = this as IExecuteFunctions;
		raw = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options, {
			credentialsDecrypted: connection.credentials,
		})) as RawResponse;
	} catch (error) {
		return { ok: false, failure: transportFailure(error, request.timeoutMs) };
	}
	// Redacted before anything reads it, so neither an error's preview nor an output item (a queued
	// record's response_body, a contact's field) can carry a token a server echoed back.
	const text = redactSecret(bodyText(raw.body), connection.apiToken);
	if (raw.statusCode < 200 || raw.statusCode >= 300) {
		return { ok: false, failure: statusFailure(raw.statusCode, raw.headers, text, options.url) };
	}
	const json = parseJson(text);
	if (json === undefined) {
		// A garbled or empty 200 is usually a proxy's hiccup: worth another attempt where retrying is safe.
		return {
			ok: false,
			failure: {
				type: 'response',
				garbled: true,
				problem: describeBody(text, headerValue(raw.headers, 'content-type')),
			},
		};
	}
	return { ok: true, response: { status: raw.statusCode, headers: raw.headers, json, text } };
}

/** How to send one call and how to word its failure. */
export interface CallOptions {
	/** A read, safe to repeat; a write is repeated only where the server surely did not act. */
	idempotent: boolean;
	/** The request in words, for errors: e.g. 'request for the contact "4915123456789"'. */
	what: string;
	/** What a 2xx answer should hold, for errors. */
	expected: string;
	/** Told to the user when a write failed in a way that may have happened anyway. */
	mayHaveActedNote?: string;
	/** The same in a few words, added to the error message, so it shows in continue-on-fail output too. */
	mayHaveActedSummary?: string;
}

/** One input item's way to the API: its connection, its retry budget and its options. */
export interface ItemClient {
	node: INode;
	itemIndex: number;
	connection: HypersenderConnection;
	clock: RetryClock;
	timeoutMs: number;
	maxAttempts: number;
	/** Sends a call with retries; resolves with the 2xx answer or throws the NodeApiError to show. */
	call(request: Omit<ApiRequest, 'timeoutMs'>, options: CallOptions): Promise<ApiResponse>;
	/** As call(), but a 404 that says the thing asked for does not exist resolves to null. */
	find(request: Omit<ApiRequest, 'timeoutMs'>, options: CallOptions): Promise<ApiResponse | null>;
	/** The error for a 2xx answer that does not hold what the API documents. */
	unexpected(problem: string, options: CallOptions): NodeApiError;
}

/**
 * A 404 about the thing asked for ("Contact not found."), not about the instance or the route
 * (a wrong instance or Base URL also answers 404, and must not read as "no such contact").
 */
export function isNotFound(failure: ApiFailure): boolean {
	if (failure.type !== 'status' || failure.status !== 404) return false;
	const message = failure.apiMessage ?? '';
	if (/instance|route|url|page/i.test(message)) return false;
	return /not found|contact|does not exist/i.test(message);
}

/** The errors of writes that failed in a way that may have been carried out anyway. */
const mayHaveActedErrors = new WeakSet<object>();

/** The failure behind each error an item client threw, for callers that word some failures their own way. */
const failures = new WeakMap<object, ApiFailure>();

/** The API failure an item client's error was made from (its status and the API's message), if it was. */
export function failureOf(error: unknown): ApiFailure | undefined {
	return typeof error === 'object' && error !== null ? failures.get(error) : undefined;
}

/** Whether a write's error says it may have been carried out (timeout, 5xx, a 2xx that is not what was expected). */
export function mayHaveBeenCarriedOut(error: unknown): boolean {
	return typeof error === 'object' && error !== null && mayHaveActedErrors.has(error);
}

export async function createItemClient(
	this: IExecuteFunctions,
	itemIndex: number,
	options: { instanceId: string | undefined; timeoutMs: number; maxAttempts: number; retryBudgetMs: number },
): Promise<ItemClient> {
	const connection = await getConnection.call(this, itemIndex, options.instanceId);
	const clock = new RetryClock(options.retryBudgetMs, undefined, this.getExecutionCancelSignal());
	const send = async (request: Omit<ApiRequest, 'timeoutMs'>, how: CallOptions, notFound: boolean) => {
		const { outcome, attempts } = await withRetries(
			async () => await apiRequest.call(this, connection, { ...request, timeoutMs: options.timeoutMs }),
			{ idempotent: how.idempotent, maxAttempts: options.maxAttempts, clock },
		);
		if (outcome.ok) return outcome.response;
		if (notFound && isNotFound(outcome.failure)) return null;
		throw fail(outcome.failure, how, attempts);
	};
	const fail = (failure: ApiFailure, how: CallOptions, attempts: number) => {
		const acted = !how.idempotent && mayHaveActed(failure);
		const error = apiError(failure, {
			node: this.getNode(),
			itemIndex,
			secret: connection.apiToken,
			baseUrl: connection.baseUrl,
			what: how.what,
			expected: how.expected,
			attempts,
			note: acted ? how.mayHaveActedNote : undefined,
			messageNote: acted ? how.mayHaveActedSummary : undefined,
		});
		if (acted) mayHaveActedErrors.add(error);
		failures.set(error, failure);
		return error;
	};
	return {
		node: this.getNode(),
		itemIndex,
		connection,
		clock,
		timeoutMs: options.timeoutMs,
		maxAttempts: options.maxAttempts,
		call: async (request, how) => (await send(request, how, false)) as ApiResponse,
		find: async (request, how) => await send(request, how, true),
		unexpected: (problem, how) => fail({ type: 'response', garbled: false, problem }, how, 1),
	};
}
