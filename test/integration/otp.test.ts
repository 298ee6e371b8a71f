/**
 * One-Time Code › Request Code and Generate Link through n8n-core against a scripted API on
 * 127.0.0.1: the request (path under /api/otp/v2/{instance}, Authorization, body), the output (the
 * API's record in camelCase), every option checked before any request, and which failures are
 * sent again (Generate Link, which sends nothing to anyone) and which are not (Request Code, which
 * sends the code as a WhatsApp message).
 */
import type { IDataObject } from 'n8n-workflow';

import { sendJson } from '../harness/http-server';
import { validate } from '../harness/json-schema';
import type { JsonSchema } from '../harness/json-schema';
import type { RunNodeOptions } from '../harness/n8n-core';
import { runHypersenderNode } from '../harness/n8n-core';
import { INSTANCE, serve, TOKEN } from '../harness/scripted-api';
import * as generateLink from '../../nodes/Hypersender/v1/actions/otp/generateLink.operation';
import * as requestCode from '../../nodes/Hypersender/v1/actions/otp/requestCode.operation';

interface OtpCall {
	method: string;
	path: string;
	authorization: string | undefined;
	json: IDataObject;
}

type Answer = { status: number; body: unknown } | 'hang';

/** An OTP API whose every call is answered by `answer`; 'hang' never answers (the node times out). */
async function otpApi(answer: (call: OtpCall, index: number) => Answer) {
	const calls: OtpCall[] = [];
	const server = await serve((request, response, body) => {
		const call: OtpCall = {
			method: request.method ?? '',
			path: new URL(request.url ?? '/', 'http://x').pathname,
			authorization: request.headers.authorization,
			json: body ? (JSON.parse(body) as IDataObject) : {},
		};
		calls.push(call);
		const reply = answer(call, calls.length - 1);
		if (reply !== 'hang') sendJson(response, reply.status, reply.body);
	});
	return Object.assign(server, { calls });
}

async function run(server: { baseUrl: string }, parameters: IDataObject, extra: Partial<RunNodeOptions> = {}) {
	return await runHypersenderNode({
		parameters: { resource: 'otp', ...parameters } as never,
		credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: server.baseUrl },
		...extra,
	});
}

const CODE_RECORD = {
	uuid: 'a0b5df6a-b491-4190-80a5-38d85a2a4836',
	chat_id: '4915123456789@c.us',
	code: '439713',
	status: 'pending',
	otp_type: 'code',
	expires_at: '2026-12-29T18:09:38+00:00',
	created_at: '2026-12-29T17:39:38+00:00',
};
const CODE_ANSWER = { status: 200, body: { success: true, message: 'OTP code generated and message queued successfully', data: CODE_RECORD } };

const LINK_RECORD = {
	uuid: 'a0b5e14e-95da-4bd4-9e2a-071661244bef',
	code: 'RDYFQUBX',
	chat_id: '4915123456789@c.us',
	status: 'pending',
	otp_type: 'link',
	expires_at: '2026-12-29T18:14:55+00:00',
	created_at: '2026-12-29T17:44:55+00:00',
	whatsapp_link: 'https://wa.me/4915123456789?text=Log+in+at+Acme+%5BRDYFQUBX%5D',
};
const LINK_ANSWER = { status: 200, body: { success: true, message: 'OTP link request created successfully', data: LINK_RECORD } };

describe('Request Code', () => {
	test('POSTs to /api/otp/v2/{instance}/request-code with the token and the defaults; outputs the record in camelCase', async () => {
		const api = await otpApi(() => CODE_ANSWER);
		const result = await run(api, { operation: 'requestCode', chatId: '+49 151 23456789' });
		expect(result.error).toBeUndefined();
		expect(api.calls).toEqual([
			{
				method: 'POST',
				path: `/api/otp/v2/${INSTANCE}/request-code`,
				authorization: `Bearer ${TOKEN}`,
				json: { chatId: '4915123456789@c.us', length: 6, useLetter: false, useNumber: true, allCapital: false, expires: 1800 },
			},
		]);
		expect(result.items.map((item) => item.json)).toEqual([
			{
				uuid: CODE_RECORD.uuid,
				chatId: '4915123456789@c.us',
				code: '439713',
				status: 'pending',
				otpType: 'code',
				expiresAt: CODE_RECORD.expires_at,
				createdAt: CODE_RECORD.created_at,
			},
		]);
		expect(validate(requestCode.outputSchema as JsonSchema, result.items[0].json)).toEqual([]);
	});

	test('the options go under the API\'s names: Use Letters → useLetter, Use Numbers → useNumber', async () => {
		const api = await otpApi(() => CODE_ANSWER);
		const options = { length: 8, useLetters: true, useNumbers: false, allCapital: true, name: 'Acme Shop', expires: 600 };
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789@c.us', options });
		expect(result.error).toBeUndefined();
		expect(api.calls[0].json).toEqual({
			chatId: '4915123456789@c.us',
			length: 8,
			useLetter: true,
			useNumber: false,
			allCapital: true,
			name: 'Acme Shop',
			expires: 600,
		});
	});

	test('an instance override, and keys the API adds, in camelCase after the documented ones', async () => {
		const api = await otpApi(() => ({ status: 200, body: { success: true, data: { ...CODE_RECORD, sent_via: 'whatsapp' } } }));
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789', options: { instanceId: 'other/inst' } });
		expect(api.calls[0].path).toBe('/api/otp/v2/other%2Finst/request-code');
		expect(Object.keys(result.items[0].json)).toEqual(['uuid', 'chatId', 'code', 'status', 'otpType', 'expiresAt', 'createdAt', 'sentVia']);
	});

	test.each([
		[{ length: 3 }, 'Invalid Code Length (length): 3 is less than 4; allowed: a whole number from 4 to 10'],
		[{ length: 11 }, 'Invalid Code Length (length): 11 is too large; allowed: a whole number from 4 to 10'],
		[{ length: 'six' }, 'Invalid Code Length (length): "six" is not a whole number; allowed: a whole number from 4 to 10'],
		[{ expires: 59 }, 'Invalid Expires (Seconds) (expires): 59 is less than 60; allowed: a whole number from 60 to 1800'],
		[{ expires: 1801 }, 'Invalid Expires (Seconds) (expires): 1801 is too large; allowed: a whole number from 60 to 1800'],
		[
			{ useNumbers: false },
			'Invalid Use Letters (useLetters) and Use Numbers (useNumbers): both are off, so the code could contain nothing; allowed: either or both on',
		],
	])('options %j are refused before any request', async (options, message) => {
		const api = await otpApi(() => CODE_ANSWER);
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789', options });
		expect(result.error?.message).toBe(message);
		expect(api.calls).toHaveLength(0);
	});

	test('a chat ID the message operations refuse is refused here too, before any request', async () => {
		const api = await otpApi(() => CODE_ANSWER);
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789@example.com' });
		expect(result.error?.message).toMatch(/^Invalid Chat ID or Phone Number \(chatId\): "4915123456789@example.com" is not a WhatsApp chat ID of a known form/);
		expect(api.calls).toHaveLength(0);
	});

	test('a 500 is not sent again (the code may have been sent) and says so', async () => {
		const api = await otpApi(() => ({ status: 500, body: { message: 'Server Error' } }));
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789' });
		expect(api.calls).toHaveLength(1);
		expect(result.error?.message).toBe('Hypersender API error 500: Server Error (the code may have been sent, so it was not requested again)');
		expect(result.error?.description).toContain('The code may have been created and sent to the chat anyway');
	});

	test('a timeout is not sent again either', async () => {
		const api = await otpApi(() => 'hang');
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789', options: { timeout: 300 } });
		expect(api.calls).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Hypersender API request failed: no response within 300 ms (the code may have been sent, so it was not requested again)',
		);
	});

	test('a 503 (surely not acted on) is sent again', async () => {
		const api = await otpApi((_call, index) => (index === 0 ? { status: 503, body: { message: 'Service Unavailable' } } : CODE_ANSWER));
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789', options: { retryBudget: 10 } });
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(2);
		expect(result.items[0].json.code).toBe('439713');
	});

	test('"success": false in a 200 is an error with the API\'s words', async () => {
		const api = await otpApi(() => ({ status: 200, body: { success: false, message: 'The chat is not on WhatsApp.' } }));
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789' });
		expect(result.error?.message).toBe('Hypersender did not request a code: The chat is not on WhatsApp.');
		expect(api.calls).toHaveLength(1);
	});

	test('a 200 without the record is an error, worded as "may have been sent"', async () => {
		const api = await otpApi(() => ({ status: 200, body: { success: true, message: 'ok' } }));
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789' });
		expect(result.error?.message).toBe(
			'Hypersender API returned an unexpected response: the JSON has no "data" object with the record\'s "uuid" (the code may have been sent, so it was not requested again)',
		);
	});

	test('401 is an error that points at the token', async () => {
		const api = await otpApi(() => ({ status: 401, body: { message: 'Unauthenticated.' } }));
		const result = await run(api, { operation: 'requestCode', chatId: '4915123456789' });
		expect(result.error?.message).toBe('Hypersender API error 401: Unauthenticated.');
		expect(result.error?.description).toContain('Check the API token');
	});
});

describe('Generate Link', () => {
	const allOptions = {
		expires: 3600,
		name: 'Acme Shop',
		promptMessage: 'Give me a link to log in at Acme Shop',
		successMessage: 'Here is your login link: {link}',
		failedMessage: 'Login failed, please try again later.',
		expiredMessage: 'The link has expired.',
		successCallbackUrl: 'https://example.com/otp/success',
		failedCallbackUrl: 'https://example.com/otp/failed',
	};

	test('POSTs to /generate-link with the messages and callbacks nested; outputs whatsappLink and the record', async () => {
		const api = await otpApi(() => LINK_ANSWER);
		const result = await run(api, { operation: 'generateLink', chatId: '+49 151 23456789', options: allOptions });
		expect(result.error).toBeUndefined();
		expect(api.calls[0].path).toBe(`/api/otp/v2/${INSTANCE}/generate-link`);
		expect(api.calls[0].authorization).toBe(`Bearer ${TOKEN}`);
		expect(api.calls[0].json).toEqual({
			chatId: '4915123456789@c.us',
			expires: 3600,
			name: 'Acme Shop',
			message: {
				prompt: 'Give me a link to log in at Acme Shop',
				success: 'Here is your login link: {link}',
				failed: 'Login failed, please try again later.',
				expired: 'The link has expired.',
			},
			callback: { success: 'https://example.com/otp/success', failed: 'https://example.com/otp/failed' },
		});
		expect(result.items[0].json).toEqual({
			uuid: LINK_RECORD.uuid,
			chatId: '4915123456789@c.us',
			code: 'RDYFQUBX',
			status: 'pending',
			otpType: 'link',
			expiresAt: LINK_RECORD.expires_at,
			createdAt: LINK_RECORD.created_at,
			whatsappLink: LINK_RECORD.whatsapp_link,
		});
		expect(validate(generateLink.outputSchema as JsonSchema, result.items[0].json)).toEqual([]);
	});

	test('options left out or empty are left out of the body (expires is always sent, 1800 by default)', async () => {
		const api = await otpApi(() => LINK_ANSWER);
		const options = { failedMessage: 'Sorry.', successCallbackUrl: '', promptMessage: '  ' };
		const result = await run(api, { operation: 'generateLink', chatId: '4915123456789', options });
		expect(result.error).toBeUndefined();
		expect(api.calls[0].json).toEqual({ chatId: '4915123456789@c.us', expires: 1800, message: { failed: 'Sorry.' } });
	});

	test.each([
		[{ expires: 59 }, 'Invalid Expires (Seconds) (expires): 59 is less than 60; allowed: a whole number from 60 to 3600'],
		[{ expires: 3601 }, 'Invalid Expires (Seconds) (expires): 3601 is too large; allowed: a whole number from 60 to 3600'],
		[
			{ successCallbackUrl: 'http://example.com/ok' },
			'Invalid Success Callback URL (successCallbackUrl): "http://example.com/ok" is not an https URL; allowed: an https:// URL, e.g. https://example.com/otp/success',
		],
		[
			{ failedCallbackUrl: 'example.com/failed' },
			'Invalid Failed Callback URL (failedCallbackUrl): "example.com/failed" is not a URL; allowed: an https:// URL, e.g. https://example.com/otp/success',
		],
	])('options %j are refused before any request', async (options, message) => {
		const api = await otpApi(() => LINK_ANSWER);
		const result = await run(api, { operation: 'generateLink', chatId: '4915123456789', options });
		expect(result.error?.message).toBe(message);
		expect(api.calls).toHaveLength(0);
	});

	test('a 500 is sent again: making a link sends nothing to anyone', async () => {
		const api = await otpApi((_call, index) => (index === 0 ? { status: 500, body: { message: 'Server Error' } } : LINK_ANSWER));
		const result = await run(api, { operation: 'generateLink', chatId: '4915123456789', options: { retryBudget: 10 } });
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(2);
		expect(result.items[0].json.whatsappLink).toBe(LINK_RECORD.whatsapp_link);
	});

	test('a record without whatsapp_link is an error', async () => {
		const withoutLink: IDataObject = { ...LINK_RECORD };
		delete withoutLink.whatsapp_link;
		const api = await otpApi(() => ({ status: 200, body: { success: true, data: withoutLink } }));
		const result = await run(api, { operation: 'generateLink', chatId: '4915123456789' });
		expect(result.error?.message).toBe('Hypersender API returned an unexpected response: the record has no "whatsapp_link"');
	});
});
