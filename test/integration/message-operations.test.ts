/**
 * Every Message, Chat and Queued Request operation through n8n-core against a scripted queued
 * API: the request each one makes, files as multipart, and the bad inputs refused before any
 * request is sent.
 */
import { createHash } from 'node:crypto';

import type { INodeExecutionData } from 'n8n-workflow';

import { parseMultipartBody } from '../../sandbox/multipart';
import { sendJson } from '../harness/http-server';
import { queuedApi, runOperation as run, sentMessage } from '../harness/queued-api';

const CHAT = '4915123456789@c.us';
const MESSAGE_ID = 'true_4915123456789@c.us_3EB0C767D26A1C4D6A7B';

describe('the request each operation makes', () => {
	test.each([
		[
			'sendLocation',
			{ latitude: 52.52, longitude: '13.405', options: { title: 'Office', replyTo: 'r1' } },
			'POST',
			'send-location',
			{ chatId: CHAT, latitude: 52.52, longitude: 13.405, title: 'Office', reply_to: 'r1' },
		],
		[
			'sendContactCard',
			{ contacts: { contact: [{ fullName: 'Anna Schmidt', phoneNumber: '+49 151 2345 6789', organization: 'Acme' }, { fullName: 'Ben', phoneNumber: '4930123456' }] } },
			'POST',
			'send-contact-card',
			{
				chatId: CHAT,
				contacts: [
					{ fullName: 'Anna Schmidt', phoneNumber: '+49 151 2345 6789', whatsappId: '4915123456789', organization: 'Acme' },
					{ fullName: 'Ben', phoneNumber: '4930123456', whatsappId: '4930123456' },
				],
			},
		],
		[
			'sendPoll',
			{ pollName: 'Which day?', pollOptions: ['Monday', ' Tuesday '], multipleAnswers: true },
			'POST',
			'send-poll',
			{ chatId: CHAT, poll: { name: 'Which day?', options: ['Monday', 'Tuesday'], multipleAnswers: true } },
		],
		['forward', { messageId: MESSAGE_ID }, 'POST', 'forward-message', { chatId: CHAT, messageId: MESSAGE_ID }],
		['react', { messageId: MESSAGE_ID, reaction: '👍' }, 'PUT', 'react-to-message', { chatId: CHAT, messageId: MESSAGE_ID, reaction: '👍' }],
		['react', { messageId: MESSAGE_ID, reaction: '' }, 'PUT', 'react-to-message', { chatId: CHAT, messageId: MESSAGE_ID, reaction: '' }],
		['star', { messageId: MESSAGE_ID, star: false }, 'PUT', 'star-message', { chatId: CHAT, messageId: MESSAGE_ID, star: false }],
		[
			'sendImage',
			{ source: 'url', url: 'https://example.com/a.jpg', options: { caption: 'Look', filename: 'a.jpg', mimetype: 'image/jpeg' } },
			'POST',
			'send-image',
			{ chatId: CHAT, url: 'https://example.com/a.jpg', caption: 'Look', filename: 'a.jpg', mimetype: 'image/jpeg' },
		],
		[
			'sendVideo',
			{ source: 'url', url: 'https://example.com/v.mp4', options: { asNote: true } },
			'POST',
			'send-video',
			{ chatId: CHAT, url: 'https://example.com/v.mp4', asNote: true },
		],
		['sendFile', { source: 'url', url: 'http://example.com/doc.pdf' }, 'POST', 'send-file', { chatId: CHAT, url: 'http://example.com/doc.pdf' }],
		['sendVoice', { source: 'url', url: 'https://example.com/v.ogg' }, 'POST', 'send-voice', { chatId: CHAT, url: 'https://example.com/v.ogg' }],
	])('Message › %s', async (operation, parameters, method, path, body) => {
		const api = await queuedApi();
		const result = await run(api, { operation, chatId: '+49 151 23456789', ...parameters });
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(1);
		expect([api.calls[0].method, api.calls[0].path]).toEqual([method, path]);
		expect(api.calls[0].json).toEqual(body);
		expect(result.items[0].json.queuedRequestId).toBe(api.accepted[0].uuid);
	});

	test('Message › Delete sends chatId and messageId in the query of a DELETE', async () => {
		const api = await queuedApi();
		const result = await run(api, { operation: 'delete', chatId: CHAT, messageId: MESSAGE_ID });
		expect(result.error).toBeUndefined();
		expect(api.calls[0]).toMatchObject({ method: 'DELETE', path: 'delete-message', query: { chatId: CHAT, messageId: MESSAGE_ID } });
		expect(api.calls[0].raw.length).toBe(0);
	});

	test.each([
		['markRead', { options: { messages: 10, days: 2 } }, 'read-chat', { messages: '10', days: '2' }, { chatId: CHAT }],
		['markRead', {}, 'read-chat', {}, { chatId: CHAT }],
		['sendSeen', { messageId: 'false_4915@c.us_AB', options: { participant: '+49 151 9999999' } }, 'send-seen', {}, { chatId: CHAT, messageId: 'false_4915@c.us_AB', participant: '491519999999@c.us' }],
		['startTyping', {}, 'start-typing', {}, { chatId: CHAT }],
		['stopTyping', {}, 'stop-typing', {}, { chatId: CHAT }],
	])('Chat › %s', async (operation, parameters, path, query, body) => {
		const api = await queuedApi({ outcome: () => ({ body: {} }) });
		const result = await run(api, { resource: 'chat', operation, chatId: '4915123456789', ...parameters, options: { ...(parameters as { options?: object }).options, waitForResult: true } });
		expect(result.error).toBeUndefined();
		expect(api.calls[0]).toMatchObject({ method: 'POST', path, query, json: body });
		// An action's result has no message: the output is the record's body and where it came from.
		expect(result.items[0].json).toEqual({ queuedRequestId: api.accepted[0].uuid, responseStatus: 201 });
	});

	test('Queued Request › Get outputs the record with its status and, once sent, the messageId', async () => {
		const api = await queuedApi({ outcome: (_call, index) => (index === 0 ? { delayMs: 60_000 } : index === 1 ? {} : { status: 404, body: { message: 'x' } }) });
		await run(api, { operation: 'sendText', chatId: CHAT, text: 'a' }, { inputItems: [{}, {}, {}] });
		const result = await run(
			api,
			{ resource: 'queuedRequest', operation: 'get', queuedRequestId: '={{ $json.id }}' },
			{ inputItems: api.accepted.map((call) => ({ id: call.uuid })) },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.status)).toEqual(['pending', 'sent', 'failed']);
		expect(result.items[0].json).toMatchObject({ uuid: api.accepted[0].uuid, response_status: null, response_body: null });
		expect(result.items[1].json).toMatchObject({ response_status: 201, messageId: `true_${CHAT}_3EB0C767D26A1C4D6A7B` });
		expect(result.items[1].json.response_body).toEqual(sentMessage(CHAT));
		expect(result.items[2].json.messageId).toBeUndefined();
	});

	test('Queued Request › Get with an unknown ID says so', async () => {
		const api = await queuedApi();
		const result = await run(api, { resource: 'queuedRequest', operation: 'get', queuedRequestId: 'nope' });
		expect(result.error?.message).toBe('No queued request found with the ID "nope"');
		expect(result.error?.httpCode).toBe('404');
	});
});

describe('files from binary data', () => {
	const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x2d, 0x2d, 0x0d, 0x0a, 0x42]);
	const item = (mimeType: string, fileName = 'photo.png'): INodeExecutionData => ({
		json: {},
		binary: { data: { data: bytes.toString('base64'), mimeType, fileName } },
	});

	test('Send Image sends the binary field as multipart part "file" with its name and type, byte for byte', async () => {
		const api = await queuedApi();
		const result = await run(
			api,
			{ operation: 'sendImage', chatId: CHAT, source: 'binary', binaryPropertyName: 'data', options: { caption: 'Hi' } },
			{ inputData: [item('image/png')] },
		);
		expect(result.error).toBeUndefined();
		const call = api.calls[0];
		expect(call.contentType).toMatch(/^multipart\/form-data; boundary=/);
		// Parsed byte-exact by the sandbox's multipart parser.
		const { fields, files } = parseMultipartBody(call.raw, call.contentType);
		expect(files.file.filename).toBe('photo.png');
		expect(files.file.mimetype).toBe('image/png');
		expect(files.file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
		expect(fields.chatId).toBe(CHAT);
		expect(fields.caption).toBe('Hi');
		expect(fields.filename).toBe('photo.png');
		expect(fields.mimetype).toBe('image/png');
	});

	test('File Name and MIME Type options win over the binary file\'s own; As Note goes along for videos', async () => {
		const api = await queuedApi();
		const result = await run(
			api,
			{ operation: 'sendVideo', chatId: CHAT, source: 'binary', options: { filename: 'clip.mp4', mimetype: 'video/mp4', asNote: true } },
			{ inputData: [item('application/octet-stream', 'upload.bin')] },
		);
		expect(result.error).toBeUndefined();
		const { fields, files } = parseMultipartBody(api.calls[0].raw, api.calls[0].contentType);
		expect(files.file.filename).toBe('clip.mp4');
		expect(files.file.mimetype).toBe('video/mp4');
		expect(fields.asNote).toBe('true');
	});
});

describe('bad input is refused before any request', () => {
	const long = 'x'.repeat(65537);
	test.each([
		['sendText', { text: '={{ "   " }}' }, 'Invalid Text (text): "   " is empty; allowed: text of 1 to 65536 characters'],
		['sendText', { text: long }, 'Invalid Text (text): 65537 characters is too long; allowed: text of 1 to 65536 characters'],
		['sendText', { chatId: 'hello@world', text: 'x' }, 'Invalid Chat ID or Phone Number (chatId): "hello@world" is not a WhatsApp chat ID of a known form'],
		['sendText', { chatId: 'abc@c.us', text: 'x' }, 'is not a WhatsApp chat ID of a known form'],
		['sendText', { chatId: '12 34', text: 'x' }, 'Invalid Chat ID or Phone Number (chatId): "12 34" is not a phone number or chat ID'],
		['sendLocation', { latitude: 91, longitude: 0 }, 'Invalid Latitude (latitude): 91 is out of range; allowed: a number from -90 to 90'],
		['sendLocation', { latitude: 0, longitude: '={{ "east" }}' }, 'Invalid Longitude (longitude): "east" is not a number; allowed: a number from -180 to 180'],
		['sendPoll', { pollName: 'Q', pollOptions: ['Only one'] }, 'Invalid Poll Options (pollOptions): ["Only one"] has 1 option(s); allowed: 2 to 12 different options'],
		['sendPoll', { pollName: 'Q', pollOptions: ['A', 'a'] }, 'lists "a" twice'],
		['sendImage', { source: 'binary', binaryPropertyName: 'data' }, 'Invalid Input Binary Field (binaryPropertyName): "data" is not a binary field of input item 1; allowed: none: the item has no binary data'],
		['sendImage', { source: 'url', url: 'ftp://example.com/a.jpg' }, 'Invalid URL (url): "ftp://example.com/a.jpg" is not an http(s) URL'],
		['sendImage', { source: 'url', url: 'https://example.com/a.pdf', options: { mimetype: 'application/pdf' } }, 'Invalid MIME Type (mimetype): "application/pdf" (the MIME Type option) is not an image; allowed: a file of type image/*'],
		['react', { messageId: '={{ "" }}' }, 'Invalid Message ID (messageId): "" is empty'],
		['sendContactCard', { contacts: { contact: [{ fullName: 'A', phoneNumber: 'call me' }] } }, 'Invalid Contact Card 1 › Phone Number (phoneNumber): "call me" is not a phone number'],
	])('%s, case %#', async (operation, parameters, message) => {
		const api = await queuedApi();
		const result = await run(api, { operation, chatId: CHAT, ...parameters });
		expect(result.error?.message).toContain(message);
		expect(api.requests).toHaveLength(0);
	});

	test('a non-image binary in Send Image is refused, naming the file and its type', async () => {
		const api = await queuedApi();
		const result = await run(
			api,
			{ operation: 'sendImage', chatId: CHAT, source: 'binary' },
			{ inputData: [{ json: {}, binary: { data: { data: 'JVBERi0=', mimeType: 'application/pdf', fileName: 'invoice.pdf' } } }] },
		);
		expect(result.error?.message).toContain('(the binary file "invoice.pdf" is application/pdf) is not an image; allowed: a file of type image/*');
		expect(result.error?.description).toContain('use Send File for other files');
		expect(api.requests).toHaveLength(0);
	});

	test('one bad item among many stops the node before any of them is sent', async () => {
		const api = await queuedApi();
		const result = await run(
			api,
			{ operation: 'sendText', chatId: '={{ $json.to }}', text: 'Hi' },
			{ inputItems: [{ to: '4915123456789' }, { to: 'not a number' }, { to: '4915199999999' }] },
		);
		expect(result.error?.message).toContain('"not a number" is not a phone number or chat ID');
		expect(api.requests).toHaveLength(0);
	});

	test('with continue-on-fail, the bad item becomes an error item and the others are sent', async () => {
		const api = await queuedApi();
		const result = await run(
			api,
			{ operation: 'sendText', chatId: '={{ $json.to }}', text: 'Hi' },
			{ inputItems: [{ to: '4915123456789' }, { to: 'not a number' }, { to: '4915199999999' }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(api.calls.map((call) => call.json?.chatId)).toEqual(['4915123456789@c.us', '4915199999999@c.us']);
		expect(result.items[1].json.error).toContain('"not a number" is not a phone number or chat ID');
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('a 401 on the send is the API\'s error, and nothing is retried', async () => {
		const api = await queuedApi({
			intercept: (_call, response) => {
				sendJson(response, 401, { message: 'Unauthenticated.' });
				return true;
			},
		});
		const result = await run(api, { operation: 'sendText', chatId: CHAT, text: 'Hi' });
		expect(result.error?.message).toBe('Hypersender API error 401: Unauthenticated.');
		expect(api.calls).toHaveLength(1);
	});
});
