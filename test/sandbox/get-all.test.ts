/** GET /contacts/get-all: auth, routing, validation, paging and sorting. */
import { API_BASE_PATH, sortContacts, startSandbox } from '../../sandbox/server';
import type { CallOptions, Contact, Sandbox } from './helpers';
import { callApi, DEFAULT_INSTANCE, readJson, SIZE, useSandbox } from './helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

function getContacts(query: Record<string, string> = {}, options: CallOptions = {}): Promise<Response> {
	return callApi(sandbox, 'get-all', query, options);
}

async function getPage(query: Record<string, string> = {}, instance = DEFAULT_INSTANCE): Promise<Contact[]> {
	const response = await getContacts(query, { instance });
	expect(response.status).toBe(200);
	return ((await readJson(response)).data as Contact[]) ?? [];
}

async function readAllPages(limit: number, sortBy: string, sortOrder: string, instance = DEFAULT_INSTANCE): Promise<Contact[]> {
	const all: Contact[] = [];
	for (let offset = 0; ; offset += limit) {
		const page = await getPage({ limit: String(limit), offset: String(offset), sort_by: sortBy, sort_order: sortOrder }, instance);
		all.push(...page);
		if (page.length < limit) return all;
	}
}

/** The documented order, checked pair by pair without using the sandbox's own sort. */
function expectServedOrder(list: Contact[], sortBy: 'id' | 'name', sortOrder: 'asc' | 'desc') {
	const key = (contact: Contact) => (sortBy === 'id' ? contact.id : (contact.name ?? ''));
	for (let i = 1; i < list.length; i++) {
		const [previous, current] = [list[i - 1], list[i]];
		const [a, b] = [key(previous), key(current)];
		if (a === b) expect(previous.id < current.id).toBe(true);
		else expect(sortOrder === 'asc' ? a < b : a > b).toBe(true);
	}
}

describe('startSandbox', () => {
	test('listens on 127.0.0.1 and exposes the API base path', () => {
		expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
		expect(sandbox.baseUrl).toBe(`http://127.0.0.1:${sandbox.port}${API_BASE_PATH}`);
		expect(API_BASE_PATH).toBe('/api/whatsapp/v2');
		expect(sandbox.token).toBe('sandbox-token');
	});

	test('refuses to bind anywhere but loopback', async () => {
		await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/127\.0\.0\.1/);
	});

	test('serves one instance of 2500 contacts by default and explicit lists when given', async () => {
		const explicit = [{ id: '1@c.us', name: 'Only' }];
		const other = await startSandbox({});
		const withList = await startSandbox({ instances: { mine: { contacts: explicit } } });
		try {
			expect(other.contacts(DEFAULT_INSTANCE)).toHaveLength(2500);
			expect(withList.expected('mine')).toEqual(explicit);
		} finally {
			await Promise.all([other.close(), withList.close()]);
		}
	});
});

describe('authentication', () => {
	test('answers 401 without an Authorization header', async () => {
		const response = await getContacts({}, { authorization: null });
		expect(response.status).toBe(401);
		expect(await readJson(response)).toEqual({ message: 'Unauthenticated.' });
	});

	test('answers 401 with a wrong token', async () => {
		const response = await getContacts({}, { authorization: 'Bearer not-the-token' });
		expect(response.status).toBe(401);
		expect(await readJson(response)).toEqual({ message: 'Unauthenticated.' });
	});

	test('checks the token before the instance', async () => {
		const response = await getContacts({}, { authorization: null, instance: 'no-such-instance' });
		expect(response.status).toBe(401);
	});
});

describe('routing', () => {
	test('answers 404 for an unknown instance', async () => {
		const response = await getContacts({}, { instance: 'no-such-instance' });
		expect(response.status).toBe(404);
		expect(await readJson(response)).toEqual({ message: 'Instance not found.' });
	});

	test('treats an instance segment with an encoded slash as unknown', async () => {
		const response = await getContacts({}, { instance: `${DEFAULT_INSTANCE}/x` });
		expect(response.status).toBe(404);
		expect(await readJson(response)).toEqual({ message: 'Instance not found.' });
	});

	test('answers 404 JSON for other paths', async () => {
		const response = await fetch(`${sandbox.baseUrl}/${DEFAULT_INSTANCE}/contacts`);
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toBe('application/json');
		expect((await readJson(response)).message).toMatch(/could not be found/);
	});

	test('answers 405 JSON for other methods', async () => {
		const response = await getContacts({}, { method: 'POST' });
		expect(response.status).toBe(405);
		expect((await readJson(response)).message).toMatch(/POST method is not supported/);
	});
});

describe('validation', () => {
	test.each([
		['limit', 'abc', 'The limit field must be an integer.'],
		['limit', '1.5', 'The limit field must be an integer.'],
		['limit', '0', 'The limit field must be at least 1.'],
		['limit', '1001', 'The limit field must not be greater than 1000.'],
		['offset', 'x', 'The offset field must be an integer.'],
		['offset', '-1', 'The offset field must be at least 0.'],
		['sort_by', 'email', 'The selected sort by is invalid.'],
		['sort_order', 'up', 'The selected sort order is invalid.'],
	])('rejects %s=%s with 422 "%s"', async (field, value, message) => {
		const response = await getContacts({ [field]: value });
		expect(response.status).toBe(422);
		expect(await readJson(response)).toEqual({ message, errors: { [field]: [message] }, statusCode: 422 });
	});

	test('counts the further errors in the message the way Laravel does', async () => {
		const two = await readJson(await getContacts({ limit: '0', sort_by: 'x' }));
		expect(two.message).toBe('The limit field must be at least 1. (and 1 more error)');
		const four = await readJson(await getContacts({ limit: 'a', offset: '-2', sort_by: 'x', sort_order: 'y' }));
		expect(four.message).toBe('The limit field must be an integer. (and 3 more errors)');
		expect(Object.keys(four.errors ?? {})).toEqual(['limit', 'offset', 'sort_by', 'sort_order']);
	});

	test('accepts the boundary values 1 and 1000', async () => {
		expect(await getPage({ limit: '1' })).toHaveLength(1);
		expect(await getPage({ limit: '1000' })).toHaveLength(SIZE);
	});
});

describe('contacts', () => {
	test('defaults to 100 contacts from offset 0 sorted by name ascending', async () => {
		const response = await getContacts();
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json');
		const body = await readJson(response);
		expect(body.message).toBe('Contacts retrieved successfully.');
		expect(body.data).toEqual(sandbox.expected(DEFAULT_INSTANCE).slice(0, 100));
		expect(sandbox.expected(DEFAULT_INSTANCE)).toEqual(sandbox.expected(DEFAULT_INSTANCE, 'name', 'asc'));
	});

	test.each([
		['name', 'asc'],
		['name', 'desc'],
		['id', 'asc'],
		['id', 'desc'],
	] as const)('pages through every contact once sorted by %s %s', async (sortBy, sortOrder) => {
		const all = await readAllPages(70, sortBy, sortOrder);
		expect(all).toEqual(sandbox.expected(DEFAULT_INSTANCE, sortBy, sortOrder));
		expect(new Set(all.map((contact) => contact.id)).size).toBe(SIZE);
		expectServedOrder(all, sortBy, sortOrder);
	});

	test('sorts missing and empty names as "" and breaks ties by id ascending in both orders', async () => {
		sandbox.setContacts('ties', [
			{ id: '3@c.us', name: 'Bob' },
			{ id: '1@c.us', name: 'Bob' },
			{ id: '2@c.us' },
			{ id: '4@c.us', name: '' },
			{ id: '5@c.us', name: 'alice' },
			{ id: '6@c.us', name: 'Zed' },
		]);
		const ids = (list: Contact[]) => list.map((contact) => contact.id[0]).join('');
		expect(ids(await getPage({ sort_by: 'name', sort_order: 'asc' }, 'ties'))).toBe('241365');
		expect(ids(await getPage({ sort_by: 'name', sort_order: 'desc' }, 'ties'))).toBe('561324');
	});

	test('compares names by UTF-16 code units, not by locale', () => {
		const list = ['zoe', 'Zoë', 'Zoe', 'Émile', 'Ana'].map((name, i) => ({ id: `${i}@c.us`, name }));
		expect(sortContacts(list, 'name', 'asc').map((contact: Contact) => contact.name)).toEqual(['Ana', 'Zoe', 'Zoë', 'zoe', 'Émile']);
	});

	test('returns an empty page past the end', async () => {
		expect(await getPage({ offset: String(SIZE) })).toEqual([]);
		expect(await getPage({ offset: '1000000' })).toEqual([]);
	});

	test('serves pages of 1000 from 100,000 contacts in milliseconds once sorted', async () => {
		sandbox.addInstance('big', { size: 100_000, seed: 7 });
		expect(await getPage({ limit: '1000', offset: '99500' }, 'big')).toHaveLength(500);
		const started = performance.now();
		for (let offset = 0; offset < 20_000; offset += 1000) {
			expect(await getPage({ limit: '1000', offset: String(offset) }, 'big')).toHaveLength(1000);
		}
		expect((performance.now() - started) / 20).toBeLessThan(50);
	});

	test('serves changes made between pages, including through the onRequest hook', async () => {
		const list = sandbox.contacts(DEFAULT_INSTANCE);
		sandbox.onRequest = (info) => {
			if (info.query.offset === '100') list.push({ id: '0@c.us', name: '' });
		};
		expect((await getPage({ limit: '100', offset: '0' }))[0].id).not.toBe('0@c.us');
		await getPage({ limit: '100', offset: '100' });
		expect(sandbox.expected(DEFAULT_INSTANCE)[0]).toEqual({ id: '0@c.us', name: '' });

		list.splice(list.length - 1, 1, { id: '00@c.us', name: '' });
		expect((await getPage({ limit: '1' }))[0].id).toBe('00@c.us');
	});
});
