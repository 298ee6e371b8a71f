import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

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

/**
 * Downloads a file the API linked to (a profile picture on WhatsApp's CDN), retried like any
 * read. A plain request, not an authenticated one: such links carry their own signature, and
 * the API token or any Hypersender header must never leave for another host.
 */
export async function downloadFile(
	this: IExecuteFunctions,
	url: string,
	options: { timeoutMs: number; maxAttempts: number; clock: RetryClock },
): Promise<DownloadOutcome> {
	const request: IHttpRequestOptions = {
		method: 'GET',
		url,
		encoding: 'arraybuffer',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: options.timeoutMs,
	};
	const { outcome, attempts } = await withRetries(
		async (): Promise<{ ok: true; file: DownloadedFile } | { ok: false; failure: ApiFailure }> => {
			let response: { statusCode: number; headers: Record<string, string | string[] | undefined>; body: unknown };
			try {
				response = (await this.helpers.httpRequest(request)) as typeof response;
			} catch (error) {
				return { ok: false, failure: transportFailure(error, options.timeoutMs) };
			}
			const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(String(response.body ?? ''));
			if (response.statusCode < 200 || response.statusCode >= 300) {
				return { ok: false, failure: statusFailure(response.statusCode, response.headers, body.toString('utf8')) };
			}
			return { ok: true, file: { data: body, contentType: headerValue(response.headers, 'content-type') } };
		},
		{ idempotent: true, maxAttempts: options.maxAttempts, clock: options.clock },
	);
	return outcome.ok ? { ok: true, file: outcome.file, attempts } : { ok: false, failure: outcome.failure, attempts };
}
