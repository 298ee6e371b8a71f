import type { HypersenderContact } from '../helpers/interfaces';
import type { ApiContext, ApiOutcome, HypersenderConnection } from '../transport';
import { apiRequest } from '../transport';
import type { ApiFailure } from '../transport/errors';
import { apiError } from '../transport/errors';
import type { PageAttempt } from '../transport/pager';
import { shouldRetry } from '../transport/retry';

/** The page inside a 2xx answer: `{ "data": [contacts] }`, every contact with an `id`. */
function readPage(outcome: ApiOutcome): { contacts: HypersenderContact[] } | { failure: ApiFailure } {
	if (!outcome.ok) return outcome;
	const data = (outcome.response.json as { data?: unknown } | null)?.data;
	const json = outcome.response.json;
	if (!Array.isArray(data)) {
		const keys = json !== null && typeof json === 'object' ? Object.keys(json).join(', ') : '';
		return {
			failure: { type: 'response', garbled: false, problem: `the JSON has no "data" array (keys: ${keys || 'none'})` },
		};
	}
	for (let index = 0; index < data.length; index++) {
		const contact = data[index] as { id?: unknown } | null;
		if (contact === null || typeof contact !== 'object' || Array.isArray(contact) || typeof contact.id !== 'string' || contact.id === '') {
			return { failure: { type: 'response', garbled: false, problem: `contact ${index} of the page has no "id"` } };
		}
	}
	return { contacts: data as HypersenderContact[] };
}

/** The statuses and failures that big pages cause: smaller pages may succeed where these failed. */
function mayBePageSize(failure: ApiFailure): boolean {
	if (failure.type === 'status') return [408, 500, 502, 503, 504].includes(failure.status);
	if (failure.type === 'network') return failure.timedOut || (!failure.cancelled && !failure.refused);
	return false;
}

/**
 * Reads one page of `contacts/get-all` for the pager: the contacts, or a failure the pager can
 * act on (retry, smaller pages) and word. Shared with the Contact Trigger's polls.
 */
export function contactPageFetcher(
	this: ApiContext,
	connection: HypersenderConnection,
	request: { sortBy: string; sortOrder: string; timeoutMs: number; itemIndex: number },
): (page: { offset: number; limit: number }) => Promise<PageAttempt> {
	return async (page) => {
		const outcome = await apiRequest.call(this, connection, {
			method: 'GET',
			path: 'contacts/get-all',
			qs: { limit: page.limit, offset: page.offset, sort_by: request.sortBy, sort_order: request.sortOrder },
			timeoutMs: request.timeoutMs,
		});
		const read = readPage(outcome);
		if ('contacts' in read) return { ok: true, contacts: read.contacts };
		const { failure } = read;
		return {
			ok: false,
			failure: {
				retryable: shouldRetry(failure, { idempotent: true }),
				pageSizeSuspect: mayBePageSize(failure),
				retryAfterMs: failure.type === 'status' ? failure.retryAfterMs : undefined,
				toError: ({ offset, attempts }) =>
					apiError(failure, {
						node: this.getNode(),
						itemIndex: request.itemIndex,
						secret: connection.apiToken,
						baseUrl: connection.baseUrl,
						what: `request for contacts at offset ${offset}`,
						expected: 'JSON with a "data" array of contacts',
						attempts,
					}),
			},
		};
	};
}
