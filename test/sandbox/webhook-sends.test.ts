/** The node's own sends as webhook events: message.any (fromMe) and message.ack once a send is done. */
import type { Sandbox } from './helpers';
import { sleep, useSandbox } from './helpers';
import { DEFAULT_INSTANCE, queue, sendAndWait, serializedId } from './queued-helpers';
import type { Receiver } from './webhook-helpers';
import { startReceiver } from './webhook-helpers';

const current = useSandbox();
let sandbox: Sandbox;
let receiver: Receiver;
beforeAll(() => {
	sandbox = current();
});
beforeEach(async () => {
	receiver = await startReceiver();
});
afterEach(async () => {
	await sandbox.webhooksIdle();
	await receiver.close();
});

const CHAT = '4915123456789@c.us';
const ME = () => sandbox.me(DEFAULT_INSTANCE);

describe('the node\'s own sends', () => {
	test('send-text: once done, message.any (fromMe) and then message.ack (DEVICE)', async () => {
		sandbox.configure({ webhookUrl: receiver.url, processingDelayMs: 80 });
		const answer = await queue(sandbox, 'send-text', { chatId: '4915123456789', text: 'Hello there' });
		await sleep(20);
		expect(receiver.received).toHaveLength(0);
		await sandbox.webhooksIdle();
		const [any, ack] = receiver.received;
		const record = sandbox.messages(DEFAULT_INSTANCE)[0];
		expect(record.uuid).toBe(answer.queued_request_uuid);
		expect(any.at).toBeGreaterThanOrEqual(record.doneAt);
		const result = (await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'second' })).response_body;
		await sandbox.webhooksIdle();
		expect(receiver.received.map((received) => received.body.event)).toEqual(['message.any', 'message.ack', 'message.any', 'message.ack']);

		const first = any.body.data.payload as Record<string, unknown>;
		const keyId = (first._data as { key: { id: string } }).key.id;
		const timestamp = Math.floor(record.doneAt / 1000);
		expect(first).toEqual({
			id: `true_${CHAT}_${keyId}`,
			timestamp,
			from: ME().id,
			to: CHAT,
			fromMe: true,
			source: 'api',
			body: 'Hello there',
			hasMedia: false,
			media: null,
			ack: 1,
			ackName: 'SERVER',
			replyTo: null,
			_data: {
				key: { remoteJid: CHAT, fromMe: true, id: keyId },
				messageTimestamp: timestamp,
				pushName: 'Sandbox',
				broadcast: false,
				status: 'SERVER_ACK',
				message: { extendedTextMessage: { text: 'Hello there' } },
			},
		});
		expect(ack.body.data.payload).toEqual({ id: `true_${CHAT}_${keyId}`, from: CHAT, to: ME().id, participant: null, fromMe: true, ack: 2, ackName: 'DEVICE' });
		expect(receiver.received[2].body.data.payload.id).toBe(serializedId(result));
	});

	test('media, a reply, a forward and a poll carry their body, media and replyTo; failed sends and other actions send nothing', async () => {
		sandbox.configure({ webhookUrl: receiver.url, processingDelayMs: 0 });
		const image = (await sendAndWait(sandbox, 'send-image', { chatId: CHAT, url: 'https://example.com/pics/cat.png', caption: 'A cat' })).response_body;
		await sendAndWait(sandbox, 'send-file', { chatId: CHAT, url: 'https://example.com/docs/report.pdf', filename: 'Report.pdf' });
		await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'about the cat', reply_to: serializedId(image) });
		await sendAndWait(sandbox, 'forward-message', { chatId: '4917000000001', messageId: serializedId(image) });
		await sendAndWait(sandbox, 'send-poll', { chatId: CHAT, poll: { name: 'Lunch?', options: ['Pizza', 'Sushi'] } });
		await sendAndWait(sandbox, 'send-text', { chatId: '4915100000000', text: 'not on WhatsApp' });
		await sendAndWait(sandbox, 'react-to-message', { chatId: CHAT, messageId: serializedId(image), reaction: '👍' });
		await sendAndWait(sandbox, 'star-message', { chatId: CHAT, messageId: serializedId(image), star: true });
		await sandbox.webhooksIdle();
		const anys = receiver.received.filter((received) => received.body.event === 'message.any').map((received) => received.body.data.payload);
		expect(receiver.received).toHaveLength(10);
		expect(anys[0]).toMatchObject({ body: 'A cat', hasMedia: true, media: { url: expect.stringMatching(/^https:\/\/mmg\.whatsapp\.net\//), mimetype: 'image/png', filename: null } });
		expect(anys[1]).toMatchObject({ body: '', hasMedia: true, media: { mimetype: 'application/pdf', filename: 'Report.pdf' } });
		expect(anys[2]).toMatchObject({ body: 'about the cat', replyTo: { id: (image as { key: { id: string } }).key.id, participant: ME().id, body: 'A cat' } });
		expect(anys[3]).toMatchObject({ to: '4917000000001@c.us', body: 'A cat', hasMedia: true });
		expect(anys[4]).toMatchObject({ body: '', hasMedia: false, _data: { message: { pollCreationMessageV3: { name: 'Lunch?' } } } });
	});

	test('clearMessages() drops the sends still processing: nothing is delivered for them', async () => {
		sandbox.configure({ webhookUrl: receiver.url, processingDelayMs: 100 });
		await queue(sandbox, 'send-text', { chatId: CHAT, text: 'dropped' });
		expect(sandbox.webhooksIdleNow()).toBe(false);
		sandbox.clearMessages(DEFAULT_INSTANCE);
		expect(sandbox.webhooksIdleNow()).toBe(true);
		await sleep(150);
		expect(receiver.received).toHaveLength(0);
	});
});

test('an upload names its file; a send faulted after acceptance is still delivered, one faulted before is not', async () => {
	sandbox.configure({ webhookUrl: receiver.url, processingDelayMs: 0 });
	const form = new FormData();
	form.set('chatId', CHAT);
	form.set('file', new Blob([Buffer.from('%PDF-1.4 sandbox')], { type: 'application/pdf' }), 'invoice.pdf');
	await queue(sandbox, 'send-file', undefined, { form });
	await sandbox.webhooksIdle();
	expect(receiver.received[0].body.data.payload).toMatchObject({ hasMedia: true, media: { mimetype: 'application/pdf', filename: 'invoice.pdf' } });

	sandbox.configure({ faults: { rate: 1, kinds: ['503'], phase: 'after' } });
	await queue(sandbox, 'send-text', { chatId: CHAT, text: 'accepted' }).catch(() => undefined);
	sandbox.configure({ faults: { rate: 1, kinds: ['503'], phase: 'before' } });
	await queue(sandbox, 'send-text', { chatId: CHAT, text: 'never accepted' }).catch(() => undefined);
	sandbox.configure({ faults: { rate: 0 } });
	await sandbox.webhooksIdle();
	const bodies = receiver.received.filter((received) => received.body.event === 'message.any').map((received) => received.body.data.payload.body);
	expect(bodies).toEqual(['', 'accepted']);
});
