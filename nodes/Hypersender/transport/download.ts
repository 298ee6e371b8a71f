import type { IExecuteFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import { isLoopbackHost } from '../helpers/baseUrl';
import type { ApiFailure } from './errors';
import { headerValue, statusFailure, transportFailure } from './errors';
import type { RetryClock } from './retry';
import { withRetries } from './retry';

export interface DownloadedFile {
	data: Buffer;
	contentType: string | undefined;
}

export type DownloadOutcome =
	| { ok: true; file: DownloadedFile; attempts: number }
	| { ok: false; failure: ApiFailure; attempts: number };

export interface DownloadLimits {
	/** Bytes; a larger file is refused by its Content-Length, or once that many have arrived. */
	maxBytes: number;
	/** Redirects followed before giving up. */
	maxRedirects: number;
}

/**
 * The one origin a download may send the credential to (the credential's Base URL): a hop to it
 * is authenticated by n8n with the credential, a hop anywhere else is a plain request. Decided
 * per hop, so a redirect never carries the token to another host.
 */
export interface DownloadCredential {
	origin: string;
	credentialType: string;
}

/** Where a download runs: a node's execution or a trigger's webhook call. */
export type DownloadContext = IExecuteFunctions | IWebhookFunctions;

/** The origin of a URL (scheme, host, port), or undefined for one that does not parse. */
export function originOf(url: string): string | undefined {
	try {
		return new URL(url).origin;
	} catch {
		return undefined;
	}
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What an error body is read up to, for its message. */
const ERROR_BODY_BYTES = 64 * 1024;

type ResponseStream = AsyncIterable<Buffer> & { destroy(error?: Error): void };

interface StreamResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: ResponseStream;
}

/**
 * Why a link may not be fetched, or undefined when it may: https only, loopback aside. Says the
 * scheme and host, never the path or query, which carry the link's signature.
 */
export function refusedLink(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'is not a valid URL';
	}
	if (parsed.protocol === 'https:') return undefined;
	if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
	return `is ${parsed.protocol}//${parsed.host}: only https links are downloaded (plain http only from a loopback address)`;
}

const refusal = (problem: string): { ok: false; failure: ApiFailure } => ({
	ok: false,
	failure: { type: 'response', garbled: false, problem },
});

/**
 * The body up to `limit` bytes; undefined when it is longer (and then no more of it is read).
 * At the deadline the body is ended here too, for a client that hands over the socket's stream.
 */
async function readUpTo(stream: ResponseStream, limit: number, deadline: AbortSignal): Promise<Buffer | undefined> {
	const stop = () =>
		stream.destroy(Object.assign(new Error('timeout: the body stopped arriving'), { code: 'ETIMEDOUT' }));
	if (deadline.aborted) stop();
	else deadline.addEventListener('abort', stop, { once: true });
	try {
		const chunks: Buffer[] = [];
		let length = 0;
		for await (const chunk of stream) {
			length += chunk.length;
			if (length > limit) {
				stream.destroy();
				return undefined;
			}
			chunks.push(chunk);
		}
		return Buffer.concat(chunks, length);
	} finally {
		deadline.removeEventListener('abort', stop);
	}
}

/** One attempt: the link and its redirects, each hop checked before it is requested. */
async function fetchOnce(
	this: DownloadContext,
	url: string,
	timeoutMs: number,
	limits: DownloadLimits & { credential?: DownloadCredential },
): Promise<{ ok: true; file: DownloadedFile } | { ok: false; failure: ApiFailure }> {
	let current = url;
	for (let hop = 0; ; hop++) {
		const refused = refusedLink(current);
		if (refused) return refusal(`${hop === 0 ? 'the link' : `redirect ${hop}`} ${refused}`);
		// One deadline per hop for the headers and the body together.
		const deadline = AbortSignal.timeout(timeoutMs);
		const request: IHttpRequestOptions = {
			method: 'GET',
			url: current,
			encoding: 'stream',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Redirects are followed here, so each hop is held to https before anything is sent to it.
			disableFollowRedirect: true,
			timeout: timeoutMs,
			// Ends the request when the body stalls: n8n's timeout ends with the headers.
			abortSignal: deadline,
		};
		const { credential } = limits;
		try {
			const response = (
				credential !== undefined && originOf(current) === credential.origin
					? await this.helpers.httpRequestWithAuthentication.call(this, credential.credentialType, request)
					: await this.helpers.httpRequest(request)
			) as StreamResponse;
			const { statusCode: status, headers, body } = response;
			const location = headerValue(headers, 'location');
			if (REDIRECTS.has(status) && location) {
				body.destroy();
				if (hop >= limits.maxRedirects) return refusal(`more than ${limits.maxRedirects} redirects`);
				try {
					current = new URL(location, current).href;
				} catch {
					return refusal(`redirect ${hop + 1} has an invalid Location header`);
				}
				continue;
			}
			if (status < 200 || status >= 300) {
				const text = (await readUpTo(body, ERROR_BODY_BYTES, deadline)) ?? Buffer.alloc(0);
				return { ok: false, failure: statusFailure(status, headers, text.toString('utf8')) };
			}
			const declared = Number(headerValue(headers, 'content-length'));
			if (Number.isFinite(declared) && declared > limits.maxBytes) {
				body.destroy();
				return refusal(`it is ${declared} bytes (Content-Length), over the limit of ${limits.maxBytes} bytes`);
			}
			const data = await readUpTo(body, limits.maxBytes, deadline);
			if (data === undefined) return refusal(`it is over the limit of ${limits.maxBytes} bytes`);
			return { ok: true, file: { data, contentType: headerValue(headers, 'content-type') } };
		} catch (error) {
			const failure = transportFailure(error, timeoutMs);
			// The deadline aborts like a cancellation would; it is a timeout, worth another attempt.
			if (deadline.aborted && failure.type === 'network') Object.assign(failure, { timedOut: true, cancelled: false });
			return { ok: false, failure };
		}
	}
}

/**
 * Downloads a file the API linked to (a profile picture on WhatsApp's CDN, a message's media),
 * retried like any read. A plain request unless `credential` names the hop's origin: links
 * elsewhere carry their own signature, and the API token or any Hypersender header must never
 * leave for another host. Only https links are followed, redirects included (loopback aside),
 * and never more than `maxBytes` are read.
 */
export async function downloadFile(
	this: DownloadContext,
	url: string,
	options: { timeoutMs: number; maxAttempts: number; clock: RetryClock; credential?: DownloadCredential } & DownloadLimits,
): Promise<DownloadOutcome> {
	const { outcome, attempts } = await withRetries(
		async () => await fetchOnce.call(this, url, options.timeoutMs, options),
		{ idempotent: true, maxAttempts: options.maxAttempts, clock: options.clock },
	);
	return outcome.ok ? { ok: true, file: outcome.file, attempts } : { ok: false, failure: outcome.failure, attempts };
}
