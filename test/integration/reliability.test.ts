/**
 * Fault injection: the node through n8n-core against the sandbox (a real HTTP server on
 * 127.0.0.1) with seeded faults. Every case checks the exact list: each contact once, in
 * the API's order, nothing lost, nothing duplicated.
 */
import { runHypersenderNode } from '../harness/n8n-core';
import type { Sandbox, SandboxContact } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';

const TRANSIENT_FAULTS = ['429', '500', '502', '503', '504', 'reset'];

/** A well-behaved server: what every test starts from. */
const NO_FAULTS = { latencyMs: 0, faults: { rate: 0 }, maxPageSize: undefined, endless: false };

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 10_000, seed: 1234 } } });
});

afterAll(async () => await sandbox.close());

beforeEach(() => {
	sandbox.configure(NO_FAULTS);
	sandbox.onRequest = undefined;
	sandbox.resetRequests();
});

async function returnAll(options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
	return await runHypersenderNode({
		parameters: { returnAll: true, options } as never,
		credentials: credentialsFor(sandbox),
		...extra,
	});
}

function ids(items: Array<{ json: unknown }>) {
	return items.map((item) => (item.json as SandboxContact).id);
}

const faultsInjected = () => sandbox.requests.filter((request) => request.fault !== null).length;

describe('Return All under injected faults', () => {
	test.each([1, 2, 3, 4, 5])(
		'returns exactly the sandbox list when one request in four fails with 429/5xx/resets (fault seed %i)',
		async (seed) => {
			sandbox.configure({ faults: { rate: 0.25, kinds: TRANSIENT_FAULTS, seed, retryAfter: 0 } });
			const sortOrder = seed % 2 === 0 ? 'desc' : 'asc';
			const result = await returnAll({ sortBy: 'id', sortOrder, maxAttempts: 10 });
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json)).toEqual(sandbox.expected(DEFAULT_INSTANCE, 'id', sortOrder));
			expect(new Set(ids(result.items)).size).toBe(10_000);
			expect(faultsInjected()).toBeGreaterThan(0);
		},
	);

	test('returns exactly the sandbox list when requests hang past the timeout', async () => {
		sandbox.configure({ faults: { rate: 0.2, kinds: ['hang'], seed: 9 } });
		const result = await returnAll({ timeout: 300, maxAttempts: 10 });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(sandbox.expected(DEFAULT_INSTANCE));
		expect(faultsInjected()).toBeGreaterThan(0);
	});

	test('retries 200 answers with an HTML page or an empty body', async () => {
		sandbox.configure({ faults: { rate: 0.3, kinds: ['html', 'empty'], seed: 4 } });
		const result = await returnAll({ maxAttempts: 10 });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(sandbox.expected(DEFAULT_INSTANCE));
		expect(faultsInjected()).toBeGreaterThan(0);
	});

	test('honours Retry-After on 429', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['429'], seed: 1, retryAfter: 1 } });
		let answered = 0;
		sandbox.onRequest = () => {
			// Only the first request is rate limited.
			if (answered++ === 0) return;
			sandbox.configure(NO_FAULTS);
		};
		const result = await returnAll({}, { parameters: { returnAll: false, limit: 5 } });
		expect(result.error).toBeUndefined();
		expect(sandbox.requests).toHaveLength(2);
		const [first, second] = sandbox.requests as unknown as Array<{ at: number }>;
		expect(second.at - first.at).toBeGreaterThanOrEqual(950);
	});

	test('keeps the same contacts when the server only accepts small pages', async () => {
		sandbox.configure({ maxPageSize: 200, maxPageStatus: 504 });
		const result = await returnAll({ sortBy: 'name', sortOrder: 'desc' });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(sandbox.expected(DEFAULT_INSTANCE, 'name', 'desc'));
		const served = sandbox.requests.filter((request) => request.status === 200);
		expect(new Set(served.map((request) => request.query.limit))).toEqual(new Set(['125']));
		// 10,000 / 125 pages + the empty last page, after 6 refused attempts at 1000, 500 and 250.
		expect(served).toHaveLength(81);
		expect(sandbox.requests).toHaveLength(87);
	});
});

describe('Giving up', () => {
	test('names the page, the status and the attempts when the attempts run out', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['429'], seed: 1, retryAfter: 0 } });
		const result = await returnAll({ maxAttempts: 3 });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Hypersender API error 429: Too Many Attempts. after 3 attempts');
		expect(result.error?.description).toContain('(request for contacts at offset 0 after 3 attempts)');
		expect(sandbox.requests).toHaveLength(3);
	});

	test('names the page when a later page keeps failing', async () => {
		sandbox.onRequest = (request) => {
			if (request.query.offset === '2000') sandbox.configure({ faults: { rate: 1, kinds: ['503'], seed: 1, retryAfter: 0 } });
		};
		const result = await returnAll({ maxAttempts: 2, sortBy: 'id' });
		expect(result.error?.message).toBe('Hypersender API error 503: Service Unavailable after 2 attempts');
		expect(result.error?.description).toContain('offset 2000');
		expect(result.items).toEqual([]);
	});

	test('stops when the retry time budget is spent', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['429'], seed: 1, retryAfter: 1 } });
		const started = Date.now();
		const result = await returnAll({ maxAttempts: 50, retryBudget: 2 });
		expect(result.error?.message).toMatch(/^Hypersender API error 429: Too Many Attempts\. after [23] attempts$/);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	test.each([
		['a wrong token', { apiToken: 'not-the-token' }, 401],
		['an unknown instance', { instanceId: 'not-an-instance' }, 404],
	])('does not retry %s', async (_case, credentials, status) => {
		const result = await runHypersenderNode({
			parameters: { returnAll: true, options: { maxAttempts: 5 } } as never,
			credentials: credentialsFor(sandbox, credentials),
		});
		expect(result.error?.httpCode).toBe(String(status));
		expect(sandbox.requests).toHaveLength(1);
	});

	test('stops a server that never ends, with a clear error and a bounded number of requests', async () => {
		sandbox.configure({ endless: true });
		const result = await returnAll();
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain('The API keeps returning full pages of contacts already read');
		expect(sandbox.requests).toHaveLength(3);
	});
});

describe('While the list changes', () => {
	test('returns no contact twice when contacts are added before the current page', async () => {
		const original = sandbox.expected(DEFAULT_INSTANCE, 'id', 'asc');
		const added: SandboxContact[] = [];
		sandbox.onRequest = (request) => {
			if (request.query.offset === '0') return;
			// Ids that sort before everything: each insertion shifts the whole list by one.
			const contact = { id: `0000${added.length}@c.us`, name: 'New contact' };
			added.push(contact);
			sandbox.contacts(DEFAULT_INSTANCE).push(contact);
		};
		try {
			const result = await returnAll({ sortBy: 'id' });
			expect(result.error).toBeUndefined();
			const returned = ids(result.items);
			expect(new Set(returned).size).toBe(returned.length);
			// Every contact that was there from start to end is returned, once.
			expect(returned).toEqual(original.map((contact) => contact.id));
		} finally {
			sandbox.setContacts(DEFAULT_INSTANCE, sandbox.contacts(DEFAULT_INSTANCE).filter((contact) => !added.includes(contact)));
		}
	});

	test('returns no contact twice when contacts are removed during the run', async () => {
		const before = sandbox.contacts(DEFAULT_INSTANCE).slice();
		sandbox.onRequest = (request) => {
			if (request.query.offset === '5000') sandbox.contacts(DEFAULT_INSTANCE).splice(0, 10);
		};
		try {
			const result = await returnAll({ sortBy: 'id' });
			const returned = ids(result.items);
			expect(new Set(returned).size).toBe(returned.length);
			expect(returned.length).toBeGreaterThanOrEqual(9_980);
		} finally {
			sandbox.setContacts(DEFAULT_INSTANCE, before);
		}
	});
});

describe('Cancellation', () => {
	test('stops paging promptly when the execution is cancelled', async () => {
		sandbox.configure({ latencyMs: 100 });
		let cancelledAt = 0;
		const result = await returnAll({}, {
			onStarted: (cancel: () => void) => {
				// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud
				setTimeout(() => {
					cancelledAt = Date.now();
					cancel();
				}, 250);
			},
		});
		const stoppedAt = Date.now();
		expect(cancelledAt).toBeGreaterThan(0);
		expect(stoppedAt - cancelledAt).toBeLessThan(500);
		expect(sandbox.requests.length).toBeLessThanOrEqual(4);
		expect(result.items.length).toBeLessThan(10_000);
	});
});

describe('Hostile input', () => {
	test.each(['../contacts', 'a?limit=1', 'x#y', 'a%2Fb', 'ünï 🙂', 'a/b/../..'])(
		'sends the instance %p as one encoded path segment',
		async (instanceId) => {
			const result = await returnAll({ instanceId });
			expect(result.error?.httpCode).toBe('404');
			expect(sandbox.requests).toHaveLength(1);
			expect(sandbox.requests[0].instance).toBe(instanceId);
			expect(sandbox.requests[0].path).toBe(
				`/api/whatsapp/v2/${encodeURIComponent(instanceId)}/contacts/get-all`,
			);
		},
	);

	test.each([
		['limit', { returnAll: false, limit: '={{ 1e21 }}' }],
		['limit', { returnAll: false, limit: '={{ NaN }}' }],
		['limit', { returnAll: false, limit: '={{ -0 }}' }],
		['limit', { returnAll: false, limit: '={{ " 1 2 " }}' }],
		['limit', { returnAll: false, limit: '={{ [1] }}' }],
		['offset', { returnAll: true, options: { offset: '={{ 2 ** 60 }}' } }],
		['offset', { returnAll: true, options: { offset: '={{ "1/2" }}' } }],
		['sortBy', { returnAll: true, options: { sortBy: '={{ "id " }}' } }],
		['sortOrder', { returnAll: true, options: { sortOrder: '={{ null }}' } }],
		['instanceId', { returnAll: true, options: { instanceId: '={{ ".." }}' } }],
		['maxAttempts', { returnAll: true, options: { maxAttempts: 0 } }],
		['timeout', { returnAll: true, options: { timeout: -1 } }],
		['retryBudget', { returnAll: true, options: { retryBudget: '={{ "soon" }}' } }],
	])('refuses a bad %s before any request', async (name, parameters) => {
		const result = await runHypersenderNode({ parameters: parameters as never, credentials: credentialsFor(sandbox) });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain(`(${name})`);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Concurrent Requests', () => {
	test('returns exactly the sandbox list with 4 pages in flight, under faults', async () => {
		sandbox.configure({ latencyMs: 5, faults: { rate: 0.2, kinds: TRANSIENT_FAULTS, seed: 8, retryAfter: 0 } });
		const result = await returnAll({ sortBy: 'id', concurrency: 4, maxAttempts: 10 });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual(sandbox.expected(DEFAULT_INSTANCE, 'id', 'asc'));
		// 11 pages are needed; at most 3 more are read ahead past the end. Counted by offset: on a
		// loaded machine a page can time out on the client after the server answered it, and the
		// retry is served again (the result above is still exact).
		const served = new Set(sandbox.requests.filter((request) => request.status === 200).map((request) => request.query.offset));
		expect(served.size).toBeGreaterThanOrEqual(11);
		expect(served.size).toBeLessThanOrEqual(14);
	});

	test('refuses more than 8', async () => {
		const result = await returnAll({ concurrency: 9 });
		expect(result.error?.message).toContain('Invalid Concurrent Requests (concurrency): 9 is too large; allowed: a whole number from 1 to 8');
		expect(sandbox.requests).toHaveLength(0);
	});
});
