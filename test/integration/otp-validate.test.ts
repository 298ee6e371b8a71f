/**
 * One-Time Code › Validate Code through n8n-core against a scripted API on 127.0.0.1. A wrong,
 * used, expired or unknown code is an answer (`valid: false`, the API's reason, a status to branch
 * on), not an error; a request the API refuses as such (401, 403, 429, 5xx, a 422 with field
 * errors, a 404 about the instance) stays an error. A check uses the code up, so it is not sent
 * again after a timeout or a 500, and n8n's Retry On Fail reuses a finished check.
 */
import type { IDataObject } from 'n8n-workflow';

import { sendJson } from '../harness/http-server';
import type { JsonSchema } from '../harness/json-schema';
import { validate } from '../harness/json-schema';
import type { RunNodeOptions } from '../harness/n8n-core';
import { runHypersenderNode } from '../harness/n8n-core';
import { INSTANCE, serve, TOKEN } from '../harness/scripted-api';
import { outputSchema } from '../../nodes/Hypersender/v1/actions/otp/validateCode.operation';

type Answer = { status: number; body: unknown } | 'hang';

/** An OTP API whose every call is answered by `answer`; 'hang' never answers (the node times out). */
async function otpApi(answer: (json: IDataObject, index: number) => Answer) {
	const calls: Array<{ path: string; authorization: string | undefined; json: IDataObject }> = [];
	const server = await serve((request, response, body) => {
		const json = body ? (JSON.parse(body) as IDataObject) : {};
		calls.push({ path: new URL(request.url ?? '/', 'http://x').pathname, authorization: request.headers.authorization, json });
		const reply = answer(json, calls.length - 1);
		if (reply !== 'hang') sendJson(response, reply.status, reply.body);
	});
	return Object.assign(server, { calls });
}

async function check(server: { baseUrl: string }, parameters: IDataObject = {}, extra: Partial<RunNodeOptions> = {}) {
	return await runHypersenderNode({
		parameters: { resource: 'otp', operation: 'validateCode', chatId: '+49 151 23456789', code: '439713', ...parameters } as never,
		credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: server.baseUrl },
		...extra,
	});
}

const VALIDATED = {
	status: 200,
	body: {
		success: true,
		message: 'OTP code validated successfully',
		data: {
			uuid: 'a0b5df6a-b491-4190-80a5-38d85a2a4836',
			chat_id: '4915123456789@c.us',
			status: 'validated',
			validated_at: '2026-12-29T17:43:36+00:00',
		},
	},
};

const refused = (status: number, message: string, extra: IDataObject = {}) => ({ status, body: { success: false, message, ...extra } });

describe('answers', () => {
	test('a right code: POST /validate-code, valid true, the record in camelCase', async () => {
		const api = await otpApi(() => VALIDATED);
		const result = await check(api);
		expect(result.error).toBeUndefined();
		expect(api.calls).toEqual([
			{
				path: `/api/otp/v2/${INSTANCE}/validate-code`,
				authorization: `Bearer ${TOKEN}`,
				json: { chatId: '4915123456789@c.us', code: '439713' },
			},
		]);
		expect(result.items.map((item) => item.json)).toEqual([
			{
				valid: true,
				status: 'validated',
				reason: 'OTP code validated successfully',
				uuid: 'a0b5df6a-b491-4190-80a5-38d85a2a4836',
				chatId: '4915123456789@c.us',
				validatedAt: '2026-12-29T17:43:36+00:00',
			},
		]);
		expect(validate(outputSchema as JsonSchema, result.items[0].json)).toEqual([]);
	});

	test.each([
		['a wrong code (422)', refused(422, 'The OTP code is invalid.'), 'invalid'],
		['a wrong code (400)', refused(400, 'Invalid code.'), 'invalid'],
		['a used code (409)', refused(409, 'This OTP code has already been used.'), 'used'],
		['a used code, said only by the status (409)', refused(409, 'Conflict.'), 'used'],
		['an expired code (400)', refused(400, 'The OTP code has expired.'), 'expired'],
		['an expired code, said only by the status (410)', refused(410, 'Gone.'), 'expired'],
		['no code for the chat (404)', refused(404, 'OTP code not found.'), 'notFound'],
		['a message without "success" (422)', { status: 422, body: { message: 'The code does not match.' } }, 'invalid'],
		['"success": false in a 200: data.status wins over the message', refused(200, 'Not valid.', { data: { status: 'used', uuid: 'u-1' } }), 'used'],
	])('%s: valid false with the API\'s reason', async (_name, answer, status) => {
		const api = await otpApi(() => answer);
		const result = await check(api);
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(json).toMatchObject({ valid: false, status, reason: (answer.body as { message: string }).message });
		expect(validate(outputSchema as JsonSchema, json)).toEqual([]);
		expect(api.calls).toHaveLength(1);
	});

	test('a 4xx refusal\'s data.status wins over its message, and its record is kept', async () => {
		const api = await otpApi(() => refused(422, 'Not valid.', { data: { status: 'expired', uuid: 'u-2' } }));
		const result = await check(api);
		expect(result.items[0].json).toEqual({ valid: false, status: 'expired', reason: 'Not valid.', uuid: 'u-2' });
	});

	test('a 4xx with success false and no message is a refusal too, worded from its status', async () => {
		const api = await otpApi(() => ({ status: 400, body: { success: false, data: { status: 'used' } } }));
		const result = await check(api);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ valid: false, status: 'used', reason: 'The code was already used.' });
	});

	test('several items branch on their own answers', async () => {
		const api = await otpApi((json) => (json.code === '111111' ? VALIDATED : refused(422, 'The OTP code is invalid.')));
		const result = await check(api, { code: '={{ $json.code }}' }, { inputItems: [{ code: '111111' }, { code: 222222 }] });
		expect(result.items.map((item) => [item.json.valid, item.json.status])).toEqual([
			[true, 'validated'],
			[false, 'invalid'],
		]);
		expect(api.calls.map((call) => call.json.code)).toEqual(['111111', '222222']);
	});
});

describe('errors', () => {
	test.each([
		[401, { message: 'Unauthenticated.' }, 'Hypersender API error 401: Unauthenticated.'],
		[403, { message: 'This action is unauthorized.' }, 'Hypersender API error 403: This action is unauthorized.'],
		[404, { message: 'Instance not found.' }, 'Hypersender API error 404: Instance not found.'],
		[
			422,
			{ message: 'The given data was invalid.', errors: { code: ['The code field is required.'] } },
			'Hypersender API error 422: The given data was invalid.',
		],
	])('%i %j stays an error', async (status, body, message) => {
		const api = await otpApi(() => ({ status, body }));
		const result = await check(api);
		expect(result.error?.message).toBe(message);
		expect(api.calls).toHaveLength(1);
	});

	test('a 500 is not sent again: the code may have been validated, and so used up', async () => {
		const api = await otpApi(() => ({ status: 500, body: { message: 'Server Error' } }));
		const result = await check(api);
		expect(api.calls).toHaveLength(1);
		expect(result.error?.message).toBe('Hypersender API error 500: Server Error (the code may have been validated, so it was not sent again)');
		expect(result.error?.description).toContain('ask the person for a new code');
	});

	test('a 429 is sent again (surely not acted on), and a 429 that lasts is an error', async () => {
		const api = await otpApi(() => ({ status: 429, body: { message: 'Too Many Attempts.' } }));
		const result = await check(api, { options: { maxAttempts: 2, retryBudget: 10 } });
		expect(api.calls).toHaveLength(2);
		expect(result.error?.message).toBe('Hypersender API error 429: Too Many Attempts. after 2 attempts');
	});

	test('a 200 that says neither yes nor no is an error', async () => {
		const api = await otpApi(() => ({ status: 200, body: { message: 'ok' } }));
		const result = await check(api);
		expect(result.error?.message).toBe(
			'Hypersender API returned an unexpected response: the JSON says neither "success" nor a "data.status" (the code may have been validated, so it was not sent again)',
		);
	});

	test('an empty code is refused before any request', async () => {
		const api = await otpApi(() => VALIDATED);
		const result = await check(api, { code: '  ' });
		expect(result.error?.message).toBe('Invalid Code (code): "  " is empty; allowed: non-empty text');
		expect(api.calls).toHaveLength(0);
	});
});

describe('n8n\'s Retry On Fail', () => {
	const RETRY = { maxTries: 3, waitBetweenTries: 0 };

	test('a check that finished is reused, not sent again (it would find the code used up)', async () => {
		const api = await otpApi((json, index) => {
			if (json.code === '111111') return index === 0 ? VALIDATED : refused(409, 'This OTP code has already been used.');
			return index === 1 ? { status: 401, body: { message: 'Unauthenticated.' } } : VALIDATED;
		});
		const result = await check(api, { code: '={{ $json.code }}' }, { inputItems: [{ code: '111111' }, { code: '222222' }], retryOnFail: RETRY });
		expect(result.error).toBeUndefined();
		expect(api.calls.map((call) => call.json.code)).toEqual(['111111', '222222', '222222']);
		expect(result.items.map((item) => [item.json.valid, item.json.status])).toEqual([
			[true, 'validated'],
			[true, 'validated'],
		]);
	});

	test('after a timeout, the next try checks again; "already used" then says the earlier try may have used it', async () => {
		const api = await otpApi((_json, index) => (index === 0 ? 'hang' : refused(409, 'This OTP code has already been used.')));
		const result = await check(api, { options: { timeout: 300 } }, { retryOnFail: RETRY });
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(2);
		const json = result.items[0].json;
		expect(json).toMatchObject({ valid: false, status: 'used' });
		expect(json.reason).toBe(
			'This OTP code has already been used. Note: an earlier try of this node (n8n\'s Retry On Fail) sent this code and got no answer ("Hypersender API request failed: no response within 300 ms (the code may have been validated, so it was not sent again)"); that try may have validated it and used it up, so this answer may not mean the code was wrong.',
		);
	});

	test('without an earlier try, "already used" is just the API\'s reason', async () => {
		const api = await otpApi(() => refused(409, 'This OTP code has already been used.'));
		const result = await check(api, {}, { retryOnFail: RETRY });
		expect(result.items[0].json.reason).toBe('This OTP code has already been used.');
	});
});
