/** Readers that check the structure of the PNG and JPEG files the sandbox serves. */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import { crc32, inflateSync } from 'node:zlib';

export interface ImageInfo {
	format: 'png' | 'jpeg';
	width: number;
	height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Reads a PNG: signature, chunks and their CRCs, IHDR, and the inflated pixel data's size. Throws when broken. */
export function readPng(bytes: Buffer): ImageInfo & { rgb: Buffer } {
	if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('no PNG signature');
	const chunks: Array<{ type: string; data: Buffer }> = [];
	for (let at = 8; at < bytes.length; ) {
		const length = bytes.readUInt32BE(at);
		const type = bytes.toString('ascii', at + 4, at + 8);
		const data = bytes.subarray(at + 8, at + 8 + length);
		if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)) throw new Error(`bad CRC in ${type}`);
		chunks.push({ type, data });
		at += 12 + length;
	}
	const types = chunks.map((chunk) => chunk.type);
	if (types[0] !== 'IHDR' || types.at(-1) !== 'IEND' || !types.includes('IDAT')) throw new Error(`bad chunk order ${types.join(',')}`);
	const header = chunks[0].data;
	const [width, height] = [header.readUInt32BE(0), header.readUInt32BE(4)];
	if (header[8] !== 8 || header[9] !== 2) throw new Error('expected 8-bit RGB');
	const raw = inflateSync(Buffer.concat(chunks.filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)));
	if (raw.length !== height * (1 + width * 3)) throw new Error(`pixel data of ${raw.length} bytes for ${width}x${height}`);
	const rgb = Buffer.alloc(width * height * 3);
	for (let y = 0; y < height; y++) {
		if (raw[y * (1 + width * 3)] !== 0) throw new Error('expected filter type 0');
		raw.copy(rgb, y * width * 3, y * (1 + width * 3) + 1, (y + 1) * (1 + width * 3));
	}
	return { format: 'png', width, height, rgb };
}

/**
 * Reads a JPEG's markers: SOI first, EOI last, every segment length inside the file, a baseline
 * SOF0 frame, Huffman and quantization tables before the scan. Throws when broken.
 */
export function readJpeg(bytes: Buffer): ImageInfo & { markers: number[]; components: number } {
	if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error('no SOI');
	if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) throw new Error('no EOI');
	const markers: number[] = [];
	let frame: { width: number; height: number; components: number } | undefined;
	let at = 2;
	for (;;) {
		if (bytes[at] !== 0xff) throw new Error(`expected a marker at ${at}`);
		const marker = bytes[at + 1];
		markers.push(marker);
		const length = bytes.readUInt16BE(at + 2);
		if (at + 2 + length > bytes.length) throw new Error('segment past the end');
		if (marker === 0xc0) frame = { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7), components: bytes[at + 9] };
		at += 2 + length;
		if (marker === 0xda) break;
	}
	// Entropy-coded data: every 0xFF byte is stuffed with 0x00, until the EOI marker.
	for (; at < bytes.length - 2; at++) if (bytes[at] === 0xff && bytes[at + 1] !== 0x00) throw new Error(`unstuffed 0xFF at ${at}`);
	if (!frame) throw new Error('no baseline SOF0 frame');
	for (const needed of [0xdb, 0xc4]) if (!markers.includes(needed)) throw new Error(`no ${needed.toString(16)} segment`);
	return { format: 'jpeg', ...frame, markers };
}

/** Reads a PNG or a JPEG, whichever the bytes are. */
export function readImage(bytes: Buffer): ImageInfo {
	return bytes[0] === 0x89 ? readPng(bytes) : readJpeg(bytes);
}
