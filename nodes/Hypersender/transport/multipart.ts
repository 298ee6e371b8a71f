import { randomBytes } from 'node:crypto';

/**
 * A file's bytes, written straight into the body being built, so the body is the file's one copy
 * in memory: n8n's binary data is decoded or read into it, never into a buffer of its own first.
 */
export interface FileSource {
	/** The size n8n recorded; the body is laid out for this many bytes. */
	size: number;
	/** Fills `window` (exactly `size` bytes) from the start and resolves with how many bytes it wrote. */
	writeInto(window: Buffer): Promise<number>;
}

/** One field of a multipart/form-data body: text, or a file with its name and MIME type. */
export type MultipartPart =
	| { name: string; value: string }
	| { name: string; data: Buffer | FileSource; fileName: string; mimeType: string };

export interface Multipart {
	body: Buffer;
	contentType: string;
}

function percentEncoded(char: string): string {
	return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

function quoted(value: string): string {
	// RFC 7578: names and file names are quoted strings; CR, LF and '"' are percent-encoded, as
	// browsers do. So are '\' (parsers that read quoted-pairs take a trailing one as escaping the
	// closing quote) and the other control characters, so no name can end the header early.
	// eslint-disable-next-line no-control-regex
	return `"${value.replace(/[\u0000-\u001f\u007f"\\]/g, percentEncoded)}"`;
}

/** The body as a list of pieces: the headers and separators as bytes, the files as they come. */
function layout(parts: MultipartPart[]) {
	const boundary = `----HypersenderN8n${randomBytes(12).toString('hex')}`;
	const pieces: Array<Buffer | FileSource> = [];
	for (const part of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(part.name)}`;
		if ('data' in part) {
			head += `; filename=${quoted(part.fileName)}\r\nContent-Type: ${part.mimeType}\r\n\r\n`;
			pieces.push(Buffer.from(head, 'utf8'), part.data, Buffer.from('\r\n'));
		} else {
			pieces.push(Buffer.from(`${head}\r\n\r\n${part.value}\r\n`, 'utf8'));
		}
	}
	pieces.push(Buffer.from(`--${boundary}--\r\n`));
	const length = pieces.reduce((sum, piece) => sum + (Buffer.isBuffer(piece) ? piece.length : piece.size), 0);
	return { pieces, length, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Bodies being built or built, per list of parts: see multipartBody(). */
const built = new WeakMap<MultipartPart[], Promise<Multipart>>();

/**
 * The body of a list of parts, each file written into it where it belongs rather than joined in
 * afterwards (Buffer.concat held every file twice). Built once per list: a write n8n sends again
 * after a 429 or 503 sends the same bytes, without reading the file a second time.
 */
export async function multipartBody(parts: MultipartPart[]): Promise<Multipart> {
	let body = built.get(parts);
	if (!body) {
		body = writeBody(parts);
		built.set(parts, body);
	}
	return await body;
}

async function writeBody(parts: MultipartPart[]): Promise<Multipart> {
	const { pieces, length, contentType } = layout(parts);
	// Zero-filled, so a file shorter than recorded can never send stale memory (it is cut below anyway).
	const body = Buffer.alloc(length);
	let offset = 0;
	for (const piece of pieces) {
		if (Buffer.isBuffer(piece)) {
			offset += piece.copy(body, offset);
		} else {
			// A file that turns out shorter than its recorded size (base64 with line breaks) moves up
			// whatever follows it; the body ends where the writing did.
			offset += Math.min(await piece.writeInto(body.subarray(offset, offset + piece.size)), piece.size);
		}
	}
	return { body: offset === length ? body : body.subarray(0, offset), contentType };
}
