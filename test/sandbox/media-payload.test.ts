/** simulate('media'): each kind's message.any payload in WAHA's shape, and the payload variants. */
import type { Sandbox } from './helpers';
import { DEFAULT_INSTANCE, useSandbox } from './helpers';
import { simulateMedia } from './media-helpers';
import type { Receiver } from './webhook-helpers';
import { startReceiver } from './webhook-helpers';
import { DEFAULT_TRANSCRIPT, MEDIA_KINDS, mediaBytes } from '../../sandbox/server';

const current = useSandbox();
let sandbox: Sandbox;
let receiver: Receiver;
beforeAll(() => {
	sandbox = current();
});
beforeEach(async () => {
	receiver = await startReceiver();
	sandbox.configure({ webhookUrl: receiver.url, processingDelayMs: 0 });
});
afterEach(async () => {
	await sandbox.webhooksIdle();
	await receiver.close();
});

const CHAT = '4915123456789@c.us';
const sha256Base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

const EXPECTED = {
	voice: { type: 'audioMessage', mimetype: 'audio/ogg; codecs=opus', filename: null, extra: { ptt: true, seconds: expect.any(Number) } },
	image: { type: 'imageMessage', mimetype: 'image/jpeg', filename: null, extra: { height: 16, width: 16 } },
	document: { type: 'documentMessage', mimetype: 'application/pdf', filename: 'order-confirmation.pdf', extra: { fileName: 'order-confirmation.pdf', title: 'order-confirmation.pdf', pageCount: 1 } },
	video: { type: 'videoMessage', mimetype: 'video/mp4', filename: null, extra: { seconds: expect.any(Number), gifPlayback: false } },
	sticker: { type: 'stickerMessage', mimetype: 'image/webp', filename: null, extra: { isAnimated: false } },
} as const;

describe('each kind', () => {
	test.each(MEDIA_KINDS)('%s: message.any with hasMedia, media {url, mimetype, filename, error} and the WhatsApp message', async (kind) => {
		const { result, media, payload } = await simulateMedia(sandbox, { kind, from: '+49 151 2345 6789' });
		const expected = EXPECTED[kind];
		const [received] = await receiver.waitFor(1);
		expect(received.body.event).toBe('message.any');
		expect(received.body.data.payload).toEqual(payload);
		const keyId = payload._data.key.id;
		expect(result.messageId).toBe(`false_${CHAT}_${keyId}`);
		expect(payload).toMatchObject({ id: result.messageId, from: CHAT, to: sandbox.me(DEFAULT_INSTANCE).id, fromMe: false, source: 'app', body: '', hasMedia: true, ack: 2, ackName: 'DEVICE', replyTo: null });
		expect(payload.media).toEqual({ url: media.url, mimetype: expected.mimetype, filename: expected.filename, error: null });
		expect(Object.keys(payload.media)).toEqual(['url', 'mimetype', 'filename', 'error']);
		expect(media.url).toMatch(new RegExp(`^${sandbox.mediaUrl}/media/${media.id}\\?exp=${media.expiresAt}&sig=[0-9a-f]{40}$`));
		expect(payload._data).toMatchObject({ key: { remoteJid: CHAT, fromMe: false, id: keyId }, status: 'DELIVERY_ACK', broadcast: false });
		expect(Object.keys(payload._data.message)).toEqual([expected.type]);
		expect(payload._data.message[expected.type]).toMatchObject({
			url: expect.stringMatching(/^https:\/\/mmg\.whatsapp\.net\//),
			mimetype: expected.mimetype,
			fileSha256: sha256Base64(media.sha256),
			fileLength: media.size,
			mediaKey: expect.any(String),
			directPath: expect.stringMatching(/^\/v\//),
			...expected.extra,
		});
		expect(media).toMatchObject({ kind, mimetype: expected.mimetype, origin: 'media-host', instanceId: DEFAULT_INSTANCE, transcript: kind === 'voice' ? DEFAULT_TRANSCRIPT : null });
		expect(mediaBytes(kind, media.size, media.seed).equals(sandbox.mediaBytes(media.id))).toBe(true);
	});

	test('a caption is the body and in the message; a document takes a file name; the message can be quoted and found', async () => {
		const image = await simulateMedia(sandbox, { kind: 'image', caption: 'My receipt' });
		expect(image.payload.body).toBe('My receipt');
		expect(image.payload._data.message.imageMessage.caption).toBe('My receipt');
		const doc = await simulateMedia(sandbox, { kind: 'document', filename: 'Rechnung März.pdf', replyTo: image.result.messageId });
		expect(doc.payload.media.filename).toBe('Rechnung März.pdf');
		expect(doc.payload._data.message.documentMessage).toMatchObject({ fileName: 'Rechnung März.pdf', contextInfo: { stanzaId: image.payload._data.key.id, quotedMessage: { imageMessage: expect.any(Object) } } });
		expect(doc.payload.replyTo).toEqual({ id: image.payload._data.key.id, participant: image.payload.from, body: 'My receipt' });
		const reaction = await sandbox.simulate(DEFAULT_INSTANCE, 'reaction', { messageId: doc.result.messageId });
		expect(reaction.payload).toMatchObject({ reaction: { messageId: doc.result.messageId } });
	});

	test('in a group, from a member; seeds count up unless given, and the same seed gives the same bytes', async () => {
		const group = await simulateMedia(sandbox, { kind: 'sticker', group: '120363025246125486@g.us', from: '15550001111' });
		expect(group.payload).toMatchObject({ from: '120363025246125486@g.us', participant: '15550001111@c.us' });
		const a = await simulateMedia(sandbox, { kind: 'image', seed: 77, size: 5000 });
		const b = await simulateMedia(sandbox, { kind: 'image', seed: 77, size: 5000 });
		expect(a.media.sha256).toBe(b.media.sha256);
		expect(a.media.id).not.toBe(b.media.id);
		const next = await simulateMedia(sandbox, { kind: 'image' });
		expect(next.media.seed).toBeGreaterThan(group.media.seed);
	});
});

describe('variants', () => {
	test('noFilename: no filename key in media, no fileName in the document', async () => {
		const { payload, media } = await simulateMedia(sandbox, { kind: 'document', noFilename: true });
		expect(payload.media).toEqual({ url: media.url, mimetype: 'application/pdf', error: null });
		expect(payload._data.message.documentMessage).not.toHaveProperty('fileName');
	});

	test('inline: media.data is the bytes in base64 and url is null', async () => {
		const { payload, media } = await simulateMedia(sandbox, { kind: 'voice', inline: true, size: 3000 });
		expect(payload.media).toEqual({ url: null, data: expect.any(String), mimetype: 'audio/ogg; codecs=opus', filename: null, error: null });
		expect(Buffer.from(payload.media.data, 'base64').equals(sandbox.mediaBytes(media.id))).toBe(true);
		expect(media.url).toBeNull();
	});

	test('error: media.error set and url null, hasMedia still true', async () => {
		const { payload } = await simulateMedia(sandbox, { kind: 'image', error: 'Media not available' });
		expect(payload).toMatchObject({ hasMedia: true, media: { url: null, mimetype: 'image/jpeg', filename: null, error: 'Media not available' } });
	});

	test('origin api: the link is on the API origin, under the instance', async () => {
		const { media } = await simulateMedia(sandbox, { kind: 'voice', origin: 'api' });
		expect(media.url).toMatch(new RegExp(`^${sandbox.baseUrl}/${DEFAULT_INSTANCE}/media/${media.id}\\?exp=\\d+&sig=[0-9a-f]{40}$`));
	});

	test('bad input is refused with 400 and nothing is delivered', async () => {
		const bad: Array<[Record<string, unknown>, RegExp]> = [
			[{}, /kind must be one of voice, image, document, video, sticker/],
			[{ kind: 'gif' }, /got "gif"/],
			[{ kind: 'voice', caption: 'x' }, /a voice has no caption/],
			[{ kind: 'image', origin: 'cdn' }, /origin must be media-host or api/],
			[{ kind: 'image', size: 10 }, /size must be an integer from 1024/],
			[{ kind: 'image', inline: true, size: 9 * 1024 * 1024 }, /size must be an integer from 1024 to 8388608/],
			[{ kind: 'image', inline: true, error: 'x' }, /inline or error/],
			[{ kind: 'image', transcript: 'x' }, /voice notes only/],
			[{ kind: 'document', filename: 'a.pdf', noFilename: true }, /filename or noFilename/],
			[{ kind: 'image', expiresInMs: -1 }, /expiresInMs must be a number >= 0/],
		];
		for (const [input, message] of bad) {
			await expect(sandbox.simulate(DEFAULT_INSTANCE, 'media', input)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(message) });
		}
		expect(receiver.received).toHaveLength(0);
	});
});
