/**
 * Request Code and Generate Link under n8n's own Retry On Fail, through n8n-core's real
 * WorkflowExecute retry loop: n8n runs the whole node again with the same items when one fails, so
 * an item that got its code in an earlier try is not sent a second code (its record is output
 * again), an item whose request may have been sent fails again as it did, and only an item that
 * surely got nothing is requested again. The memory is per execution, per node and per run.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { sendJson } from '../harness/http-server';
import type { RunNodeOptions } from '../harness/n8n-core';
import { runHypersenderNode } from '../harness/n8n-core';
import { INSTANCE, serve, TOKEN } from '../harness/scripted-api';
import { ITEM_LEDGER_LIMITS, itemLedgerSize } from '../../nodes/Hypersender/domain/itemRetryLedger';

const RETRY = { maxTries: 3, waitBetweenTries: 0 };
const NOT_AGAIN = 'this item failed in an earlier try in a way that may have sent the code, so no new code was requested';

type Answer = { status: number; body: unknown };

/** An OTP API answering each call with `answer`; its calls' bodies, in order. */
async function otpApi(answer: (json: IDataObject, index: number) => Answer) {
	const calls: IDataObject[] = [];
	const server = await serve((_request, response, body) => {
		const json = JSON.parse(body) as IDataObject;
		calls.push(json);
		const reply = answer(json, calls.length - 1);
		sendJson(response, reply.status, reply.body);
	});
	return Object.assign(server, { calls });
}

let codes = 0;
/** A fresh code record for the chat of the request. */
function created(json: IDataObject): Answer {
	codes++;
	const data = { uuid: `uuid-${codes}`, chat_id: json.chatId, code: String(100000 + codes), status: 'pending', otp_type: 'code' };
	return { status: 200, body: { success: true, data: json.expires === 900 ? { ...data, whatsapp_link: `https://wa.me/x?text=${codes}` } : data } };
}

async function run(server: { baseUrl: string }, parameters: IDataObject, extra: Partial<RunNodeOptions>) {
	return await runHypersenderNode({
		parameters: { resource: 'otp', operation: 'requestCode', chatId: '={{ $json.to }}', ...parameters } as never,
		credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: server.baseUrl },
		...extra,
	});
}

const items = (...numbers: string[]) => numbers.map((to) => ({ to }));

describe('Request Code', () => {
	test('three items, the third answered 500: each is requested once, and the third fails as it did', async () => {
		const api = await otpApi((json) => (json.chatId === '4915100000003@c.us' ? { status: 500, body: { message: 'Server Error' } } : created(json)));
		const result = await run(api, {}, { inputItems: items('4915100000001', '4915100000002', '4915100000003'), retryOnFail: RETRY });
		expect(api.calls.map((call) => call.chatId)).toEqual(['4915100000001@c.us', '4915100000002@c.us', '4915100000003@c.us']);
		expect(result.error?.message).toBe('Hypersender API error 500: Server Error (the code may have been sent, so it was not requested again)');
		expect(result.error?.description).toContain(NOT_AGAIN);
	});

	test('an item refused with 422 (surely not sent) is requested again; the items before keep their first code', async () => {
		let refusals = 0;
		const api = await otpApi((json) =>
			json.chatId === '4915100000002@c.us' && refusals++ === 0 ? { status: 422, body: { message: 'Try again.' } } : created(json),
		);
		const before = codes;
		const result = await run(api, {}, { inputItems: items('4915100000001', '4915100000002'), retryOnFail: RETRY });
		expect(result.error).toBeUndefined();
		expect(api.calls.map((call) => call.chatId)).toEqual(['4915100000001@c.us', '4915100000002@c.us', '4915100000002@c.us']);
		expect(result.items.map((item) => item.json.uuid)).toEqual([`uuid-${before + 1}`, `uuid-${before + 2}`]);
	});

	test('continue-on-fail with a first item that fails makes n8n retry: the other items still get one code each', async () => {
		const api = await otpApi((json) => created(json));
		const result = await run(
			api,
			{},
			{ inputItems: items('not a number', '4915100000001', '4915100000002'), continueOnFail: true, retryOnFail: RETRY },
		);
		expect(api.calls.map((call) => call.chatId)).toEqual(['4915100000001@c.us', '4915100000002@c.us']);
		expect(result.items[0].json.error).toBeDefined();
		expect(result.items.slice(1).map((item) => item.json.chatId)).toEqual(['4915100000001@c.us', '4915100000002@c.us']);
	});

	test('a new execution of the same workflow requests again: the memory is per execution', async () => {
		const api = await otpApi((json) => created(json));
		await run(api, {}, { inputItems: items('4915100000001'), retryOnFail: RETRY });
		await run(api, {}, { inputItems: items('4915100000001'), retryOnFail: RETRY });
		expect(api.calls).toHaveLength(2);
	});

	test('a different request at the same place in the next try (another chat) is not taken for the earlier one', async () => {
		let refusals = 0;
		const api = await otpApi((json) =>
			json.chatId === '4915100000002@c.us' && refusals++ === 0 ? { status: 422, body: { message: 'Try again.' } } : created(json),
		);
		// The first item's chat changes from try to try (n8n waits about a second between them).
		const chatId = '={{ $json.to === "now" ? "49151" + String($now.toMillis()).slice(-8) : $json.to }}';
		const result = await run(api, { chatId }, { inputItems: items('now', '4915100000002'), retryOnFail: RETRY });
		expect(result.error).toBeUndefined();
		const firstItemCalls = api.calls.filter((call) => call.chatId !== '4915100000002@c.us');
		expect(firstItemCalls).toHaveLength(2);
		expect(firstItemCalls[0].chatId).not.toBe(firstItemCalls[1].chatId);
	});
});

describe('Generate Link', () => {
	test('a link made in an earlier try is output again, not made twice', async () => {
		const api = await otpApi((json) =>
			json.chatId === '4915100000002@c.us' ? { status: 401, body: { message: 'Unauthenticated.' } } : created(json),
		);
		const result = await run(
			api,
			{ operation: 'generateLink', options: { expires: 900 } },
			{ inputItems: items('4915100000001', '4915100000002'), retryOnFail: RETRY },
		);
		expect(result.error?.message).toBe('Hypersender API error 401: Unauthenticated.');
		expect(api.calls.map((call) => call.chatId)).toEqual([
			'4915100000001@c.us',
			'4915100000002@c.us',
			'4915100000002@c.us',
			'4915100000002@c.us',
		]);
	});
});

describe('what the tries remember is bounded', () => {
	const defaults = { ...ITEM_LEDGER_LIMITS };
	afterEach(() => Object.assign(ITEM_LEDGER_LIMITS, defaults));

	test('past the cap the oldest entries are forgotten', async () => {
		ITEM_LEDGER_LIMITS.maxEntries = 3;
		const api = await otpApi((json) => created(json));
		await run(api, {}, { inputItems: items('4915100000001', '4915100000002', '4915100000003', '4915100000004', '4915100000005') });
		expect(itemLedgerSize()).toBe(3);
	});

	test('entries older than the time kept are forgotten', async () => {
		ITEM_LEDGER_LIMITS.keepMs = 0;
		const api = await otpApi((json) => created(json));
		await run(api, {}, { inputItems: items('4915100000001', '4915100000002') });
		await sleep(5);
		await run(api, {}, { inputItems: items('4915100000003') });
		expect(itemLedgerSize()).toBe(1);
	});
});
