/**
 * One-Time Code against the sandbox's OTP API, through n8n-core: a code requested, sent to the chat
 * (a WhatsApp text through the instance's queue) and checked (right once, then used; wrong;
 * expired; none for the chat), a login link, every output item against its operation's schema,
 * and never a second code for a chat while the sandbox injects faults and n8n retries the node.
 */
import type { IDataObject } from 'n8n-workflow';

import type { JsonSchema } from '../harness/json-schema';
import { validate } from '../harness/json-schema';
import type { RunNodeOptions } from '../harness/n8n-core';
import { runHypersenderNode } from '../harness/n8n-core';
import type { Sandbox } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';
import { operations } from '../../nodes/Hypersender/v1/actions/operations';

jest.setTimeout(120_000);

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 5, seed: 3 } }, processingDelayMs: 0 })));
afterAll(async () => await sandbox.close());
afterEach(() => sandbox.clearOtpCodes(DEFAULT_INSTANCE));

async function run(operation: string, parameters: IDataObject, extra: Partial<RunNodeOptions> = {}) {
	return await runHypersenderNode({
		parameters: { resource: 'otp', operation, ...parameters } as never,
		credentials: credentialsFor(sandbox),
		...extra,
	});
}

/** Runs one operation for one item, expects it to succeed and its output to match its schema; its json. */
async function runOne(operation: string, parameters: IDataObject): Promise<IDataObject> {
	const result = await run(operation, parameters);
	expect(result.error?.message).toBeUndefined();
	expect(result.items).toHaveLength(1);
	const schema = operations.resources.otp.operations[operation].outputSchema as JsonSchema;
	expect(validate(schema, result.items[0].json)).toEqual([]);
	return result.items[0].json;
}

const TO = '+49 151 2345 6789';
const CHAT = '4915123456789@c.us';

test('a code is requested, sent to the chat, right once and then used', async () => {
	const record = await runOne('requestCode', { chatId: TO, options: { length: 8, name: 'Acme Shop', expires: 300 } });
	const stored = sandbox.lastOtpCode(DEFAULT_INSTANCE, CHAT)!;
	expect(record).toMatchObject({ uuid: stored.uuid, chatId: CHAT, code: stored.code, otpType: 'code', status: 'pending' });
	expect(String(record.code)).toMatch(/^\d{8}$/);
	expect(stored.name).toBe('Acme Shop');

	const right = await runOne('validateCode', { chatId: TO, code: record.code });
	expect(right).toMatchObject({ valid: true, status: 'validated', uuid: stored.uuid });
	const again = await runOne('validateCode', { chatId: TO, code: record.code });
	expect(again).toMatchObject({ valid: false, status: 'used', reason: 'OTP code has already been used.' });
});

test('a wrong code, an expired code and a chat without a code are answers, not errors', async () => {
	const record = await runOne('requestCode', { chatId: TO });
	const wrong = await runOne('validateCode', { chatId: TO, code: String(record.code) === '000000' ? '111111' : '000000' });
	expect(wrong).toMatchObject({ valid: false, status: 'invalid', reason: 'Invalid OTP code.' });
	sandbox.expireOtpCode(DEFAULT_INSTANCE, { chatId: CHAT });
	const expired = await runOne('validateCode', { chatId: TO, code: record.code });
	expect(expired).toMatchObject({ valid: false, status: 'expired', reason: 'OTP code has expired.' });
	const none = await runOne('validateCode', { chatId: '4915199999999', code: '123456' });
	expect(none).toMatchObject({ valid: false, status: 'notFound', reason: 'No active OTP code found for this chat.' });
});

test('letters only, all capitals', async () => {
	const record = await runOne('requestCode', { chatId: TO, options: { useLetters: true, useNumbers: false, allCapital: true, length: 10 } });
	expect(String(record.code)).toMatch(/^[A-Z]{10}$/);
});

test('a login link: the wa.me link, and the messages and callbacks as sent', async () => {
	const options = {
		expires: 600,
		name: 'Acme Shop',
		promptMessage: 'Log me in at Acme Shop',
		successMessage: 'Here is your link: {link}',
		successCallbackUrl: 'https://example.com/otp/success',
	};
	const record = await runOne('generateLink', { chatId: TO, options });
	const stored = sandbox.lastOtpCode(DEFAULT_INSTANCE, CHAT)!;
	expect(record).toMatchObject({ uuid: stored.uuid, code: stored.code, otpType: 'link', whatsappLink: stored.whatsapp_link });
	expect(String(record.whatsappLink)).toMatch(/^https:\/\/wa\.me\/\d+\?text=Log\+me\+in\+at\+Acme\+Shop/);
	expect(stored.message).toEqual({ prompt: 'Log me in at Acme Shop', success: 'Here is your link: {link}' });
	expect(stored.callback).toEqual({ success: 'https://example.com/otp/success' });
});

test('under faults, with Retry On Fail and continue-on-fail: never a second code for a chat', async () => {
	const chats = Array.from({ length: 40 }, (_value, index) => `49151000${String(index).padStart(5, '0')}`);
	sandbox.configure({
		faults: { rate: 0.3, seed: 7, phase: 'after', routes: ['otp/request-code'], kinds: ['500', '502', '504', 'hang', 'reset', 'html', 'empty'] },
	});
	let result;
	try {
		result = await run(
			'requestCode',
			{ chatId: '={{ $json.to }}', options: { timeout: 300 } },
			{ inputItems: chats.map((to) => ({ to })), continueOnFail: true, retryOnFail: { maxTries: 3, waitBetweenTries: 0 } },
		);
	} finally {
		sandbox.configure({ faults: { rate: 0 } });
	}
	const codes = chats.map((chat) => sandbox.otpCodes(DEFAULT_INSTANCE, chat));
	expect(codes.filter((list) => list.length > 1)).toEqual([]);
	const failed = result.items.filter((item) => item.json.error !== undefined);
	expect(failed.length).toBeGreaterThan(0);
	for (const [index, item] of result.items.entries()) {
		if (item.json.error === undefined) expect(item.json.code).toBe(codes[index][0].code);
		else expect(String(item.json.error)).toMatch(/the code may have been sent, so it was not requested again|unexpected response/);
	}
});
