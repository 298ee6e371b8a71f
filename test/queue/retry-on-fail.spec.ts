/**
 * n8n's Retry On Fail on a queue-mode worker: n8n retries a node inside the worker that runs the
 * execution, so what the node remembers between tries (actions/retryLedger.ts, in memory) is
 * there for every try. Two cases, each run by a worker through main's REST API:
 *
 *   - 200 sends, 25% faults after the sandbox recorded them, On Error: Continue and a first item
 *     that fails (so n8n retries every try), 3 tries: each chat recorded exactly once, 200 POSTs;
 *   - Send Text with Wait for Result that times out (the sandbox takes 2.5 s, the wait 1 s),
 *     3 tries: one message recorded, and the last try outputs it as sent.
 */
import type { QueueExecution } from './queue-harness';
import { DEFAULT_INSTANCE, figures, QueueHarness, report } from './queue-harness';
import { recordedByChat } from '../harness/sandbox';

const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 };
const SENDS = 200;
const phone = (index: number) => `4917${String(400_000 + index * 7).padStart(8, '0')}1`;

let q: QueueHarness;

beforeAll(async () => {
	q = await QueueHarness.start({ name: 'queue-retry', instances: { [DEFAULT_INSTANCE]: { size: 20, seed: 9 } } });
}, 10 * 60 * 1000);

afterAll(async () => {
	await q?.close();
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud
	if (figures.length) process.stdout.write(`\n  Retry On Fail in queue mode, measured:\n${figures.map((line) => `    ${line}`).join('\n')}\n\n`);
});

function codeNode(items: Array<Record<string, unknown>>) {
	return {
		name: 'Recipients',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [0, 0] as [number, number],
		parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
	};
}

function expectOnWorker(execution: QueueExecution) {
	expect(execution.worker).toMatch(/^worker-\d+$/);
	expect(execution.trace.startedBy).toHaveLength(1);
}

test(`${SENDS} sends, 25% faults after recording, Retry On Fail on a worker: each recorded exactly once`, async () => {
	const [id] = await q.importWorkflows([
		q.chain('Retry on a worker', [
			codeNode([{ to: 'nobody' }, ...Array.from({ length: SENDS }, (_, index) => ({ to: phone(index) }))]),
			q.hypersender(
				'Send text',
				{ resource: 'message', operation: 'sendText', chatId: '={{ $json.to }}', text: 'Order update', options: { safeMode: false } },
				undefined,
				{ ...RETRY, onError: 'continueRegularOutput' },
			),
		]),
	]);
	q.sandbox.clearMessages(DEFAULT_INSTANCE);
	q.sandbox.resetRequests();
	q.sandbox.configure({ faults: { rate: 0.25, phase: 'after', kinds: ['500', '502', '504', 'reset', 'html', 'empty'], seed: 21, retryAfter: 0 } });
	let execution: QueueExecution;
	try {
		execution = await q.runManual(id);
	} finally {
		q.sandbox.configure({ faults: { rate: 0 } });
	}
	expectOnWorker(execution);
	const recorded = recordedByChat(q.sandbox);
	expect(recorded.size).toBe(SENDS);
	expect([...recorded.values()].every((uuids) => uuids.length === 1)).toBe(true);
	const posts = q.sandbox.requests.filter((request) => request.method === 'POST').length;
	expect(posts).toBe(SENDS);
	const items = q.items(execution, 'Send text');
	const uncertain = items.slice(1).filter((item) => String(item.json.error ?? '').includes('may have been sent'));
	expect(uncertain.length).toBeGreaterThan(0);
	report(`Retry On Fail on ${execution.worker}: ${SENDS} sends, ${posts} POSTs, ${uncertain.length} failed as "may have been sent", 0 recorded twice`);
});

test('Wait for Result that times out, Retry On Fail on a worker: one message, output as sent by the last try', async () => {
	const [id] = await q.importWorkflows([
		q.chain('Wait retried on a worker', [
			q.hypersender(
				'Send text',
				{
					resource: 'message',
					operation: 'sendText',
					chatId: phone(0),
					text: 'Slow',
					options: { safeMode: false, waitForResult: true, waitTimeout: 1 },
				},
				undefined,
				RETRY,
			),
		]),
	]);
	q.sandbox.clearMessages(DEFAULT_INSTANCE);
	const usualDelayMs = q.sandbox.configure({}).processingDelayMs;
	q.sandbox.configure({ processingDelayMs: 2500 });
	let execution: QueueExecution;
	try {
		execution = await q.runManual(id);
	} finally {
		q.sandbox.configure({ processingDelayMs: usualDelayMs });
	}
	expectOnWorker(execution);
	const messages = q.sandbox.messages(DEFAULT_INSTANCE);
	expect(messages).toHaveLength(1);
	expect(q.errorOf(execution)).toBeUndefined();
	expect(q.items(execution, 'Send text').map((item) => item.json.queuedRequestId)).toEqual([messages[0].uuid]);
});
