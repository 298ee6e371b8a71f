import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { QueuedAnswer } from '../transport/queued';
import type { QueuedAction } from './kinds';

/**
 * What one try of a queued operation did with each input item, kept in memory for n8n's next
 * try of the same node in the same execution. n8n's "Retry On Fail" (and, with continue-on-fail,
 * a first output item that is an error) runs the whole node again with the same items, in the
 * same process (on a queue-mode worker too), a few seconds later: without this, every message
 * already queued would be queued again.
 *
 * A try is known by the execution ID, the node's name and its run index (a node in a loop runs
 * once per round, each its own run index; n8n's retries keep it). Each item's entry also holds a
 * fingerprint of the request it was about, so a different request at the same place is never
 * mistaken for an earlier one.
 */

/** What an earlier try did with one item: queued it, or failed in a way that may have sent it. */
export type LedgerEntry =
	| { state: 'queued'; fingerprint: string; answer: QueuedAnswer; queuedAt: number }
	| {
			state: 'uncertain';
			fingerprint: string;
			error: { message: string; description: string; httpCode?: string };
	  };

interface Group {
	entries: Map<number, LedgerEntry>;
	/** Tries of this group running now (0 or 1 in practice): a running group is never evicted. */
	running: number;
	finishedAt: number;
}

/**
 * How long a finished try is remembered, and how much at most. n8n waits at most 5 s between
 * tries, so 10 minutes is ample; a finished try is dropped at once when no retry can follow
 * (its output's first item is no error). Past the caps, the oldest finished tries go first.
 */
export const LEDGER_LIMITS = { keepFinishedMs: 10 * 60_000, maxFinishedGroups: 1_000, maxFinishedEntries: 200_000 };

const groups = new Map<string, Group>();

function sweep(now: number): void {
	let finishedGroups = 0;
	let finishedEntries = 0;
	for (const group of groups.values()) {
		if (group.running > 0) continue;
		finishedGroups++;
		finishedEntries += group.entries.size;
	}
	// Map iteration is insertion order, and a group is re-inserted when it finishes: oldest first.
	for (const [key, group] of groups) {
		if (group.running > 0) continue;
		const expired = now - group.finishedAt > LEDGER_LIMITS.keepFinishedMs;
		const overCap = finishedGroups > LEDGER_LIMITS.maxFinishedGroups || finishedEntries > LEDGER_LIMITS.maxFinishedEntries;
		if (!expired && !overCap) continue;
		groups.delete(key);
		finishedGroups--;
		finishedEntries -= group.entries.size;
	}
}

/**
 * What one item's request is about: its route and its chat. Not its text or file: a text made
 * with `{{ $now }}` differs from try to try, and must not make a queued message look new.
 */
export function requestFingerprint(action: QueuedAction): string {
	return JSON.stringify([action.method, action.path, action.chatId]);
}

/** One try's view of the ledger: what earlier tries did, and what this one does. */
export interface RunLedger {
	earlier(itemIndex: number, fingerprint: string): LedgerEntry | undefined;
	queued(itemIndex: number, fingerprint: string, answer: QueuedAnswer, queuedAt: number): void;
	uncertain(itemIndex: number, fingerprint: string, error: Extract<LedgerEntry, { state: 'uncertain' }>['error']): void;
	/** The try ended: with its output (n8n retries when the first item is an error) or by throwing. */
	finish(output: INodeExecutionData[] | undefined): void;
}

/** Remembers nothing: for a context without an execution ID, where tries cannot be told apart. */
const NO_LEDGER: RunLedger = { earlier: () => undefined, queued: () => {}, uncertain: () => {}, finish: () => {} };

export function openLedger(context: IExecuteFunctions): RunLedger {
	const executionId = context.getExecutionId();
	if (!executionId || context.getInputData().length === 0) return NO_LEDGER;
	// The run index: which round of a loop this is; n8n keeps it for the tries of one round.
	const runIndex = Number(context.getWorkflowDataProxy(0).$thisRunIndex ?? 0);
	const key = JSON.stringify([executionId, context.getNode().name, runIndex]);
	const now = Date.now();
	sweep(now);
	const group = groups.get(key) ?? { entries: new Map(), running: 0, finishedAt: now };
	groups.set(key, group);
	group.running++;
	return {
		earlier(itemIndex, fingerprint) {
			const entry = group.entries.get(itemIndex);
			return entry?.fingerprint === fingerprint ? entry : undefined;
		},
		queued(itemIndex, fingerprint, answer, queuedAt) {
			group.entries.set(itemIndex, { state: 'queued', fingerprint, answer, queuedAt });
		},
		uncertain(itemIndex, fingerprint, error) {
			group.entries.set(itemIndex, { state: 'uncertain', fingerprint, error });
		},
		finish(output) {
			group.running = Math.max(0, group.running - 1);
			if (group.running > 0) return;
			const retryMayFollow = output === undefined || (output.length > 0 && Boolean(output[0].json.error));
			groups.delete(key);
			if (retryMayFollow && group.entries.size > 0) {
				group.finishedAt = Date.now();
				groups.set(key, group);
			}
			sweep(Date.now());
		},
	};
}

/** How many tries are remembered now, and their items (for tests and the benchmark). */
export function ledgerSize(): { groups: number; entries: number } {
	let entries = 0;
	for (const group of groups.values()) entries += group.entries.size;
	return { groups: groups.size, entries };
}
