import { spawn } from 'node:child_process';
import path from 'node:path';

import {
	API_BASE_PATH,
	DEFAULT_INSTANCE,
	DEFAULT_TOKEN,
	generateContacts,
	sortContacts,
	startSandbox,
} from '../sandbox/server';

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
interface Contact {
	id: string;
	name?: string;
	pushname?: string;
}
interface RequestOptions {
	instance?: string;
	authorization?: string | null;
	method?: string;
	signal?: AbortSignal;
}

/** Every JSON body the sandbox answers with, loosely: API pages, errors and control endpoints. */
interface Body {
	message?: string;
	data?: Contact[];
	errors?: Record<string, string[]>;
	statusCode?: number;
	ok?: boolean;
	count?: number;
	requests?: Array<{ query: Record<string, string | null> }>;
}

async function readJson(response: Response): Promise<Body> {
	return (await response.json()) as Body;
}

const SERVER_SCRIPT = path.join(__dirname, '..', 'sandbox', 'server.js');
const SIZE = 250;

let sandbox: Sandbox;

function contactsUrl(query: Record<string, string> = {}, instance = DEFAULT_INSTANCE): string {
	const search = new URLSearchParams(query).toString();
	return `${sandbox.baseUrl}/${encodeURIComponent(instance)}/contacts/get-all${search ? `?${search}` : ''}`;
}

function getContacts(query: Record<string, string> = {}, options: RequestOptions = {}): Promise<Response> {
	const authorization = options.authorization === undefined ? `Bearer ${DEFAULT_TOKEN}` : options.authorization;
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (authorization !== null) headers.Authorization = authorization;
	return fetch(contactsUrl(query, options.instance), { method: options.method ?? 'GET', headers, signal: options.signal });
}

async function getPage(query: Record<string, string> = {}, instance = DEFAULT_INSTANCE): Promise<Contact[]> {
	const response = await getContacts(query, { instance });
	expect(response.status).toBe(200);
	return (await readJson(response)).data ?? [];
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

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: SIZE, seed: 42 } } });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.configure({ latencyMs: 0, faults: { rate: 0 }, maxPageSize: null, maxPageStatus: 504, endless: false });
	sandbox.onRequest = undefined;
	sandbox.setContacts(DEFAULT_INSTANCE, generateContacts(SIZE, 42));
	sandbox.resetRequests();
});

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

describe('generateContacts', () => {
	test('gives the same list for the same seed and another for another seed', () => {
		expect(generateContacts(300, 5)).toEqual(generateContacts(300, 5));
		expect(generateContacts(300, 6)).not.toEqual(generateContacts(300, 5));
	});

	test('has every id kind, missing and empty names, many scripts and duplicates even in 50 contacts', () => {
		const list: Contact[] = generateContacts(50, 123);
		const ids = list.map((contact) => contact.id);
		const names = list.map((contact) => contact.name);
		expect(new Set(ids).size).toBe(50);
		expect(ids.some((id) => /^[1-9]\d{9,14}@c\.us$/.test(id))).toBe(true);
		expect(ids.some((id) => /^[1-9]\d{9,14}@s\.whatsapp\.net$/.test(id))).toBe(true);
		expect(ids.some((id) => /^[1-9]\d{13,14}@lid$/.test(id))).toBe(true);
		expect(ids.some((id) => /^\d{18}@g\.us$/.test(id))).toBe(true);
		expect(ids.some((id) => /^\d+-\d{10}@g\.us$/.test(id))).toBe(true);
		expect(list.some((contact) => !('name' in contact))).toBe(true);
		expect(list.some((contact) => !('pushname' in contact))).toBe(true);
		expect(names).toContain('');
		for (const script of [/\p{Script=Arabic}/u, /\p{Script=Cyrillic}/u, /\p{Script=Han}/u, /\p{Script=Devanagari}/u, /\p{Script=Hiragana}/u, /\p{Extended_Pictographic}/u, /[éëÁ]/]) {
			expect(names.some((name) => name !== undefined && script.test(name))).toBe(true);
		}
		const named = names.filter((name) => name);
		expect(new Set(named).size).toBeLessThan(named.length);
		for (const contact of list) expect(Object.keys(contact).every((key) => ['id', 'name', 'pushname'].includes(key))).toBe(true);
	});

	test('mixes id kinds in realistic proportions', () => {
		const list: Contact[] = generateContacts(10_000, 9);
		const share = (suffix: string) => list.filter((contact) => contact.id.endsWith(suffix)).length / list.length;
		expect(share('@c.us')).toBeCloseTo(0.65, 1);
		expect(share('@s.whatsapp.net')).toBeCloseTo(0.05, 1);
		expect(share('@lid')).toBeCloseTo(0.2, 1);
		expect(share('@g.us')).toBeCloseTo(0.1, 1);
	});

	test('sortContacts leaves its input untouched', () => {
		const list = generateContacts(40, 1);
		const copy = list.slice();
		sortContacts(list, 'id', 'desc');
		expect(list).toEqual(copy);
	});
});

describe('faults', () => {
	async function withFault(kind: string, options: { retryAfter?: number } = {}) {
		sandbox.configure({ faults: { rate: 1, kinds: [kind], ...options } });
		return getContacts();
	}

	test('429 carries Retry-After and a JSON message', async () => {
		const response = await withFault('429', { retryAfter: 7 });
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('7');
		expect(await readJson(response)).toEqual({ message: 'Too Many Attempts.' });
	});

	test.each(['500', '503'])('%s answers with a JSON message', async (kind) => {
		const response = await withFault(kind);
		expect(response.status).toBe(Number(kind));
		expect(response.headers.get('content-type')).toBe('application/json');
		expect(typeof (await readJson(response)).message).toBe('string');
	});

	test.each(['502', '504'])('%s answers with a proxy HTML page', async (kind) => {
		const response = await withFault(kind);
		expect(response.status).toBe(Number(kind));
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).toMatch(new RegExp(`<h1>${kind} `));
	});

	test('reset drops the connection without a response', async () => {
		await expect(withFault('reset')).rejects.toThrow();
		expect(sandbox.requests[0]).toMatchObject({ fault: 'reset', status: null });
	});

	test('html answers 200 with a captive-portal page', async () => {
		const response = await withFault('html');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
	});

	test('empty answers 200 with no body', async () => {
		const response = await withFault('empty');
		expect(response.status).toBe(200);
		expect(await response.text()).toBe('');
	});

	test('hang never answers', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['hang'] } });
		await expect(getContacts({}, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
		expect(sandbox.requests[0]).toMatchObject({ fault: 'hang', status: null });
	});

	test('close() ends hanging requests and resolves promptly', async () => {
		const other = await startSandbox({ faults: { rate: 1, kinds: ['hang'] } });
		const pending = fetch(`${other.baseUrl}/${DEFAULT_INSTANCE}/contacts/get-all`, {
			headers: { Authorization: `Bearer ${DEFAULT_TOKEN}` },
		});
		while (other.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
		const started = performance.now();
		await other.close();
		expect(performance.now() - started).toBeLessThan(500);
		await expect(pending).rejects.toThrow();
	});

	test('only strike after authentication passes', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['500'] } });
		expect((await getContacts({}, { authorization: null })).status).toBe(401);
	});

	test('follow the same sequence for the same seed', async () => {
		const statuses = async () => {
			sandbox.configure({ faults: { rate: 0.4, kinds: ['429', '500', '503'], seed: 99 } });
			const result: number[] = [];
			for (let i = 0; i < 25; i++) result.push((await getContacts({ limit: '1' })).status);
			return result;
		};
		const first = await statuses();
		expect(await statuses()).toEqual(first);
		expect(first).toContain(200);
		expect(first.some((status) => status !== 200)).toBe(true);
	});

	test('latency delays every API request', async () => {
		sandbox.configure({ latencyMs: 80 });
		const started = performance.now();
		await getPage({ limit: '1' });
		expect(performance.now() - started).toBeGreaterThanOrEqual(75);
	});
});

describe('maxPageSize', () => {
	test('fails pages larger than maxPageSize with a gateway timeout', async () => {
		sandbox.configure({ maxPageSize: 200 });
		expect(await getPage({ limit: '200' })).toHaveLength(200);
		const response = await getContacts({ limit: '201' });
		expect(response.status).toBe(504);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(sandbox.requests[1].fault).toBe('maxPage');
	});

	test('applies to the default limit and uses maxPageStatus', async () => {
		sandbox.configure({ maxPageSize: 50, maxPageStatus: 500 });
		const response = await getContacts();
		expect(response.status).toBe(500);
		expect(response.headers.get('content-type')).toBe('application/json');
	});
});

describe('endless', () => {
	test('answers a full page at any offset, forever', async () => {
		sandbox.configure({ endless: true });
		const first = await getPage({ limit: '100', offset: '0' });
		expect(await getPage({ limit: '100', offset: '100000' })).toEqual(first);
		expect(await getPage({ limit: '1000', offset: '5000' })).toHaveLength(1000);
	});
});

describe('request log', () => {
	test('records each API request with its raw query and outcome', async () => {
		await getPage({ limit: '5', offset: '10', sort_by: 'id', sort_order: 'desc' });
		await getContacts({}, { authorization: null });
		await getContacts({}, { authorization: 'Bearer wrong' });
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

	test('never contains a token, right or wrong', async () => {
		await getPage();
		await getContacts({}, { authorization: 'Bearer some-secret-guess' });
		const served = await (await fetch(`${sandbox.url}/__sandbox/requests`)).text();
		for (const text of [JSON.stringify(sandbox.requests), served]) {
			expect(text).not.toContain(DEFAULT_TOKEN);
			expect(text).not.toContain('some-secret-guess');
		}
	});
});

describe('control endpoints', () => {
	const control = (route: string, init?: RequestInit) => fetch(`${sandbox.url}/__sandbox${route}`, init);

	test('health answers ok', async () => {
		expect(await readJson(await control('/health'))).toEqual({ ok: true });
	});

	test('requests lists the log and reset clears it', async () => {
		await getPage({ limit: '1' });
		const log = await readJson(await control('/requests'));
		expect(log.count).toBe(1);
		expect(log.requests?.[0].query.limit).toBe('1');
		expect((await control('/reset', { method: 'POST' })).status).toBe(200);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('contacts serves the expected order', async () => {
		const body = await readJson(await control(`/contacts/${DEFAULT_INSTANCE}?sort_by=id&sort_order=desc`));
		expect(body.data).toEqual(sandbox.expected(DEFAULT_INSTANCE, 'id', 'desc'));
		expect((await control('/contacts/nope')).status).toBe(404);
	});

	test('config changes behaviour at run time and rejects bad values', async () => {
		const post = (body: unknown) => control('/config', { method: 'POST', body: JSON.stringify(body) });
		expect((await post({ faults: { rate: 1, kinds: ['503'] } })).status).toBe(200);
		expect((await getContacts()).status).toBe(503);
		expect((await post({ faults: { rate: 2 } })).status).toBe(400);
		expect((await post({ faults: { rate: 0 } })).status).toBe(200);
		expect((await getContacts()).status).toBe(200);
	});
});

describe('command line', () => {
	function run(args: string[]) {
		const child = spawn(process.execPath, [SERVER_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		return { child, exited, output: () => output };
	}

	test('starts, announces its URL, serves and stops on SIGTERM', async () => {
		const cli = run(['--port', '0', '--size', '30', '--token', 'cli-token']);
		while (!cli.output().includes('\n')) await new Promise((resolve) => setTimeout(resolve, 10));
		const match = /^Hypersender sandbox listening on (http:\/\/127\.0\.0\.1:\d+\/api\/whatsapp\/v2) \(instance (\S+), 30 contacts, token cli-token\)\n$/.exec(cli.output());
		expect(match).not.toBeNull();
		const response = await fetch(`${match![1]}/${match![2]}/contacts/get-all`, { headers: { Authorization: 'Bearer cli-token' } });
		expect((await readJson(response)).data).toHaveLength(30);
		cli.child.kill('SIGTERM');
		expect(await cli.exited).toBe(0);
	});

	test('exits 2 with a clear message on a bad flag', async () => {
		const cli = run(['--fault-rate', 'lots']);
		expect(await cli.exited).toBe(2);
		expect(cli.output()).toMatch(/--fault-rate must be a number/);
	});
});
