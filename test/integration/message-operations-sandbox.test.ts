/**
 * Every Message and Chat operation through n8n-core against the project's sandbox, with Wait
 * for Result on: the sandbox checks each request as the API documents it, processes it and
 * records it, so what the node sends and what it makes of the outcome are checked together.
 */
import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { runHypersenderNode } from '../harness/n8n-core';
import type { Sandbox } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 50, seed: 5 } }, processingDelayMs: 50 });
});

afterAll(async () => await sandbox.close());

beforeEach(() => sandbox.clearMessages(DEFAULT_INSTANCE));

const TO = '+49 151 2345 6789';
const CHAT = '4915123456789@c.us';

async function run(resource: string, parameters: IDataObject, extra: { inputData?: INodeExecutionData[]; continueOnFail?: boolean } = {}) {
	const options = { waitForResult: true, waitTimeout: 10, ...(parameters.options as IDataObject | undefined) };
	return await runHypersenderNode({
		parameters: { resource, chatId: TO, ...parameters, options } as never,
		credentials: credentialsFor(sandbox),
		...extra,
	});
}

async function sendText(text = 'Hello'): Promise<string> {
	const result = await run('message', { operation: 'sendText', text });
	expect(result.error).toBeUndefined();
	return String(result.items[0].json.messageId);
}

test('Send Text: the sent message, its messageId and the one record', async () => {
	const result = await run('message', { operation: 'sendText', text: 'Hello Anna', options: { safeMode: true } });
	expect(result.error).toBeUndefined();
	const json = result.items[0].json;
	expect(json.messageId).toMatch(/^true_4915123456789@c\.us_[0-9A-F]+$/);
	expect(json.responseStatus).toBe(201);
	const [record] = sandbox.messages(DEFAULT_INSTANCE);
	expect(record).toMatchObject({ endpoint: 'send-text-safe', chatId: CHAT, uuid: json.queuedRequestId });
});

test.each([
	['sendLocation', { latitude: 52.52, longitude: 13.405, options: { title: 'Office' } }, 'send-location'],
	['sendContactCard', { contacts: { contact: [{ fullName: 'Anna Schmidt', phoneNumber: '+49 151 2345 6789', organization: 'Acme' }] } }, 'send-contact-card'],
	['sendPoll', { pollName: 'Which day?', pollOptions: ['Monday', 'Tuesday'], multipleAnswers: false }, 'send-poll'],
	['sendImage', { source: 'url', url: 'https://example.com/a.jpg', options: { caption: 'Look' } }, 'send-image'],
	['sendVideo', { source: 'url', url: 'https://example.com/v.mp4', options: { asNote: true } }, 'send-video'],
	['sendFile', { source: 'url', url: 'https://example.com/doc.pdf', options: { filename: 'doc.pdf', mimetype: 'application/pdf' } }, 'send-file'],
	['sendVoice', { source: 'url', url: 'https://example.com/v.ogg' }, 'send-voice'],
])('Message › %s is accepted, processed and sent', async (operation, parameters, endpoint) => {
	const result = await run('message', { operation, ...parameters });
	expect(result.error).toBeUndefined();
	expect(result.items[0].json.responseStatus).toBe(201);
	expect(result.items[0].json.messageId).toMatch(/^true_4915123456789@c\.us_/);
	expect(sandbox.messages(DEFAULT_INSTANCE).map((record) => record.endpoint)).toEqual([endpoint]);
});

test('a file from binary data reaches the sandbox byte for byte', async () => {
	const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]);
	const result = await run(
		'message',
		{ operation: 'sendImage', source: 'binary', options: { caption: 'From binary' } },
		{ inputData: [{ json: {}, binary: { data: { data: bytes.toString('base64'), mimeType: 'image/png', fileName: 'dot.png' } } }] },
	);
	expect(result.error).toBeUndefined();
	const [record] = sandbox.messages(DEFAULT_INSTANCE);
	expect(record.file).toMatchObject({ filename: 'dot.png', mimetype: 'image/png', size: bytes.length });
	expect(record.file?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
});

test('react, star, forward and delete take the messageId a send output', async () => {
	const messageId = await sendText();
	for (const [operation, parameters, endpoint] of [
		['react', { messageId, reaction: '👍' }, 'react-to-message'],
		['react', { messageId, reaction: '' }, 'react-to-message'],
		['star', { messageId, star: true }, 'star-message'],
		['forward', { messageId, chatId: '4915199999999' }, 'forward-message'],
		['delete', { messageId }, 'delete-message'],
	] as const) {
		const result = await run('message', { operation, ...parameters });
		expect({ operation, error: result.error?.message }).toEqual({ operation, error: undefined });
		expect(sandbox.messages(DEFAULT_INSTANCE).at(-1)?.endpoint).toBe(endpoint);
	}
});

test('an unknown messageId fails the item with the API\'s 404, worded as a message not found', async () => {
	const result = await run('message', { operation: 'react', messageId: 'true_4915123456789@c.us_NOPE', reaction: '👍' });
	expect(result.error?.httpCode).toBe('404');
	expect(result.error?.message).toBe('Not found: Message not found (the message ID does not name a message of chat "4915123456789@c.us")');
});

test.each([
	['markRead', { options: { messages: 5 } }, 'read-chat'],
	['startTyping', {}, 'start-typing'],
	['stopTyping', {}, 'stop-typing'],
])('Chat › %s', async (operation, parameters, endpoint) => {
	const result = await run('chat', { operation, ...parameters });
	expect(result.error).toBeUndefined();
	expect(result.items[0].json.responseStatus).toBeGreaterThanOrEqual(200);
	expect(sandbox.messages(DEFAULT_INSTANCE).map((record) => record.endpoint)).toEqual([endpoint]);
});

test('Chat › Send Seen on a message', async () => {
	const messageId = await sendText();
	const result = await run('chat', { operation: 'sendSeen', messageId });
	expect(result.error).toBeUndefined();
});

test('a number not on WhatsApp: "Not delivered", and with continue-on-fail the others still go', async () => {
	const result = await runHypersenderNode({
		parameters: { resource: 'message', operation: 'sendText', chatId: '={{ $json.to }}', text: 'Hi', options: { waitForResult: true } } as never,
		credentials: credentialsFor(sandbox),
		inputItems: [{ to: '4915123456789' }, { to: '4915100000000' }],
		continueOnFail: true,
	});
	expect(result.items[0].json.responseStatus).toBe(201);
	expect(result.items[1].json.error).toBe(
		'Not delivered: the number is not on WhatsApp, or the instance was not found (chat "4915100000000@c.us")',
	);
	expect(result.items[1].json.queuedRequestId).toBe(sandbox.messages(DEFAULT_INSTANCE)[1].uuid);
});

test('Queued Request › Get follows a request from pending to sent', async () => {
	sandbox.configure({ processingDelayMs: 400 });
	try {
		const queued = await run('message', { operation: 'sendText', text: 'Later', options: { waitForResult: false } });
		const id = queued.items[0].json.queuedRequestId;
		const get = async () =>
			await runHypersenderNode({
				parameters: { resource: 'queuedRequest', operation: 'get', queuedRequestId: id } as never,
				credentials: credentialsFor(sandbox),
			});
		const pending = await get();
		expect(pending.items[0].json).toMatchObject({ uuid: id, status: 'pending', response_status: null });
		await sleep(500);
		const sent = await get();
		expect(sent.items[0].json).toMatchObject({ uuid: id, status: 'sent', response_status: 201 });
		expect(sent.items[0].json.messageId).toMatch(/^true_4915123456789@c\.us_/);
	} finally {
		sandbox.configure({ processingDelayMs: 50 });
	}
});
