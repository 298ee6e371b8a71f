import type {
	ICredentialsDecrypted,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { PageAttempt, PageFailure } from '../helpers/pager';
import type {
	ContactSortBy,
	ContactSortOrder,
	HypersenderContact,
	HypersenderCredentials,
} from '../helpers/interfaces';
import { redactSecret } from '../helpers/redaction';
import { parseInstanceId } from '../helpers/validation';

export const CREDENTIAL_TYPE = 'hypersenderApi';

/** What every request of one node run shares: where to send it and which secret to keep out of errors. */
export interface HypersenderConnection {
	baseUrl: string;
	instanceId: string;
	apiToken: string;
	/** Read once per item and handed to every page request, so n8n does not load and decrypt it per page. */
	credentials: ICredentialsDecrypted;
}

export interface ContactsPageQuery {
	offset: number;
	limit: number;
	sortBy: ContactSortBy;
	sortOrder: ContactSortOrder;
}

/** Reads the credential and resolves the instance (the node's override wins). */
export async function getConnection(
	this: IExecuteFunctions,
	itemIndex: number,
	instanceOverride: string | undefined,
): Promise<HypersenderConnection> {
	const data = await this.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const credentials = data as unknown as HypersenderCredentials;
	const reference = this.getNode().credentials?.[CREDENTIAL_TYPE];
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]/i.test(baseUrl)) {
		throw new NodeOperationError(
			this.getNode(),
			`Invalid Base URL in the Hypersender API credential: ${JSON.stringify(baseUrl)} is not an http(s) URL`,
			{
				itemIndex,
				description: 'Set the credential\'s Base URL to https://app.hypersender.com/api/whatsapp/v2 or your server\'s address.',
			},
		);
	}
	const instanceId =
		instanceOverride ??
		parseInstanceId(
			{ displayName: 'Instance ID of the credential', name: 'instanceId' },
			credentials.instanceId,
		);
	return {
		baseUrl,
		instanceId,
		apiToken: String(credentials.apiToken ?? ''),
		credentials: {
			id: reference?.id ?? '',
			name: reference?.name ?? '',
			type: CREDENTIAL_TYPE,
			data,
		},
	};
}

export function contactsUrl(connection: HypersenderConnection): string {
	// The instance is one path segment whatever it contains ("/", "?", "#", "%2F" included).
	return `${connection.baseUrl}/${encodeURIComponent(connection.instanceId)}/contacts/get-all`;
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

function parseJsonBody(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body === undefined || body === null) return '';
	return JSON.stringify(body);
}

function headerValue(headers: RawResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function describeBody(text: string, contentType: string | undefined): string {
	if (text.trim() === '') return 'an empty body';
	const kind = /html/i.test(contentType ?? '') || /^\s*</.test(text) ? 'HTML' : 'non-JSON text';
	const preview = text.replace(/\s+/g, ' ').trim().slice(0, 120);
	return `${kind} (${contentType ?? 'no content type'}): ${preview}`;
}

const STATUS_HINTS: Record<number, string> = {
	401: 'Check the API token in the Hypersender API credential (copy it again from the Hypersender dashboard).',
	403: 'The API token is valid but may not access this instance. Check the token and the instance ID.',
	404: 'Check the instance ID (credential, or the node\'s "Instance ID" option) and the credential\'s Base URL.',
	422: 'The API refused a parameter of the request.',
	429: 'Hypersender is rate limiting this account. Wait and run again, or run fewer Hypersender nodes at once.',
};

function statusHint(status: number): string {
	if (STATUS_HINTS[status]) return STATUS_HINTS[status];
	if (status >= 500) return 'The Hypersender API (or a proxy in front of it) had a problem. Try again later.';
	return 'Check the credential and the node parameters.';
}

/** Statuses worth another attempt; everything else (400, 401, 403, 404, 422, ...) fails at once. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** The statuses big pages cause when the server or a proxy in front of it gives up. */
const PAGE_SIZE_STATUSES = new Set([408, 500, 502, 503, 504]);

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface ErrorContext {
	node: INode;
	connection: HypersenderConnection;
	itemIndex: number;
}

function attemptsNote(attempts: number): string {
	return attempts > 1 ? ` after ${attempts} attempts` : '';
}

/** What a failed response says, whatever shape its body has. */
function statusFailure(response: RawResponse, context: ErrorContext): PageFailure {
	const status = response.statusCode;
	const text = bodyText(response.body);
	const json = parseJsonBody(text);
	let apiMessage: string | undefined;
	const fieldErrors: string[] = [];
	if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
		const { message, errors } = json as { message?: unknown; errors?: unknown };
		if (typeof message === 'string' && message !== '') apiMessage = message;
		if (errors !== null && typeof errors === 'object') {
			for (const [field, messages] of Object.entries(errors as Record<string, unknown>)) {
				const list = Array.isArray(messages) ? messages : [messages];
				fieldErrors.push(`${field}: ${list.map(String).join(' ')}`);
			}
		}
	}
	const said = apiMessage ?? describeBody(text, headerValue(response.headers, 'content-type'));
	const secret = context.connection.apiToken;
	return {
		retryable: RETRYABLE_STATUSES.has(status),
		pageSizeSuspect: PAGE_SIZE_STATUSES.has(status),
		retryAfterMs:
			status === 429 || status === 503
				? parseRetryAfter(headerValue(response.headers, 'retry-after'), Date.now())
				: undefined,
		toError: ({ offset, attempts }) => {
			const message = redactSecret(
				`Hypersender API error ${status}: ${said}${attemptsNote(attempts)}`,
				secret,
			);
			const fields = fieldErrors.length ? ` Field errors: ${fieldErrors.join('; ')}.` : '';
			const description = redactSecret(
				`${statusHint(status)}${fields} (request for contacts at offset ${offset}${attemptsNote(attempts)})`,
				secret,
			);
			// Built from a clean object, never from the HTTP client's error: that one carries
			// the request headers, Authorization included.
			const errorResponse: JsonObject = {
				message,
				httpCode: String(status),
				...(fieldErrors.length ? { errors: fieldErrors } : {}),
			};
			return new NodeApiError(context.node, errorResponse, {
				message,
				description,
				httpCode: String(status),
				itemIndex: context.itemIndex,
			});
		},
	};
}

/** A failure that never reached an HTTP status: timeout, dropped or refused connection, cancellation. */
function transportFailure(error: unknown, timeoutMs: number, context: ErrorContext): PageFailure {
	const cause = error instanceof NodeApiError && error.cause ? error.cause : error;
	const { code, message, name } = (cause ?? {}) as { code?: string; message?: string; name?: string };
	const cancelled = name === 'CanceledError' || code === 'ERR_CANCELED' || name === 'AbortError';
	const timedOut = !cancelled && (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message ?? ''));
	const refused = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
	const what = cancelled
		? 'the execution was cancelled'
		: timedOut
			? `no response within ${timeoutMs} ms`
			: `the connection failed (${code ?? 'no code'}: ${message ?? 'unknown error'})`;
	return {
		retryable: !cancelled,
		pageSizeSuspect: timedOut || (!cancelled && !refused),
		toError: ({ offset, attempts }) => {
			const text = redactSecret(
				`Hypersender API request failed: ${what}${attemptsNote(attempts)}`,
				context.connection.apiToken,
			);
			return new NodeApiError(
				context.node,
				{ message: text, code: code ?? 'UNKNOWN' },
				{
					message: text,
					description: redactSecret(
						`Request for contacts at offset ${offset} to ${context.connection.baseUrl}. Check that the server is reachable, or raise the node's "Timeout (Ms)" option.`,
						context.connection.apiToken,
					),
					itemIndex: context.itemIndex,
				},
			);
		},
	};
}

/** A 200 answer that is not the documented `{ "data": [contacts] }`. */
function shapeFailure(problem: string, retryable: boolean, context: ErrorContext): PageFailure {
	return {
		retryable,
		pageSizeSuspect: false,
		toError: ({ offset, attempts }) => {
			const message = redactSecret(
				`Hypersender API returned an unexpected response: ${problem}${attemptsNote(attempts)}`,
				context.connection.apiToken,
			);
			return new NodeApiError(
				context.node,
				{ message, httpCode: '200' },
				{
					message,
					description: `Expected JSON with a "data" array of contacts (request for contacts at offset ${offset}). Check the credential's Base URL: it should point at the Hypersender WhatsApp API (…/api/whatsapp/v2), not a web page or a proxy.`,
					httpCode: '200',
					itemIndex: context.itemIndex,
				},
			);
		},
	};
}

function readContacts(response: RawResponse, context: ErrorContext): PageAttempt {
	const text = bodyText(response.body);
	const json = parseJsonBody(text);
	if (json === undefined) {
		// A garbled or empty body is usually a proxy's hiccup: worth another attempt.
		const summary = redactSecret(
			describeBody(text, headerValue(response.headers, 'content-type')),
			context.connection.apiToken,
		);
		return { ok: false, failure: shapeFailure(summary, true, context) };
	}
	const data = (json as { data?: unknown } | null)?.data;
	if (!Array.isArray(data)) {
		const keys = json !== null && typeof json === 'object' ? Object.keys(json).join(', ') : '';
		return {
			ok: false,
			failure: shapeFailure(`the JSON has no "data" array (keys: ${keys || 'none'})`, false, context),
		};
	}
	for (let index = 0; index < data.length; index++) {
		const contact = data[index] as { id?: unknown } | null;
		if (
			contact === null ||
			typeof contact !== 'object' ||
			Array.isArray(contact) ||
			typeof contact.id !== 'string' ||
			contact.id === ''
		) {
			return {
				ok: false,
				failure: shapeFailure(`contact ${index} of the page has no "id"`, false, context),
			};
		}
	}
	return { ok: true, contacts: data as HypersenderContact[] };
}

/**
 * One attempt at one page: the contacts, or a classified failure that the pager retries or
 * raises. Never throws for what the server did.
 */
export async function requestContactsPage(
	this: IExecuteFunctions,
	connection: HypersenderConnection,
	query: ContactsPageQuery,
	context: { itemIndex: number; timeoutMs: number },
): Promise<PageAttempt> {
	const errorContext: ErrorContext = { node: this.getNode(), connection, itemIndex: context.itemIndex };
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: contactsUrl(connection),
		qs: {
			limit: query.limit,
			offset: query.offset,
			sort_by: query.sortBy,
			sort_order: query.sortOrder,
		},
		headers: { Accept: 'application/json' },
		// Read the body as text and parse it here: a proxy's HTML page or an empty body must
		// become a precise error, not a string that looks like an empty result.
		encoding: 'text',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: context.timeoutMs,
	};
	let response: RawResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options, {
			credentialsDecrypted: connection.credentials,
		})) as RawResponse;
	} catch (error) {
		return { ok: false, failure: transportFailure(error, context.timeoutMs, errorContext) };
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		return { ok: false, failure: statusFailure(response, errorContext) };
	}
	return readContacts(response, errorContext);
}
