import { randomBytes } from 'node:crypto';

/** One field of a multipart/form-data body: text, or a file with its name and MIME type. */
export type MultipartPart =
	| { name: string; value: string }
	| { name: string; data: Buffer; fileName: string; mimeType: string };

function quoted(value: string): string {
	// RFC 7578: names and file names are quoted strings; CR, LF and '"' are percent-encoded.
	return `"${value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')}"`;
}

/** Encodes the parts into one body, so n8n's HTTP client sends it as it is. */
export function encodeMultipart(parts: MultipartPart[]): { body: Buffer; contentType: string } {
	const boundary = `----HypersenderN8n${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const part of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name=${quoted(part.name)}`;
		if ('data' in part) {
			head += `; filename=${quoted(part.fileName)}\r\nContent-Type: ${part.mimeType}\r\n\r\n`;
			chunks.push(Buffer.from(head, 'utf8'), part.data, Buffer.from('\r\n'));
		} else {
			chunks.push(Buffer.from(`${head}\r\n\r\n${part.value}\r\n`, 'utf8'));
		}
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
