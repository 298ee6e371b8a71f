// @ts-check
'use strict';
// Small, valid profile pictures made in pure Node: a 48x48 PNG (an avatar silhouette on a colour
// taken from the contact id) or, for about a third of the ids, a 48x48 baseline JPEG of that colour.
const zlib = require('node:zlib');
const { stableHash } = require('./contacts');

/**
 * @typedef {object} Avatar
 * @property {'png' | 'jpeg'} format
 * @property {string} contentType
 * @property {Buffer} bytes
 * @property {number} width
 * @property {number} height
 */

const SIZE = 48;
const CACHE_LIMIT = 1000;
/** @type {Map<string, Avatar>} */
const cache = new Map();

/**
 * @param {number} hue 0..360
 * @param {number} saturation 0..1
 * @param {number} lightness 0..1
 * @returns {[number, number, number]}
 */
function hslToRgb(hue, saturation, lightness) {
	const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
	/** @param {number} n */
	const channel = (n) => {
		const k = (n + hue / 30) % 12;
		return Math.round(255 * (lightness - chroma / 2 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
	};
	return [channel(0), channel(8), channel(4)];
}

// ---- PNG ----

/** @type {Uint32Array} */
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

/** @param {Buffer} bytes */
function crc32(bytes) {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

/**
 * @param {string} type
 * @param {Buffer} data
 */
function pngChunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typed));
	return Buffer.concat([length, typed, crc]);
}

/**
 * An 8-bit RGB PNG.
 * @param {number} width
 * @param {number} height
 * @param {(x: number, y: number) => [number, number, number]} pixel
 */
function encodePng(width, height, pixel) {
	const raw = Buffer.alloc((width * 3 + 1) * height);
	let at = 0;
	for (let y = 0; y < height; y++) {
		raw[at++] = 0; // filter: none
		for (let x = 0; x < width; x++) {
			const [r, g, b] = pixel(x, y);
			raw[at++] = r;
			raw[at++] = g;
			raw[at++] = b;
		}
	}
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter method, no interlace
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', zlib.deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

// ---- JPEG (baseline, 4:4:4, one colour: every 8x8 block is its DC term, all AC terms zero) ----

// The standard luminance DC table (ITU T.81 Annex K.3): code lengths 1..16, then the categories.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// A minimal AC table: EOB (0x00) is `00`; 0x01 only completes the code space.
const AC_BITS = [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0x00, 0x01];
// DC step 8: an 8x8 block of level v has the DCT term 8v, so the quantized term is v itself.
const QUANT_TABLE = [8, ...new Array(63).fill(1)];

/**
 * Canonical Huffman codes from a JPEG table's code-length counts and values.
 * @param {number[]} bits
 * @param {number[]} values
 */
function huffmanCodes(bits, values) {
	/** @type {Map<number, { code: number, length: number }>} */
	const codes = new Map();
	let code = 0;
	let k = 0;
	for (let length = 1; length <= 16; length++) {
		for (let i = 0; i < bits[length - 1]; i++) codes.set(values[k++], { code: code++, length });
		code <<= 1;
	}
	return codes;
}

function createBitWriter() {
	/** @type {number[]} */
	const bytes = [];
	let current = 0;
	let count = 0;
	/**
	 * @param {number} value
	 * @param {number} length
	 */
	const write = (value, length) => {
		for (let i = length - 1; i >= 0; i--) {
			current = (current << 1) | ((value >>> i) & 1);
			if (++count === 8) {
				bytes.push(current);
				if (current === 0xff) bytes.push(0x00); // byte stuffing
				current = 0;
				count = 0;
			}
		}
	};
	return {
		write,
		finish() {
			while (count !== 0) write(1, 1); // pad with 1 bits
			return Buffer.from(bytes);
		},
	};
}

/**
 * @param {number} marker
 * @param {number[]} payload
 */
function segment(marker, payload) {
	const length = payload.length + 2;
	return Buffer.from([0xff, marker, length >> 8, length & 0xff, ...payload]);
}

/**
 * A baseline JPEG of one colour; width and height must be multiples of 8.
 * @param {number} width
 * @param {number} height
 * @param {[number, number, number]} rgb
 */
function encodeSolidJpeg(width, height, [r, g, b]) {
	const levels = [
		0.299 * r + 0.587 * g + 0.114 * b,
		128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
		128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
	].map((value) => Math.round(Math.min(255, Math.max(0, value))) - 128);
	const dcCodes = huffmanCodes(DC_BITS, DC_VALUES);
	const eob = /** @type {{ code: number, length: number }} */ (huffmanCodes(AC_BITS, AC_VALUES).get(0x00));
	const bits = createBitWriter();
	const predictions = [0, 0, 0];
	for (let block = 0; block < (width / 8) * (height / 8); block++) {
		for (let component = 0; component < 3; component++) {
			const diff = levels[component] - predictions[component];
			predictions[component] = levels[component];
			const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
			const dc = /** @type {{ code: number, length: number }} */ (dcCodes.get(category));
			bits.write(dc.code, dc.length);
			if (category > 0) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
			bits.write(eob.code, eob.length);
		}
	}
	const components = [1, 2, 3].flatMap((id) => [id, 0x11, 0]); // id, 1x1 sampling, quant table 0
	return Buffer.concat([
		Buffer.from([0xff, 0xd8]), // SOI
		segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // APP0 JFIF 1.01
		segment(0xdb, [0x00, ...QUANT_TABLE]), // DQT
		segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, ...components]), // SOF0
		segment(0xc4, [0x00, ...DC_BITS, ...DC_VALUES, 0x10, ...AC_BITS, ...AC_VALUES]), // DHT
		segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]), // SOS
		bits.finish(),
		Buffer.from([0xff, 0xd9]), // EOI
	]);
}

// ---- avatars ----

/**
 * The format a contact's picture has: JPEG for about a third of the ids, PNG otherwise.
 * @param {string} id
 * @returns {'png' | 'jpeg'}
 */
function avatarFormat(id) {
	return stableHash(`format:${id}`) % 3 === 0 ? 'jpeg' : 'png';
}

/**
 * The picture of a contact id (the same id, the same bytes).
 * @param {string} id
 * @returns {Avatar}
 */
function avatarFor(id) {
	const cached = cache.get(id);
	if (cached) return cached;
	const format = avatarFormat(id);
	const background = hslToRgb(stableHash(`colour:${id}`) % 360, 0.55, 0.45);
	const figure = /** @type {[number, number, number]} */ (background.map((value) => Math.round(value + (255 - value) * 0.7)));
	/** @type {(x: number, y: number) => [number, number, number]} */
	const pixel = (x, y) => {
		const head = (x - 23.5) ** 2 + (y - 18) ** 2 <= 81;
		const shoulders = ((x - 23.5) / 17) ** 2 + ((y - 48) / 15) ** 2 <= 1;
		return head || shoulders ? figure : background;
	};
	const bytes = format === 'png' ? encodePng(SIZE, SIZE, pixel) : encodeSolidJpeg(SIZE, SIZE, background);
	const avatar = { format, contentType: format === 'png' ? 'image/png' : 'image/jpeg', bytes, width: SIZE, height: SIZE };
	if (cache.size >= CACHE_LIMIT) cache.delete(/** @type {string} */ (cache.keys().next().value));
	cache.set(id, avatar);
	return avatar;
}

module.exports = { avatarFor, avatarFormat, encodePng, encodeSolidJpeg };
