/** The queued routes' checks: 422 at once (nothing recorded), and the outcomes a record can show: 422 malformed chatId, 404 not on WhatsApp. */
import { NOT_ON_WHATSAPP_SUFFIX } from '../../sandbox/server';
import type { Sandbox } from './helpers';
import { useSandbox } from './helpers';
import { callQueued, DEFAULT_INSTANCE, sendAndWait } from './queued-helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});
beforeEach(() => {
	sandbox.configure({ processingDelayMs: 10 });
});

const CHAT = '4915123456789@c.us';
const MESSAGE = `true_${CHAT}_3EB0000000000000000000AA`;
const POLL = { name: 'Q', options: ['a', 'b'], multipleAnswers: false };

async function rejected(endpoint: string, json: unknown, query?: Record<string, string>) {
	const response = await callQueued(sandbox, endpoint, { json, query });
	const body = (await response.json()) as { message: string; errors: Record<string, string[]> };
	expect(response.status).toBe(422);
	expect(body.message).toBe('The given data was invalid.');
	expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
	return body.errors;
}

describe('422 at once, nothing recorded', () => {
	test.each([
		['send-text', {}, { chatId: ['The chat id field is required.'], text: ['The text field is required.'] }],
		['send-text', { chatId: '  ', text: '   ' }, { chatId: ['The chat id field is required.'], text: ['The text field is required.'] }],
		['send-text', { chatId: { id: 1 }, text: 5 }, { chatId: ['The chat id field must be a string.'], text: ['The text field must be a string.'] }],
		['send-text', { chatId: CHAT, text: 'x'.repeat(65537) }, { text: ['The text field must not be greater than 65536 characters.'] }],
		['send-text-safe', { chatId: CHAT, text: 'x', link_preview: 'yes' }, { link_preview: ['The link preview field must be true or false.'] }],
		['send-location', { chatId: CHAT }, { latitude: ['The latitude field is required.'], longitude: ['The longitude field is required.'] }],
		['send-location', { chatId: CHAT, latitude: 91, longitude: -180.5 }, {
			latitude: ['The latitude field must be between -90 and 90.'],
			longitude: ['The longitude field must be between -180 and 180.'],
		}],
		['send-location', { chatId: CHAT, latitude: 'north', longitude: 0 }, { latitude: ['The latitude field must be a number.'] }],
		['send-image', { chatId: CHAT }, {
			url: ['The url field is required when file is not present.'],
			file: ['The file field is required when url is not present.'],
		}],
		['send-image', { chatId: CHAT, url: 'ftp://x/y.png' }, { url: ['The url field must be a valid URL.'] }],
		['send-image', { chatId: CHAT, url: 'https://x/y.pdf', mimetype: 'application/pdf' }, { mimetype: ['The selected mimetype is invalid.'] }],
		['send-file', { chatId: CHAT, file: 'aGVsbG8=' }, { file: ['The file field must be a file.'], url: ['The url field is required when file is not present.'] }],
		['send-video', { chatId: CHAT, url: 'https://x/v.mp4', asNote: 'maybe' }, { asNote: ['The as note field must be true or false.'] }],
		['send-contact-card', { chatId: CHAT }, { contacts: ['The contacts field is required.'] }],
		['send-contact-card', { chatId: CHAT, contacts: [] }, { contacts: ['The contacts field must have at least 1 items.'] }],
		['send-contact-card', { chatId: CHAT, contacts: [{ organization: 'ACME' }] }, {
			'contacts.0.fullName': ['The contacts.0.full name field is required when contacts.0.vcard is not present.'],
			'contacts.0.phoneNumber': ['The contacts.0.phone number field is required when contacts.0.vcard is not present.'],
		}],
		['send-poll', { chatId: CHAT }, { poll: ['The poll field is required.'] }],
		['send-poll', { chatId: CHAT, poll: { options: ['a'] } }, {
			'poll.name': ['The poll.name field is required.'],
			'poll.options': ['The poll.options field must have at least 2 items.'],
		}],
		['send-poll', { chatId: CHAT, poll: { ...POLL, options: Array.from({ length: 13 }, (_, i) => `o${i}`) } }, {
			'poll.options': ['The poll.options field must not have more than 12 items.'],
		}],
		['send-poll', { chatId: CHAT, poll: { ...POLL, options: ['a', '', 'a'] } }, {
			'poll.options.1': ['The poll.options.1 field is required.'],
			'poll.options.2': ['The poll.options.2 field has a duplicate value.'],
		}],
		['forward-message', { chatId: CHAT }, { messageId: ['The message id field is required.'] }],
		['react-to-message', { chatId: CHAT, messageId: MESSAGE }, { reaction: ['The reaction field must be present.'] }],
		['star-message', { chatId: CHAT, messageId: MESSAGE }, { star: ['The star field is required.'] }],
		['star-message', { chatId: CHAT, messageId: MESSAGE, star: 'sure' }, { star: ['The star field must be true or false.'] }],
		['send-seen', { chatId: CHAT }, { messageId: ['The message id field is required.'] }],
		['start-typing', {}, { chatId: ['The chat id field is required.'] }],
	])('%s %j', async (endpoint, json, errors) => {
		expect(await rejected(endpoint, json)).toEqual(errors);
	});

	test('delete-message reads the query, read-chat checks its query counts', async () => {
		expect(await rejected('delete-message', undefined, { chatId: CHAT })).toEqual({ messageId: ['The message id field is required.'] });
		expect(await rejected('read-chat', { chatId: CHAT }, { messages: 'all', days: '0' })).toEqual({
			messages: ['The messages field must be an integer.'],
			days: ['The days field must be at least 1.'],
		});
	});

	test('a JSON number is taken as the phone number', async () => {
		const result = await sendAndWait(sandbox, 'send-text', { chatId: 4915123456789, text: 'x' });
		expect(result.response_status).toBe(201);
	});
});

describe('422 in the record: a malformed chatId', () => {
	test.each(['abc@c.us', '49151abc', '+49 151 2345', 'someone@example.com'])('%s', async (chatId) => {
		const result = await sendAndWait(sandbox, 'send-text', { chatId, text: 'x' });
		expect(result.response_status).toBe(422);
		expect(result.response_body).toEqual({ message: 'The given data was invalid.', errors: { chatId: ['The chat id field format is invalid.'] } });
		expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([expect.objectContaining({ chatId, response_status: 422 })]);
	});
});

describe('404 in the record: not on WhatsApp', () => {
	const NOT_ON_WHATSAPP = { message: 'The number is not on WhatsApp.' };

	test(`numbers ending in ${NOT_ON_WHATSAPP_SUFFIX} are not on WhatsApp, in every phone form`, async () => {
		for (const chatId of ['15550000', '4915120000@c.us', '4915120000@s.whatsapp.net']) {
			const result = await sendAndWait(sandbox, 'send-text', { chatId, text: 'x' });
			expect(result).toMatchObject({ response_status: 404, response_body: NOT_ON_WHATSAPP });
		}
		expect((await sendAndWait(sandbox, 'send-text', { chatId: '15550001', text: 'x' })).response_status).toBe(201);
	});

	test('unless the instance has the number as a contact; groups and LIDs always exist', async () => {
		sandbox.contacts(DEFAULT_INSTANCE).push({ id: '4915120000@c.us', name: 'Known' });
		for (const chatId of ['4915120000', '120363000000000000@g.us', '100000000000000@lid']) {
			expect((await sendAndWait(sandbox, 'send-text', { chatId, text: 'x' })).response_status).toBe(201);
		}
	});

	test('every generated contact with a phone number is on WhatsApp', async () => {
		const phones = sandbox.contacts(DEFAULT_INSTANCE).filter((contact) => /^\d+@(c\.us|s\.whatsapp\.net)$/.test(contact.id)).slice(0, 20);
		for (const contact of phones) expect((await sendAndWait(sandbox, 'send-text', { chatId: contact.id, text: 'x' })).response_status).toBe(201);
	});

	test('notOnWhatsapp marks more numbers, even contacts', async () => {
		const contact = sandbox.contacts(DEFAULT_INSTANCE).find((entry) => entry.id.endsWith('@c.us'))!;
		const digits = contact.id.split('@')[0];
		sandbox.configure({ notOnWhatsapp: ['15551234567', digits] });
		for (const chatId of ['15551234567', contact.id]) {
			expect(await sendAndWait(sandbox, 'send-location', { chatId, latitude: 0, longitude: 0 })).toMatchObject({ response_status: 404, response_body: NOT_ON_WHATSAPP });
		}
	});

	test('applies to actions too, before the message is looked up', async () => {
		const result = await sendAndWait(sandbox, 'star-message', { chatId: '15550000', messageId: MESSAGE, star: true });
		expect(result).toMatchObject({ response_status: 404, response_body: NOT_ON_WHATSAPP });
	});
});
