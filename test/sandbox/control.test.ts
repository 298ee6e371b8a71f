/** The request log, the sandbox object's controls and the /__sandbox control endpoints. */
import { API_BASE_PATH, DEFAULT_TOKEN } from '../../sandbox/server';
import type { Contact, Sandbox } from './helpers';
import { callApi, control, DEFAULT_INSTANCE, getContact, postJson, readJson, upsert, useSandbox } from './helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

const getPage = (query: Record<string, string> = {}) => callApi(sandbox, 'get-all', query);

describe('request log', () => {
	test('records each API request with its raw query and outcome', async () => {
		await getPage({ limit: '5', offset: '10', sort_by: 'id', sort_order: 'desc' });
		await callApi(sandbox, 'get-all', {}, { authorization: null });
		await callApi(sandbox, 'get-all', {}, { authorization: 'Bearer wrong' });
		expect(sandbox.requests).toHaveLength(3);
		expect(sandbox.requests[0]).toMatchObject({
			method: 'GET',
			path: `${API_BASE_PATH}/${DEFAULT_INSTANCE}/contacts/get-all`,
			instance: DEFAULT_INSTANCE,
			query: { limit: '5', offset: '10', sort_by: 'id', sort_order: 'desc' },
			authorization: 'present',
			accept: 'application/json',
			status: 200,
			fault: null,
		});
		expect(typeof sandbox.requests[0].at).toBe('number');
		expect(sandbox.requests.slice(1).map((request) => request.authorization)).toEqual(['missing', 'wrong']);
		sandbox.resetRequests();
		expect(sandbox.requests).toHaveLength(0);
	});

	test('marks API requests as kind api, with their headers and no body for GET', async () => {
		await getPage();
		expect(sandbox.requests[0]).toMatchObject({ kind: 'api', body: null, chat_id: null });
		expect(sandbox.requests[0].headers.accept).toBe('application/json');
	});

	test('never contains a token, right or wrong', async () => {
		await getPage();
		await callApi(sandbox, 'get-all', {}, { authorization: 'Bearer some-secret-guess' });
		const served = await (await control(sandbox, '/requests')).text();
		for (const text of [JSON.stringify(sandbox.requests), served]) {
			expect(text).not.toContain(DEFAULT_TOKEN);
			expect(text).not.toContain('some-secret-guess');
		}
	});
});

describe('sandbox object', () => {
	test('contact() finds a contact the way Get does, or gives null', () => {
		const [{ id, phone }] = sandbox.linkedPhones(DEFAULT_INSTANCE);
		expect(sandbox.contact(DEFAULT_INSTANCE, phone)?.id).toBe(id);
		expect(sandbox.contact(DEFAULT_INSTANCE, '999000111222')).toBeNull();
	});

	test('contact() refuses a malformed chat id and an unknown instance', () => {
		expect(() => sandbox.contact(DEFAULT_INSTANCE, '+49 151')).toThrow(/not a phone number/);
		expect(() => sandbox.contact('nope', '1')).toThrow(/unknown instance/);
	});

	test('contact() returns a copy', () => {
		const contact = sandbox.expected(DEFAULT_INSTANCE)[0];
		(sandbox.contact(DEFAULT_INSTANCE, contact.id) as Contact).name = 'changed';
		expect(sandbox.contact(DEFAULT_INSTANCE, contact.id)?.name).toBe(contact.name);
	});

	test('setLinkedPhone links a number to a LID so Get finds it by that number', async () => {
		const lid = sandbox.expected(DEFAULT_INSTANCE, 'id').find((contact) => contact.id.endsWith('@lid')) as Contact;
		sandbox.setLinkedPhone(DEFAULT_INSTANCE, lid.id, '15550001111');
		expect((await getContact(sandbox, '15550001111'))?.id).toBe(lid.id);
		sandbox.setLinkedPhone(DEFAULT_INSTANCE, lid.id, null);
		expect(await getContact(sandbox, '15550001111')).toBeUndefined();
	});

	test('setLinkedPhone refuses contacts that are not @lid', () => {
		const contact = sandbox.expected(DEFAULT_INSTANCE, 'id').find((candidate) => candidate.id.endsWith('@c.us')) as Contact;
		expect(() => sandbox.setLinkedPhone(DEFAULT_INSTANCE, contact.id, '15550001111')).toThrow(/@lid/);
	});

	test('configure() returns the settings in force, new ones included', () => {
		expect(sandbox.configure({ upsertDelayMs: 5, upsertCallsNeeded: 2, pictureTtlMs: 1000, faults: { phase: 'after' } })).toMatchObject({
			upsertDelayMs: 5,
			upsertCallsNeeded: 2,
			pictureTtlMs: 1000,
			faults: { phase: 'after', rate: 0 },
		});
	});

	test('configure() takes the queued-processing settings, defaulting to 500 ms, no safe delay and no extra numbers', () => {
		expect(sandbox.configure({})).toMatchObject({ processingDelayMs: 500, safeDelayMs: 0, notOnWhatsapp: [] });
		const settings = sandbox.configure({ processingDelayMs: 50, safeDelayMs: 1000, notOnWhatsapp: ['15551234567'] });
		expect(settings).toMatchObject({ processingDelayMs: 50, safeDelayMs: 1000, notOnWhatsapp: ['15551234567'] });
		settings.notOnWhatsapp.push('1');
		expect(sandbox.configure({}).notOnWhatsapp).toEqual(['15551234567']);
	});

	test.each([
		{ upsertDelayMs: -1 },
		{ upsertCallsNeeded: 0 },
		{ upsertCallsNeeded: 1.5 },
		{ pictureTtlMs: Number.NaN },
		{ processingDelayMs: -5 },
		{ safeDelayMs: '10' },
		{ notOnWhatsapp: '15551234567' },
		{ notOnWhatsapp: ['+15551234567'] },
	] as Array<Record<string, unknown>>)(
		'configure() refuses %j',
		(changes) => {
			expect(() => sandbox.configure(changes as never)).toThrow();
		},
	);
});

describe('control endpoints', () => {
	test('health answers ok', async () => {
		expect(await readJson(await control(sandbox, '/health'))).toEqual({ ok: true });
	});

	test('requests lists the log and reset clears it', async () => {
		await getPage({ limit: '1' });
		const log = await readJson(await control(sandbox, '/requests'));
		expect(log.count).toBe(1);
		expect(log.requests?.[0].query.limit).toBe('1');
		expect((await control(sandbox, '/reset', { method: 'POST' })).status).toBe(200);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('requests?kind= lists one kind only', async () => {
		await getPage({ limit: '1' });
		expect((await readJson(await control(sandbox, '/requests?kind=picture'))).count).toBe(0);
		expect((await readJson(await control(sandbox, '/requests?kind=api'))).count).toBe(1);
	});

	test('contacts serves the expected order', async () => {
		const body = await readJson(await control(sandbox, `/contacts/${DEFAULT_INSTANCE}?sort_by=id&sort_order=desc`));
		expect(body.data).toEqual(sandbox.expected(DEFAULT_INSTANCE, 'id', 'desc'));
		expect((await control(sandbox, '/contacts/nope')).status).toBe(404);
	});

	test('config changes behaviour at run time and rejects bad values', async () => {
		expect((await postJson(sandbox, '/config', { faults: { rate: 1, kinds: ['503'] } })).status).toBe(200);
		expect((await getPage()).status).toBe(503);
		expect((await postJson(sandbox, '/config', { faults: { rate: 2 } })).status).toBe(400);
		expect((await postJson(sandbox, '/config', { faults: { rate: 0 } })).status).toBe(200);
		expect((await getPage()).status).toBe(200);
	});

	test('config takes the upsert modes, the picture TTL and the fault phase', async () => {
		const response = await postJson(sandbox, '/config', { upsertCallsNeeded: 2, upsertDelayMs: 0, pictureTtlMs: 60000, faults: { phase: 'after' } });
		expect(response.status).toBe(200);
		expect((await readJson(response)).config).toMatchObject({ upsertCallsNeeded: 2, pictureTtlMs: 60000, faults: { phase: 'after' } });
		expect((await postJson(sandbox, '/config', { upsertCallsNeeded: 0 })).status).toBe(400);
	});

	test('config takes the queued-processing settings and refuses bad ones, changing nothing', async () => {
		const response = await postJson(sandbox, '/config', { processingDelayMs: 0, notOnWhatsapp: ['15551234567'] });
		expect((await readJson(response)).config).toMatchObject({ processingDelayMs: 0, notOnWhatsapp: ['15551234567'] });
		expect((await postJson(sandbox, '/config', { processingDelayMs: 1, notOnWhatsapp: [15551234567] })).status).toBe(400);
		expect(sandbox.configure({})).toMatchObject({ processingDelayMs: 0, notOnWhatsapp: ['15551234567'] });
	});

	test('contact finds a contact by chat id', async () => {
		const [{ id, phone }] = sandbox.linkedPhones(DEFAULT_INSTANCE);
		expect((await readJson(await control(sandbox, `/contact/${DEFAULT_INSTANCE}?chat_id=${phone}`))).data).toMatchObject({ id });
		expect((await readJson(await control(sandbox, `/contact/${DEFAULT_INSTANCE}?chat_id=999000111`))).data).toBeNull();
		expect((await control(sandbox, `/contact/${DEFAULT_INSTANCE}?chat_id=bad`)).status).toBe(400);
	});

	test('upsert-calls counts the upsert calls of one chat, or of all', async () => {
		await upsert(sandbox, { chat_id: '4915100000001', first_name: 'A' });
		await upsert(sandbox, { chat_id: '4915100000001@c.us', first_name: 'A' });
		const one = await readJson(await control(sandbox, `/upsert-calls/${DEFAULT_INSTANCE}?chat_id=4915100000001`));
		expect(one).toEqual({ chat_id: '4915100000001', calls: 2 });
		const all = await readJson(await control(sandbox, `/upsert-calls/${DEFAULT_INSTANCE}`));
		expect(all.data).toEqual({ '4915100000001@c.us': 2 });
	});

	test('hidden-pictures reads and sets the hidden pictures', async () => {
		const contact = sandbox.expected(DEFAULT_INSTANCE)[0];
		const response = await postJson(sandbox, `/hidden-pictures/${DEFAULT_INSTANCE}`, { ids: [contact.id], seeded: false });
		expect(response.status).toBe(200);
		expect((await readJson(await control(sandbox, `/hidden-pictures/${DEFAULT_INSTANCE}`))).data).toEqual([contact.id]);
		expect((await postJson(sandbox, `/hidden-pictures/${DEFAULT_INSTANCE}`, { ids: 'x' })).status).toBe(400);
	});

	test('linked-phones reads and sets the phone numbers behind LIDs', async () => {
		const phones = (await readJson(await control(sandbox, `/linked-phones/${DEFAULT_INSTANCE}`))).data as Array<{ id: string; phone: string }>;
		expect(phones).toEqual(sandbox.linkedPhones(DEFAULT_INSTANCE));
		expect((await postJson(sandbox, `/linked-phones/${DEFAULT_INSTANCE}`, { id: phones[0].id, phone: '15550002222' })).status).toBe(200);
		expect(sandbox.contact(DEFAULT_INSTANCE, '15550002222')?.id).toBe(phones[0].id);
	});

	test.each(['/contact/nope?chat_id=1', '/upsert-calls/nope', '/hidden-pictures/nope', '/linked-phones/nope'])(
		'%s answers 404 for an unknown instance',
		async (route) => {
			const response = await control(sandbox, route);
			expect(response.status).toBe(404);
			expect(await readJson(response)).toEqual({ message: 'Instance not found.' });
		},
	);

	test('answers 404 for an unknown control endpoint', async () => {
		expect((await control(sandbox, '/nothing-here')).status).toBe(404);
	});
});
