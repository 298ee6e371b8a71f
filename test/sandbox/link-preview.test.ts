/** POST /send-link-custom-preview: queued like the other sends, JSON or multipart (preview_image_file), checked at once, refused on a trial plan. */
import { readJpeg } from './image-format';
import type { Sandbox } from './helpers';
import { readJson, useSandbox } from './helpers';
import type { Queued, SentMessage } from './queued-helpers';
import { callQueued, DEFAULT_INSTANCE, queue, sendAndWait, serializedId, waitDone } from './queued-helpers';
import { startReceiver } from './webhook-helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
	sandbox.configure({ processingDelayMs: 0 });
});
beforeEach(() => {
	sandbox.configure({ processingDelayMs: 0 });
});

const ROUTE = 'send-link-custom-preview';
const CHAT = '4915123456789';
const CARD = {
	chatId: CHAT,
	text: 'Check this out! https://hypersender.com/',
	preview_url: 'https://hypersender.com/',
	preview_title: 'Hypersender is awesome',
	preview_description: 'Check this out, this is a custom link preview!',
};

function card(result: { response_body: unknown }) {
	return (result.response_body as SentMessage).message.extendedTextMessage;
}

test('queued, then a 201 extendedTextMessage with the card (matchedText, title, description, previewType)', async () => {
	const answer = await queue(sandbox, ROUTE, CARD);
	expect(answer).toMatchObject({ queued: true, message: 'Processing your request...' });
	const result = await sendAndWait(sandbox, ROUTE, CARD);
	expect(result.response_status).toBe(201);
	expect(result.response_body).toMatchObject({ key: { remoteJid: `${CHAT}@c.us`, fromMe: true }, status: 'PENDING' });
	expect(card(result)).toEqual({
		text: CARD.text,
		matchedText: 'https://hypersender.com/',
		description: CARD.preview_description,
		title: CARD.preview_title,
		previewType: 'NONE',
	});
	expect(sandbox.messages(DEFAULT_INSTANCE).map((record) => record.endpoint)).toEqual([ROUTE, ROUTE]);
});

test('an image URL gives a JPEG thumbnail; high_quality adds the 1200x630 thumbnail fields; reply_to quotes', async () => {
	const first = await sendAndWait(sandbox, ROUTE, { ...CARD, preview_image_url: 'https://hypersender.com/og.png' });
	expect(readJpeg(Buffer.from(String(card(first).jpegThumbnail), 'base64'))).toMatchObject({ format: 'jpeg', width: 32, height: 32 });
	const high = await sendAndWait(sandbox, ROUTE, { ...CARD, preview_image_url: 'https://hypersender.com/og.png', high_quality: true, reply_to: serializedId(first.response_body) });
	expect(card(high)).toMatchObject({
		thumbnailWidth: 1200,
		thumbnailHeight: 630,
		thumbnailDirectPath: expect.stringMatching(/^\/o1\/v\/t24\//),
		thumbnailSha256: expect.any(String),
		contextInfo: { stanzaId: (first.response_body as SentMessage).key.id },
	});
});

test('multipart with the image as preview_image_file: the upload is stored with the request', async () => {
	const form = new FormData();
	for (const [name, value] of Object.entries(CARD)) form.append(name, value);
	form.append('preview_image_file', new Blob([Buffer.from('fake png bytes')], { type: 'image/png' }), 'card.png');
	const response = await callQueued(sandbox, ROUTE, { form });
	expect(response.status).toBe(200);
	const [record] = sandbox.messages(DEFAULT_INSTANCE);
	expect(record.file).toMatchObject({ filename: 'card.png', mimetype: 'image/png', size: 14 });
	expect(record.body.preview_image_file).toEqual({ filename: 'card.png', mimetype: 'image/png', size: 14 });
	const result = await waitDone(sandbox, ((await response.json()) as Queued).queued_request_uuid);
	expect(result.response_status).toBe(201);
	expect(card(result).jpegThumbnail).toEqual(expect.any(String));
});

test.each([
	[{ ...CARD, text: 'No link here' }, { text: ['The text field must contain the preview url.'] }],
	[{ chatId: CHAT }, { text: ['The text field is required.'], preview_url: ['The preview url field is required.'], preview_title: ['The preview title field is required.'] }],
	[{ ...CARD, preview_url: 'hypersender dot com' }, { preview_url: ['The preview url field must be a valid URL.'] }],
	[{ ...CARD, high_quality: 'very' }, { high_quality: ['The high quality field must be true or false.'] }],
	[{ ...CARD, chatId: undefined }, { chatId: ['The chat id field is required.'] }],
])('422 at once, nothing recorded (case %#)', async (json, errors) => {
	const response = await callQueued(sandbox, ROUTE, { json });
	expect(response.status).toBe(422);
	expect(await readJson(response)).toEqual({ message: 'The given data was invalid.', errors });
	expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
});

test('a file that is not an image, or a file and a URL together, are refused', async () => {
	const form = new FormData();
	for (const [name, value] of Object.entries(CARD)) form.append(name, value);
	form.append('preview_image_url', 'https://hypersender.com/og.png');
	form.append('preview_image_file', new Blob([Buffer.from('%PDF')], { type: 'application/pdf' }), 'card.pdf');
	const response = await callQueued(sandbox, ROUTE, { form });
	expect(response.status).toBe(422);
	expect((await readJson(response)).errors).toEqual({
		preview_image_file: ['The preview image file field must be an image.'],
		preview_image_url: ['The preview image url field prohibits preview image file from being present.'],
	});
});

test('on the trial plan: 403 "This feature is only available for subscribed accounts." and nothing queued', async () => {
	sandbox.configure({ plan: 'trial' });
	const response = await callQueued(sandbox, ROUTE, { json: CARD });
	expect(response.status).toBe(403);
	expect(await readJson(response)).toEqual({ message: 'This feature is only available for subscribed accounts.' });
	expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
	// Other sends still work on a trial.
	expect((await callQueued(sandbox, 'send-text', { json: { chatId: CHAT, text: 'hi' } })).status).toBe(200);
});

test('once sent, message.any carries the text like any send', async () => {
	const receiver = await startReceiver();
	try {
		sandbox.configure({ webhookUrl: receiver.url });
		await queue(sandbox, ROUTE, CARD);
		const [any] = await receiver.waitFor(2);
		expect(any.body).toMatchObject({ event: 'message.any', data: { payload: { fromMe: true, body: CARD.text, hasMedia: false } } });
	} finally {
		await receiver.close();
	}
});

test('a 404 for a number not on WhatsApp, like the other sends', async () => {
	const result = await sendAndWait(sandbox, ROUTE, { ...CARD, chatId: '4915100000000' });
	expect(result).toMatchObject({ response_status: 404, response_body: { message: 'The number is not on WhatsApp.' } });
});
