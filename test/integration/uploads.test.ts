/**
 * Send Image, Video, File and Voice from binary data, through n8n-core against a scripted queued
 * API on 127.0.0.1: the binary file's own MIME type and name as they reach the server, the size
 * limit (refused before the file is read), and the body sent whole, once per attempt. Files are
 * held in the item (base64) or in n8n's filesystem binary store, as n8n keeps them by default.
 */
import { createHash } from 'node:crypto';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import { tmpdir } from 'node:os';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { Hypersender } from '../../nodes/Hypersender/Hypersender.node';
import { parseMultipartBody } from '../../sandbox/multipart';
import { sendJson } from '../harness/http-server';
import { queuedApi, runOperation as run } from '../harness/queued-api';

// n8n-core reads its settings (binary store, instance folder) from the environment when it first
// builds them, whichever test that is: set before any, to a folder of this file's own.
const folder = mkdtempSync(join(tmpdir(), 'hypersender-uploads-'));
/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_BINARY_DATA_STORAGE_PATH = join(folder, 'binary');
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
/* eslint-enable @n8n/community-nodes/no-restricted-globals */
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const CHAT = '4915123456789@c.us';
const MB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A PNG signature and then `size - 8` bytes of every value. */
function file(size: number): Buffer {
	const bytes = Buffer.alloc(size);
	for (let i = 0; i < size; i++) bytes[i] = (i * 7) & 0xff;
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
	return bytes;
}

function inline(bytes: Buffer, mimeType: string, fileName: string): INodeExecutionData {
	return { json: {}, binary: { data: { data: bytes.toString('base64'), mimeType, fileName } } };
}

/** The file part as the server parsed it, and its raw header lines. */
function upload(raw: Buffer, contentType: string) {
	const parsed = parseMultipartBody(raw, contentType);
	const text = raw.toString('latin1');
	const start = text.indexOf('name="file"');
	return { ...parsed, fileHeader: text.slice(text.lastIndexOf('\r\n', start) + 2, text.indexOf('\r\n\r\n', start)) };
}

describe('the binary file\'s own MIME type is checked like the MIME Type option', () => {
	test.each([
		['image/png\r\nX-Injected: 1', 'image/png\\r\\nX-Injected: 1'],
		['png', 'png'],
		['image/png extra', 'image/png extra'],
	])('%j is refused before any request', async (mimeType, shown) => {
		const api = await queuedApi();
		const result = await run(api, { operation: 'sendImage', chatId: CHAT, source: 'binary' }, { inputData: [inline(file(64), mimeType, 'photo.png')] });
		expect(result.error?.message).toBe(
			`Invalid Input Binary Field (binaryPropertyName): "${shown}" (the MIME type of the binary file "photo.png") is not a MIME type; allowed: a MIME type such as image/jpeg`,
		);
		expect(result.error?.description).toContain('Set the MIME Type option to its real type');
		expect(api.requests).toHaveLength(0);
	});

	test('a type with parameters (audio/ogg; codecs=opus) goes as it is', async () => {
		const api = await queuedApi();
		const bytes = file(300);
		const result = await run(api, { operation: 'sendVoice', chatId: CHAT, source: 'binary' }, { inputData: [inline(bytes, 'audio/ogg; codecs=opus', 'note.ogg')] });
		expect(result.error).toBeUndefined();
		const { fields, files, fileHeader } = upload(api.calls[0].raw, api.calls[0].contentType);
		expect(fields.mimetype).toBe('audio/ogg; codecs=opus');
		expect(fileHeader).toContain('\r\nContent-Type: audio/ogg; codecs=opus');
		expect(files.file.sha256).toBe(sha256(bytes));
	});
});

test('base64 with line breaks (as some nodes write it) arrives byte for byte, with the right Content-Length', async () => {
	const api = await queuedApi();
	const bytes = file(10_000);
	const wrapped = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
	const item: INodeExecutionData = { json: {}, binary: { data: { data: wrapped, mimeType: 'application/pdf', fileName: 'a.pdf' } } };
	const result = await run(api, { operation: 'sendFile', chatId: CHAT, source: 'binary' }, { inputData: [item] });
	expect(result.error).toBeUndefined();
	expect(Number(api.requests[0].headers['content-length'])).toBe(api.calls[0].raw.length);
	expect(upload(api.calls[0].raw, api.calls[0].contentType).files.file).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
});

describe('file names are escaped in full', () => {
	test.each([
		['report\\', 'report%5C'],
		['C:\\scans\\a"b.png', 'C:%5Cscans%5Ca%22b.png'],
		['two\r\nlines\t.png', 'two%0D%0Alines%09.png'],
	])('%j arrives as one quoted file name, %j', async (fileName, sent) => {
		const api = await queuedApi();
		const bytes = file(100);
		const result = await run(api, { operation: 'sendImage', chatId: CHAT, source: 'binary', options: { caption: 'after' } }, { inputData: [inline(bytes, 'image/png', fileName)] });
		expect(result.error).toBeUndefined();
		const { fields, files, fileHeader } = upload(api.calls[0].raw, api.calls[0].contentType);
		expect(fileHeader).toBe(`Content-Disposition: form-data; name="file"; filename="${sent}"\r\nContent-Type: image/png`);
		expect(files.file.filename).toBe(sent);
		expect(files.file.sha256).toBe(sha256(bytes));
		// The text field carries the name as it is: it is a part's body, not a header.
		expect(fields).toMatchObject({ chatId: CHAT, caption: 'after', filename: fileName, mimetype: 'image/png' });
	});
});

describe('Max File Size (MB)', () => {
	test('each operation\'s default is WhatsApp\'s own limit for that kind of media', () => {
		const defaults = Object.fromEntries(
			['sendImage', 'sendVideo', 'sendFile', 'sendVoice'].map((operation) => {
				const options = new Hypersender().getNodeType(1).description.properties.find(
					(property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes(operation),
				)!;
				const option = (options.options as INodeProperties[]).find((entry) => entry.name === 'maxFileSize')!;
				return [operation, option.default];
			}),
		);
		expect(defaults).toEqual({ sendImage: 5, sendVideo: 16, sendFile: 100, sendVoice: 16 });
	});

	test('a file over the limit is refused before any request, naming the option, the size and the limit', async () => {
		const api = await queuedApi();
		const result = await run(api, { operation: 'sendImage', chatId: CHAT, source: 'binary' }, { inputData: [inline(file(5 * MB + 1), 'image/png', 'big.png')] });
		expect(result.error?.message).toBe(
			'The binary file "big.png" is 5.0 MB (5,242,881 bytes), over the Max File Size (MB) (maxFileSize) limit of 5 MB',
		);
		expect(result.error?.description).toContain('raise "Max File Size (MB)" (default 5 MB, WhatsApp\'s own limit for an image)');
		expect(api.requests).toHaveLength(0);
	});

	test('a file at the limit, or under a raised one, is sent', async () => {
		const api = await queuedApi();
		const atLimit = file(5 * MB);
		const raised = file(7 * MB);
		const result = await run(
			api,
			{ operation: 'sendImage', chatId: CHAT, source: 'binary', options: { maxFileSize: '={{ $json.limit }}' } },
			{ inputData: [{ ...inline(atLimit, 'image/png', 'a.png'), json: { limit: 5 } }, { ...inline(raised, 'image/png', 'b.png'), json: { limit: 8 } }] },
		);
		expect(result.error).toBeUndefined();
		expect(api.calls.map((call) => upload(call.raw, call.contentType).files.file.sha256)).toEqual([sha256(atLimit), sha256(raised)]);
	});

	test('a limit that is not a whole number from 1 to 2048 is refused', async () => {
		const api = await queuedApi();
		const result = await run(api, { operation: 'sendFile', chatId: CHAT, source: 'binary', options: { maxFileSize: 0 } }, { inputData: [inline(file(10), 'application/pdf', 'a.pdf')] });
		expect(result.error?.message).toBe('Invalid Max File Size (MB) (maxFileSize): 0 is less than 1; allowed: a whole number from 1 to 2048');
		expect(api.requests).toHaveLength(0);
	});
});

describe('files in n8n\'s filesystem binary store', () => {
	let service: BinaryDataService;

	beforeAll(async () => {
		service = Container.get(BinaryDataService);
		await service.init();
	});

	async function stored(bytes: Buffer, mimeType: string, fileName: string): Promise<IBinaryData> {
		return await service.store({ type: 'execution', workflowId: 'harness', executionId: 'harness-execution' }, bytes, {
			data: '',
			mimeType,
			fileName,
		});
	}

	test('a file over the limit is refused by the size n8n recorded, without reading it', async () => {
		const binary = await stored(file(6 * MB), 'image/png', 'big.png');
		// The bytes are gone, the store's record of them is not: reading them would fail differently.
		unlinkSync(service.getPath(binary.id!));
		const api = await queuedApi();
		const result = await run(api, { operation: 'sendImage', chatId: CHAT, source: 'binary' }, { inputData: [{ json: {}, binary: { data: binary } }] });
		expect(result.error?.message).toBe(
			'The binary file "big.png" is 6.0 MB (6,291,456 bytes), over the Max File Size (MB) (maxFileSize) limit of 5 MB',
		);
		expect(api.requests).toHaveLength(0);
	});

	test('a stored file is received complete and once, with its Content-Length', async () => {
		const bytes = file(3 * MB + 17);
		const binary = await stored(bytes, 'application/pdf', 'report.pdf');
		const api = await queuedApi();
		const result = await run(api, { operation: 'sendFile', chatId: CHAT, source: 'binary' }, { inputData: [{ json: {}, binary: { data: binary } }] });
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(1);
		const call = api.calls[0];
		expect(Number(api.requests[0].headers['content-length'])).toBe(call.raw.length);
		const { files } = upload(call.raw, call.contentType);
		expect(files.file).toMatchObject({ filename: 'report.pdf', mimetype: 'application/pdf', size: bytes.length, sha256: sha256(bytes) });
	});

	test('a write refused with 503 is sent again whole, without reading the file again', async () => {
		const bytes = file(2 * MB);
		const binary = await stored(bytes, 'video/mp4', 'clip.mp4');
		const api = await queuedApi({
			intercept: (_call, response, index) => {
				if (index > 0) return false;
				// Once the first attempt has been read, the file is gone from the store.
				unlinkSync(service.getPath(binary.id!));
				response.setHeader('retry-after', '0');
				sendJson(response, 503, { message: 'Service Unavailable' });
				return true;
			},
		});
		const result = await run(api, { operation: 'sendVideo', chatId: CHAT, source: 'binary' }, { inputData: [{ json: {}, binary: { data: binary } }] });
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(2);
		expect(api.calls[1].raw.equals(api.calls[0].raw)).toBe(true);
		expect(upload(api.calls[1].raw, api.calls[1].contentType).files.file).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
		expect(result.items[0].json.queuedRequestId).toBe(api.accepted[0].uuid);
	});
});
