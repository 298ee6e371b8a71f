// @ts-check
'use strict';
// The bytes of the media a simulated customer sends: deterministic from (kind, size, seed), so a
// test can compare a download byte for byte with mediaBytes() without the sandbox keeping copies.
// Each kind starts (and ends) like a real file, so MIME sniffing finds what the Content-Type says:
// an Ogg Opus stream (OggS pages with OpusHead and OpusTags), a baseline JPEG (padded with COM
// segments, SOI … EOI), a one-page PDF (%PDF-1.4 … %%EOF, the filler an unreferenced stream), an
// MP4 (ftyp, then mdat) and a WebP (RIFF … WEBP, a 1x1 VP8L image). The rest is an AES-CTR
// keystream of the seed: fast to make, and the same every time.
const crypto = require('node:crypto');
const { encodeSolidJpeg } = require('./images');

/** @typedef {'voice' | 'image' | 'document' | 'video' | 'sticker'} MediaKind */

const MEDIA_KINDS = /** @type {MediaKind[]} */ (['voice', 'image', 'document', 'video', 'sticker']);
/** The Content-Type and `media.mimetype` of each kind. */
const MEDIA_MIMETYPES = /** @type {Record<MediaKind, string>} */ ({
	voice: 'audio/ogg; codecs=opus',
	image: 'image/jpeg',
	document: 'application/pdf',
	video: 'video/mp4',
	sticker: 'image/webp',
});
/** Sizes (bytes) when none is given. */
const DEFAULT_MEDIA_SIZES = /** @type {Record<MediaKind, number>} */ ({ voice: 12000, image: 24000, document: 30000, video: 60000, sticker: 8000 });
const MIN_MEDIA_BYTES = 1024;
const MAX_MEDIA_BYTES = 64 * 1024 * 1024;

/**
 * `length` bytes of the seed's keystream.
 * @param {MediaKind} kind
 * @param {number} seed
 * @param {number} length
 */
function filler(kind, seed, length) {
	const key = crypto.createHash('sha256').update(`hypersender-sandbox-media:${kind}:${seed}`).digest();
	const cipher = crypto.createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
	return cipher.update(Buffer.alloc(Math.max(0, length)));
}

// ---- Ogg Opus ----

const OGG_CRC_TABLE = new Uint32Array(256).map((_, n) => {
	let r = n << 24;
	for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
	return r >>> 0;
});

/**
 * One Ogg page holding one packet (< 255 bytes), its CRC filled in.
 * @param {number} headerType 2 for the first page
 * @param {number} sequence
 * @param {Buffer} packet
 */
function oggPage(headerType, sequence, packet) {
	const header = Buffer.alloc(27);
	header.write('OggS', 0, 'latin1');
	header[5] = headerType;
	header.writeUInt32LE(0x5a4d0b1e, 14); // serial number
	header.writeUInt32LE(sequence, 18);
	header[26] = 1;
	const page = Buffer.concat([header, Buffer.from([packet.length]), packet]);
	let crc = 0;
	for (const byte of page) crc = ((crc << 8) ^ OGG_CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
	page.writeUInt32LE(crc, 22);
	return page;
}

function opusHeaders() {
	const head = Buffer.alloc(19);
	head.write('OpusHead', 0, 'latin1');
	head[8] = 1; // version
	head[9] = 1; // mono
	head.writeUInt16LE(312, 10); // pre-skip
	head.writeUInt32LE(16000, 12); // input sample rate
	const vendor = Buffer.from('hypersender-sandbox', 'latin1');
	const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
	tags.write('OpusTags', 0, 'latin1');
	tags.writeUInt32LE(vendor.length, 8);
	vendor.copy(tags, 12);
	return Buffer.concat([oggPage(2, 0, head), oggPage(0, 1, tags)]);
}

// ---- the other formats ----

/**
 * A JPEG of one colour, padded to `size` with COM segments after the JFIF header.
 * @param {number} size
 * @param {Buffer} fill
 */
function paddedJpeg(size, fill) {
	const colour = /** @type {[number, number, number]} */ ([fill[0], fill[1], fill[2]]);
	const base = encodeSolidJpeg(16, 16, colour);
	const at = 20; // SOI (2) + APP0 JFIF (18)
	/** @type {Buffer[]} */
	const parts = [base.subarray(0, at)];
	let remaining = size - base.length;
	let used = 0;
	while (remaining >= 4) {
		let take = Math.min(65535 + 2, remaining);
		if (remaining - take > 0 && remaining - take < 4) take -= 4;
		const length = take - 2;
		parts.push(Buffer.from([0xff, 0xfe, length >> 8, length & 0xff]), fill.subarray(used, used + take - 4));
		used += take - 4;
		remaining -= take;
	}
	parts.push(base.subarray(at));
	// 1 to 3 bytes that no segment can hold: after EOI, where decoders stop reading.
	if (remaining > 0) parts.push(fill.subarray(used, used + remaining));
	return Buffer.concat(parts);
}

/** @param {number} value */
const ten = (value) => String(value).padStart(10, '0');

/**
 * A one-page PDF whose last object is a stream of filler; every number has a fixed width, so the
 * size is exact.
 * @param {number} size
 * @param {Buffer} fill
 */
function paddedPdf(size, fill) {
	const objects = [
		'1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
		'2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
		'3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n',
	];
	const header = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	/** @type {number[]} */
	const offsets = [];
	let head = header;
	for (const object of objects) {
		offsets.push(head.length);
		head += object;
	}
	offsets.push(head.length);
	const streamEnd = '\nendstream\nendobj\n';
	const xrefLength = `xref\n0 5\n${'0'.repeat(10)} 65535 f \n${offsets.map((offset) => `${ten(offset)} 00000 n \n`).join('')}`.length;
	const trailerLength = `trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${ten(0)}\n%%EOF\n`.length;
	const streamHeadLength = `4 0 obj\n<< /Length ${ten(0)} >>\nstream\n`.length;
	const length = size - head.length - streamHeadLength - streamEnd.length - xrefLength - trailerLength;
	head += `4 0 obj\n<< /Length ${ten(length)} >>\nstream\n`;
	const xrefAt = head.length + length + streamEnd.length;
	const tail = `${streamEnd}xref\n0 5\n0000000000 65535 f \n${offsets.map((offset) => `${ten(offset)} 00000 n \n`).join('')}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${ten(xrefAt)}\n%%EOF\n`;
	return Buffer.concat([Buffer.from(head, 'latin1'), fill.subarray(0, length), Buffer.from(tail, 'latin1')]);
}

/**
 * An MP4 (ISO BMFF): an `ftyp` box, then one `mdat` box of filler.
 * @param {number} size
 * @param {Buffer} fill
 */
function paddedMp4(size, fill) {
	const ftyp = Buffer.alloc(32);
	ftyp.writeUInt32BE(32, 0);
	ftyp.write('ftypisom', 4, 'latin1');
	ftyp.writeUInt32BE(0x200, 12);
	ftyp.write('isomiso2avc1mp41', 16, 'latin1');
	const mdat = Buffer.alloc(8);
	mdat.writeUInt32BE(size - 32, 0);
	mdat.write('mdat', 4, 'latin1');
	return Buffer.concat([ftyp, mdat, fill.subarray(0, size - 40)]);
}

/** A 1x1 lossless WebP (RIFF header, then its VP8L chunk, 22 bytes). */
const WEBP_1X1 = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/**
 * A WebP: the 1x1 image, then a chunk of filler (unknown chunks are skipped by readers).
 * @param {number} size
 * @param {Buffer} fill
 */
function paddedWebp(size, fill) {
	let length = size - WEBP_1X1.length - 8;
	const pad = length % 2;
	length -= pad;
	const riff = Buffer.from(WEBP_1X1.subarray(0, 12));
	riff.writeUInt32LE(size - 8, 4);
	const chunk = Buffer.alloc(8);
	chunk.write('SBXF', 0, 'latin1');
	chunk.writeUInt32LE(length, 4);
	return Buffer.concat([riff, WEBP_1X1.subarray(12), chunk, fill.subarray(0, length), Buffer.alloc(pad)]);
}

/**
 * The bytes of a media file: the same (kind, size, seed), the same bytes.
 * @param {MediaKind} kind
 * @param {number} size bytes, MIN_MEDIA_BYTES to MAX_MEDIA_BYTES
 * @param {number} seed an integer
 * @returns {Buffer}
 */
function mediaBytes(kind, size, seed) {
	if (!MEDIA_KINDS.includes(kind)) throw new Error(`kind must be one of ${MEDIA_KINDS.join(', ')}, got "${kind}"`);
	if (!Number.isInteger(size) || size < MIN_MEDIA_BYTES || size > MAX_MEDIA_BYTES) throw new Error(`size must be an integer from ${MIN_MEDIA_BYTES} to ${MAX_MEDIA_BYTES}, got ${size}`);
	if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
	const fill = filler(kind, seed, size);
	if (kind === 'image') return paddedJpeg(size, fill);
	if (kind === 'document') return paddedPdf(size, fill);
	if (kind === 'video') return paddedMp4(size, fill);
	if (kind === 'sticker') return paddedWebp(size, fill);
	const headers = opusHeaders();
	return Buffer.concat([headers, fill.subarray(0, size - headers.length)]);
}

module.exports = { DEFAULT_MEDIA_SIZES, MAX_MEDIA_BYTES, MEDIA_KINDS, MEDIA_MIMETYPES, MIN_MEDIA_BYTES, mediaBytes };
