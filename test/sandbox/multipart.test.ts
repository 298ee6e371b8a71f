/** Binary-safe multipart/form-data: the parser itself, and uploads to the media routes. */
import { createHash, randomBytes } from 'node:crypto';

import type { FileSource } from '../../nodes/Hypersender/transport/multipart';
import { multipartBody } from '../../nodes/Hypersender/transport/multipart';
import { parseFields } from '../../sandbox/http';
import { parseMultipartBody } from '../../sandbox/multipart';
import type { Sandbox } from './helpers';
import { useSandbox } from './helpers';
import type { SentMessage } from './queued-helpers';
import { callQueued, DEFAULT_INSTANCE, sendAndWait, waitDone } from './queued-helpers';

const BOUNDARY = 'XyZ-boundary-42';
const CHAT = '4915123456789@c.us';
/** Every byte value, CR LF, a dash run and a partial boundary: what a naive text split would mangle. */
const TRICKY = Buffer.concat([
	Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x0d, 0x0a]),
	Buffer.from(`--${BOUNDARY.slice(0, 6)}\r\n--XyZ\r\n`),
	Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
	Buffer.from([0x0d, 0x0a]),
]);

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

type Part = { name: string; value: string } | { name: string; filename: string; type?: string; data: Buffer };

function multipart(parts: Part[], boundary = BOUNDARY): Buffer {
	const chunks: Buffer[] = [Buffer.from('preamble ignored\r\n')];
	for (const part of parts) {
		chunks.push(Buffer.from(`--${boundary}\r\n`));
		if ('value' in part) chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}`, 'utf8'));
		else {
			const type = part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`;
			chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n${type}\r\n`, 'utf8'), part.data);
		}
		chunks.push(Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return Buffer.concat(chunks);
}

describe('parseMultipartBody', () => {
	test('keeps a file part byte for byte, with its name, type, size and sha256', () => {
		const body = multipart([
			{ name: 'chatId', value: CHAT },
			{ name: 'caption', value: 'Grüße 👋' },
			{ name: 'file', filename: 'blob.bin', type: 'application/x-tricky', data: TRICKY },
		]);
		const { fields, files } = parseMultipartBody(body, `multipart/form-data; boundary=${BOUNDARY}`);
		expect(fields).toEqual({ chatId: CHAT, caption: 'Grüße 👋' });
		expect(files.file).toMatchObject({ filename: 'blob.bin', mimetype: 'application/x-tricky', size: TRICKY.length, sha256: sha256(TRICKY) });
		expect(files.file.data.equals(TRICKY)).toBe(true);
	});

	test('reads a quoted boundary, an empty file, and defaults a missing Content-Type', () => {
		const body = multipart([{ name: 'file', filename: 'empty', data: Buffer.alloc(0) }], 'quoted; b');
		const { files } = parseMultipartBody(body, 'multipart/form-data; boundary="quoted; b"');
		expect(files.file).toMatchObject({ filename: 'empty', mimetype: 'application/octet-stream', size: 0, sha256: sha256(Buffer.alloc(0)) });
	});

	test('no boundary, no parts', () => {
		expect(parseMultipartBody(Buffer.from('x'), 'multipart/form-data')).toEqual({ fields: {}, files: {} });
	});

	test('parseFields still gives a file part as its text (what the contacts routes read)', () => {
		const body = multipart([
			{ name: 'chat_id', value: '15551234567' },
			{ name: 'first_name', filename: 'name.txt', type: 'text/plain', data: Buffer.from('Anna') },
		]);
		expect(parseFields(body, `multipart/form-data; boundary=${BOUNDARY}`)).toEqual({ chat_id: '15551234567', first_name: 'Anna' });
	});
});

describe('uploads', () => {
	const current = useSandbox();
	let sandbox: Sandbox;
	beforeAll(() => {
		sandbox = current();
	});
	beforeEach(() => {
		sandbox.configure({ processingDelayMs: 10 });
	});

	async function upload(endpoint: string, parts: Part[]) {
		return callQueued(sandbox, endpoint, { body: multipart(parts), contentType: `multipart/form-data; boundary=${BOUNDARY}` });
	}

	test('a raw multipart file is recorded with its exact size and sha256, the request without the bytes', async () => {
		const response = await upload('send-file', [
			{ name: 'chatId', value: CHAT },
			{ name: 'caption', value: 'Report' },
			{ name: 'file', filename: 'report.pdf', type: 'application/pdf', data: TRICKY },
		]);
		expect(response.status).toBe(200);
		const { queued_request_uuid: uuid } = (await response.json()) as { queued_request_uuid: string };
		const file = { filename: 'report.pdf', mimetype: 'application/pdf', size: TRICKY.length };
		expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([
			expect.objectContaining({ endpoint: 'send-file', chatId: CHAT, body: { chatId: CHAT, caption: 'Report', file }, file: { ...file, sha256: sha256(TRICKY) } }),
		]);
		expect(sandbox.requests[0].body).toEqual({ chatId: CHAT, caption: 'Report', file: { ...file, sha256: sha256(TRICKY) } });
		const result = await waitDone(sandbox, uuid);
		expect(result.request).toEqual({ chatId: CHAT, caption: 'Report', file });
		expect((result.response_body as SentMessage).message.documentMessage).toMatchObject({
			fileName: 'report.pdf',
			mimetype: 'application/pdf',
			caption: 'Report',
			fileLength: TRICKY.length,
			fileSha256: createHash('sha256').update(TRICKY).digest('base64'),
		});
	});

	test('FormData from fetch, 3 MB (past the 1 MB limit of the other routes)', async () => {
		const data = Buffer.concat([TRICKY, randomBytes(3 * 1024 * 1024)]);
		const form = new FormData();
		form.append('chatId', CHAT);
		form.append('asNote', 'true');
		form.append('file', new Blob([new Uint8Array(data)], { type: 'video/mp4' }), 'clip.mp4');
		const result = await sendAndWait(sandbox, 'send-video', undefined, { form });
		expect(result.request).toEqual({ chatId: CHAT, asNote: 'true', file: { filename: 'clip.mp4', mimetype: 'video/mp4', size: data.length } });
		expect(sandbox.messages(DEFAULT_INSTANCE)[0].file).toEqual({ filename: 'clip.mp4', mimetype: 'video/mp4', size: data.length, sha256: sha256(data) });
		expect((result.response_body as SentMessage).message.ptvMessage).toMatchObject({ fileLength: data.length });
	});

	test('send-image wants an image file, and not a URL as well', async () => {
		const pdf = { name: 'file', filename: 'a.pdf', type: 'application/pdf', data: TRICKY };
		const notImage = await upload('send-image', [{ name: 'chatId', value: CHAT }, pdf]);
		expect(notImage.status).toBe(422);
		expect(((await notImage.json()) as { errors: unknown }).errors).toEqual({ file: ['The file field must be an image.'] });
		const png = { ...pdf, filename: 'a.png', type: 'image/png' };
		const both = await upload('send-image', [{ name: 'chatId', value: CHAT }, { name: 'url', value: 'https://example.com/a.png' }, png]);
		expect(((await both.json()) as { errors: unknown }).errors).toEqual({ url: ['The url field prohibits file from being present.'] });
		expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
		expect((await upload('send-image', [{ name: 'chatId', value: CHAT }, png])).status).toBe(200);
	});

	test('send-voice from an upload is a push-to-talk audioMessage with the upload\'s type', async () => {
		const form = new FormData();
		form.append('chatId', CHAT);
		form.append('file', new Blob([new Uint8Array(TRICKY)], { type: 'audio/ogg' }), 'note.ogg');
		const result = await sendAndWait(sandbox, 'send-voice', undefined, { form });
		expect((result.response_body as SentMessage).message.audioMessage).toMatchObject({ ptt: true, mimetype: 'audio/ogg', fileLength: TRICKY.length });
	});
});

describe('the node\'s encoder, read back by the parser', () => {
	/** A file source that counts its reads. */
	function source(data: Buffer, size = data.length) {
		const reads: number[] = [];
		const file: FileSource = {
			size,
			writeInto: async (window) => {
				reads.push(window.length);
				return data.copy(window);
			},
		};
		return { file, reads };
	}

	test('every name and file name stays one quoted string: \\, ", CR, LF and other control characters are percent-encoded', async () => {
		const names = ['trailing\\', 'quote"d', 'line\r\nbreak', 'tab\tnul\u0000', 'plain ümlaut.png'];
		const { body, contentType } = await multipartBody([
			...names.map((name) => ({ name, value: 'v' })),
			...names.map((fileName, i) => ({ name: `f${i}`, data: TRICKY, fileName, mimeType: 'application/x-tricky' })),
		]);
		const { fields, files } = parseMultipartBody(body, contentType);
		expect(Object.keys(fields)).toEqual(['trailing%5C', 'quote%22d', 'line%0D%0Abreak', 'tab%09nul%00', 'plain ümlaut.png']);
		expect(names.map((_name, i) => files[`f${i}`].filename)).toEqual(Object.keys(fields));
		expect(names.every((_name, i) => files[`f${i}`].data.equals(TRICKY))).toBe(true);
	});

	test('a file source is written into the body once, and the same body is given for the same parts', async () => {
		const { file, reads } = source(TRICKY);
		const parts = [{ name: 'chatId', value: CHAT }, { name: 'file', data: file, fileName: 'a.bin', mimeType: 'application/octet-stream' }];
		const first = await multipartBody(parts);
		const again = await multipartBody(parts);
		expect(again.body).toBe(first.body);
		expect(reads).toEqual([TRICKY.length]);
		const { fields, files } = parseMultipartBody(first.body, first.contentType);
		expect(fields).toEqual({ chatId: CHAT });
		expect(files.file).toMatchObject({ filename: 'a.bin', size: TRICKY.length, sha256: sha256(TRICKY) });
		// Another list of parts (another send) is another body.
		expect((await multipartBody([...parts])).body).not.toBe(first.body);
	});

	test('a source shorter than its recorded size moves up what follows: the body stays well formed', async () => {
		const { file } = source(TRICKY, TRICKY.length + 100);
		const { body, contentType } = await multipartBody([
			{ name: 'file', data: file, fileName: 'a.bin', mimeType: 'application/octet-stream' },
			{ name: 'after', value: 'still here' },
		]);
		const { fields, files } = parseMultipartBody(body, contentType);
		expect(files.file).toMatchObject({ size: TRICKY.length, sha256: sha256(TRICKY) });
		expect(fields).toEqual({ after: 'still here' });
		expect(body.toString('latin1').endsWith('--\r\n')).toBe(true);
	});
});
