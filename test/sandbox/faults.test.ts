/** Fault injection (kinds, seed, phase, latency) and the maxPageSize and endless modes. */
import { DEFAULT_TOKEN, startSandbox } from '../../sandbox/server';
import type { CallOptions, Contact, Sandbox } from './helpers';
import { callApi, DEFAULT_INSTANCE, readJson, sleep, useSandbox } from './helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

function getContacts(query: Record<string, string> = {}, options: CallOptions = {}): Promise<Response> {
	return callApi(sandbox, 'get-all', query, options);
}

async function getPage(query: Record<string, string> = {}): Promise<Contact[]> {
	const response = await getContacts(query);
	expect(response.status).toBe(200);
	return ((await readJson(response)).data as Contact[]) ?? [];
}

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
		while (other.requests.length === 0) await sleep(5);
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

	test.each([
		['get', { chat_id: '1' }],
		['profile-picture', { chat_id: '1' }],
	])('strike %s as well', async (action, query) => {
		sandbox.configure({ faults: { rate: 1, kinds: ['503'] } });
		expect((await callApi(sandbox, action, query)).status).toBe(503);
		expect(sandbox.requests[0].fault).toBe('503');
	});

	test('phase after still answers with the fault', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['502'], phase: 'after' } });
		const response = await getContacts();
		expect(response.status).toBe(502);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(sandbox.requests[0].fault).toBe('502');
	});

	test('phase defaults to before', () => {
		expect(sandbox.configure({ faults: { rate: 0.5 } }).faults.phase).toBe('before');
	});

	test('a phase other than before or after is refused and changes nothing', () => {
		sandbox.configure({ faults: { rate: 0.5 } });
		expect(() => sandbox.configure({ faults: { phase: 'during' as 'after' } })).toThrow(/phase/);
		expect(sandbox.configure({}).faults.rate).toBe(0.5);
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
