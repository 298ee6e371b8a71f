import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { BASE_URL_FORMS } from '../helpers/baseUrl';
import { redactSecret } from '../helpers/redaction';

/** Why one attempt at an API call failed, as plain data: ./retry decides on it, apiError() words it. */
export type ApiFailure =
	| {
			type: 'status';
			status: number;
			/** The API's own `message`, when the body had one. */
			apiMessage?: string;
			/** Laravel-style `errors`, one "field: messages" line per field. */
			fieldErrors: string[];
			/** What the body was, when it had no message (an HTML page, an empty body). */
			bodySummary: string;
			/** What the server asked for in `Retry-After` (429, 503), in ms. */
			retryAfterMs?: number;
			/** For a 3xx: the host its `Location` points to (never the whole URL, which may carry secrets). */
			redirectHost?: string;
			/** The body as JSON (already redacted), for callers that read more of it than the message (e.g. `data.status`). */
			json?: unknown;
	  }
	| {
			/** No HTTP status: timeout, refused or dropped connection, DNS, cancellation. */
			type: 'network';
			code?: string;
			message: string;
			timedOut: boolean;
			cancelled: boolean;
			/** The request surely never reached the server (refused connection, unknown host). */
			refused: boolean;
			timeoutMs: number;
	  }
	| {
			/** A 2xx answer that is not what the API documents. */
			type: 'response';
			problem: string;
			/** Not JSON at all (a proxy's page, an empty body) rather than JSON of the wrong shape. */
			garbled: boolean;
	  };

export function headerValue(
	headers: Record<string, string | string[] | undefined>,
	name: string,
): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

export function describeBody(text: string, contentType: string | undefined): string {
	if (text.trim() === '') return 'an empty body';
	const kind = /html/i.test(contentType ?? '') || /^\s*</.test(text) ? 'HTML' : 'non-JSON text';
	const preview = text.replace(/\s+/g, ' ').trim().slice(0, 120);
	return `${kind} (${contentType ?? 'no content type'}): ${preview}`;
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The body as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** The host a redirect's `Location` names, resolved against the request's URL. */
function redirectHost(location: string | undefined, requestUrl: string | undefined): string {
	if (location === undefined || location.trim() === '') return 'no Location header';
	try {
		return new URL(location.trim(), requestUrl).host || 'an address without host';
	} catch {
		return 'an invalid Location header';
	}
}

/** What a non-2xx response says, whatever shape its body has. */
export function statusFailure(
	status: number,
	headers: Record<string, string | string[] | undefined>,
	text: string,
	requestUrl?: string,
): ApiFailure {
	const json = parseJson(text);
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
	return {
		type: 'status',
		status,
		apiMessage,
		fieldErrors,
		bodySummary: describeBody(text, headerValue(headers, 'content-type')),
		retryAfterMs:
			status === 429 || status === 503
				? parseRetryAfter(headerValue(headers, 'retry-after'), Date.now())
				: undefined,
		redirectHost: status >= 300 && status < 400 ? redirectHost(headerValue(headers, 'location'), requestUrl) : undefined,
		json,
	};
}

/** A failure that never reached an HTTP status. */
export function transportFailure(error: unknown, timeoutMs: number): ApiFailure {
	const cause = error instanceof NodeApiError && error.cause ? error.cause : error;
	const { code, message, name } = (cause ?? {}) as { code?: string; message?: string; name?: string };
	const cancelled = name === 'CanceledError' || code === 'ERR_CANCELED' || name === 'AbortError';
	return {
		type: 'network',
		code,
		message: message ?? 'unknown error',
		cancelled,
		timedOut: !cancelled && (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message ?? '')),
		refused: code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN',
		timeoutMs,
	};
}

const STATUS_HINTS: Record<number, string> = {
	401: 'Check the API token in the Hypersender API credential (copy it again from the Hypersender dashboard).',
	403: 'The API token is valid but may not access this instance. Check the token and the instance ID.',
	404: 'Check the instance ID (credential, or the node\'s "Instance ID" option) and the credential\'s Base URL.',
	422: 'The API refused a parameter of the request: correct the fields it names and run the node again.',
	429: 'Hypersender is rate limiting this account. Wait and run again, or run fewer Hypersender nodes at once.',
};

function statusHint(status: number): string {
	if (STATUS_HINTS[status]) return STATUS_HINTS[status];
	if (status >= 500) return 'The Hypersender API (or a proxy in front of it) had a problem. Try again later.';
	return 'Check the credential and the node parameters.';
}

/**
 * When the API said to try again (its Retry-After), for a rate limit the retries could not wait
 * out within the node's Retry Time Budget: in seconds and as a UTC time.
 */
export function retryWhen(retryAfterMs: number | undefined, now = Date.now()): string {
	if (retryAfterMs === undefined) return '';
	const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
	const at = new Date(now + seconds * 1000).toISOString().slice(11, 19);
	return ` The API asked to wait ${seconds} s: try again after ${at} UTC, or raise the node's "Retry Time Budget (Seconds)" option so the node waits for it.`;
}

export interface ErrorContext {
	node: INode;
	itemIndex: number;
	/** The API token: never part of a message, even when a server echoes it. */
	secret: string;
	baseUrl: string;
	/** The request in words, e.g. "request for contacts at offset 2000". */
	what: string;
	/** What a 2xx answer should have held, e.g. 'JSON with a "data" array of contacts'. */
	expected: string;
	attempts: number;
	/** Added to the description, e.g. that a write may have happened although it failed. */
	note?: string;
	/** Added to the message itself, e.g. "(it may have been sent, so it was not sent again)". */
	messageNote?: string;
}

export function attemptsNote(attempts: number): string {
	return attempts > 1 ? ` after ${attempts} attempts` : '';
}

/** A failure that never reached an HTTP status, in words. */
export function networkProblem(failure: Extract<ApiFailure, { type: 'network' }>): string {
	if (failure.cancelled) return 'the execution was cancelled';
	if (failure.timedOut) return `no response within ${failure.timeoutMs} ms`;
	return `the connection failed (${failure.code ?? 'no code'}: ${failure.message})`;
}

/**
 * A NodeApiError that keeps our message. NodeApiError swaps messages that name a network code
 * (ECONNABORTED, ECONNREFUSED, ...) for a generic sentence ("perhaps the server is offline");
 * ours says what happened and for how long.
 */
export function nodeApiError(
	node: INode,
	message: string,
	options: { description: string; itemIndex: number; httpCode?: string; response?: JsonObject },
): NodeApiError {
	const httpCode: JsonObject = options.httpCode ? { httpCode: options.httpCode } : {};
	const error = new NodeApiError(
		node,
		{ message, ...httpCode, ...options.response },
		{ message, description: options.description, itemIndex: options.itemIndex, ...httpCode },
	);
	error.message = message;
	return error;
}

/**
 * The error the user sees for a failure. Built from a clean object, never from the HTTP
 * client's error: that one carries the request headers, Authorization included.
 */
export function apiError(failure: ApiFailure, context: ErrorContext): NodeApiError {
	const clean = (text: string) => redactSecret(text, context.secret);
	const tries = attemptsNote(context.attempts);
	const note = context.note ? ` ${context.note}` : '';
	const messageNote = context.messageNote ? ` (${context.messageNote})` : '';
	let message: string;
	let description: string;
	let httpCode: string | undefined;
	const response: JsonObject = {};
	if (failure.type === 'status' && failure.redirectHost !== undefined) {
		httpCode = String(failure.status);
		message = clean(
			`Hypersender API error ${failure.status}: the Base URL redirects to ${failure.redirectHost}, and redirects are not followed${messageNote}`,
		);
		description = clean(
			`A redirect would carry the API token (and a message's content) to another address, so it is never followed and nothing was sent there (${context.what}). Set the credential's Base URL to the API's own address: ${BASE_URL_FORMS}. If your server moved, use its new https address.${note}`,
		);
	} else if (failure.type === 'status') {
		httpCode = String(failure.status);
		message = clean(`Hypersender API error ${failure.status}: ${failure.apiMessage ?? failure.bodySummary}${tries}${messageNote}`);
		const fields = failure.fieldErrors.length ? ` Field errors: ${failure.fieldErrors.join('; ')}.` : '';
		description = clean(`${statusHint(failure.status)}${retryWhen(failure.retryAfterMs)}${fields} (${context.what}${tries})${note}`);
		if (failure.fieldErrors.length) response.errors = failure.fieldErrors.map(clean);
	} else if (failure.type === 'network') {
		message = clean(`Hypersender API request failed: ${networkProblem(failure)}${tries}${messageNote}`);
		const request = context.what.charAt(0).toUpperCase() + context.what.slice(1);
		description = clean(
			`${request} to ${context.baseUrl}. Check that the server is reachable, or raise the node's "Timeout (Ms)" option.${note}`,
		);
		response.code = failure.code ?? 'UNKNOWN';
	} else {
		httpCode = '200';
		message = clean(`Hypersender API returned an unexpected response: ${failure.problem}${tries}${messageNote}`);
		description = clean(
			`Expected ${context.expected} (${context.what}). Check the credential's Base URL: it should point at the Hypersender WhatsApp API (…/api/whatsapp/v2), not a web page or a proxy.${note}`,
		);
	}
	return nodeApiError(context.node, message, { description, itemIndex: context.itemIndex, httpCode, response });
}
