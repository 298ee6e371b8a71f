import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { extensionFor } from '../Hypersender/helpers/fileTypes';
import { isObject } from '../Hypersender/helpers/interfaces';
import { redactSecret } from '../Hypersender/helpers/redaction';
import type { DownloadCredential } from '../Hypersender/transport/download';
import { downloadFile, refusedLink } from '../Hypersender/transport/download';
import type { ApiFailure } from '../Hypersender/transport/errors';
import { networkProblem } from '../Hypersender/transport/errors';
import { RetryClock } from '../Hypersender/transport/retry';

/**
 * The media of an incoming message, as n8n files. Hypersender documents only that a message's
 * `media` is "null or an object"; WAHA, which it appears to wrap, sends `{url, mimetype, filename,
 * error}`. That shape is read here, with the plausible variants (no file name, base64 `data`
 * instead of a link, `error` set, camel-case keys).
 */

export const MEDIA_KINDS = [
	{ value: 'image', name: 'Image' },
	{ value: 'audio', name: 'Audio and Voice Note' },
	{ value: 'video', name: 'Video' },
	{ value: 'document', name: 'Document' },
	{ value: 'sticker', name: 'Sticker' },
] as const;

export type MediaKind = (typeof MEDIA_KINDS)[number]['value'];

/** Max Media Size's default, in MB: WhatsApp's own limit for images, voice notes and videos is 16 MB. */
export const DEFAULT_MAX_MEDIA_MB = 25;

/** How long one download may take, and how many tries it gets (timeouts, 429 and 5xx are retried). */
const DOWNLOAD = { timeoutMs: 60_000, maxAttempts: 3, budgetMs: 120_000, maxRedirects: 5 };

export interface IncomingMedia {
	kind: MediaKind;
	url?: string;
	/** Base64, for engines that send small files inline. */
	data?: string;
	mimeType?: string;
	fileName?: string;
	/** What the engine said went wrong getting the file. */
	error?: string;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Which kind of media a message carries: WhatsApp's message type first, then the MIME type. */
function kindOf(mimeType: string | undefined, payload: IDataObject): MediaKind {
	const raw = isObject(payload._data) && isObject(payload._data.message) ? payload._data.message : {};
	if ('stickerMessage' in raw) return 'sticker';
	if ('audioMessage' in raw) return 'audio';
	if ('videoMessage' in raw || 'ptvMessage' in raw) return 'video';
	if ('imageMessage' in raw) return 'image';
	if ('documentMessage' in raw || 'documentWithCaptionMessage' in raw) return 'document';
	const family = mimeType?.split('/')[0].toLowerCase();
	if (family === 'image' || family === 'audio' || family === 'video') return family;
	return 'document';
}

/** The message's media, or undefined when it has none. */
export function incomingMedia(payload: IDataObject): IncomingMedia | undefined {
	const { media } = payload;
	if (!isObject(media)) {
		if (payload.hasMedia !== true) return undefined;
		return { kind: kindOf(undefined, payload), error: 'the event says the message has media, but carries no media object' };
	}
	const mimeType = text(media.mimetype) ?? text(media.mimeType) ?? text(media.mime_type);
	const rawError = media.error;
	const error =
		rawError === null || rawError === undefined || rawError === false
			? undefined
			: typeof rawError === 'string'
				? rawError
				: JSON.stringify(rawError);
	return {
		kind: kindOf(mimeType, payload),
		url: text(media.url),
		data: text(media.data) ?? text(media.base64),
		mimeType,
		fileName: text(media.filename) ?? text(media.fileName) ?? text(media.file_name),
		error,
	};
}

/** The payload's own file name, or one made from the message ID and the type: `3EB0C767D26A1C4D6A7B.ogg`. */
export function mediaFileName(media: IncomingMedia, payload: IDataObject): string {
	// Only the last part of a name that came with folders in it ("../x.pdf" is "x.pdf").
	const own = media.fileName?.replace(/^.*[\\/]/, '');
	if (own) return own;
	const id = typeof payload.id === 'string' ? payload.id.split('_').pop() : undefined;
	const base = id?.replace(/[^A-Za-z0-9-]/g, '') || media.kind;
	const type = (media.mimeType ?? '').split(';')[0].trim().toLowerCase();
	const subtype = type.split('/')[1]?.replace(/[^a-z0-9]/g, '') ?? '';
	return `${base}.${extensionFor(type) ?? (subtype && subtype.length <= 5 ? subtype : 'bin')}`;
}

/**
 * The media fields as the item keeps them once the file is downloaded: the link without its query
 * and fragment (they carry its signature), and no inline base64 (it is the file now).
 */
export function publicMedia(media: IDataObject[string]): IDataObject[string] {
	if (!isObject(media)) return media;
	const kept: IDataObject = { ...media };
	delete kept.data;
	delete kept.base64;
	if (typeof kept.url === 'string') {
		try {
			const url = new URL(kept.url);
			kept.url = `${url.origin}${url.pathname}`;
		} catch {
			kept.url = null;
		}
	}
	return kept;
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function decodeInline(data: string, maxBytes: number): { file: Buffer } | { error: string } {
	const base64 = data.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(base64)) return { error: 'The media came inline, but not as base64; nothing was stored.' };
	if (base64.length * 0.75 > maxBytes + 3) {
		return { error: `The media is about ${megabytes(base64.length * 0.75)}, over Max Media Size (${megabytes(maxBytes)}); it was not stored.` };
	}
	return { file: Buffer.from(base64, 'base64') };
}

/** The sentence `mediaError` holds for a download that did not succeed: what happened, what to do. */
function downloadError(failure: ApiFailure, attempts: number, maxBytes: number): string {
	const tries = attempts > 1 ? ` (${attempts} tries)` : '';
	if (failure.type === 'status') {
		const said = failure.apiMessage ? `: ${failure.apiMessage}` : '';
		if (failure.status === 403 || failure.status === 410) {
			return `The media link was refused or has expired (${failure.status}${said})${tries}. Media links expire: download the media when the event arrives.`;
		}
		if (failure.status === 404) return `The media was not found (404${said})${tries}: it may have been deleted, or its link has expired.`;
		if (failure.status === 401) return `The media server refused the credential (401${said}). Check the credential's API token and Base URL.`;
		return `The media server answered ${failure.status}${said}${tries}; nothing was stored.`;
	}
	if (failure.type === 'response') {
		if (/over the limit of/.test(failure.problem)) {
			return `The media is over Max Media Size (${megabytes(maxBytes)}); it was not downloaded. Raise Max Media Size, or leave this media type out of Media Types to keep its link instead (without the signature a signed link carries, which is removed from media.url once downloading is on).`;
		}
		return `The media could not be downloaded: ${failure.problem}.`;
	}
	return `The media could not be downloaded: ${networkProblem(failure)}${tries}.`;
}

export interface MediaSettings {
	maxBytes: number;
	/** The credential's origin (its Base URL's scheme, host and port): the only one the token goes to. */
	credential: DownloadCredential;
	apiToken: string;
}

/** The file's bytes and type, or the sentence that says why there is none. Never throws. */
export async function fetchMedia(
	this: IWebhookFunctions,
	media: IncomingMedia,
	settings: MediaSettings,
): Promise<{ ok: true; data: Buffer; mimeType: string | undefined } | { ok: false; error: string }> {
	const fail = (error: string) => ({ ok: false as const, error: redactSecret(error, settings.apiToken) });
	if (media.error) return fail(`Hypersender could not provide the media: ${media.error}`);
	if (media.data) {
		const decoded = decodeInline(media.data, settings.maxBytes);
		return 'error' in decoded ? fail(decoded.error) : { ok: true, data: decoded.file, mimeType: media.mimeType };
	}
	if (!media.url) return fail('The event has neither a media link nor inline data; nothing was stored.');
	const refused = refusedLink(media.url);
	if (refused) return fail(`The media link ${refused}; nothing was downloaded.`);
	const clock = new RetryClock(DOWNLOAD.budgetMs);
	const result = await downloadFile.call(this, media.url, {
		timeoutMs: DOWNLOAD.timeoutMs,
		maxAttempts: DOWNLOAD.maxAttempts,
		clock,
		credential: settings.credential,
		maxBytes: settings.maxBytes,
		maxRedirects: DOWNLOAD.maxRedirects,
	});
	if (!result.ok) return fail(downloadError(result.failure, result.attempts, settings.maxBytes));
	const served = result.file.contentType?.split(';')[0].trim();
	return { ok: true, data: result.file.data, mimeType: media.mimeType ?? served };
}

/**
 * The item with its media as an n8n file in `binaryPropertyName`, or with `mediaError` saying
 * why there is none. The item's media fields lose the link's signature and any inline base64.
 */
export async function attachMedia(
	this: IWebhookFunctions,
	item: IDataObject,
	payload: IDataObject,
	media: IncomingMedia,
	settings: MediaSettings & { binaryPropertyName: string },
): Promise<INodeExecutionData> {
	const fetched = await fetchMedia.call(this, media, settings);
	const shown = publicMedia(payload.media);
	item.media = shown;
	item.payload = { ...payload, media: shown };
	if (!fetched.ok) {
		item.mediaError = fetched.error;
		return { json: item };
	}
	item.mediaError = null;
	const fileName = mediaFileName(media, payload);
	const binary = await this.helpers.prepareBinaryData(fetched.data, fileName, fetched.mimeType);
	return { json: item, binary: { [settings.binaryPropertyName]: binary } };
}
