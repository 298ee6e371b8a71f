/** POST /contacts/upsert: the effect on the address book, validation, the delay and repeat modes, and faults. */
import type { Contact, Sandbox } from './helpers';
import { callApi, DEFAULT_INSTANCE, getAllContacts, getContact, readJson, sleep, upsert, useSandbox } from './helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

const NEW_NUMBER = '4915199990000';

function contactWith(suffix: string): Contact {
	return sandbox.expected(DEFAULT_INSTANCE, 'id').find((contact) => contact.id.endsWith(suffix)) as Contact;
}

describe('effect', () => {
	test('answers 200 with the documented body', async () => {
		const response = await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Ada' });
		expect(response.status).toBe(200);
		expect(await readJson(response)).toEqual({ message: 'Contact upserted successfully.', data: { success: true } });
	});

	test('names an existing contact "first last" and keeps its pushname', async () => {
		const contact = { ...contactWith('@c.us') };
		await upsert(sandbox, { chat_id: contact.id, first_name: 'Ada', last_name: 'Lovelace' });
		expect(await getContact(sandbox, contact.id)).toEqual({ ...contact, name: 'Ada Lovelace' });
	});

	test('uses the first name alone when no last name is given', async () => {
		const contact = contactWith('@lid');
		await upsert(sandbox, { chat_id: contact.id, first_name: 'Ada', last_name: '' });
		expect((await getContact(sandbox, contact.id))?.name).toBe('Ada');
	});

	test('shows the new name in get-all, in name order', async () => {
		const contact = contactWith('@c.us');
		await upsert(sandbox, { chat_id: contact.id, first_name: '!first' });
		const all = await getAllContacts(sandbox);
		expect(all.find((candidate) => candidate.id === contact.id)?.name).toBe('!first');
		expect(sandbox.expected(DEFAULT_INSTANCE)).toEqual(all);
	});

	test('creates <number>@c.us for an unknown bare number', async () => {
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'New', last_name: 'Person' });
		expect(await getContact(sandbox, NEW_NUMBER)).toEqual({ id: `${NEW_NUMBER}@c.us`, name: 'New Person' });
		expect((await getAllContacts(sandbox)).map((contact) => contact.id)).toContain(`${NEW_NUMBER}@c.us`);
	});

	test('creates a contact under the exact id given for an unknown @lid', async () => {
		await upsert(sandbox, { chat_id: '777000111@lid', first_name: 'Linked' });
		expect(sandbox.contact(DEFAULT_INSTANCE, '777000111@lid')).toEqual({ id: '777000111@lid', name: 'Linked' });
	});

	test('renames the LID a bare number is linked to instead of creating a @c.us contact', async () => {
		const [{ id, phone }] = sandbox.linkedPhones(DEFAULT_INSTANCE);
		const size = sandbox.contacts(DEFAULT_INSTANCE).length;
		await upsert(sandbox, { chat_id: phone, first_name: 'Found' });
		expect(sandbox.contact(DEFAULT_INSTANCE, id)?.name).toBe('Found');
		expect(sandbox.contacts(DEFAULT_INSTANCE)).toHaveLength(size);
	});

	test('accepts a form-urlencoded body', async () => {
		const body = new URLSearchParams({ chat_id: NEW_NUMBER, first_name: 'Form' }).toString();
		const response = await callApi(sandbox, 'upsert', {}, { body, contentType: 'application/x-www-form-urlencoded' });
		expect(response.status).toBe(200);
		expect((await getContact(sandbox, NEW_NUMBER))?.name).toBe('Form');
	});

	test('accepts a multipart/form-data body', async () => {
		const form = new FormData();
		form.append('chat_id', NEW_NUMBER);
		form.append('first_name', 'Multi');
		form.append('last_name', 'Part');
		const response = await fetch(`${sandbox.baseUrl}/${DEFAULT_INSTANCE}/contacts/upsert`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${sandbox.token}` },
			body: form,
		});
		expect(response.status).toBe(200);
		expect((await getContact(sandbox, NEW_NUMBER))?.name).toBe('Multi Part');
	});

	test('records the body and the chat id in the request log', async () => {
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Ada' });
		expect(sandbox.requests[0]).toMatchObject({
			kind: 'api',
			method: 'POST',
			chat_id: NEW_NUMBER,
			body: { chat_id: NEW_NUMBER, first_name: 'Ada' },
			status: 200,
		});
		expect(sandbox.requests[0].headers['content-type']).toBe('application/json');
	});
});

describe('validation', () => {
	async function errorsFor(fields: Record<string, unknown>) {
		const response = await upsert(sandbox, fields);
		expect(response.status).toBe(422);
		return readJson(response);
	}

	test('answers 422 when first_name is missing', async () => {
		expect(await errorsFor({ chat_id: NEW_NUMBER })).toEqual({
			message: 'The first name field is required.',
			errors: { first_name: ['The first name field is required.'] },
		});
	});

	test('answers 422 when first_name is only spaces', async () => {
		expect((await errorsFor({ chat_id: NEW_NUMBER, first_name: '  ' })).errors).toEqual({ first_name: ['The first name field is required.'] });
	});

	test('answers 422 when first_name is not a string', async () => {
		expect((await errorsFor({ chat_id: NEW_NUMBER, first_name: 42 })).errors).toEqual({ first_name: ['The first name field must be a string.'] });
	});

	test('answers 422 when chat_id is missing', async () => {
		expect(await errorsFor({ first_name: 'Ada' })).toEqual({
			message: 'The chat id field is required.',
			errors: { chat_id: ['The chat id field is required.'] },
		});
	});

	test('names every missing field and counts the others in the message', async () => {
		const body = await errorsFor({});
		expect(body.message).toBe('The chat id field is required. (and 1 more error)');
		expect(Object.keys(body.errors ?? {})).toEqual(['chat_id', 'first_name']);
	});

	test.each(['+4915112345678', 'someone', '120363000000000000@g.us'])('answers 422 for the chat id %j', async (chatId) => {
		expect((await errorsFor({ chat_id: chatId, first_name: 'Ada' })).errors).toEqual({ chat_id: ['The chat id field format is invalid.'] });
	});

	test('takes a JSON number as the phone number', async () => {
		expect((await upsert(sandbox, { chat_id: Number(NEW_NUMBER), first_name: 'Num' })).status).toBe(200);
		expect((await getContact(sandbox, NEW_NUMBER))?.name).toBe('Num');
	});

	test('reads an unreadable JSON body as no fields at all (422)', async () => {
		const response = await callApi(sandbox, 'upsert', {}, { body: '{"chat_id": "1", ', contentType: 'application/json' });
		expect(response.status).toBe(422);
		expect(Object.keys((await readJson(response)).errors ?? {})).toEqual(['chat_id', 'first_name']);
	});

	test('reads a body of another content type as no fields at all (422)', async () => {
		const response = await callApi(sandbox, 'upsert', {}, { body: 'chat_id=1&first_name=A', contentType: 'text/plain' });
		expect(response.status).toBe(422);
	});

	test('answers 401 without a token, before validating', async () => {
		const response = await upsert(sandbox, {}, { authorization: null });
		expect(response.status).toBe(401);
		expect(await readJson(response)).toEqual({ message: 'Unauthenticated.' });
	});

	test('answers 404 for an unknown instance', async () => {
		const response = await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Ada' }, { instance: 'no-such-instance' });
		expect(response.status).toBe(404);
		expect(await readJson(response)).toEqual({ message: 'Instance not found.' });
	});

	test('answers 405 for GET', async () => {
		const response = await callApi(sandbox, 'upsert', { chat_id: NEW_NUMBER, first_name: 'Ada' });
		expect(response.status).toBe(405);
		expect(response.headers.get('allow')).toBe('POST');
	});
});

describe('upsertDelayMs', () => {
	test('keeps the change out of Get and get-all until the delay has passed', async () => {
		sandbox.configure({ upsertDelayMs: 300 });
		const contact = contactWith('@c.us');
		const before = contact.name;
		expect((await upsert(sandbox, { chat_id: contact.id, first_name: 'Later' })).status).toBe(200);
		expect((await getContact(sandbox, contact.id))?.name).toBe(before);
		expect((await getAllContacts(sandbox)).find((candidate) => candidate.id === contact.id)?.name).toBe(before);
		await sleep(350);
		expect((await getContact(sandbox, contact.id))?.name).toBe('Later');
		expect((await getAllContacts(sandbox)).find((candidate) => candidate.id === contact.id)?.name).toBe('Later');
	});

	test('keeps a new contact unknown (404) until the delay has passed', async () => {
		sandbox.configure({ upsertDelayMs: 200 });
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Soon' });
		expect(await getContact(sandbox, NEW_NUMBER)).toBeUndefined();
		await sleep(250);
		expect((await getContact(sandbox, NEW_NUMBER))?.name).toBe('Soon');
	});
});

describe('upsertCallsNeeded', () => {
	test('applies the change only at the Nth identical call', async () => {
		sandbox.configure({ upsertCallsNeeded: 3 });
		const fields = { chat_id: NEW_NUMBER, first_name: 'Third', last_name: 'Time' };
		for (let call = 1; call <= 2; call++) {
			expect((await upsert(sandbox, fields)).status).toBe(200);
			expect(await getContact(sandbox, NEW_NUMBER)).toBeUndefined();
		}
		await upsert(sandbox, fields);
		expect((await getContact(sandbox, NEW_NUMBER))?.name).toBe('Third Time');
	});

	test('starts counting again when the name changes', async () => {
		sandbox.configure({ upsertCallsNeeded: 2 });
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'One' });
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Two' });
		expect(await getContact(sandbox, NEW_NUMBER)).toBeUndefined();
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Two' });
		expect((await getContact(sandbox, NEW_NUMBER))?.name).toBe('Two');
	});

	test('works together with the delay', async () => {
		sandbox.configure({ upsertCallsNeeded: 2, upsertDelayMs: 150 });
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Both' });
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Both' });
		expect(await getContact(sandbox, NEW_NUMBER)).toBeUndefined();
		await sleep(200);
		expect((await getContact(sandbox, NEW_NUMBER))?.name).toBe('Both');
	});
});

describe('upsert call counts', () => {
	test('count every accepted call per chat, whichever form names it', async () => {
		const [{ id, phone }] = sandbox.linkedPhones(DEFAULT_INSTANCE);
		await upsert(sandbox, { chat_id: id, first_name: 'A' });
		await upsert(sandbox, { chat_id: phone, first_name: 'B' });
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, id)).toBe(2);
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, phone)).toBe(2);
		expect(sandbox.upsertCallCounts(DEFAULT_INSTANCE)).toEqual({ [id]: 2 });
	});

	test('leave out calls refused by validation or auth', async () => {
		await upsert(sandbox, { chat_id: NEW_NUMBER });
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'A' }, { authorization: null });
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, NEW_NUMBER)).toBe(0);
	});

	test('start afresh with a new contact list but survive setContacts of the live list', async () => {
		await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'A' });
		sandbox.setContacts(DEFAULT_INSTANCE, sandbox.contacts(DEFAULT_INSTANCE));
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, NEW_NUMBER)).toBe(1);
		sandbox.setContacts(DEFAULT_INSTANCE, []);
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, NEW_NUMBER)).toBe(0);
	});
});

describe('faults', () => {
	test('in phase before, a 503 leaves the contact unchanged and the call uncounted', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['503'], phase: 'before' } });
		expect((await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Lost' })).status).toBe(503);
		sandbox.configure({ faults: { rate: 0 } });
		expect(await getContact(sandbox, NEW_NUMBER)).toBeUndefined();
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, NEW_NUMBER)).toBe(0);
	});

	test('in phase after, a 503 comes back although the change was applied', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['503'], phase: 'after' } });
		const response = await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Applied' });
		expect(response.status).toBe(503);
		expect(await readJson(response)).toEqual({ message: 'Service Unavailable' });
		sandbox.configure({ faults: { rate: 0 } });
		expect((await getContact(sandbox, NEW_NUMBER))?.name).toBe('Applied');
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, NEW_NUMBER)).toBe(1);
	});

	test('in phase after, a dropped connection still applies the change', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['reset'], phase: 'after' } });
		await expect(upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Reset' })).rejects.toThrow();
		sandbox.configure({ faults: { rate: 0 } });
		expect(sandbox.contact(DEFAULT_INSTANCE, NEW_NUMBER)?.name).toBe('Reset');
		expect(sandbox.requests[0]).toMatchObject({ fault: 'reset', status: null, body: { first_name: 'Reset' } });
	});

	test('a retry after a phase-after fault is the second identical call', async () => {
		sandbox.configure({ upsertCallsNeeded: 2, faults: { rate: 1, kinds: ['504'], phase: 'after' } });
		expect((await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Retry' })).status).toBe(504);
		sandbox.configure({ faults: { rate: 0 } });
		expect((await upsert(sandbox, { chat_id: NEW_NUMBER, first_name: 'Retry' })).status).toBe(200);
		expect((await getContact(sandbox, NEW_NUMBER))?.name).toBe('Retry');
	});
});
