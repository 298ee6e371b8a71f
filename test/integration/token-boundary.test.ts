/**
 * The API token goes to the credential's Base URL and nowhere else, through n8n-core's own
 * request helper: a redirect is never followed (neither the token nor a message goes to the
 * Location), a Base URL that is not https (loopback aside) or carries a password is refused
 * before any request, and a token a server echoes back is redacted before anything reads the
 * body, so neither a cut preview in an error nor an output item holds any part of it.
 */
import type { TestServer } from '../harness/http-server';
import { sendJson, startTestServer } from '../harness/http-server';
import { runHypersenderNode } from '../harness/n8n-core';
import { INSTANCE, queuedApi, runOperation, sentMessage, TOKEN } from '../harness/queued-api';

const servers: TestServer[] = [];
afterEach(async () => await Promise.all(servers.splice(0).map(async (server) => await server.close())));

async function server(handler: Parameters<typeof startTestServer>[0]) {
	const started = await startTestServer(handler);
	servers.push(started);
	return started;
}

/** A server that would gladly take whatever is redirected to it. */
async function elsewhere() {
	return await server((_request, response) => sendJson(response, 200, { queued: true, queued_request_uuid: 'stolen', data: [] }));
}

async function redirectingTo(target: TestServer, status: number) {
	return await server((request, response) => {
		response.writeHead(status, { Location: `${new URL(target.baseUrl).origin}${request.url}` }).end();
	});
}

describe('a redirect is never followed', () => {
	test.each([301, 302, 303, 307, 308])('Send Text answered %i: nothing reaches the other host, the error names the status and its host', async (status) => {
		const other = await elsewhere();
		const base = await redirectingTo(other, status);
		const result = await runOperation(base, { operation: 'sendText', chatId: '4915123456789', text: 'Hello' });
		expect(other.requests).toHaveLength(0);
		expect(base.requests).toHaveLength(1);
		const host = new URL(other.baseUrl).host;
		expect(result.error?.message).toBe(`Hypersender API error ${status}: the Base URL redirects to ${host}, and redirects are not followed`);
		expect(result.error?.description).toMatch(/Set the credential's Base URL/);
		expect(result.serialized).not.toContain(TOKEN);
	});

	test('Contact › Get Many answered 302: no page is read from the other host, and nothing is retried', async () => {
		const other = await elsewhere();
		const base = await redirectingTo(other, 302);
		const result = await runHypersenderNode({
			parameters: { resource: 'contact', operation: 'getAll', returnAll: true },
			credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: base.baseUrl },
		});
		expect(other.requests).toHaveLength(0);
		expect(base.requests).toHaveLength(1);
		expect(result.error?.message).toContain('Hypersender API error 302: the Base URL redirects to');
	});
});

describe('the Base URL is checked before any request', () => {
	test('plain http to another host is refused with the allowed forms', async () => {
		const result = await runOperation({ baseUrl: 'http://api.example.com/api/whatsapp/v2' } as TestServer, {
			operation: 'sendText',
			chatId: '4915123456789',
			text: 'Hello',
		});
		expect(result.error?.message).toBe(
			'Invalid Base URL in the Hypersender API credential: it uses plain http to api.example.com, which would send the API token unencrypted',
		);
		expect(result.error?.description).toContain('https://<host>/<path>');
		expect(result.error?.description).toContain('localhost, 127.0.0.1, [::1]');
	});

	test('a user:password in the URL is refused, and the password is not repeated', async () => {
		const api = await queuedApi();
		const withPassword = api.baseUrl.replace('http://', 'http://admin:hunter2-secret@');
		const result = await runOperation({ baseUrl: withPassword } as TestServer, { operation: 'sendText', chatId: '4915123456789', text: 'Hi' });
		expect(api.calls).toHaveLength(0);
		expect(result.error?.message).toContain('contains a user name or password');
		expect(result.serialized).not.toContain('hunter2-secret');
	});
});

describe('a token echoed by a server is redacted before anything reads it', () => {
	test('an error preview cut at 120 characters holds no part of the token', async () => {
		const base = await server((_request, response) => {
			response.writeHead(500, { 'Content-Type': 'text/html' }).end(`<html>${'x'.repeat(100)}${TOKEN}</html>`);
		});
		const result = await runOperation(base, { operation: 'sendText', chatId: '4915123456789', text: 'Hi' });
		expect(result.error?.message).toContain('[redac');
		expect(result.serialized).not.toContain(TOKEN.slice(0, 8));
	});

	test('a queued record whose response_body echoes the token: the output item holds [redacted]', async () => {
		const api = await queuedApi({
			outcome: (call) => ({ body: { ...sentMessage(String(call.json?.chatId)), debug: `auth=Bearer ${TOKEN}`, url: `/x?token=${encodeURIComponent(TOKEN)}` } }),
		});
		const result = await runOperation(api, {
			operation: 'sendText',
			chatId: '4915123456789',
			text: 'Hi',
			options: { waitForResult: true },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.debug).toBe('auth=Bearer [redacted]');
		expect(result.serialized).not.toContain(TOKEN);

		const read = await runOperation(api, { resource: 'queuedRequest', operation: 'get', queuedRequestId: api.accepted[0].uuid });
		expect(read.error).toBeUndefined();
		expect(JSON.stringify(read.items)).toContain('[redacted]');
		expect(read.serialized).not.toContain(TOKEN);
	});
});
