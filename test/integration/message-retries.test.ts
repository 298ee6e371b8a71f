/**
 * Never twice: a message is sent again only where the server surely did not take it. Each
 * fault through n8n-core against a scripted queued API on 127.0.0.1, counting the POSTs.
 */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import http from 'node:http';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import type { AddressInfo } from 'node:net';

import { sendJson } from '../harness/http-server';
import { queuedApi, runOperation as run, TOKEN } from '../harness/queued-api';

const SEND = { operation: 'sendText', chatId: '4915123456789', text: 'Hello' };
const MAY_HAVE_BEEN_SENT = 'The message may have been sent anyway, so it was not sent again';

/** Answers the first `times` sends with `fault`, the rest normally. */
function faultFirst(times: number, fault: (response: http.ServerResponse) => void) {
	return {
		intercept: (_call: unknown, response: http.ServerResponse, index: number) => {
			if (index >= times) return false;
			fault(response);
			return true;
		},
	};
}

describe('a send that may have been taken is never repeated', () => {
	test.each([
		['500', (response: http.ServerResponse) => sendJson(response, 500, { message: 'Server Error' }), 'Hypersender API error 500: Server Error'],
		[
			'502 (an HTML gateway page)',
			(response: http.ServerResponse) => {
				response.writeHead(502, { 'content-type': 'text/html' });
				response.end('<html><body>502 Bad Gateway</body></html>');
			},
			'Hypersender API error 502',
		],
		['504', (response: http.ServerResponse) => sendJson(response, 504, { message: 'Gateway Timeout' }), 'Hypersender API error 504'],
		['a reset after the request arrived', (response: http.ServerResponse) => response.socket?.resetAndDestroy(), 'Hypersender API request failed'],
		[
			'an empty 200',
			(response: http.ServerResponse) => {
				response.writeHead(200, { 'content-type': 'application/json', 'content-length': '0' });
				response.end();
			},
			'Hypersender API returned an unexpected response',
		],
	])('%s: one POST, and the error says the message may have been sent', async (_name, fault, message) => {
		const api = await queuedApi(faultFirst(1, fault));
		const result = await run(api, { ...SEND, options: { maxAttempts: 5 } });
		expect(result.error?.message).toContain(message);
		expect(result.error?.message).toMatch(/\(it may have been sent, so it was not sent again\)$/);
		expect(result.error?.description).toContain(MAY_HAVE_BEEN_SENT);
		expect(api.calls).toHaveLength(1);
	});

	test('a timeout: one POST, "no response within", may have been sent', async () => {
		const api = await queuedApi(faultFirst(1, () => {}));
		const result = await run(api, { ...SEND, options: { maxAttempts: 5, timeout: 300 } });
		expect(result.error?.message).toBe(
			'Hypersender API request failed: no response within 300 ms (it may have been sent, so it was not sent again)',
		);
		expect(result.error?.description).toContain(MAY_HAVE_BEEN_SENT);
		expect(api.calls).toHaveLength(1);
	});
});

describe('a send the server surely did not take is repeated', () => {
	test('503: sent again, once, and the output is the one accepted request', async () => {
		const api = await queuedApi(faultFirst(1, (response) => sendJson(response, 503, { message: 'Service Unavailable' })));
		const result = await run(api, SEND);
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(2);
		expect(api.accepted).toHaveLength(1);
		expect(result.items[0].json.queuedRequestId).toBe(api.accepted[0].uuid);
	});

	test('429 with Retry-After: waits as asked, then sends again', async () => {
		const api = await queuedApi(
			faultFirst(1, (response) => {
				response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
				response.end(JSON.stringify({ message: 'Too Many Attempts.' }));
			}),
		);
		const started = Date.now();
		const result = await run(api, SEND);
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(2);
		// Retry-After: 1 is honored (not the 250-500 ms first backoff step).
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	test('429 every time: gives up after Max Attempts with the API\'s message, without "may have been sent"', async () => {
		const api = await queuedApi(
			faultFirst(100, (response) => {
				response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
				response.end(JSON.stringify({ message: 'Too Many Attempts.' }));
			}),
		);
		const result = await run(api, { ...SEND, options: { maxAttempts: 3 } });
		expect(result.error?.message).toBe('Hypersender API error 429: Too Many Attempts. after 3 attempts');
		expect(result.error?.description).not.toContain(MAY_HAVE_BEEN_SENT);
		expect(result.error?.message).not.toContain('may have been sent');
		expect(api.calls).toHaveLength(3);
	});

	test('connection refused: nothing reached a server, so it is tried Max Attempts times', async () => {
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const result = await run(
			{ baseUrl: `http://127.0.0.1:${port}/api/whatsapp/v2`, requests: [], close: async () => {} },
			{ ...SEND, options: { maxAttempts: 2 } },
		);
		expect(result.error?.message).toMatch(/^Hypersender API request failed: the connection failed \(ECONNREFUSED.* after 2 attempts$/);
		expect(result.error?.description).not.toContain(MAY_HAVE_BEEN_SENT);
	});
});

describe('reading the result is retried like any read', () => {
	test('a 500 and a reset while polling are read again; the message was sent once', async () => {
		const api = await queuedApi({
			interceptRead: (_uuid, response, read) => {
				if (read === 0) {
					sendJson(response, 500, { message: 'Server Error' });
					return true;
				}
				if (read === 1) {
					response.socket?.resetAndDestroy();
					return true;
				}
				return false;
			},
		});
		const result = await run(api, { ...SEND, options: { waitForResult: true } });
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(1);
		expect(api.reads.length).toBeGreaterThanOrEqual(3);
		expect(result.items[0].json.messageId).toBe('true_4915123456789@c.us_3EB0C767D26A1C4D6A7B');
	});

	test('a read that keeps failing fails the item with the queued request named, and the send is not repeated', async () => {
		const api = await queuedApi({
			interceptRead: (_uuid, response) => {
				sendJson(response, 401, { message: 'Unauthenticated.' });
				return true;
			},
		});
		const result = await run(api, { ...SEND, options: { waitForResult: true } });
		expect(result.error?.message).toBe(
			`Hypersender API error 401: Unauthenticated. (while reading the result; the request was queued as ${api.accepted[0].uuid})`,
		);
		expect(result.error?.description).toContain(`read of the queued request "${api.accepted[0].uuid}"`);
		expect(api.calls).toHaveLength(1);
		expect(result.serialized).not.toContain(TOKEN);
	});
});
