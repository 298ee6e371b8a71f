/** The queued send-* routes: the immediate answer, the record, and the message each shows once done. */
import { API_BASE_PATH } from '../../sandbox/server';
import type { Sandbox } from './helpers';
import { useSandbox } from './helpers';
import type { SentMessage } from './queued-helpers';
import { DEFAULT_INSTANCE, queue, sendAndWait } from './queued-helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});
beforeEach(() => {
	sandbox.configure({ processingDelayMs: 20 });
});

const PHONE = '4915123456789';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('acceptance', () => {
	test('answers at once with the queued wrapper and a link to the result', async () => {
		const answer = await queue(sandbox, 'send-text', { chatId: PHONE, text: 'Hello' });
		expect(answer).toEqual({
			queued: true,
			message: 'Processing your request...',
			queued_request_uuid: expect.stringMatching(UUID),
			queued_request_link: `${sandbox.url}${API_BASE_PATH}/${DEFAULT_INSTANCE}/queued-requests/${answer.queued_request_uuid}`,
		});
	});

	test('records the request at once, in acceptance order', async () => {
		sandbox.configure({ processingDelayMs: 5000 });
		const first = await queue(sandbox, 'send-text', { chatId: PHONE, text: 'one' });
		const second = await queue(sandbox, 'send-location', { chatId: `${PHONE}@c.us`, latitude: 1.5, longitude: 2 });
		const records = sandbox.messages(DEFAULT_INSTANCE);
		expect(records).toEqual([
			expect.objectContaining({ uuid: first.queued_request_uuid, endpoint: 'send-text', method: 'POST', chatId: PHONE, body: { chatId: PHONE, text: 'one' }, done: false, response_status: null }),
			expect.objectContaining({ uuid: second.queued_request_uuid, endpoint: 'send-location', chatId: `${PHONE}@c.us` }),
		]);
		expect(records[0].file).toBeUndefined();
		expect(records[0].doneAt).toBe(records[0].acceptedAt + 5000);
	});

	test('the result shows the stored request, then the message with its status and headers', async () => {
		const result = await sendAndWait(sandbox, 'send-text', { chatId: PHONE, text: 'Hello', link_preview: false });
		expect(result.request).toEqual({ chatId: PHONE, text: 'Hello', link_preview: false });
		expect(result.response_status).toBe(201);
		expect(result.response_header).toEqual({ date: [expect.stringMatching(/GMT$/)], 'content-type': ['application/json'] });
		const body = result.response_body as SentMessage;
		expect(body).toEqual({
			key: { remoteJid: `${PHONE}@c.us`, fromMe: true, id: expect.stringMatching(/^3EB0[0-9A-F]{20}$/) },
			message: { extendedTextMessage: { text: 'Hello' } },
			messageTimestamp: expect.stringMatching(/^\d{10}$/),
			status: 'PENDING',
		});
		const record = sandbox.messages(DEFAULT_INSTANCE)[0];
		expect(Number(body.messageTimestamp)).toBe(Math.floor(record.doneAt / 1000));
		expect(record).toMatchObject({ done: true, response_status: 201 });
	});
});

describe('message content', () => {
	async function content(endpoint: string, json: Record<string, unknown>) {
		const result = await sendAndWait(sandbox, endpoint, { chatId: PHONE, ...json });
		expect(result.response_status).toBe(201);
		return (result.response_body as SentMessage).message;
	}

	test('send-text-safe sends text like send-text; a reply quotes the message id', async () => {
		const message = await content('send-text-safe', { text: 'Hi', reply_to: `true_${PHONE}@c.us_3EB0ABCDEF` });
		expect(message).toEqual({ extendedTextMessage: { text: 'Hi', contextInfo: { stanzaId: '3EB0ABCDEF', remoteJid: `${PHONE}@c.us` } } });
	});

	test('every phone form and the other chat kinds give the remoteJid', async () => {
		const jids = [];
		for (const chatId of [PHONE, `${PHONE}@c.us`, `${PHONE}@s.whatsapp.net`, '123456789012345@lid', '120363012345678901@g.us']) {
			const result = await sendAndWait(sandbox, 'send-text', { chatId, text: 'x' });
			jids.push((result.response_body as SentMessage).key.remoteJid);
		}
		expect(jids).toEqual([`${PHONE}@c.us`, `${PHONE}@c.us`, `${PHONE}@c.us`, '123456789012345@lid', '120363012345678901@g.us']);
	});

	test('send-image from a URL: imageMessage with the caption and a type from the extension', async () => {
		const message = await content('send-image', { url: 'https://example.com/cat.png', caption: 'A cat' });
		expect(message.imageMessage).toMatchObject({ mimetype: 'image/png', caption: 'A cat', url: expect.stringMatching(/^https:\/\/mmg\.whatsapp\.net\//) });
	});

	test('send-video: videoMessage, or ptvMessage as a note', async () => {
		expect(Object.keys(await content('send-video', { url: 'https://example.com/v.mp4' }))).toEqual(['videoMessage']);
		const note = await content('send-video', { url: 'https://example.com/v.mp4', asNote: true });
		expect(note.ptvMessage).toMatchObject({ mimetype: 'video/mp4' });
	});

	test('send-file: documentMessage with the file name and mimetype given', async () => {
		const message = await content('send-file', { url: 'https://example.com/a/report.bin', filename: 'report.pdf', mimetype: 'application/pdf' });
		expect(message.documentMessage).toMatchObject({ fileName: 'report.pdf', mimetype: 'application/pdf' });
		const named = await content('send-file', { url: 'https://example.com/a/minutes.txt' });
		expect(named.documentMessage).toMatchObject({ fileName: 'minutes.txt', mimetype: 'text/plain' });
	});

	test('send-voice: a push-to-talk audioMessage', async () => {
		const message = await content('send-voice', { url: 'https://example.com/hello.ogg' });
		expect(message.audioMessage).toMatchObject({ ptt: true, mimetype: 'audio/ogg; codecs=opus' });
	});

	test('send-location: locationMessage with the title as name', async () => {
		expect(await content('send-location', { latitude: '38.8937255', longitude: -77.0969763, title: 'Office' })).toEqual({
			locationMessage: { degreesLatitude: 38.8937255, degreesLongitude: -77.0969763, name: 'Office' },
		});
	});

	test('send-contact-card: one card is a contactMessage, several a contactsArrayMessage', async () => {
		const one = await content('send-contact-card', { contacts: [{ fullName: 'Anna Weber', phoneNumber: '+49 151 2345', organization: 'ACME' }] });
		expect(one.contactMessage).toEqual({
			displayName: 'Anna Weber',
			vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Anna Weber\nORG:ACME;\nTEL;type=CELL;type=VOICE;waid=491512345:+49 151 2345\nEND:VCARD',
		});
		const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Bo\nEND:VCARD';
		const two = await content('send-contact-card', { contacts: [{ vcard }, { fullName: 'Cy', phoneNumber: '123', whatsappId: '999@c.us' }] });
		expect(two.contactsArrayMessage).toMatchObject({ displayName: '2 contacts', contacts: [{ displayName: 'Bo', vcard }, { displayName: 'Cy' }] });
		expect((two.contactsArrayMessage.contacts as Array<{ vcard: string }>)[1].vcard).toContain('waid=999:123');
	});

	test('send-poll: pollCreationMessageV3 with one selectable option, or all for multiple answers', async () => {
		const single = await content('send-poll', { poll: { name: 'Lunch?', options: ['Pizza', 'Sushi'], multipleAnswers: false } });
		expect(single).toEqual({ pollCreationMessageV3: { name: 'Lunch?', options: [{ optionName: 'Pizza' }, { optionName: 'Sushi' }], selectableOptionsCount: 1 } });
		const multiple = await content('send-poll', { poll: { name: 'Which?', options: ['a', 'b', 'c'], multipleAnswers: true } });
		expect(multiple.pollCreationMessageV3.selectableOptionsCount).toBe(3);
	});
});
