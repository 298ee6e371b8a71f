import type { HypersenderContact } from './interfaces';

/** The API's largest page (`limit` ≤ 1000 in the API reference). */
export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
	offset: number;
	limit: number;
}

export type FetchContactsPage = (request: PageRequest) => Promise<HypersenderContact[]>;

export interface PagerOptions {
	/** Contacts to skip before the first one returned. */
	offset: number;
	/** Most contacts to return; `undefined` returns every contact from `offset` on. */
	maxContacts: number | undefined;
	/** Contacts asked for per request; defaults to the API maximum. */
	pageSize?: number;
}

/** The server answered in a way that paging cannot continue from without losing contacts. */
export class PagingError extends Error {
	constructor(
		message: string,
		readonly offset: number,
	) {
		super(message);
		this.name = 'PagingError';
	}
}

/**
 * Reads contacts page by page. The API returns no total, so a page shorter than asked for
 * is the last one: N contacts cost floor(N / pageSize) + 1 requests in Return All mode, and
 * a limit is met with pages of min(pageSize, remaining).
 */
export async function collectContacts(
	fetchPage: FetchContactsPage,
	{ offset, maxContacts, pageSize = MAX_PAGE_SIZE }: PagerOptions,
): Promise<HypersenderContact[]> {
	const contacts: HypersenderContact[] = [];
	let nextOffset = offset;
	for (;;) {
		const remaining = maxContacts === undefined ? pageSize : maxContacts - contacts.length;
		if (remaining <= 0) return contacts;
		const limit = Math.min(pageSize, remaining);
		const page = await fetchPage({ offset: nextOffset, limit });
		if (page.length > limit) {
			// Keeping the extra contacts or dropping them could both be wrong: the server is not
			// paging the way the API documents, so the offsets that follow cannot be trusted.
			throw new PagingError(
				`The API returned ${page.length} contacts for a page of ${limit} (offset ${nextOffset})`,
				nextOffset,
			);
		}
		for (const contact of page) contacts.push(contact);
		nextOffset += page.length;
		if (page.length < limit) return contacts;
	}
}
