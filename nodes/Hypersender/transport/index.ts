import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

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
	const credentials = (await this.getCredentials(
		CREDENTIAL_TYPE,
		itemIndex,
	)) as unknown as HypersenderCredentials;
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
	return { baseUrl, instanceId, apiToken: String(credentials.apiToken ?? '') };
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

/** A failure that never reached an HTTP status: connection refused or reset, timeout, cancellation. */
export class TransportError extends Error {
	constructor(
		message: string,
		readonly code: string,
	) {
		super(message);
		this.name = 'TransportError';
	}
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
	422: 'The API refused a parameter; see the field errors above.',
	429: 'Hypersender is rate limiting this account. Wait and run again, or run fewer Hypersender nodes at once.',
};

function statusHint(status: number): string {
	if (STATUS_HINTS[status]) return STATUS_HINTS[status];
	if (status >= 500) return 'The Hypersender API (or a proxy in front of it) had a problem. Try again later.';
	return 'Check the credential and the node parameters.';
}

export interface ApiErrorDetails {
	status: number;
	apiMessage: string | undefined;
	fieldErrors: string[];
	bodySummary: string | undefined;
	retryAfter: string | undefined;
}

/** Extracts what a failed response says, whatever shape its body has. */
export function readErrorResponse(response: RawResponse): ApiErrorDetails {
	const text = bodyText(response.body);
	const json = parseJsonBody(text);
	const details: ApiErrorDetails = {
		status: response.statusCode,
		apiMessage: undefined,
		fieldErrors: [],
		bodySummary: undefined,
		retryAfter: headerValue(response.headers, 'retry-after'),
	};
	if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
		const { message, errors } = json as { message?: unknown; errors?: unknown };
		if (typeof message === 'string' && message !== '') details.apiMessage = message;
		if (errors !== null && typeof errors === 'object') {
			for (const [field, messages] of Object.entries(errors as Record<string, unknown>)) {
				const list = Array.isArray(messages) ? messages : [messages];
				details.fieldErrors.push(`${field}: ${list.map(String).join(' ')}`);
			}
		}
	} else {
		details.bodySummary = describeBody(text, headerValue(response.headers, 'content-type'));
	}
	return details;
}

export function buildApiError(
	node: INode,
	details: ApiErrorDetails,
	context: { itemIndex: number; offset: number; secret: string; attempts?: number },
): NodeApiError {
	const said = details.apiMessage ?? details.bodySummary ?? 'no message';
	const attempts = context.attempts && context.attempts > 1 ? ` after ${context.attempts} attempts` : '';
	const message = redactSecret(
		`Hypersender API error ${details.status}: ${said}${attempts}`,
		context.secret,
	);
	const fieldErrors = details.fieldErrors.length ? ` Field errors: ${details.fieldErrors.join('; ')}.` : '';
	const description = redactSecret(
		`${statusHint(details.status)}${fieldErrors} (request for contacts at offset ${context.offset})`,
		context.secret,
	);
	// Built from a clean object, never from the HTTP client's error: that one carries the
	// request headers, Authorization included.
	const errorResponse: JsonObject = {
		message,
		httpCode: String(details.status),
		...(details.fieldErrors.length ? { errors: details.fieldErrors } : {}),
	};
	return new NodeApiError(node, errorResponse, {
		message,
		description,
		httpCode: String(details.status),
		itemIndex: context.itemIndex,
	});
}

function transportErrorFrom(error: unknown, timeoutMs: number | undefined): TransportError {
	const { code, message, name } = (error ?? {}) as { code?: string; message?: string; name?: string };
	if (name === 'CanceledError' || code === 'ERR_CANCELED' || name === 'AbortError') {
		return new TransportError('The execution was cancelled', 'CANCELLED');
	}
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message ?? '')) {
		return new TransportError(
			`No response within ${timeoutMs ?? 'the'} ms`,
			'ETIMEDOUT',
		);
	}
	return new TransportError(
		`The connection failed (${code ?? 'no code'}): ${message ?? 'unknown error'}`,
		code ?? 'ECONNRESET',
	);
}

export type PageResult =
	| { ok: true; contacts: HypersenderContact[] }
	| { ok: false; details: ApiErrorDetails };

/**
 * Sends one page request. Returns the contacts, or what the server said when it refused;
 * throws a TransportError when no HTTP answer arrived, and a NodeApiError when a 200
 * answer is not the documented `{ data: [...] }` shape.
 */
export async function requestContactsPage(
	this: IExecuteFunctions,
	connection: HypersenderConnection,
	query: ContactsPageQuery,
	context: { itemIndex: number; timeoutMs?: number },
): Promise<PageResult> {
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
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
		)) as RawResponse;
	} catch (error) {
		throw transportErrorFrom(unwrapNodeError(error), context.timeoutMs);
	}
	if (response.statusCode < 200 || response.statusCode >= 300) {
		return { ok: false, details: readErrorResponse(response) };
	}
	return { ok: true, contacts: readContacts.call(this, response, query, connection, context.itemIndex) };
}

/** httpRequestWithAuthentication wraps transport failures in a NodeApiError; the cause is what counts. */
function unwrapNodeError(error: unknown): unknown {
	if (error instanceof NodeApiError && error.cause) return error.cause;
	return error;
}

function readContacts(
	this: IExecuteFunctions,
	response: RawResponse,
	query: ContactsPageQuery,
	connection: HypersenderConnection,
	itemIndex: number,
): HypersenderContact[] {
	const text = bodyText(response.body);
	const json = parseJsonBody(text);
	const data = (json as IDataObject | undefined)?.data;
	const fail = (problem: string) =>
		new NodeApiError(
			this.getNode(),
			{ message: problem, httpCode: String(response.statusCode) },
			{
				message: redactSecret(`Hypersender API returned an unexpected response: ${problem}`, connection.apiToken),
				description: `Expected JSON with a "data" array of contacts (request for contacts at offset ${query.offset}). Check the credential's Base URL: it should point at the Hypersender WhatsApp API (…/api/whatsapp/v2), not a web page or a proxy.`,
				httpCode: String(response.statusCode),
				itemIndex,
			},
		);
	if (json === undefined) {
		throw fail(redactSecret(describeBody(text, headerValue(response.headers, 'content-type')), connection.apiToken));
	}
	if (!Array.isArray(data)) {
		throw fail(`the JSON has no "data" array (keys: ${Object.keys((json as object) ?? {}).join(', ') || 'none'})`);
	}
	for (let index = 0; index < data.length; index++) {
		const contact = data[index] as HypersenderContact | null;
		if (contact === null || typeof contact !== 'object' || Array.isArray(contact) || typeof contact.id !== 'string' || contact.id === '') {
			throw fail(`contact ${index} of the page has no "id"`);
		}
	}
	return data as HypersenderContact[];
}

/** One page of contacts, or a NodeApiError that names the status, the API's message and the page. */
export async function fetchContactsPage(
	this: IExecuteFunctions,
	connection: HypersenderConnection,
	query: ContactsPageQuery,
	context: { itemIndex: number; timeoutMs?: number },
): Promise<HypersenderContact[]> {
	let result: PageResult;
	try {
		result = await requestContactsPage.call(this, connection, query, context);
	} catch (error) {
		throw transportFailure(this.getNode(), error, connection, query, context.itemIndex);
	}
	if (!result.ok) {
		throw buildApiError(this.getNode(), result.details, {
			itemIndex: context.itemIndex,
			offset: query.offset,
			secret: connection.apiToken,
		});
	}
	return result.contacts;
}

function transportFailure(
	node: INode,
	error: unknown,
	connection: HypersenderConnection,
	query: ContactsPageQuery,
	itemIndex: number,
): NodeApiError {
	if (error instanceof NodeApiError) return error;
	const failure = error instanceof TransportError ? error : transportErrorFrom(error, undefined);
	return new NodeApiError(
		node,
		{ message: failure.message, code: failure.code },
		{
			message: redactSecret(`Hypersender API request failed: ${failure.message}`, connection.apiToken),
			description: `Request for contacts at offset ${query.offset} to ${connection.baseUrl}. Check that the server is reachable.`,
			itemIndex,
		},
	);
}
