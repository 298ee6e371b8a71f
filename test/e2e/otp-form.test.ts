/**
 * examples/otp-verification.json as it is, activated in a real n8n 2.41.1 against the sandbox,
 * driven over HTTP the way a phone's browser drives n8n's forms: the sign-up form takes a WhatsApp
 * number, One-Time Code › Request Code sends a code there (the sandbox records the WhatsApp text),
 * the next form page takes the code, Validate Code checks it, and the form ends on "verified"; a
 * wrong code ends on the API's reason, and the form says so.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

import type { Workflow } from './n8n-harness';
import { DEFAULT_INSTANCE, N8nHarness, runtime } from './n8n-harness';

const EXAMPLE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'otp-verification.json'), 'utf8')) as Workflow;
const NUMBER = '+49 151 2345 6789';
const CHAT = '4915123456789@c.us';

let harness: N8nHarness;
let editor: Awaited<ReturnType<typeof runtime.startEditor>>;

beforeAll(async () => {
	harness = await N8nHarness.start({ name: 'e2e-otp-form', instances: { [DEFAULT_INSTANCE]: { size: 20, seed: 9 } } });
	await harness.importWorkflow(EXAMPLE);
	editor = await runtime.startEditor(harness.home, { port: await runtime.freePort() });
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up password for the owner of the test's own throwaway n8n home
	const session = await runtime.setupOwner(editor.url, { email: 'otp@example.com', password: 'Otp-Form-Test-1234' });
	await runtime.activateWorkflow(editor.url, session, EXAMPLE.id!);
}, 5 * 60 * 1000);

afterAll(async () => {
	await editor?.stop();
	await harness?.close();
});

/** Submits one form page as the page's own script does (multipart, fields field-0, …); resolves to the answer's JSON or text. */
async function submit(url: string, fields: string[]): Promise<{ status: number; text: string }> {
	const body = new FormData();
	fields.forEach((value, index) => body.append(`field-${index}`, value));
	const response = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(20_000) });
	return { status: response.status, text: await response.text() };
}

/** GETs a form-waiting page until it shows `expected` (the execution reaches the page's node a moment after the submit). */
async function pageShowing(url: string, expected: string): Promise<string> {
	const deadline = Date.now() + 60_000;
	let last = '';
	while (Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		try {
			// n8n may hold a GET of a page its execution has not reached yet: ask again.
			const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
			last = await response.text();
			if (response.status === 200 && last.includes(expected)) return last;
		} catch (error) {
			last = String(error);
		}
	}
	throw new Error(`${url} never showed "${expected}"; it last answered: ${last.slice(0, 400)}`);
}

function waitingUrl(answer: { status: number; text: string }): string {
	expect(answer.status).toBe(200);
	const url = (JSON.parse(answer.text) as { formWaitingUrl?: string }).formWaitingUrl;
	if (!url) throw new Error(`no formWaitingUrl in ${answer.text.slice(0, 300)}`);
	return url;
}

async function verify(code: (sent: string) => string): Promise<string> {
	const formUrl = `${editor.url}/form/verify-whatsapp`;
	const first = await fetch(formUrl, { signal: AbortSignal.timeout(20_000) });
	expect(first.status).toBe(200);
	expect(await first.text()).toContain('Verify your WhatsApp number');
	const next = waitingUrl(await submit(formUrl, [NUMBER]));
	await pageShowing(next, 'Enter the code');
	const sent = harness.sandbox.lastOtpCode(DEFAULT_INSTANCE, CHAT);
	expect(sent).not.toBeNull();
	const answer = await submit(next, [code(sent!.code)]);
	const end = answer.text.startsWith('{') ? waitingUrl(answer) : next;
	return answer.text.startsWith('{') ? await pageShowing(end, 'code') : answer.text;
}

test('the right code: the form ends on "verified", and the code went out as a WhatsApp text', async () => {
	harness.sandbox.clearMessages(DEFAULT_INSTANCE);
	const page = await verify((sent) => sent);
	expect(page).toContain('Your number is verified');
	const texts = harness.sandbox.messages(DEFAULT_INSTANCE).map((message) => [message.chatId, String(message.body.text ?? '')]);
	expect(texts).toEqual([[CHAT, expect.stringMatching(/^Acme: Your verification code is \d{6}\./)]]);
});

test('a wrong code: the form ends on the API\'s reason, not an error', async () => {
	const page = await verify(() => '000000');
	expect(page).toContain('That code did not work');
	expect(page).toContain('Invalid OTP code.');
});
