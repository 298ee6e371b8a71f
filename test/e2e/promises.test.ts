/**
 * In a real n8n, the package's two promises at the node's edges (issue "promises"):
 *
 *   - the API token goes to the Base URL and nowhere else: a Base URL that redirects (302, 307)
 *     fails Send Text and Get Many with the status and the Location's host, and the other host
 *     receives nothing; the credential dialog's test (POST /rest/credentials/test) does not follow
 *     the redirect either, and refuses a plain-http or user:password Base URL;
 *   - a message is never sent twice by n8n's own Retry On Fail: three items, the third answered
 *     500 → one, two, three POSTed once each; Wait for Result that times out → one POST, the later
 *     try waits for the same request; 300 sends with 25% faults after recording, continue-on-fail
 *     and a first item that fails (so n8n retries every try) → each recorded exactly once.
 */
import { randomUUID } from 'node:crypto';

import type { Editor } from '../../scripts/n8n/runtime';
import type { TestServer } from '../harness/http-server';
import { sendJson, startTestServer } from '../harness/http-server';
import type { CredentialRef } from './n8n-harness';
import { DEFAULT_INSTANCE, N8nHarness, runtime } from './n8n-harness';

const TOKEN = `hs-promises-${randomUUID()}`;
const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };

interface Post {
	instance: string;
	text: string;
	chatId: string;
	authorization: string | undefined;
}

let harness: N8nHarness;
let api: TestServer;
let elsewhere: TestServer;
const posts: Post[] = [];
const records = new Map<string, { doneAt: number; chatId: string }>();
const creds: Record<'redirect302' | 'redirect307' | 'failsThird' | 'slow', CredentialRef> = {} as never;

/** The scripted API: the instance in the path says how it behaves. */
function scriptedApi(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse, body: string) {
	const [instance, ...rest] = new URL(request.url ?? '/', 'http://x').pathname.replace('/api/whatsapp/v2/', '').split('/');
	const path = rest.join('/');
	if (instance === 'redirect302' || instance === 'redirect307') {
		const status = instance === 'redirect302' ? 302 : 307;
		response.writeHead(status, { Location: `${new URL(elsewhere.baseUrl).origin}${request.url}` }).end();
		return;
	}
	if (request.headers.authorization !== `Bearer ${TOKEN}`) return sendJson(response, 401, { message: 'Unauthenticated.' });
	if (request.method === 'GET' && path.startsWith('queued-requests/')) {
		const uuid = path.slice('queued-requests/'.length);
		const record = records.get(uuid);
		if (!record) return sendJson(response, 404, { message: 'Queued request not found.' });
		const done = Date.now() >= record.doneAt;
		return sendJson(response, 200, {
			uuid,
			request: {},
			response_status: done ? 201 : null,
			response_body: done ? { key: { remoteJid: record.chatId, fromMe: true, id: uuid.slice(0, 20).toUpperCase() } } : null,
			response_header: null,
		});
	}
	const json = JSON.parse(body || '{}') as { text?: string; chatId?: string };
	posts.push({ instance, text: String(json.text), chatId: String(json.chatId), authorization: request.headers.authorization });
	if (instance === 'failsThird' && json.text === 'three') return sendJson(response, 500, { message: 'Server Error' });
	const uuid = randomUUID();
	records.set(uuid, { doneAt: Date.now() + (instance === 'slow' ? 2500 : 0), chatId: String(json.chatId) });
	sendJson(response, 200, { queued: true, queued_request_uuid: uuid, queued_request_link: `${api.baseUrl}/${instance}/queued-requests/${uuid}` });
}

beforeAll(async () => {
	harness = await N8nHarness.start({ name: 'e2e-promises', instances: { [DEFAULT_INSTANCE]: { size: 50, seed: 8 } } });
	elsewhere = await startTestServer((_request, response) => sendJson(response, 200, { queued: true, queued_request_uuid: 'elsewhere', data: [] }));
	api = await startTestServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => scriptedApi(request, response, body));
	});
	const refs = await harness.addCredentials(
		(['redirect302', 'redirect307', 'failsThird', 'slow'] as const).map((instance) => ({
			id: `hsPromises${instance}`,
			name: `Hypersender (${instance})`,
			apiToken: TOKEN,
			instanceId: instance,
			baseUrl: api.baseUrl,
		})),
	);
	(['redirect302', 'redirect307', 'failsThird', 'slow'] as const).forEach((instance, index) => (creds[instance] = refs[index]));
}, 15 * 60 * 1000);

afterAll(async () => {
	await api?.close();
	await elsewhere?.close();
	await harness?.close();
});

beforeEach(() => {
	posts.length = 0;
	elsewhere.requests.length = 0;
	api.requests.length = 0;
});

describe('the token stays with the Base URL', () => {
	test.each(['redirect302', 'redirect307'] as const)('Send Text on a Base URL that answers %s: an error naming the host, nothing sent there', async (instance) => {
		const result = await harness.run({
			name: `send on ${instance}`,
			credential: creds[instance],
			parameters: { resource: 'message', operation: 'sendText', chatId: '4915123456789', text: 'Secret offer', options: { safeMode: false } },
		});
		expect(result.ok).toBe(false);
		const status = instance === 'redirect302' ? 302 : 307;
		expect(result.error).toContain(`Hypersender API error ${status}: the Base URL redirects to ${new URL(elsewhere.baseUrl).host}, and redirects are not followed`);
		expect(api.requests).toHaveLength(1);
		expect(elsewhere.requests).toHaveLength(0);
		expect(result.output).not.toContain(TOKEN);
	});

	test('Get Many on a Base URL that answers 302: no page read elsewhere', async () => {
		const result = await harness.run({ name: 'get many on redirect', credential: creds.redirect302, parameters: { returnAll: true } });
		expect(result.ok).toBe(false);
		expect(result.error).toContain('Hypersender API error 302');
		expect(elsewhere.requests).toHaveLength(0);
	});

	describe('the credential dialog\'s test', () => {
		let editor: Editor;
		let session: Awaited<ReturnType<typeof runtime.setupOwner>>;
		beforeAll(async () => {
			editor = await runtime.startEditor(harness.home, { port: await runtime.freePort() });
			// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up password for the owner of the test's own throwaway n8n home
			session = await runtime.setupOwner(editor.url, { email: 'promises@example.com', password: 'Promises-Test-1234' });
		}, 180_000);
		afterAll(async () => await editor?.stop());

		async function testCredential(data: Record<string, string>) {
			const response = await fetch(`${editor.url}/rest/credentials/test`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie: session.cookie },
				body: JSON.stringify({ credentials: { id: creds.redirect302.id, name: creds.redirect302.name, type: 'hypersenderApi', data } }),
			});
			expect(response.status).toBe(200);
			return ((await response.json()) as { data: { status: string; message: string } }).data;
		}

		test('a Base URL that redirects fails the test with the redirect\'s message; the other host gets nothing', async () => {
			const result = await testCredential({ apiToken: TOKEN, instanceId: 'redirect302', baseUrl: api.baseUrl });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/redirect \(HTTP 302\)\. Requests are not followed/);
			expect(api.requests).toHaveLength(1);
			expect(elsewhere.requests).toHaveLength(0);
		});

		test('plain http to another host and a user:password are refused before any request', async () => {
			const plain = await testCredential({ apiToken: TOKEN, instanceId: 'x', baseUrl: 'http://api.example.com/api/whatsapp/v2' });
			expect(plain).toMatchObject({ status: 'Error' });
			expect(plain.message).toContain('plain http to api.example.com');
			const withPassword = await testCredential({ apiToken: TOKEN, instanceId: 'failsThird', baseUrl: api.baseUrl.replace('http://', 'http://u:pw-secret@') });
			expect(withPassword.message).toContain('contains a user name or password');
			expect(api.requests).toHaveLength(0);
		});

		test('the well-formed credential still tests successfully', async () => {
			const result = await testCredential({ apiToken: harness.sandbox.token, instanceId: DEFAULT_INSTANCE, baseUrl: harness.sandbox.baseUrl });
			expect(result.status).toBe('OK');
		});
	});
});

describe('never twice under n8n\'s Retry On Fail', () => {
	test('three items, the third answered 500: one, two, three are POSTed once each', async () => {
		const result = await harness.run({
			name: 'retry three',
			credential: creds.failsThird,
			inputItems: [{ text: 'one' }, { text: 'two' }, { text: 'three' }],
			parameters: { resource: 'message', operation: 'sendText', chatId: '4915123456789', text: '={{ $json.text }}', options: { safeMode: false } },
			nodeSettings: RETRY,
		});
		expect(result.ok).toBe(false);
		expect(result.error).toContain('Hypersender API error 500: Server Error (it may have been sent, so it was not sent again)');
		expect(posts.map((post) => post.text)).toEqual(['one', 'two', 'three']);
	});

	test('Wait for Result that times out: one POST, and the later try outputs the sent message', async () => {
		const result = await harness.run({
			name: 'retry wait',
			credential: creds.slow,
			parameters: {
				resource: 'message',
				operation: 'sendText',
				chatId: '4915123456789',
				text: 'Slow one',
				options: { safeMode: false, waitForResult: true, waitTimeout: 1 },
			},
			nodeSettings: { ...RETRY, waitBetweenTries: 100 },
		});
		expect(posts).toHaveLength(1);
		expect(result.ok).toBe(true);
		expect(result.items?.[0].json.messageId).toMatch(/^true_4915123456789@c\.us_/);
	});

	test('300 sends, 25% faults after recording, continue-on-fail, Retry On Fail: each recorded exactly once', async () => {
		const phone = (index: number) => `4917${String(300_000 + index * 7).padStart(8, '0')}1`;
		harness.sandbox.clearMessages(DEFAULT_INSTANCE);
		harness.sandbox.configure({ faults: { rate: 0.25, phase: 'after', kinds: ['500', '502', '504', 'reset', 'html', 'empty'], seed: 3, retryAfter: 0 } });
		try {
			const result = await harness.run({
				name: 'retry 300 faulty',
				inputItems: [{ to: 'nobody' }, ...Array.from({ length: 300 }, (_, index) => ({ to: phone(index) }))],
				parameters: { resource: 'message', operation: 'sendText', chatId: '={{ $json.to }}', text: 'Order update', options: { safeMode: false } },
				nodeSettings: { ...RETRY, onError: 'continueRegularOutput' },
			});
			expect(result.ok).toBe(true);
			const messages = harness.sandbox.messages(DEFAULT_INSTANCE);
			const perChat = new Map<string, number>();
			for (const message of messages) perChat.set(String(message.chatId), (perChat.get(String(message.chatId)) ?? 0) + 1);
			expect(messages).toHaveLength(300);
			expect([...perChat.values()].every((count) => count === 1)).toBe(true);
			expect(result.requests.filter((request) => request.method === 'POST')).toHaveLength(300);
			const failed = result.items!.slice(1).filter((item) => item.json.error !== undefined);
			expect(failed.length).toBeGreaterThan(0);
			for (const item of failed) expect(String(item.json.error)).toContain('it may have been sent, so it was not sent again');
		} finally {
			harness.sandbox.configure({ faults: { rate: 0 } });
		}
	});
});
