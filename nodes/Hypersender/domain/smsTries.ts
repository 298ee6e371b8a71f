import { createHash, randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * What an earlier try of SMS › Send did with one input item, for n8n's next try of the node in
 * the same execution. n8n's "Retry On Fail" (and, with continue-on-fail, a first output item that
 * is an error) runs the whole node again with the same items, in the same process, seconds later;
 * the item runner tells no operation when a try ends, so entries are forgotten by age and count.
 *
 * A try is known by the execution ID, the node's name and its run index (each round of a loop and
 * each call of the node as an agent's tool has its own); an entry also holds the number the SMS went
 * to, so another request at the same place is never mistaken for the earlier one. Not the text: a
 * text made with `{{ $now }}` differs from try to try and must not make a sent SMS look new.
 */

export type EarlierSend =
	/** Sent (or found sent): the item it output. */
	| { state: 'sent'; requestId: string; json: IDataObject }
	/** Failed in a way that may have sent it: look its request ID up before sending. */
	| { state: 'uncertain'; requestId: string }
	/** Surely not sent (refused, or looked up and not found). */
	| { state: 'notSent'; requestId: string };

/** n8n waits at most 5 s between tries, so 10 minutes is ample; past the cap the oldest go first. */
export const SMS_TRY_LIMITS = { keepMs: 10 * 60_000, maxEntries: 100_000 };

interface Stored {
	to: string;
	entry: EarlierSend;
	at: number;
}

/** Oldest first: an entry is re-inserted whenever it is written. */
const entries = new Map<string, Stored>();

function sweep(now: number): void {
	for (const [key, stored] of entries) {
		if (now - stored.at <= SMS_TRY_LIMITS.keepMs && entries.size <= SMS_TRY_LIMITS.maxEntries) break;
		entries.delete(key);
	}
}

/** One item's view: what an earlier try did with it, and what this try does. */
export interface SmsTries {
	/** A request ID made for this item: the same in every try of this execution, node, run and item for the same SMS. */
	readonly madeRequestId: string;
	earlier(): EarlierSend | undefined;
	remember(entry: EarlierSend): void;
}

/** A UUID (version 8: made from our own hash) for a name. */
function nameUuid(name: string): string {
	const hex = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 32).split('');
	hex[12] = '8';
	hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	const text = hex.join('');
	return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

/**
 * The tries of one input item's SMS to `to` with `content`. Without an execution ID (tries cannot be
 * told apart) it remembers nothing, and its request ID is random.
 */
export function smsTries(context: IExecuteFunctions, itemIndex: number, sms: { to: string; content: string }): SmsTries {
	const executionId = context.getExecutionId();
	if (!executionId) return { madeRequestId: randomUUID(), earlier: () => undefined, remember: () => {} };
	const runIndex = Number(context.getWorkflowDataProxy(itemIndex).$thisRunIndex ?? 0);
	const place = [executionId, context.getNode().name, runIndex, itemIndex];
	const key = JSON.stringify(place);
	return {
		madeRequestId: nameUuid(JSON.stringify([...place, sms.to, sms.content])),
		earlier() {
			sweep(Date.now());
			const stored = entries.get(key);
			if (stored?.to !== sms.to) return undefined;
			// A copy: what a later node does to the output items must not change what a retry outputs.
			return stored.entry.state === 'sent' ? { ...stored.entry, json: structuredClone(stored.entry.json) } : stored.entry;
		},
		remember(entry) {
			entries.delete(key);
			const copy = entry.state === 'sent' ? { ...entry, json: structuredClone(entry.json) } : entry;
			entries.set(key, { to: sms.to, entry: copy, at: Date.now() });
			sweep(Date.now());
		},
	};
}

/** How many items are remembered now (for tests). */
export function smsTriesSize(): number {
	return entries.size;
}
