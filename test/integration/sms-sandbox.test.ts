/**
 * The SMS and SMS Thread operations through n8n-core against the project's sandbox (its SMS gateway,
 * written from the API reference and the SDK's fixtures independently of the node): every operation
 * once, paging over the sandbox's paginator, and SMS › Send exactly once under the sandbox's own
 * fault injection (25% of every SMS request, before and after recording, every kind it has).
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { BACKOFF } from '../../nodes/Hypersender/transport/retry';
import type { Sandbox } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, smsRecordCheck, startSandbox } from '../harness/sandbox';
import { printFigures } from '../harness/sms-gateway';
import { runSms } from '../harness/sms-node';

jest.setTimeout(300_000);

let sandbox: Sandbox;
const gateway = () => ({ credentials: credentialsFor(sandbox) });

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 5, seed: 1 } }, processingDelayMs: 0 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.clearSms(DEFAULT_INSTANCE);
	sandbox.configure({ smsSendDelayMs: 20, smsDeliveryDelayMs: 20, faults: { rate: 0 } });
});

describe('every operation against the sandbox', () => {
	test('Send, then find it by its request ID, archive its thread, delete it and its thread', async () => {
		const sent = await runSms(gateway(), { operation: 'send', to: '+49 151 2345 6789', content: 'Your parcel is on its way' });
		expect(sent.error).toBeUndefined();
		const { requestId, id, message_thread_id: threadId } = sent.items[0].json;
		expect(sandbox.smsMessages(DEFAULT_INSTANCE).map((message) => message.request_id)).toEqual([requestId]);
		const found = await runSms(gateway(), { operation: 'getAll', filters: { requestId: String(requestId) } });
		expect(found.items.map((item) => item.json.id)).toEqual([id]);
		const archived = await runSms(gateway(), { resource: 'smsThread', operation: 'archive', threadId: String(threadId) });
		expect(archived.items[0].json).toMatchObject({ id: threadId, is_archived: true });
		const listed = await runSms(gateway(), { resource: 'smsThread', operation: 'getAll', filters: { archived: true } });
		expect(listed.items.map((item) => item.json.id)).toEqual([threadId]);
		expect((await runSms(gateway(), { operation: 'delete', messageId: String(id) })).items[0].json).toEqual({ deleted: true, messageId: id });
		expect(sandbox.smsMessages(DEFAULT_INSTANCE)).toEqual([]);
		expect((await runSms(gateway(), { resource: 'smsThread', operation: 'delete', threadId: String(threadId) })).error).toBeUndefined();
		expect(sandbox.smsThreads(DEFAULT_INSTANCE)).toEqual([]);
	});

	test('Get Many over the sandbox\'s paginator: a limit, Return All, the created range, a type; Get Heartbeats', async () => {
		sandbox.seedSms(DEFAULT_INSTANCE, { messages: 120, threads: 7, heartbeats: 60 });
		const ids = sandbox.smsMessages(DEFAULT_INSTANCE).map((message) => message.id);
		const limited = await runSms(gateway(), { operation: 'getAll', limit: 70, options: { sort: '-created_at' } });
		expect(limited.items.map((item) => item.json.id)).toEqual([...ids].reverse().slice(0, 70));
		const all = await runSms(gateway(), { operation: 'getAll', returnAll: true });
		expect(new Set(all.items.map((item) => item.json.id))).toEqual(new Set(ids));
		const ranged = await runSms(gateway(), { operation: 'getAll', returnAll: true, filters: { createdBefore: '2000-01-01T00:00:00Z' } });
		expect(ranged.items).toEqual([]);
		const received = await runSms(gateway(), { operation: 'getAll', returnAll: true, filters: { type: 'received_from_mobile' } });
		expect(received.items.every((item) => item.json.type === 'received_from_mobile')).toBe(true);
		const threads = await runSms(gateway(), { resource: 'smsThread', operation: 'getAll', returnAll: true });
		expect(threads.items).toHaveLength(7);
		const heartbeats = await runSms(gateway(), { operation: 'getHeartbeats', returnAll: true });
		expect(heartbeats.items).toHaveLength(60);
	});
});

describe('SMS › Send exactly once under the sandbox\'s faults', () => {
	const defaults = { ...BACKOFF };
	beforeAll(() => Object.assign(BACKOFF, { baseDelayMs: 20 }));
	afterAll(() => Object.assign(BACKOFF, defaults));

	/** The request ID an item names: its output's, or the one its error gives. */
	const requestIdOf = (item: INodeExecutionData) =>
		item.json.error === undefined ? String(item.json.requestId) : /request ID ([0-9a-f-]{36})/.exec(String(item.json.error))?.[1];

	async function sendUnderFaults(count: number, faults: { phase: string; kinds: string[] }) {
		sandbox.configure({ faults: { rate: 0.25, seed: 24, retryAfter: 0, routes: ['sms/*'], ...faults } });
		const inputItems = Array.from({ length: count }, (_, index) => ({ to: `+4917${String(2_000_000 + index * 3).padStart(9, '0')}` }));
		const started = Date.now();
		const result = await runSms(
			gateway(),
			{ operation: 'send', to: '={{ $json.to }}', content: '=Order update for {{ $json.to }}', options: { timeout: 300, maxAttempts: 10 } },
			{ inputItems, continueOnFail: true },
		);
		const seconds = (Date.now() - started) / 1000;
		sandbox.configure({ faults: { rate: 0 } });
		const check = smsRecordCheck(sandbox, result.items.map(requestIdOf).filter((id): id is string => id !== undefined));
		const failed = result.items.filter((item) => item.json.error !== undefined);
		const kinds: Record<string, number> = {};
		for (const request of sandbox.requests) if (request.fault) kinds[request.fault] = (kinds[request.fault] ?? 0) + 1;
		const posts = sandbox.requests.filter((request) => request.path.endsWith('/send-message')).length;
		const lookups = sandbox.requests.filter((request) => request.path.endsWith('/messages')).length;
		sandbox.resetRequests();
		printFigures(`sms-exactly-once-sandbox ${faults.phase}`, { items: count, failed: failed.length, twice: check.twice.length, missing: check.missing.length, posts, lookups, faults: kinds, seconds });
		expect(check.twice).toEqual([]);
		expect(check.missing).toEqual([]);
		expect(failed.map((item) => item.json.error)).toEqual([]);
		expect(sandbox.smsMessages(DEFAULT_INSTANCE)).toHaveLength(count);
	}

	// 429 and 503 say the server did not take the request (the node sends again at once); one that
	// says so after taking it breaks HTTP itself, so the "after" half injects every other kind.
	test('1,000 SMS, 25% of every SMS request faulted half before and half after recording (500, 502, 504, reset, HTML, empty, no answer)', async () => {
		await sendUnderFaults(1000, { phase: 'both', kinds: ['500', '502', '504', 'reset', 'html', 'empty', 'hang'] });
	});

	test('500 SMS, 25% faulted before recording, every kind the sandbox has (429 and 503 included)', async () => {
		await sendUnderFaults(500, { phase: 'before', kinds: ['429', '500', '502', '503', '504', 'reset', 'html', 'empty', 'hang'] });
	});
});
