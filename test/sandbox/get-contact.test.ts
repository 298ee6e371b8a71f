/** GET /contacts/get?chat_id=: every chat id form, phone → LID, and the errors. */
import type { Contact, Sandbox } from './helpers';
import { callApi, DEFAULT_INSTANCE, getContact, readJson, useSandbox } from './helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

function contactWith(suffix: string): Contact {
	return sandbox.expected(DEFAULT_INSTANCE, 'id').find((contact) => contact.id.endsWith(suffix)) as Contact;
}

const digitsOf = (contact: Contact) => contact.id.split('@')[0];

describe('found', () => {
	test('answers 200 with the contact and the documented message', async () => {
		const contact = contactWith('@c.us');
		const response = await callApi(sandbox, 'get', { chat_id: contact.id });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json');
		expect(await readJson(response)).toEqual({ message: 'Contact retrieved successfully.', data: contact });
	});

	test.each(['@c.us', '@s.whatsapp.net', '@lid', '@g.us'])('finds a contact by its exact %s id', async (suffix) => {
		const contact = contactWith(suffix);
		expect(await getContact(sandbox, contact.id)).toEqual(contact);
	});

	test('finds a @c.us contact by its bare phone number', async () => {
		const contact = contactWith('@c.us');
		expect(await getContact(sandbox, digitsOf(contact))).toEqual(contact);
	});

	test('finds a @s.whatsapp.net contact by its bare phone number', async () => {
		const contact = contactWith('@s.whatsapp.net');
		expect(await getContact(sandbox, digitsOf(contact))).toEqual(contact);
	});

	test('finds a @lid contact by the phone number linked to it (phone → LID)', async () => {
		const [{ id, phone }] = sandbox.linkedPhones(DEFAULT_INSTANCE);
		const found = await getContact(sandbox, phone);
		expect(found?.id).toBe(id);
		expect(id).toMatch(/@lid$/);
	});

	test('does not find a LID by its linked phone written as @c.us (ids with @ match exactly)', async () => {
		const [{ phone }] = sandbox.linkedPhones(DEFAULT_INSTANCE);
		expect(await getContact(sandbox, `${phone}@c.us`)).toBeUndefined();
	});

	test('serves the same contact object get-all serves, absent names left absent', async () => {
		const contact = sandbox.expected(DEFAULT_INSTANCE).find((candidate) => !('name' in candidate)) as Contact;
		expect(await getContact(sandbox, contact.id)).toEqual(contact);
		expect(Object.keys((await getContact(sandbox, contact.id)) as Contact)).not.toContain('name');
	});

	test('trims the chat id as Laravel does', async () => {
		const contact = contactWith('@lid');
		expect(await getContact(sandbox, `  ${contact.id} `)).toEqual(contact);
	});
});

describe('not found', () => {
	test('answers 404 "Contact not found." for an unknown number', async () => {
		const response = await callApi(sandbox, 'get', { chat_id: '999000111222' });
		expect(response.status).toBe(404);
		expect(await readJson(response)).toEqual({ message: 'Contact not found.' });
	});

	test('answers 404 for an unknown @lid', async () => {
		expect((await callApi(sandbox, 'get', { chat_id: '1234567@lid' })).status).toBe(404);
	});
});

describe('errors', () => {
	const required = { message: 'The chat id field is required.', errors: { chat_id: ['The chat id field is required.'] } };

	test('answers 422 when chat_id is missing', async () => {
		const response = await callApi(sandbox, 'get');
		expect(response.status).toBe(422);
		expect(await readJson(response)).toEqual(required);
	});

	test.each(['', '   '])('answers 422 when chat_id is %j', async (chatId) => {
		const response = await callApi(sandbox, 'get', { chat_id: chatId });
		expect(response.status).toBe(422);
		expect(await readJson(response)).toEqual(required);
	});

	test.each(['+4915112345678', '49 151 123', 'maria', '123@c.us.example', '12a@c.us', '@lid'])(
		'answers 422 "format is invalid" for %j',
		async (chatId) => {
			const response = await callApi(sandbox, 'get', { chat_id: chatId });
			expect(response.status).toBe(422);
			expect((await readJson(response)).errors).toEqual({ chat_id: ['The chat id field format is invalid.'] });
		},
	);

	test('answers 401 without a token', async () => {
		const response = await callApi(sandbox, 'get', { chat_id: '1' }, { authorization: null });
		expect(response.status).toBe(401);
		expect(await readJson(response)).toEqual({ message: 'Unauthenticated.' });
	});

	test('answers 401 with a wrong token', async () => {
		expect((await callApi(sandbox, 'get', { chat_id: '1' }, { authorization: 'Bearer nope' })).status).toBe(401);
	});

	test('answers 404 "Instance not found." for an unknown instance', async () => {
		const response = await callApi(sandbox, 'get', { chat_id: '1' }, { instance: 'no-such-instance' });
		expect(response.status).toBe(404);
		expect(await readJson(response)).toEqual({ message: 'Instance not found.' });
	});

	test('answers 405 for POST', async () => {
		const response = await callApi(sandbox, 'get', { chat_id: '1' }, { method: 'POST' });
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('GET, HEAD');
	});
});

test('logs the chat id it was asked for', async () => {
	await callApi(sandbox, 'get', { chat_id: '4915112345678' });
	expect(sandbox.requests[0]).toMatchObject({ kind: 'api', method: 'GET', chat_id: '4915112345678', body: null, status: 404 });
	expect(sandbox.requests[0].query.chat_id).toBe('4915112345678');
});
