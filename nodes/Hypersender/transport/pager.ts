import type { HypersenderContact } from '../helpers/interfaces';
import type { RetryEnvironment, RetryPolicy } from './retry';
import { getNextRetryDelay, realEnvironment, RetryClock } from './retry';

/** The API's largest page (`limit` ≤ 1000 in the API reference). */
export const MAX_PAGE_SIZE = 1000;

/** Page-size fallback stops here; the API reference itself recommends pages of 100–200. */
export const MIN_PAGE_SIZE = 50;

/** Failures in a row, at one page size, that are blamed on the size (timeouts, 5xx, drops). */
const FAILURES_BEFORE_SMALLER_PAGES = 2;

/** Full pages in a row that bring no new contact before the server is declared stuck. */
const PAGES_WITHOUT_PROGRESS_LIMIT = 2;

export interface PageRequest {
	offset: number;
	limit: number;
}

/** Why one attempt at a page failed, as the transport classified it. */
export interface PageFailure {
	/** Worth another attempt (429, 5xx, timeouts, dropped connections, a garbled body). */
	retryable: boolean;
	/** The kind of failure big pages cause (timeouts, 5xx, drops): smaller pages may succeed. */
	pageSizeSuspect: boolean;
	/** What the server asked for in `Retry-After`, in ms. */
	retryAfterMs?: number;
	/** The error to raise if this is the last attempt. */
	toError(context: { offset: number; attempts: number }): Error;
}

export type PageAttempt =
	| { ok: true; contacts: HypersenderContact[] }
	| { ok: false; failure: PageFailure };

export type FetchContactsPage = (request: PageRequest) => Promise<PageAttempt>;

export type PagerEnvironment = RetryEnvironment;

export interface PagerOptions {
	/** Contacts to skip before the first one returned. */
	offset: number;
	/** Most contacts to return; `undefined` returns every contact from `offset` on. */
	maxContacts: number | undefined;
	/** Contacts asked for per request; the API maximum unless an earlier run had to shrink it. */
	pageSize?: number;
	retry: RetryPolicy;
	/** Pages requested at once (1 = one after the other). */
	concurrency?: number;
	/**
	 * Keeps only the contacts it accepts. `maxContacts` then counts accepted contacts, and pages
	 * are always full-size: how many contacts a page will yield is unknown in advance.
	 */
	accept?: (contact: HypersenderContact) => boolean;
	signal?: AbortSignal;
	environment?: PagerEnvironment;
}

export interface PagerResult {
	contacts: HypersenderContact[];
	requests: number;
	/** Contacts the server sent again (the list changed under the run) and that were dropped. */
	duplicatesDropped: number;
	/** The page size in use at the end, smaller than asked if large pages kept failing. */
	pageSize: number;
}

/** The server answered in a way that paging cannot continue from without losing or repeating contacts. */
export class PagingError extends Error {
	constructor(
		message: string,
		readonly offset: number,
	) {
		super(message);
		this.name = 'PagingError';
	}
}

export class PagingCancelledError extends Error {
	constructor(readonly offset: number) {
		super(`The execution was cancelled while reading contacts at offset ${offset}`);
		this.name = 'PagingCancelledError';
	}
}

/**
 * Takes one page into the result: contacts already read are dropped and counted, the others
 * are kept when they pass `accept` and the result is not full. A page longer than asked for is
 * an error: keeping the extra contacts or dropping them could both be wrong, since the server
 * is not paging the way the API documents and the offsets that follow cannot be trusted.
 */
function takePage(
	page: HypersenderContact[],
	request: PageRequest,
	into: Pick<PagerOptions, 'accept' | 'maxContacts'> & { seen: Set<string>; contacts: HypersenderContact[] },
): { newContacts: number; duplicates: number } {
	if (page.length > request.limit) {
		throw new PagingError(
			`The API returned ${page.length} contacts for a page of ${request.limit} (offset ${request.offset})`,
			request.offset,
		);
	}
	const { seen, contacts, accept, maxContacts } = into;
	let newContacts = 0;
	let duplicates = 0;
	for (const contact of page) {
		// One hash operation per contact: add, then see whether the set grew.
		const known = seen.size;
		seen.add(contact.id);
		if (seen.size === known) {
			duplicates++;
			continue;
		}
		newContacts++;
		if (accept && !accept(contact)) continue;
		if (contacts.length < (maxContacts ?? Infinity)) contacts.push(contact);
	}
	return { newContacts, duplicates };
}

/** A page requested ahead of the one being read: what was planned, and whether it is still wanted. */
interface Pending {
	planned: PageRequest;
	ticket: { dropped: boolean };
	result: Promise<{ request: PageRequest; page: HypersenderContact[] }>;
}

/**
 * Reads contacts page by page. The API returns no total, so a page shorter than asked for
 * is the last one: N contacts cost floor(N / pageSize) + 1 requests in Return All mode, and
 * a limit is met with pages of min(pageSize, remaining).
 *
 * Around that: retries with backoff, smaller pages when large ones keep failing, contacts
 * seen twice (the list changed between pages) dropped by `id`, a server that keeps sending
 * the same full page stopped, and cancellation honoured between and during waits.
 *
 * With `concurrency` K > 1, up to K pages are requested at once (offsets ahead of the one
 * being read) and consumed strictly in offset order, so the result is the same; the price is
 * up to K - 1 requests past the end of the list.
 */
export async function collectContacts(
	fetchPage: FetchContactsPage,
	options: PagerOptions,
): Promise<PagerResult> {
	const policy = options.retry;
	const clock = new RetryClock(policy.budgetMs, options.environment ?? realEnvironment, options.signal);
	const { maxContacts, signal, accept } = options;
	const concurrency = Math.max(1, options.concurrency ?? 1);
	const contacts: HypersenderContact[] = [];
	const seen = new Set<string>();
	let pageSize = options.pageSize ?? MAX_PAGE_SIZE;
	let nextOffset = options.offset;
	let requests = 0;
	let duplicatesDropped = 0;
	let pagesWithoutProgress = 0;
	// Stops the retries of pages read ahead once the run no longer needs them.
	let finished = false;

	/** One page with its retries; resolves with the request that finally succeeded (its limit may have shrunk). */
	const fetchWithRetries = async (
		planned: PageRequest,
		ticket: { dropped: boolean },
	): Promise<{ request: PageRequest; page: HypersenderContact[] }> => {
		let attempts = 0;
		let sizeFailuresInARow = 0;
		let limit = planned.limit;
		const { offset } = planned;
		for (;;) {
			if (signal?.aborted || finished || ticket.dropped) throw new PagingCancelledError(offset);
			attempts++;
			requests++;
			const attempt = await clock.attempt(async () => await fetchPage({ offset, limit }));
			if (attempt.ok) return { request: { offset, limit }, page: attempt.contacts };
			if (signal?.aborted) throw new PagingCancelledError(offset);
			const { failure } = attempt;
			if (!failure.retryable) throw failure.toError({ offset, attempts });

			sizeFailuresInARow = failure.pageSizeSuspect ? sizeFailuresInARow + 1 : 0;
			if (sizeFailuresInARow >= FAILURES_BEFORE_SMALLER_PAGES && limit > MIN_PAGE_SIZE) {
				// The API reference warns that big pages time out: keep going with smaller ones,
				// for the rest of the run. Offsets make the switch invisible in the result.
				pageSize = Math.max(MIN_PAGE_SIZE, Math.min(pageSize, Math.floor(limit / 2)));
				limit = Math.min(pageSize, limit);
				attempts = 0;
				sizeFailuresInARow = 0;
			} else if (attempts >= policy.maxAttempts) {
				throw failure.toError({ offset, attempts });
			}

			const waited = await clock.wait(getNextRetryDelay(attempts, failure.retryAfterMs, clock.environment.random));
			if (waited === 'over-budget') throw failure.toError({ offset, attempts: Math.max(attempts, 1) });
			if (waited === 'cancelled') throw new PagingCancelledError(offset);
		}
	};

	let pending: Pending[] = [];
	let plannedOffset = nextOffset;

	const plan = () => {
		while (pending.length < concurrency) {
			let limit = pageSize;
			if (maxContacts !== undefined && !accept) {
				const plannedContacts = pending.reduce((sum, { planned }) => sum + planned.limit, 0);
				const remaining = maxContacts - contacts.length - plannedContacts;
				if (remaining <= 0) return;
				limit = Math.min(pageSize, remaining);
			}
			const planned = { offset: plannedOffset, limit };
			const ticket = { dropped: false };
			const result = fetchWithRetries(planned, ticket);
			// A page read ahead may fail after the run has ended; that is not an error of the run.
			result.catch(() => undefined);
			pending.push({ planned, ticket, result });
			plannedOffset += limit;
		}
	};

	try {
		for (;;) {
			if (maxContacts !== undefined && contacts.length >= maxContacts) break;
			if (signal?.aborted) throw new PagingCancelledError(nextOffset);
			plan();
			const next = pending.shift();
			if (next === undefined) break;
			const { request, page } = await next.result;

			const { newContacts, duplicates } = takePage(page, request, { seen, contacts, accept, maxContacts });
			duplicatesDropped += duplicates;
			nextOffset += page.length;
			if (page.length < request.limit) break;
			pagesWithoutProgress = newContacts === 0 ? pagesWithoutProgress + 1 : 0;
			if (pagesWithoutProgress >= PAGES_WITHOUT_PROGRESS_LIMIT) {
				throw new PagingError(
					`The API keeps returning full pages of contacts already read (${pagesWithoutProgress} pages in a row, up to offset ${nextOffset}); stopping instead of paging for ever`,
					nextOffset,
				);
			}
			if (request.limit !== next.planned.limit) {
				// This page shrank: the pages read ahead start at offsets planned for the old size.
				for (const stale of pending) stale.ticket.dropped = true;
				pending = [];
				plannedOffset = nextOffset;
			}
		}
	} finally {
		finished = true;
	}
	return { contacts, requests, duplicatesDropped, pageSize };
}
