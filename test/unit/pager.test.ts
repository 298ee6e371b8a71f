import type { HypersenderContact } from '../../nodes/Hypersender/helpers/interfaces';
import type {
	PageAttempt,
	PageFailure,
	PageRequest,
	PagerEnvironment,
	PagerOptions,
} from '../../nodes/Hypersender/transport/pager';
import {
	collectContacts,
	MIN_PAGE_SIZE,
	PagingCancelledError,
	PagingError,
} from '../../nodes/Hypersender/transport/pager';
import { backoffDelay, BACKOFF } from '../../nodes/Hypersender/transport/retry';

/** The node's defaults (Max Attempts per Page 5, Retry Time Budget 300 s). */
const NODE_RETRY_DEFAULTS = { maxAttempts: 5, budgetMs: 300_000 };

function contactList(count: number, prefix = 1000): HypersenderContact[] {
	return Array.from({ length: count }, (_, index) => ({ id: `${prefix + index}@c.us` }));
}

/** A clock that only moves when the pager waits, so retry timing is exact and instant. */
function virtualEnvironment(): PagerEnvironment & { waits: number[] } {
	let now = 0;
	const waits: number[] = [];
	return {
		waits,
		now: () => now,
		random: () => 0.5,
		sleep: async (ms, signal) => {
			if (signal?.aborted) throw new Error('aborted');
			waits.push(ms);
			now += ms;
		},
	};
}

function failure(overrides: Partial<PageFailure> & { status: number }): PageFailure {
	const { status, ...rest } = overrides;
	return {
		retryable: true,
		pageSizeSuspect: status >= 500,
		toError: ({ offset, attempts }) => new Error(`status ${status} at offset ${offset} after ${attempts} attempts`),
		...rest,
	};
}

type Step = (request: PageRequest, contacts: HypersenderContact[]) => PageAttempt | undefined;

/**
 * A page source that behaves as the API documents, except where a scripted step answers
 * instead (a failure, a changed list); it records every request.
 */
function pagesOf(contacts: HypersenderContact[], steps: Step[] = []) {
	const requests: PageRequest[] = [];
	const fetchPage = async (request: PageRequest): Promise<PageAttempt> => {
		requests.push(request);
		const step = steps.shift();
		const scripted = step?.(request, contacts);
		if (scripted) return scripted;
		return { ok: true, contacts: contacts.slice(request.offset, request.offset + request.limit) };
	};
	return { fetchPage, requests };
}

async function collect(fetchPage: (request: PageRequest) => Promise<PageAttempt>, options: Partial<PagerOptions> = {}) {
	return await collectContacts(fetchPage, {
		offset: 0,
		maxContacts: undefined,
		environment: virtualEnvironment(),
		retry: NODE_RETRY_DEFAULTS,
		...options,
	});
}

describe('collectContacts in Return All mode', () => {
	test.each([
		[0, 1],
		[1, 1],
		[999, 1],
		[1000, 2],
		[1001, 2],
		[2500, 3],
		[3000, 4],
	])('returns all %i contacts in %i requests (floor(N/1000) + 1)', async (count, expectedRequests) => {
		const contacts = contactList(count);
		const { fetchPage, requests } = pagesOf(contacts);
		const result = await collect(fetchPage);
		expect(result.contacts).toEqual(contacts);
		expect(result.requests).toBe(expectedRequests);
		expect(requests).toEqual(
			Array.from({ length: expectedRequests }, (_, page) => ({ offset: page * 1000, limit: 1000 })),
		);
	});

	test('starts at the offset and keeps paging from there', async () => {
		const contacts = contactList(2500);
		const { fetchPage, requests } = pagesOf(contacts);
		const result = await collect(fetchPage, { offset: 700 });
		expect(result.contacts).toEqual(contacts.slice(700));
		expect(requests).toEqual([
			{ offset: 700, limit: 1000 },
			{ offset: 1700, limit: 1000 },
		]);
	});

	test('asks once and returns nothing when the offset is past the end', async () => {
		const { fetchPage, requests } = pagesOf(contactList(10));
		expect((await collect(fetchPage, { offset: 50 })).contacts).toEqual([]);
		expect(requests).toEqual([{ offset: 50, limit: 1000 }]);
	});

	test('uses the page size it is given', async () => {
		const contacts = contactList(450);
		const { fetchPage, requests } = pagesOf(contacts);
		const result = await collect(fetchPage, { pageSize: 200 });
		expect(result.contacts).toEqual(contacts);
		expect(requests.map(({ limit }) => limit)).toEqual([200, 200, 200]);
	});
});

describe('collectContacts with a limit', () => {
	test('asks for exactly the limit when it is at most one page', async () => {
		const contacts = contactList(2500);
		const { fetchPage, requests } = pagesOf(contacts);
		expect((await collect(fetchPage, { maxContacts: 200 })).contacts).toEqual(contacts.slice(0, 200));
		expect(requests).toEqual([{ offset: 0, limit: 200 }]);
	});

	test('pages past the API maximum and returns exactly the limit', async () => {
		const contacts = contactList(5000);
		const { fetchPage, requests } = pagesOf(contacts);
		expect((await collect(fetchPage, { maxContacts: 2500 })).contacts).toEqual(contacts.slice(0, 2500));
		expect(requests).toEqual([
			{ offset: 0, limit: 1000 },
			{ offset: 1000, limit: 1000 },
			{ offset: 2000, limit: 500 },
		]);
	});

	test('stops on a full page that reaches the limit, without asking for more', async () => {
		const { fetchPage, requests } = pagesOf(contactList(5000));
		await collect(fetchPage, { maxContacts: 1000 });
		expect(requests).toEqual([{ offset: 0, limit: 1000 }]);
	});

	test('returns all there are when the limit is larger than the list', async () => {
		const contacts = contactList(1200);
		const { fetchPage } = pagesOf(contacts);
		expect((await collect(fetchPage, { maxContacts: 5000 })).contacts).toEqual(contacts);
	});
});

describe('collectContacts retries', () => {
	test('retries a failed page and returns every contact once, in order', async () => {
		const contacts = contactList(2500);
		const { fetchPage, requests } = pagesOf(contacts, [
			() => undefined,
			() => ({ ok: false, failure: failure({ status: 502 }) }),
			() => undefined,
			() => ({ ok: false, failure: failure({ status: 429, pageSizeSuspect: false }) }),
		]);
		const result = await collect(fetchPage);
		expect(result.contacts).toEqual(contacts);
		expect(requests.map(({ offset }) => offset)).toEqual([0, 1000, 1000, 2000, 2000]);
	});

	test('waits with capped exponential backoff and jitter between attempts', async () => {
		const environment = virtualEnvironment();
		const always503 = () => ({ ok: false as const, failure: failure({ status: 503, pageSizeSuspect: false }) });
		const { fetchPage } = pagesOf(contactList(10), Array(5).fill(always503));
		await expect(collect(fetchPage, { environment })).rejects.toThrow('status 503 at offset 0 after 5 attempts');
		// random() is 0.5: each wait is 3/4 of min(cap, base * 2^(attempt-1)).
		expect(environment.waits).toEqual([375, 750, 1500, 3000]);
		expect(backoffDelay(20, () => 1)).toBe(BACKOFF.maxDelayMs);
		expect(backoffDelay(20, () => 0)).toBe(BACKOFF.maxDelayMs / 2);
	});

	test('honours Retry-After up to its cap', async () => {
		const environment = virtualEnvironment();
		const { fetchPage } = pagesOf(contactList(10), [
			() => ({ ok: false, failure: failure({ status: 429, pageSizeSuspect: false, retryAfterMs: 2000 }) }),
			() => ({ ok: false, failure: failure({ status: 429, pageSizeSuspect: false, retryAfterMs: 3_600_000 }) }),
		]);
		await collect(fetchPage, { environment });
		expect(environment.waits).toEqual([2000, BACKOFF.retryAfterCapMs]);
	});

	test('does not retry what cannot succeed (401, 404, 422, ...)', async () => {
		const { fetchPage, requests } = pagesOf(contactList(10), [
			() => ({ ok: false, failure: failure({ status: 401, retryable: false }) }),
		]);
		await expect(collect(fetchPage)).rejects.toThrow('status 401 at offset 0 after 1 attempts');
		expect(requests).toHaveLength(1);
	});

	test('gives up after the attempts per page, naming the page', async () => {
		const always500 = () => ({ ok: false as const, failure: failure({ status: 500, pageSizeSuspect: false }) });
		const { fetchPage, requests } = pagesOf(contactList(3000), [() => undefined, ...Array(10).fill(always500)]);
		await expect(collect(fetchPage, { retry: { ...NODE_RETRY_DEFAULTS, maxAttempts: 3 } })).rejects.toThrow(
			'status 500 at offset 1000 after 3 attempts',
		);
		expect(requests).toHaveLength(4);
	});

	test('gives up when the retry time budget is spent', async () => {
		const environment = virtualEnvironment();
		const always429 = () => ({
			ok: false as const,
			failure: failure({ status: 429, pageSizeSuspect: false, retryAfterMs: 4000 }),
		});
		const { fetchPage } = pagesOf(contactList(10), Array(10).fill(always429));
		await expect(
			collect(fetchPage, { environment, retry: { maxAttempts: 10, budgetMs: 10_000 } }),
		).rejects.toThrow('status 429 at offset 0 after 3 attempts');
		expect(environment.waits).toEqual([4000, 4000]);
	});
});

describe('collectContacts page-size fallback', () => {
	test('halves the page size when large pages keep failing, and returns the same contacts', async () => {
		const contacts = contactList(1234);
		const tooLarge: Step = (request) =>
			request.limit > 250 ? { ok: false, failure: failure({ status: 504 }) } : undefined;
		const { fetchPage, requests } = pagesOf(contacts, Array(100).fill(tooLarge));
		const result = await collect(fetchPage, { retry: { ...NODE_RETRY_DEFAULTS, maxAttempts: 2 } });
		expect(result.contacts).toEqual(contacts);
		expect(result.pageSize).toBe(250);
		expect(requests.slice(0, 6).map(({ limit }) => limit)).toEqual([1000, 1000, 500, 500, 250, 250]);
		expect(requests.filter(({ limit }) => limit === 250)).toHaveLength(5);
	});

	test('does not go below its floor', async () => {
		const always504 = () => ({ ok: false as const, failure: failure({ status: 504 }) });
		const { fetchPage, requests } = pagesOf(contactList(10), Array(100).fill(always504));
		await expect(collect(fetchPage, { retry: { ...NODE_RETRY_DEFAULTS, maxAttempts: 3 } })).rejects.toThrow('status 504 at offset 0');
		expect(Math.min(...requests.map(({ limit }) => limit))).toBe(MIN_PAGE_SIZE);
	});

	test('keeps the page size for rate limits, which are not about size', async () => {
		const rateLimited = () => ({ ok: false as const, failure: failure({ status: 429, pageSizeSuspect: false }) });
		const { fetchPage, requests } = pagesOf(contactList(10), [rateLimited, rateLimited, rateLimited]);
		await collect(fetchPage);
		expect(requests.map(({ limit }) => limit)).toEqual([1000, 1000, 1000, 1000]);
	});
});

describe('collectContacts while the list changes', () => {
	test('drops contacts it already returned when insertions shift the list', async () => {
		const contacts = contactList(2500);
		const inserted = { id: '1@c.us' };
		const { fetchPage } = pagesOf(contacts, [
			() => undefined,
			// Before page 2, a contact sorts in at the start: every later contact moves one on.
			(request, list) => {
				list.unshift(inserted);
				return { ok: true, contacts: list.slice(request.offset, request.offset + request.limit) };
			},
		]);
		const original = contacts.slice();
		const result = await collect(fetchPage);
		expect(result.duplicatesDropped).toBe(1);
		expect(new Set(result.contacts.map(({ id }) => id)).size).toBe(result.contacts.length);
		expect(result.contacts).toEqual(original);
	});

	test('stops with a clear error on a server that keeps sending the same full page', async () => {
		const same = contactList(1000);
		const { fetchPage, requests } = pagesOf([], Array(50).fill(() => ({ ok: true, contacts: same })));
		await expect(collect(fetchPage)).rejects.toThrow(
			new PagingError(
				'The API keeps returning full pages of contacts already read (2 pages in a row, up to offset 3000); stopping instead of paging for ever',
				3000,
			),
		);
		expect(requests).toHaveLength(3);
	});

	test('refuses a page larger than the one asked for', async () => {
		const { fetchPage } = pagesOf([], [() => ({ ok: true, contacts: contactList(30) })]);
		await expect(collect(fetchPage, { maxContacts: 10 })).rejects.toThrow(
			'The API returned 30 contacts for a page of 10 (offset 0)',
		);
	});
});

describe('collectContacts cancellation', () => {
	test('stops before the next page once the execution is cancelled', async () => {
		const controller = new AbortController();
		const { fetchPage, requests } = pagesOf(contactList(5000), [
			() => undefined,
			(request, list) => {
				controller.abort();
				return { ok: true, contacts: list.slice(request.offset, request.offset + request.limit) };
			},
		]);
		await expect(collect(fetchPage, { signal: controller.signal })).rejects.toThrow(PagingCancelledError);
		expect(requests).toHaveLength(2);
	});

	test('stops during a backoff wait', async () => {
		const controller = new AbortController();
		const environment = virtualEnvironment();
		environment.sleep = async () => {
			controller.abort();
			throw new Error('aborted');
		};
		const { fetchPage, requests } = pagesOf(contactList(10), [
			() => ({ ok: false, failure: failure({ status: 503 }) }),
		]);
		await expect(collect(fetchPage, { signal: controller.signal, environment })).rejects.toThrow(
			'The execution was cancelled while reading contacts at offset 0',
		);
		expect(requests).toHaveLength(1);
	});
});

describe('collectContacts with concurrent page requests', () => {
	/** Pages answered after a delay, so several are in flight at once. */
	function slowPagesOf(contacts: HypersenderContact[], failOffsets: Set<number> = new Set()) {
		const requests: PageRequest[] = [];
		let inFlight = 0;
		let maxInFlight = 0;
		const fetchPage = async (request: PageRequest): Promise<PageAttempt> => {
			requests.push(request);
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud
			await new Promise((resolve) => setImmediate(resolve));
			inFlight--;
			if (failOffsets.delete(request.offset)) return { ok: false, failure: failure({ status: 503, pageSizeSuspect: false }) };
			return { ok: true, contacts: contacts.slice(request.offset, request.offset + request.limit) };
		};
		return { fetchPage, requests, maxInFlight: () => maxInFlight };
	}

	test.each([0, 999, 1000, 2500, 7000])('returns the same %i contacts in order, with at most K-1 extra requests', async (count) => {
		const contacts = contactList(count);
		const { fetchPage, requests, maxInFlight } = slowPagesOf(contacts);
		const result = await collect(fetchPage, { concurrency: 4 });
		expect(result.contacts).toEqual(contacts);
		const needed = Math.floor(count / 1000) + 1;
		expect(requests.length).toBeGreaterThanOrEqual(needed);
		expect(requests.length).toBeLessThanOrEqual(needed + 3);
		if (count >= 3000) expect(maxInFlight()).toBe(4);
	});

	test('never plans past a limit', async () => {
		const contacts = contactList(10_000);
		const { fetchPage, requests } = slowPagesOf(contacts);
		const result = await collect(fetchPage, { concurrency: 4, maxContacts: 2500 });
		expect(result.contacts).toEqual(contacts.slice(0, 2500));
		expect(requests.map(({ offset, limit }) => [offset, limit])).toEqual([
			[0, 1000],
			[1000, 1000],
			[2000, 500],
		]);
	});

	test('retries a failed page read ahead and still returns every contact once, in order', async () => {
		const contacts = contactList(5500);
		const { fetchPage } = slowPagesOf(contacts, new Set([2000, 4000]));
		const result = await collect(fetchPage, { concurrency: 3 });
		expect(result.contacts).toEqual(contacts);
	});

	test('re-plans the pages read ahead when a page has to shrink', async () => {
		const contacts = contactList(3300);
		let refusals = 0;
		const fetchPage = async (request: PageRequest): Promise<PageAttempt> => {
			// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud
			await new Promise((resolve) => setImmediate(resolve));
			if (request.offset === 1000 && request.limit > 250) {
				refusals++;
				return { ok: false, failure: failure({ status: 504 }) };
			}
			return { ok: true, contacts: contacts.slice(request.offset, request.offset + request.limit) };
		};
		const result = await collect(fetchPage, { concurrency: 3, retry: { ...NODE_RETRY_DEFAULTS, maxAttempts: 3 } });
		expect(result.contacts).toEqual(contacts);
		expect(result.pageSize).toBe(250);
		expect(refusals).toBe(4);
	});
});
