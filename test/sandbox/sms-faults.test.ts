/**
 * Faults on the SMS gateway's send-message, aimed with faults.routes so that reads stay
 * fault-free: phase before (nothing recorded), phase after (recorded, then the fault answers), and
 * 1,000 sends in each phase (and with both, half and half) by a client that checks
 * GET messages?filter[request_id] before sending again: every request_id ends up recorded exactly once.
 */
import type { SandboxSmsMessage } from '../harness/sandbox';
import type { Sandbox } from './helpers';
import { API_BASES, apiRequest, DEFAULT_INSTANCE, DEFAULT_TOKEN, useSandbox } from './helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});
beforeEach(() => {
	sandbox.clearSms(DEFAULT_INSTANCE);
	sandbox.configure({ smsSendDelayMs: 20, smsDeliveryDelayMs: 20 });
});

const SENDS = 1000;
const CONCURRENCY = 25;
const TIMEOUT_MS = 5000;
/** Every fault kind but `hang` (a client's timeout could end before the server recorded the message, which no client can tell apart). */
const KINDS = ['429', '500', '502', '503', '504', 'reset', 'html', 'empty'];

/** POST send-message; the status, or null when no usable answer came (reset, hang, not JSON). */
async function post(requestId: string): Promise<number | null> {
	try {
		const response = await fetch(`${sandbox.url}${API_BASES.sms}/${DEFAULT_INSTANCE}/send-message`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${DEFAULT_TOKEN}`, 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify({ content: `Your code for ${requestId}`, to: '+4915123456789', request_id: requestId }),
			signal: AbortSignal.timeout(TIMEOUT_MS),
		});
		const body = (await response.json()) as { id?: string };
		return response.status === 200 && typeof body.id === 'string' ? 200 : response.status;
	} catch {
		return null;
	}
}

/** Whether the gateway has a message with this request_id (a read, which the faults leave alone). */
async function recorded(requestId: string): Promise<boolean> {
	const answer = await apiRequest<{ data: SandboxSmsMessage[] }>(sandbox, 'sms', 'GET', `${DEFAULT_INSTANCE}/messages`, { query: { 'filter[request_id]': requestId } });
	if (answer.status !== 200) throw new Error(`GET messages answered ${answer.status}`);
	return answer.body.data.some((message) => message.request_id === requestId);
}

/** Sends until the gateway has it: after a failure, it reads before it sends again. */
async function sendOnce(requestId: string): Promise<number> {
	for (let attempt = 1; ; attempt++) {
		if ((await post(requestId)) === 200) return attempt;
		if (await recorded(requestId)) return attempt;
		if (attempt > 50) throw new Error(`${requestId} not sent after 50 attempts`);
	}
}

async function sendAll(prefix: string) {
	const ids = Array.from({ length: SENDS }, (_, i) => `${prefix}-${i + 1}`);
	let next = 0;
	let attempts = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < ids.length) {
				const tries = await sendOnce(ids[next++]);
				attempts += tries;
			}
		}),
	);
	return { ids, attempts };
}

test('phase before: the fault answers and nothing is recorded; reads are left alone', async () => {
	sandbox.configure({ faults: { rate: 1, kinds: ['503'], phase: 'before', routes: ['sms/send-message'] } });
	expect(await post('b-1')).toBe(503);
	expect(await recorded('b-1')).toBe(false);
	expect(sandbox.smsRequestIdCounts(DEFAULT_INSTANCE)).toEqual({});
	expect(sandbox.requests.map((entry) => [entry.method, entry.fault])).toEqual([
		['POST', '503'],
		['GET', null],
	]);
});

test('phase after: the message is recorded (and goes on to be sent), then the fault answers', async () => {
	sandbox.configure({ faults: { rate: 1, kinds: ['reset'], phase: 'after', routes: ['sms/send-message'] } });
	expect(await post('a-1')).toBeNull();
	expect(await recorded('a-1')).toBe(true);
	expect(sandbox.smsRequestIdCounts(DEFAULT_INSTANCE)).toEqual({ 'a-1': 1 });
});

test.each(['before', 'after', 'both'] as const)('1,000 sends with 25%% faults in phase %s: every request_id recorded exactly once', async (phase) => {
	sandbox.configure({ faults: { rate: 0.25, seed: 11, kinds: KINDS, phase, routes: ['sms/send-message'] } });
	const { ids, attempts } = await sendAll(phase);
	const faulted = sandbox.requests.filter((entry) => entry.fault !== null);
	expect(faulted.length).toBeGreaterThan(SENDS * 0.15);
	expect(faulted.every((entry) => entry.method === 'POST' && entry.path.endsWith('/send-message'))).toBe(true);
	// Before: a faulted send recorded nothing, so it is sent again. After: it was recorded, the read
	// finds it, and a client that had sent it again blindly would have sent it twice.
	// Both: each fault is one or the other, so some faulted sends are sent again and some are not.
	if (phase === 'before') expect(attempts).toBe(SENDS + faulted.length);
	else if (phase === 'after') expect(attempts).toBe(SENDS);
	else {
		expect(attempts - SENDS).toBeGreaterThan(faulted.length * 0.3);
		expect(attempts - SENDS).toBeLessThan(faulted.length * 0.7);
	}
	const counts = sandbox.smsRequestIdCounts(DEFAULT_INSTANCE);
	expect(ids.filter((id) => counts[id] !== 1)).toEqual([]);
	expect(Object.keys(counts)).toHaveLength(SENDS);
}, 60000);
