import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * What an earlier try of an item operation did with one input item, for n8n's next try of the same
 * node in the same execution: the item writes' counterpart of ../execution/retryLedger, which
 * serves the queued runner. n8n's "Retry On Fail" runs the whole node again with the same items
 * when one item fails (with continue-on-fail, when the first output item is an error), so without
 * this the items that already succeeded would request a one-time code (a WhatsApp message) again.
 *
 * A try is known by the execution ID, the node's name and its run index (each round of a loop is
 * its own run index; n8n's retries keep it); each item's entry holds a fingerprint of the request
 * it was about, so a different request at the same place is never mistaken for an earlier one.
 * The item runner tells no operation when a try ends, so entries are forgotten by age and count.
 */

/** What an earlier try did with one item: finished it (its output), or failed in a way that may have acted. */
export type ItemTryEntry =
	| { state: 'done'; json: IDataObject }
	| { state: 'uncertain'; error: { message: string; description: string; httpCode?: string } };

/**
 * How long an entry is remembered, and how many at most. n8n waits at most 5 s between tries, so
 * 10 minutes is ample; past the cap, the oldest entries go first.
 */
export const ITEM_LEDGER_LIMITS = { keepMs: 10 * 60_000, maxEntries: 100_000 };

interface Stored {
	fingerprint: string;
	entry: ItemTryEntry;
	at: number;
}

/** Oldest first: an entry is re-inserted whenever it is written. */
const entries = new Map<string, Stored>();

function sweep(now: number): void {
	for (const [key, stored] of entries) {
		const expired = now - stored.at > ITEM_LEDGER_LIMITS.keepMs;
		if (!expired && entries.size <= ITEM_LEDGER_LIMITS.maxEntries) break;
		entries.delete(key);
	}
}

/** One item's view of the ledger: what an earlier try did with it, and what this try does. */
export interface ItemTries {
	earlier(): ItemTryEntry | undefined;
	done(json: IDataObject): void;
	uncertain(error: { message: string; description?: string | null; httpCode?: string | null }): void;
}

/** Remembers nothing: for a context without an execution ID, where tries cannot be told apart. */
const NO_TRIES: ItemTries = { earlier: () => undefined, done: () => {}, uncertain: () => {} };

/**
 * The ledger of one input item. `request` is what the item asks for (operation, instance, chat,
 * …): not what may change from try to try (a text made with `{{ $now }}`).
 */
export function itemTries(context: IExecuteFunctions, itemIndex: number, request: unknown[]): ItemTries {
	const executionId = context.getExecutionId();
	if (!executionId) return NO_TRIES;
	const runIndex = Number(context.getWorkflowDataProxy(itemIndex).$thisRunIndex ?? 0);
	const key = JSON.stringify([executionId, context.getNode().name, runIndex, itemIndex]);
	const fingerprint = JSON.stringify(request);
	const write = (entry: ItemTryEntry) => {
		entries.delete(key);
		entries.set(key, { fingerprint, entry, at: Date.now() });
		sweep(Date.now());
	};
	return {
		earlier() {
			sweep(Date.now());
			const stored = entries.get(key);
			if (stored?.fingerprint !== fingerprint) return undefined;
			// A copy: what a later node does to the output items must not change what a retry reuses.
			return stored.entry.state === 'done' ? { state: 'done', json: structuredClone(stored.entry.json) } : stored.entry;
		},
		done(json) {
			write({ state: 'done', json: structuredClone(json) });
		},
		uncertain(error) {
			write({
				state: 'uncertain',
				error: { message: error.message, description: error.description ?? '', httpCode: error.httpCode ?? undefined },
			});
		},
	};
}

/** How many items are remembered now (for tests). */
export function itemLedgerSize(): number {
	return entries.size;
}
