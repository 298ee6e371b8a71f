/**
 * SMS › Send, exactly once, measured: 1,000 SMS through n8n-core against the SMS test gateway with
 * 25% of all requests faulted (500, 502, 504, a dropped connection, no answer), half of them before
 * the gateway records a send and half after. Every SMS must be recorded exactly once, and no item
 * may fail whose request ID the gateway did not record. Then n8n's own Retry On Fail (the whole
 * node run again with the same items, in the same execution): nothing is sent twice.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { BACKOFF } from '../../nodes/Hypersender/transport/retry';
import { SMS_TRY_LIMITS } from '../../nodes/Hypersender/domain/smsTries';
import { sendJson } from '../harness/http-server';
import type { SmsGateway } from '../harness/sms-node';
import { callsTo, runSms, smsGateway } from '../harness/sms-node';

jest.setTimeout(300_000);

const SENDS = 1000;
const phone = (index: number) => `+4917${String(1_000_000 + index * 7).padStart(9, '0')}`;
const send = { operation: 'send', to: '={{ $json.to }}', content: '=Order update for {{ $json.to }}' };

/** What the gateway recorded against what the node output, item by item. */
function tally(gateway: SmsGateway, items: INodeExecutionData[], inputItems: Array<{ to: string }>) {
	const byRequestId = new Map<unknown, number>();
	const byTo = new Map<unknown, number>();
	for (const message of gateway.state.messages) {
		byRequestId.set(message.request_id, (byRequestId.get(message.request_id) ?? 0) + 1);
		byTo.set(message.to_phone_number, (byTo.get(message.to_phone_number) ?? 0) + 1);
	}
	const counts = { sent: 0, failed: 0, failedNotRecorded: 0, duplicates: 0, notRecorded: 0 };
	counts.duplicates = [...byRequestId.values(), ...byTo.values()].filter((count) => count > 1).length;
	items.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		if ((byTo.get(inputItems[index].to) ?? 0) === 0) counts.notRecorded++;
		if (item.json.error === undefined) {
			counts.sent++;
			expect(byRequestId.get(item.json.requestId)).toBe(1);
			expect(item.json.to_phone_number).toBe(inputItems[index].to);
			return;
		}
		counts.failed++;
		const requestId = /request ID ([0-9a-f-]{36})/.exec(String(item.json.error))?.[1];
		if (requestId === undefined || !byRequestId.has(requestId)) counts.failedNotRecorded++;
	});
	return counts;
}

describe(`${SENDS} SMS with 25% faults before and after recording`, () => {
	const defaults = { ...BACKOFF };
	// The waits between attempts, shortened so the suite takes seconds; what is retried, and when a
	// send is looked up, is unchanged (the figures with the real backoff are in the report).
	beforeAll(() => Object.assign(BACKOFF, { baseDelayMs: 20 }));
	afterAll(() => Object.assign(BACKOFF, defaults));

	test('every SMS recorded exactly once; no item failed that the gateway had not recorded', async () => {
		const gateway = await smsGateway({ faults: { rate: 0.25, phase: 'both', seed: 2026 } });
		const inputItems = Array.from({ length: SENDS }, (_, index) => ({ to: phone(index) }));
		const started = Date.now();
		const result = await runSms(gateway, { ...send, options: { timeout: 250, maxAttempts: 10 } }, { inputItems, continueOnFail: true });
		const seconds = (Date.now() - started) / 1000;
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(SENDS);
		const counts = tally(gateway, result.items, inputItems);
		const posts = callsTo(gateway, 'send-message').length;
		gateway.report('sms-exactly-once', { items: SENDS, ...counts, posts, recorded: gateway.state.counts.sends, lookupRequests: callsTo(gateway, 'messages').length, faults: gateway.state.counts.faults, seconds });
		expect(counts).toEqual({ sent: SENDS, failed: 0, failedNotRecorded: 0, duplicates: 0, notRecorded: 0 });
		expect(gateway.state.messages).toHaveLength(SENDS);
		const faults = Object.entries(gateway.state.counts.faults);
		// The draw hit both phases, every kind and both routes, and sends were sent again after a look-up.
		for (const part of ['send-message before', 'send-message after', 'messages', ' 500', ' 502', ' 504', ' reset', ' timeout']) {
			expect(faults.some(([name]) => name.includes(part))).toBe(true);
		}
		expect(posts).toBeGreaterThan(SENDS * 1.1);
	});

	test('without faults: one POST per SMS and no look-up', async () => {
		const gateway = await smsGateway();
		const inputItems = Array.from({ length: SENDS }, (_, index) => ({ to: phone(index) }));
		const started = Date.now();
		const result = await runSms(gateway, send, { inputItems });
		const seconds = (Date.now() - started) / 1000;
		gateway.report('sms-sends-without-faults', { items: SENDS, posts: callsTo(gateway, 'send-message').length, seconds });
		expect(result.items.filter((item) => item.json.error === undefined)).toHaveLength(SENDS);
		expect(gateway.state.calls.map((call) => call.route)).toEqual(Array(SENDS).fill('send-message'));
	});
});

describe('n8n\'s Retry On Fail runs the node again: nothing is sent twice', () => {
	const RETRY = { maxTries: 3, waitBetweenTries: 0 };
	const items = [{ to: '+4915100000001' }, { to: '+4915100000002' }, { to: '+4915100000003' }];

	/** Answers the first send to the third number with `status`, and lets everything else through. */
	function failThirdOnce(gateway: SmsGateway, status: number) {
		let failed = false;
		gateway.configure({
			intercept: (call, response) => {
				if (call.route !== 'send-message' || call.body?.to !== items[2].to || failed) return false;
				failed = true;
				sendJson(response, status, { message: 'The given data was invalid.', errors: { to: ['The phone is offline.'] } });
				return true;
			},
		});
	}

	const postsTo = (gateway: SmsGateway) => callsTo(gateway, 'send-message').map((call) => call.body?.to);

	test('the third SMS refused (422) in the first try: the next try sends only it; the first two are output again, not sent', async () => {
		const gateway = await smsGateway();
		failThirdOnce(gateway, 422);
		const result = await runSms(gateway, send, { inputItems: items, retryOnFail: RETRY });
		expect(result.error).toBeUndefined();
		expect(postsTo(gateway)).toEqual([items[0].to, items[1].to, items[2].to, items[2].to]);
		expect(gateway.state.messages.map((message) => message.to_phone_number).sort()).toEqual(items.map((item) => item.to));
		expect(result.items.map((item) => item.json.alreadySent)).toEqual([true, true, undefined]);
		expect(result.items.map((item) => item.json.requestId)).toEqual([...gateway.state.messages].reverse().map((message) => message.request_id));
	});

	test('a text made with {{ $now }} differs from try to try, and the SMS already sent is still not sent again', async () => {
		const gateway = await smsGateway();
		failThirdOnce(gateway, 422);
		const parameters = { ...send, content: '=Sent at {{ $now.toMillis() }}' };
		await runSms(gateway, parameters, { inputItems: items, retryOnFail: { maxTries: 3, waitBetweenTries: 20 } });
		expect(postsTo(gateway)).toEqual([items[0].to, items[1].to, items[2].to, items[2].to]);
	});

	test('the third SMS may have been sent (504 after recording, its look-up failed): the next try looks it up, finds it and does not send it', async () => {
		const gateway = await smsGateway();
		let failedLookups = 0;
		gateway.configure({
			intercept: (call, response) => {
				if (call.route === 'send-message' && call.body?.to === items[2].to) {
					gateway.record(call.body);
					return (sendJson(response, 504, { message: 'Gateway Timeout' }), true);
				}
				if (call.route !== 'messages' || failedLookups >= 2) return false;
				failedLookups++;
				return (sendJson(response, 502, { message: 'Bad Gateway' }), true);
			},
		});
		const result = await runSms(gateway, { ...send, options: { maxAttempts: 2 } }, { inputItems: items, retryOnFail: RETRY });
		expect(result.error).toBeUndefined();
		expect(postsTo(gateway)).toEqual(items.map((item) => item.to));
		expect(gateway.state.messages).toHaveLength(3);
		expect(result.items.map((item) => item.json.alreadySent)).toEqual([true, true, true]);
		expect(result.items[2].json.requestId).toBe(gateway.state.messages[0].request_id);
	});

	test('while the look-up keeps failing, every try fails with "may have been sent" and the request ID, and sends nothing', async () => {
		const gateway = await smsGateway();
		gateway.configure({
			intercept: (call, response) => {
				if (call.route === 'send-message') gateway.record(call.body ?? {});
				return (sendJson(response, call.route === 'send-message' ? 504 : 502, { message: 'Bad Gateway' }), true);
			},
		});
		const result = await runSms(gateway, { ...send, options: { maxAttempts: 2 } }, { inputItems: items.slice(0, 1), retryOnFail: { maxTries: 2, waitBetweenTries: 0 } });
		const requestId = String(gateway.state.messages[0].request_id);
		expect(result.error?.message).toBe(`Hypersender API error 502: Bad Gateway after 2 attempts (the SMS may have been sent in an earlier try: request ID ${requestId})`);
		expect(result.error?.description).toContain(`filter Request ID = ${requestId}`);
		// The first try sent it once and failed looking it up; the second only looked it up (and failed again).
		expect(postsTo(gateway)).toEqual([items[0].to]);
		expect(callsTo(gateway, 'messages')).toHaveLength(4);
	});

	test('the same execution running the node again: each SMS is output again with alreadySent, none is sent', async () => {
		const gateway = await smsGateway();
		const executionId = `sms-${Date.now()}`;
		const first = await runSms(gateway, send, { inputItems: items, executionId });
		const again = await runSms(gateway, send, { inputItems: items, executionId });
		expect(postsTo(gateway)).toEqual(items.map((item) => item.to));
		expect(again.items.map((item) => ({ ...item.json, alreadySent: undefined }))).toEqual(first.items.map((item) => ({ ...item.json, alreadySent: undefined })));
		expect(again.items.every((item) => item.json.alreadySent === true)).toBe(true);
	});

	test('the request IDs the node makes are the same in every try; an API that refuses a used one gets the SMS looked up, not sent twice', async () => {
		const defaults = { ...SMS_TRY_LIMITS };
		SMS_TRY_LIMITS.keepMs = -1;
		try {
			const gateway = await smsGateway({ uniqueRequestIds: true });
			const executionId = `sms-forgotten-${Date.now()}`;
			const first = await runSms(gateway, send, { inputItems: items, executionId });
			const again = await runSms(gateway, send, { inputItems: items, executionId });
			const ids = callsTo(gateway, 'send-message').map((call) => call.body?.request_id);
			expect(ids.slice(3)).toEqual(ids.slice(0, 3));
			expect(gateway.state.messages).toHaveLength(3);
			expect(again.items.map((item) => item.json.id)).toEqual(first.items.map((item) => item.json.id));
			expect(again.items.every((item) => item.json.alreadySent === true)).toBe(true);
		} finally {
			Object.assign(SMS_TRY_LIMITS, defaults);
		}
	});
});
