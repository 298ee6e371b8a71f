/**
 * Never twice, measured: 1,000 sends through n8n-core against the sandbox with 25% of the
 * requests faulted, once with every fault before the sandbox records the message and once
 * after. Each input item must end up sent exactly once (its queued request is the one the
 * sandbox recorded) or failed with a message that says whether it may have been sent; no
 * input item is ever recorded twice.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { sendTextsUnderFaults } from '../harness/faulty-sends';
import type { Sandbox, SandboxFaults } from '../harness/sandbox';
import { DEFAULT_INSTANCE, recordedByChat, startSandbox } from '../harness/sandbox';

jest.setTimeout(300_000);

const SENDS = 1000;
const MAY_HAVE_BEEN_SENT = '(it may have been sent, so it was not sent again)';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 50, seed: 3 } }, processingDelayMs: 0 });
});

afterAll(async () => await sandbox.close());

/** One distinct number per input item, none ending in 0000 (the sandbox's "not on WhatsApp"). */
const phone = (index: number) => `4917${String(100_000 + index * 7).padStart(8, '0')}1`;

async function sendAll(faults: Partial<SandboxFaults>, count: number, options: Record<string, unknown> = {}) {
	const inputItems = Array.from({ length: count }, (_, index) => ({ to: phone(index) }));
	const result = await sendTextsUnderFaults(sandbox, { faults, inputItems, options: { maxAttempts: 4, ...options } });
	return { result, inputItems };
}

function check(items: INodeExecutionData[], inputItems: Array<{ to: string }>) {
	const recorded = recordedByChat(sandbox);
	expect(items).toHaveLength(inputItems.length);
	const tally = { sent: 0, failedMayHaveBeenSent: 0, failedNotSent: 0, recordedButFailed: 0, failedWhileWaiting: 0 };
	/** The errors of the items that failed with "may have been sent" and were in fact recorded. */
	const recordedButFailedErrors: string[] = [];
	items.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		const uuids = recorded.get(`${inputItems[index].to}@c.us`) ?? [];
		// Never twice.
		expect(uuids.length).toBeLessThanOrEqual(1);
		if (item.json.error === undefined) {
			tally.sent++;
			expect(uuids).toEqual([item.json.queuedRequestId]);
		} else if (item.json.queuedRequestId !== undefined) {
			// Queued, then the wait for its result failed: the error names the queued request.
			tally.failedWhileWaiting++;
			expect(String(item.json.error)).toContain(`the request was queued as ${item.json.queuedRequestId}`);
			expect(uuids).toEqual([item.json.queuedRequestId]);
		} else if (String(item.json.error).endsWith(MAY_HAVE_BEEN_SENT)) {
			tally.failedMayHaveBeenSent++;
			if (uuids.length === 1) {
				tally.recordedButFailed++;
				recordedButFailedErrors.push(String(item.json.error));
			}
		} else {
			// Failed without "may have been sent": then it surely was not.
			tally.failedNotSent++;
			expect(uuids).toEqual([]);
		}
	});
	// The figures behind docs/messages.md's "Never twice" section.
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud
	process.stdout.write(`never-twice: ${items.length} items, ${sandbox.requests.length} requests: ${JSON.stringify(tally)}\n`);
	return { ...tally, recordedButFailedErrors };
}

/**
 * With faults only before the sandbox records a message, a failed item is recorded only when the
 * node gave up waiting for a healthy answer: a client timeout (300 ms here) on a busy machine,
 * after which the server still recorded it. The node said "may have been sent", and it was.
 */
function expectOnlyTimeoutsRecorded(errors: string[]) {
	for (const error of errors) expect(error).toMatch(/no response within 300 ms/);
}

test(`${SENDS} sends, 25% faults before the sandbox records them: each item sent once or failed, never twice`, async () => {
	const { result, inputItems } = await sendAll({ phase: 'before' }, SENDS);
	expect(result.error).toBeUndefined();
	const tally = check(result.items, inputItems);
	// Faults before recording leave nothing recorded for a failed item, but for a client timeout.
	expectOnlyTimeoutsRecorded(tally.recordedButFailedErrors);
	expect(tally.sent).toBeGreaterThan(SENDS * 0.75);
	expect(tally.failedMayHaveBeenSent).toBeGreaterThan(0);
	expect(sandbox.messages(DEFAULT_INSTANCE)).toHaveLength(tally.sent + tally.recordedButFailed);
});

test(`${SENDS} sends, 25% faults after the sandbox recorded them: recorded at most once per item`, async () => {
	// 429 and 503 say the server did not take the request; one that says so after taking it
	// breaks HTTP itself, so the "after" phase injects every other fault.
	const { result, inputItems } = await sendAll({ phase: 'after', kinds: ['500', '502', '504', 'reset', 'html', 'empty', 'hang'] }, SENDS);
	expect(result.error).toBeUndefined();
	const tally = check(result.items, inputItems);
	// Every fault came after recording: each failed item was in fact sent, and said it may have been.
	expect(tally.failedNotSent).toBe(0);
	expect(tally.recordedButFailed).toBe(tally.failedMayHaveBeenSent);
	expect(sandbox.messages(DEFAULT_INSTANCE)).toHaveLength(SENDS);
	expect(tally.failedMayHaveBeenSent).toBeGreaterThan(SENDS * 0.15);
});

test('200 sends with Wait for Result and 25% faults on sends and reads: reads are retried, sends never repeated', async () => {
	const { result, inputItems } = await sendAll({ phase: 'before' }, 200, { waitForResult: true, waitTimeout: 30 });
	expect(result.error).toBeUndefined();
	const tally = check(result.items, inputItems);
	expectOnlyTimeoutsRecorded(tally.recordedButFailedErrors);
	for (const item of result.items) {
		if (item.json.error === undefined) expect(item.json.messageId).toMatch(/^true_4917\d+@c\.us_/);
	}
	// With 4 attempts per read, a record read fails for good only about 1 time in 250.
	expect(tally.sent).toBeGreaterThan(200 * 0.7);
});
