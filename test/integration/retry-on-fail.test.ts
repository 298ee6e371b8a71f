/**
 * Never twice, whatever n8n retries: n8n's own Retry On Fail runs the whole node again with the
 * same items (and, with continue-on-fail, whenever the first output item is an error). Items an
 * earlier try queued are not queued again (their outcome is reused, and waited for with Wait
 * for Result), items that may have been sent stay failed with that message, and only items that
 * surely were not sent are sent. Through n8n-core's real WorkflowExecute retry loop.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { sendJson } from '../harness/http-server';
import type { ActionCall } from '../harness/queued-api';
import { queuedApi, runOperation } from '../harness/queued-api';
import { LEDGER_LIMITS, ledgerSize } from '../../nodes/Hypersender/execution/retryLedger';
import { sendTextsUnderFaults } from '../harness/faulty-sends';
import type { Sandbox } from '../harness/sandbox';
import { DEFAULT_INSTANCE, recordedByChat, startSandbox } from '../harness/sandbox';

jest.setTimeout(300_000);

const RETRY = { maxTries: 3, waitBetweenTries: 0 };
const NOT_SENT_AGAIN = 'this item failed in an earlier try in a way that may have sent it, so it was not sent again';

/** A scripted API that answers the action calls `when` picks with `status` and the API's message, and queues the others. */
async function failing(when: (call: ActionCall, index: number) => boolean, status: number, message: string) {
	return await queuedApi({
		intercept: (call, response, index) => {
			if (!when(call, index)) return false;
			sendJson(response, status, { message });
			return true;
		},
	});
}

describe('with the scripted API', () => {
	test('three items, the third answered 500, Retry On Fail with 3 tries: one, two, three are each POSTed once', async () => {
		const api = await failing((call) => call.json?.text === 'three', 500, 'Server Error');
		const result = await runOperation(
			api,
			{ operation: 'sendText', chatId: '4915123456789', text: '={{ $json.text }}', options: { safeMode: false } },
			{ inputItems: [{ text: 'one' }, { text: 'two' }, { text: 'three' }], retryOnFail: RETRY },
		);
		expect(api.calls.map((call) => call.json?.text)).toEqual(['one', 'two', 'three']);
		expect(result.error?.message).toBe('Hypersender API error 500: Server Error (it may have been sent, so it was not sent again)');
		expect(result.error?.description).toContain(NOT_SENT_AGAIN);
	});

	test('a text made with {{ $now }} differs from try to try, and is still not sent again', async () => {
		const api = await failing((call) => String(call.json?.text).startsWith('three'), 500, 'Server Error');
		await runOperation(
			api,
			{ operation: 'sendText', chatId: '4915123456789', text: '={{ $json.text }} at {{ $now.toMillis() }}', options: { safeMode: false } },
			{ inputItems: [{ text: 'one' }, { text: 'two' }, { text: 'three' }], retryOnFail: { maxTries: 3, waitBetweenTries: 20 } },
		);
		expect(api.calls.map((call) => String(call.json?.text).split(' ')[0])).toEqual(['one', 'two', 'three']);
	});

	test('continue-on-fail with a first item that fails makes n8n retry: the other items are still queued once', async () => {
		const api = await queuedApi();
		const result = await runOperation(
			api,
			{ operation: 'sendText', chatId: '={{ $json.to }}', text: 'Hello', options: { safeMode: false } },
			{ inputItems: [{ to: 'not a number' }, { to: '4915123456781' }, { to: '4915123456782' }], continueOnFail: true, retryOnFail: RETRY },
		);
		expect(api.calls.map((call) => call.json?.chatId)).toEqual(['4915123456781@c.us', '4915123456782@c.us']);
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.error).toBeDefined();
		expect(result.items.slice(1).map((item) => item.json.queuedRequestId)).toEqual(api.accepted.map((call) => call.uuid));
	});

	test('an item refused with 429 (surely not sent) is sent again by the next try; the queued one is not', async () => {
		let refusals = 0;
		const api = await failing((call) => call.json?.text === 'two' && refusals++ === 0, 429, 'Too Many Attempts.');
		const result = await runOperation(
			api,
			{ operation: 'sendText', chatId: '4915123456789', text: '={{ $json.text }}', options: { safeMode: false, maxAttempts: 1 } },
			{ inputItems: [{ text: 'one' }, { text: 'two' }], retryOnFail: RETRY },
		);
		expect(result.error).toBeUndefined();
		expect(api.calls.map((call) => call.json?.text)).toEqual(['one', 'two', 'two']);
		expect(api.accepted.map((call) => call.json?.text)).toEqual(['one', 'two']);
		expect(result.items.map((item) => item.json.queuedRequestId)).toEqual(api.accepted.map((call) => call.uuid));
	});

	test('Wait for Result that times out, with Retry On Fail: one POST, the later try waits for the same request', async () => {
		const api = await queuedApi({ outcome: () => ({ delayMs: 2500 }) });
		const result = await runOperation(
			api,
			{ operation: 'sendText', chatId: '4915123456789', text: 'Slow', options: { safeMode: false, waitForResult: true, waitTimeout: 1 } },
			{ retryOnFail: { maxTries: 3, waitBetweenTries: 100 } },
		);
		expect(api.calls).toHaveLength(1);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.queuedRequestId).toBe(api.accepted[0].uuid);
		expect(result.items[0].json.messageId).toMatch(/^true_4915123456789@c\.us_/);
	});

	test('Execute Once and Always Output Data with Retry On Fail: the first item is POSTed once, nothing else', async () => {
		const api = await failing((_call, index) => index === 0, 504, 'Gateway Timeout');
		const result = await runOperation(
			api,
			{ operation: 'sendText', chatId: '4915123456789', text: '={{ $json.text }}', options: { safeMode: false } },
			{ inputItems: [{ text: 'first' }, { text: 'second' }], retryOnFail: RETRY, nodeSettings: { executeOnce: true, alwaysOutputData: true } },
		);
		expect(api.calls.map((call) => call.json?.text)).toEqual(['first']);
		expect(result.error?.message).toBe('Hypersender API error 504: Gateway Timeout (it may have been sent, so it was not sent again)');
	});

	test('a new execution of the same workflow sends again: the memory is per execution', async () => {
		const api = await queuedApi();
		const parameters = { operation: 'sendText', chatId: '4915123456789', text: 'Hello', options: { safeMode: false } };
		await runOperation(api, parameters, { retryOnFail: RETRY });
		await runOperation(api, parameters, { retryOnFail: RETRY });
		expect(api.accepted).toHaveLength(2);
	});
});

describe('what a try remembers is bounded and cleaned up', () => {
	const defaults = { ...LEDGER_LIMITS };
	afterEach(() => Object.assign(LEDGER_LIMITS, defaults));

	async function failingRun(api: Awaited<ReturnType<typeof queuedApi>>, texts: string[]) {
		return await runOperation(
			api,
			{ operation: 'sendText', chatId: '4915123456789', text: '={{ $json.text }}', options: { safeMode: false } },
			{ inputItems: texts.map((text) => ({ text })), retryOnFail: { maxTries: 2, waitBetweenTries: 0 } },
		);
	}

	test('a run no retry can follow (it succeeded) leaves nothing behind; a failed one is kept for its retries', async () => {
		const api = await failing((call) => call.json?.text === 'boom', 502, 'Bad Gateway');
		const before = ledgerSize();
		await runOperation(api, { operation: 'sendText', chatId: '4915123456789', text: 'fine', options: { safeMode: false } }, { retryOnFail: RETRY });
		expect(ledgerSize()).toEqual(before);
		await failingRun(api, ['a', 'b', 'boom']);
		expect(ledgerSize()).toEqual({ groups: before.groups + 1, entries: before.entries + 3 });
	});

	test('finished tries older than the keep time, or past the caps, are forgotten oldest first', async () => {
		const api = await failing((call) => String(call.json?.text).startsWith('boom'), 500, 'Server Error');
		LEDGER_LIMITS.maxFinishedGroups = 2;
		for (let run = 0; run < 5; run++) await failingRun(api, ['x', `boom ${run}`]);
		expect(ledgerSize().groups).toBeLessThanOrEqual(2);
		LEDGER_LIMITS.keepFinishedMs = 0;
		await sleep(5);
		await runOperation(api, { operation: 'sendText', chatId: '4915123456789', text: 'fine', options: { safeMode: false } });
		expect(ledgerSize()).toEqual({ groups: 0, entries: 0 });
	});
});

describe('1,000 sends against the sandbox, 25% faults, Retry On Fail (3 tries)', () => {
	let sandbox: Sandbox;
	beforeAll(async () => (sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 20, seed: 5 } }, processingDelayMs: 0 })));
	afterAll(async () => await sandbox.close());

	const phone = (index: number) => `4917${String(200_000 + index * 7).padStart(8, '0')}1`;

	/** The first item is no phone number, so the first output item is an error and n8n retries every try. */
	async function sendWithRetries(phase: 'before' | 'after', kinds: string[] | undefined) {
		const inputItems = [{ to: 'nobody' }, ...Array.from({ length: 1000 }, (_, index) => ({ to: phone(index) }))];
		const result = await sendTextsUnderFaults(sandbox, {
			faults: { phase, seed: 11, ...(kinds ? { kinds } : {}) },
			inputItems,
			options: { maxAttempts: 1 },
			retryOnFail: RETRY,
		});
		return { result, inputItems };
	}

	function tally(items: INodeExecutionData[], inputItems: Array<{ to: string }>) {
		const recorded = recordedByChat(sandbox);
		const counts = { sent: 0, stillUncertain: 0, notSent: 0, posts: sandbox.requests.filter((request) => request.method === 'POST').length };
		items.slice(1).forEach((item, offset) => {
			const uuids = recorded.get(`${inputItems[offset + 1].to}@c.us`) ?? [];
			expect(uuids.length).toBeLessThanOrEqual(1);
			if (item.json.error === undefined) {
				counts.sent++;
				expect(uuids).toEqual([item.json.queuedRequestId]);
			} else if (String(item.json.error).includes('may have been sent')) {
				counts.stillUncertain++;
			} else {
				counts.notSent++;
				expect(uuids).toEqual([]);
			}
		});
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud
		process.stdout.write(`retry-on-fail: ${JSON.stringify(counts)}\n`);
		return counts;
	}

	test('faults before recording: each item recorded at most once; items refused in one try are sent by the next', async () => {
		const { result, inputItems } = await sendWithRetries('before', undefined);
		expect(result.items).toHaveLength(1001);
		const counts = tally(result.items, inputItems);
		// The later tries re-sent only what was refused (429, 503: 2 of the 9 fault kinds), not the
		// 1,000 items again: a few dozen POSTs more than items.
		expect(counts.posts).toBeGreaterThan(1000);
		expect(counts.posts).toBeLessThan(1000 * 1.15);
		expect(counts.sent).toBeGreaterThan(750);
		expect(counts.stillUncertain).toBeGreaterThan(0);
	});

	test('faults after recording: every item recorded exactly once, the uncertain ones never sent again', async () => {
		const { result, inputItems } = await sendWithRetries('after', ['500', '502', '504', 'reset', 'html', 'empty', 'hang']);
		const counts = tally(result.items, inputItems);
		expect(counts.notSent).toBe(0);
		expect(sandbox.messages(DEFAULT_INSTANCE)).toHaveLength(1000);
		expect(counts.posts).toBe(1000);
	});
});
