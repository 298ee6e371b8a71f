/** The queued message and chat actions: forward, react, star, delete, read-chat, send-seen, typing. */
import type { Sandbox } from './helpers';
import { useSandbox } from './helpers';
import type { QueuedResult, SentMessage } from './queued-helpers';
import { DEFAULT_INSTANCE, queue, sendAndWait, serializedId, waitDone } from './queued-helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});
beforeEach(() => {
	sandbox.configure({ processingDelayMs: 10 });
});

const PHONE = '4915123456789';
const CHAT = `${PHONE}@c.us`;

async function sendText(text = 'Hello'): Promise<SentMessage> {
	return (await sendAndWait(sandbox, 'send-text', { chatId: PHONE, text })).response_body as SentMessage;
}

async function deleteMessage(chatId: string, messageId: string): Promise<QueuedResult> {
	const answer = await queue(sandbox, 'delete-message', undefined, { query: { chatId, messageId } });
	return waitDone(sandbox, answer.queued_request_uuid);
}

describe('forward-message', () => {
	test('sends a copy of the message to another chat, marked forwarded', async () => {
		const original = await sendText('Forward me');
		const result = await sendAndWait(sandbox, 'forward-message', { chatId: '15551234567', messageId: serializedId(original) });
		expect(result.response_status).toBe(201);
		const body = result.response_body as SentMessage;
		expect(body.key).toMatchObject({ remoteJid: '15551234567@c.us', fromMe: true });
		expect(body.key.id).not.toBe(original.key.id);
		expect(body.message).toEqual({ extendedTextMessage: { text: 'Forward me', contextInfo: { forwardingScore: 1, isForwarded: true } } });
	});

	test('the forwarded copy can itself be found by its id', async () => {
		const original = await sendText();
		const copy = (await sendAndWait(sandbox, 'forward-message', { chatId: '15551234567', messageId: serializedId(original) })).response_body;
		const result = await sendAndWait(sandbox, 'star-message', { chatId: '15551234567', messageId: serializedId(copy), star: true });
		expect(result.response_status).toBe(200);
	});
});

describe('react-to-message', () => {
	test('reacts with an emoji, or removes the reaction with ""', async () => {
		const original = await sendText();
		const result = await sendAndWait(sandbox, 'react-to-message', { chatId: CHAT, messageId: serializedId(original), reaction: '👍' });
		expect(result.response_status).toBe(201);
		const body = result.response_body as SentMessage;
		expect(body.key.remoteJid).toBe(CHAT);
		expect(body.message.reactionMessage).toEqual({ key: original.key, text: '👍', senderTimestampMs: expect.any(Number) });
		const removed = await sendAndWait(sandbox, 'react-to-message', { chatId: CHAT, messageId: serializedId(original), reaction: '' });
		expect((removed.response_body as SentMessage).message.reactionMessage.text).toBe('');
	});

	test('finds the message by its bare key id, and by the @s.whatsapp.net form of its chat', async () => {
		const original = await sendText();
		for (const messageId of [original.key.id, `true_${PHONE}@s.whatsapp.net_${original.key.id}`]) {
			const result = await sendAndWait(sandbox, 'react-to-message', { chatId: CHAT, messageId, reaction: '❤️' });
			expect(result.response_status).toBe(201);
		}
	});
});

describe('star-message and send-seen', () => {
	test('answer {} once done', async () => {
		const messageId = serializedId(await sendText());
		for (const star of [true, false]) {
			const result = await sendAndWait(sandbox, 'star-message', { chatId: CHAT, messageId, star });
			expect(result).toMatchObject({ response_status: 200, response_body: {} });
		}
		const seen = await sendAndWait(sandbox, 'send-seen', { chatId: CHAT, messageId, participant: '15550001111@c.us' });
		expect(seen).toMatchObject({ response_status: 200, response_body: {}, request: { participant: '15550001111@c.us' } });
	});
});

describe('delete-message', () => {
	test('takes chatId and messageId in the query and revokes the message', async () => {
		const original = await sendText();
		const result = await deleteMessage(CHAT, serializedId(original));
		expect(result.request).toEqual({ chatId: CHAT, messageId: serializedId(original) });
		expect(result.response_status).toBe(201);
		expect((result.response_body as SentMessage).message).toEqual({ protocolMessage: { key: original.key, type: 'REVOKE' } });
		expect(sandbox.messages(DEFAULT_INSTANCE).at(-1)).toMatchObject({ endpoint: 'delete-message', method: 'DELETE', chatId: CHAT });
	});

	test('a deleted message is not found any more', async () => {
		const messageId = serializedId(await sendText());
		await deleteMessage(CHAT, messageId);
		expect((await deleteMessage(CHAT, messageId)).response_status).toBe(404);
		const react = await sendAndWait(sandbox, 'react-to-message', { chatId: CHAT, messageId, reaction: '👍' });
		expect(react).toMatchObject({ response_status: 404, response_body: { message: 'Message not found.' } });
	});
});

describe('unknown messages', () => {
	test.each([
		['forward-message', {}],
		['react-to-message', { reaction: '👍' }],
		['star-message', { star: true }],
		['send-seen', {}],
	])('%s of an unknown message id is 404 in the record', async (endpoint, extra) => {
		const result = await sendAndWait(sandbox, endpoint, { chatId: CHAT, messageId: `true_${CHAT}_3EB0000000000000000000AA`, ...extra });
		expect(result).toMatchObject({ response_status: 404, response_body: { message: 'Message not found.' } });
	});

	test('a known key id under another chat, or as not from me, is not found', async () => {
		const original = await sendText();
		for (const messageId of [`true_15559999999@c.us_${original.key.id}`, `false_${CHAT}_${original.key.id}`]) {
			expect((await sendAndWait(sandbox, 'send-seen', { chatId: CHAT, messageId })).response_status).toBe(404);
		}
	});

	test('messages of another instance are not found', async () => {
		sandbox.addInstance('other-instance', { size: 5 });
		const messageId = serializedId(await sendText());
		const result = await sendAndWait(sandbox, 'send-seen', { chatId: CHAT, messageId }, { instance: 'other-instance' });
		expect(result.response_status).toBe(404);
		expect(sandbox.messages('other-instance').map((record) => record.uuid)).toEqual([result.uuid]);
	});
});

describe('read-chat and typing', () => {
	test('read-chat takes the query counts and answers the ids it read (none: the sandbox receives no messages)', async () => {
		const answer = await queue(sandbox, 'read-chat', { chatId: CHAT }, { query: { messages: '5', days: '2' } });
		const result = await waitDone(sandbox, answer.queued_request_uuid);
		expect(result.request).toEqual({ chatId: CHAT, messages: '5', days: '2' });
		expect(result).toMatchObject({ response_status: 200, response_body: { ids: [] } });
	});

	test.each(['start-typing', 'stop-typing'])('%s answers {} once done', async (endpoint) => {
		const result = await sendAndWait(sandbox, endpoint, { chatId: '120363012345678901@g.us' });
		expect(result).toMatchObject({ response_status: 200, response_body: {}, request: { chatId: '120363012345678901@g.us' } });
	});
});
