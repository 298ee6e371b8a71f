// @ts-check
'use strict';
// simulate('media'): what a customer's voice note, image, document, video or sticker looks like in
// message.any, in WAHA's shape: `hasMedia: true`, `media: {url, mimetype, filename, error}` and
// `_data.message` holding the WhatsApp message (audioMessage{ptt:true}, imageMessage,
// documentMessage{fileName}, videoMessage, stickerMessage). The input is read here; the bytes and
// links are media.js's.
const { randomBytes } = require('node:crypto');
const { MAX_MEDIA_BYTES, MEDIA_KINDS, MIN_MEDIA_BYTES } = require('./media-bytes');
const { SimulationError } = require('./simulation-error');

/** @typedef {import('./media').MediaRecord} MediaRecord */
/** @typedef {import('./media').MediaSpec} MediaSpec */

/** Inline (`media.data`, base64) media are at most this big. */
const MAX_INLINE_BYTES = 8 * 1024 * 1024;
const CAPTIONED = ['image', 'video', 'document'];
const ORIGINS = ['media-host', 'api'];

/**
 * An optional number input (a JSON number, or its text as the command line sends it).
 * @param {Record<string, unknown>} input
 * @param {string} field
 * @param {{ integer?: boolean, min?: number, max?: number }} bounds
 * @returns {number | undefined}
 */
function numberInput(input, field, { integer = false, min = -Infinity, max = Infinity }) {
	const raw = input[field];
	if (raw === undefined || raw === null) return undefined;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
		const range = max === Infinity ? `>= ${min}` : `from ${min} to ${max}`;
		throw new SimulationError(400, `${field} must be ${integer ? 'an integer' : 'a number'} ${range}, got ${JSON.stringify(raw)}`);
	}
	return value;
}

/**
 * An optional string input.
 * @param {Record<string, unknown>} input
 * @param {string} field
 * @returns {string | undefined}
 */
function stringInput(input, field) {
	const value = input[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new SimulationError(400, `${field} must be a string`);
	return value;
}

/**
 * An optional boolean input (true, false, or their text).
 * @param {Record<string, unknown>} input
 * @param {string} field
 */
function flagInput(input, field) {
	const value = input[field];
	if (value === undefined || value === null || value === false || value === 'false') return false;
	if (value === true || value === 'true') return true;
	throw new SimulationError(400, `${field} must be true or false`);
}

/**
 * The media a simulate('media') input asks for, checked.
 * @param {Record<string, unknown>} input
 * @returns {{ spec: MediaSpec, caption: string | undefined }}
 */
function readMediaSpec(input) {
	const kind = /** @type {MediaSpec['kind']} */ (stringInput(input, 'kind'));
	if (kind === undefined || !MEDIA_KINDS.includes(kind)) throw new SimulationError(400, `kind must be one of ${MEDIA_KINDS.join(', ')}${kind === undefined ? '' : `, got "${kind}"`}`);
	const caption = stringInput(input, 'caption');
	if (caption !== undefined && !CAPTIONED.includes(kind)) throw new SimulationError(400, `a ${kind} has no caption (only ${CAPTIONED.join(', ')})`);
	const origin = /** @type {MediaSpec['origin']} */ (stringInput(input, 'origin'));
	if (origin !== undefined && !ORIGINS.includes(origin)) throw new SimulationError(400, `origin must be media-host or api, got "${origin}"`);
	const transcript = stringInput(input, 'transcript');
	if (transcript !== undefined && kind !== 'voice') throw new SimulationError(400, 'transcript is for voice notes only');
	const error = stringInput(input, 'error');
	if (error === '') throw new SimulationError(400, 'error must not be empty');
	const inline = flagInput(input, 'inline');
	if (inline && error !== undefined) throw new SimulationError(400, 'give inline or error, not both');
	const size = numberInput(input, 'size', { integer: true, min: MIN_MEDIA_BYTES, max: inline ? MAX_INLINE_BYTES : MAX_MEDIA_BYTES });
	const spec = {
		kind,
		size,
		seed: numberInput(input, 'seed', { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER }),
		filename: stringInput(input, 'filename'),
		noFilename: flagInput(input, 'noFilename'),
		origin,
		expiresInMs: numberInput(input, 'expiresInMs', { min: 0 }),
		inline,
		error: error ?? null,
		notFound: flagInput(input, 'notFound'),
		throttleBytesPerSecond: numberInput(input, 'throttleBytesPerSecond', { min: 1 }) ?? null,
		delayMs: numberInput(input, 'delayMs', { min: 0 }),
		transcript,
	};
	if (spec.noFilename && spec.filename !== undefined) throw new SimulationError(400, 'give filename or noFilename, not both');
	return { spec, caption };
}

/**
 * The WhatsApp message of a record (`_data.message`) and the payload's `media`.
 * @param {MediaRecord} record
 * @param {Buffer} bytes
 * @param {string | undefined} caption
 */
function mediaMessage(record, bytes, caption) {
	const path = `/v/t62.7118-24/${randomBytes(8).toString('hex')}_n.enc?ccb=11-4`;
	const common = {
		url: `https://mmg.whatsapp.net${path}&mms3=true`,
		mimetype: record.mimetype,
		fileSha256: Buffer.from(record.sha256, 'hex').toString('base64'),
		fileLength: record.size,
		mediaKey: randomBytes(32).toString('base64'),
		fileEncSha256: randomBytes(32).toString('base64'),
		directPath: path,
		mediaKeyTimestamp: Math.floor(record.createdAt / 1000),
	};
	const captioned = caption === undefined ? {} : { caption };
	const named = record.filename === null ? {} : { fileName: record.filename };
	/** @type {Record<string, Record<string, unknown>>} */
	const contents = {
		voice: { audioMessage: { ...common, seconds: Math.max(1, Math.round(record.size / 2000)), ptt: true } },
		image: { imageMessage: { ...common, height: 16, width: 16, ...captioned } },
		document: { documentMessage: { ...common, ...named, ...(record.filename === null ? {} : { title: record.filename }), pageCount: 1, ...captioned } },
		video: { videoMessage: { ...common, seconds: Math.max(1, Math.round(record.size / 50000)), height: 360, width: 640, gifPlayback: false, ...captioned } },
		sticker: { stickerMessage: { ...common, height: 1, width: 1, isAnimated: false } },
	};
	/** @type {Record<string, unknown>} */
	const media = { url: record.url };
	if (record.inline) media.data = bytes.toString('base64');
	media.mimetype = record.mimetype;
	if (!record.noFilename) media.filename = record.filename;
	media.error = record.error;
	return { content: contents[record.kind], media };
}

module.exports = { MAX_INLINE_BYTES, mediaMessage, readMediaSpec };
