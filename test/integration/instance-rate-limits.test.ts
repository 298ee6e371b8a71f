/**
 * The instance endpoints' documented limits (create 5/min, restart 5/min, health 10/min, new QR
 * code 1/min) through n8n-core against a real HTTP server on 127.0.0.1: a 429 is waited out for
 * the time its Retry-After asks, within the node's Retry Time Budget (a 429 means the API did
 * nothing, so a write is safe to send again); beyond the budget the error says when to try
 * again. A write that may have been done (500, timeout) is never sent twice.
 */
import type { IDataObject } from 'n8n-workflow';

import { encodePng } from '../../sandbox/images';
import { sendJson } from '../harness/http-server';
import { runHypersenderNode } from '../harness/n8n-core';
import type { Handler } from '../harness/scripted-api';
import { INSTANCE, serve, TOKEN } from '../harness/scripted-api';

async function run(handler: Handler, parameters: IDataObject) {
	const server = await serve(handler);
	const result = await runHypersenderNode({
		parameters: { resource: 'instance', ...parameters } as never,
		credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: server.baseUrl },
	});
	return { server, result };
}

const QR = encodePng(2, 2, () => [0, 0, 0]).toString('base64');
const CREATED = { id: 'c0ffee00', name: 'Sales', phone: '+4915123456789', qr_code: QR, access_token: '9|t' };
const CREATE = { operation: 'create', phone: '+4915123456789', name: 'Sales' };

/** Answers the first `count` requests with a 429 (and Retry-After, when given), then with `body`. */
function limited(count: number, retryAfter: string | undefined, body: unknown): Handler {
	let seen = 0;
	return (_request, response) => {
		if (seen++ < count) {
			response.writeHead(429, { 'content-type': 'application/json', ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }) });
			response.end(JSON.stringify({ message: 'Too Many Attempts.' }));
			return;
		}
		sendJson(response, 200, body);
	};
}

/** The UTC time `seconds` from now, as the errors write it (HH:MM:SS), give or take `slack` seconds. */
function utcAround(seconds: number, slack = 3): string[] {
	return Array.from({ length: 2 * slack + 1 }, (_, index) => new Date(Date.now() + (seconds - slack + index) * 1000).toISOString().slice(11, 19));
}

describe('a 429 within the Retry Time Budget is waited out for its Retry-After', () => {
	test('Get Health: read again after the second the API asks for', async () => {
		const startedAt = Date.now();
		const { server, result } = await run(limited(1, '1', { instance_id: INSTANCE, connected_at: null, status: 'WORKING' }), { operation: 'getHealth' });
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(2);
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
		expect(result.items[0].json.connected).toBe(true);
	});

	test('Create: a 429 means nothing was created, so it is sent again and creates one instance', async () => {
		const { server, result } = await run(limited(1, '1', CREATED), CREATE);
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
			'POST /api/whatsapp/v2/create-instance',
			'POST /api/whatsapp/v2/create-instance',
		]);
		expect(result.items.map((item) => item.json.instanceId)).toEqual(['c0ffee00']);
	});

	test('Restart and Request New QR Code are sent again after the 429 too', async () => {
		const restart = await run(limited(1, '1', { message: 'WhatsApp instance restarted successfully.' }), { operation: 'restart' });
		expect(restart.result.error).toBeUndefined();
		expect(restart.server.requests).toHaveLength(2);
		const qr = await run(limited(1, '1', CREATED), { operation: 'requestNewQr' });
		expect(qr.result.error).toBeUndefined();
		expect(qr.server.requests).toHaveLength(2);
	});
});

describe('beyond the budget, the error says when to try again', () => {
	test('Request New QR Code (1 per minute): Retry-After 60 with a 5 s budget fails at once, naming the time', async () => {
		const { server, result } = await run(limited(1, '60', CREATED), { operation: 'requestNewQr', options: { retryBudget: 5 } });
		expect(server.requests).toHaveLength(1);
		expect(result.error?.message).toBe('Hypersender API error 429: Too Many Attempts.');
		const description = result.error?.description ?? '';
		expect(description).toContain('The API asked to wait 60 s: try again after ');
		expect(utcAround(60).some((time) => description.includes(`try again after ${time} UTC`))).toBe(true);
		expect(description).toContain('raise the node\'s "Retry Time Budget (Seconds)" option');
		expect(description).toContain('Hypersender allows 1 new QR code(s) per minute.');
		expect(description).toContain('Nothing was done: the API refuses a rate-limited request before acting on it.');
	});

	test('Create: Retry-After 120 with a 30 s budget fails at once, naming the 120 s', async () => {
		const { server, result } = await run(limited(5, '120', CREATED), { ...CREATE, options: { retryBudget: 30 } });
		expect(server.requests).toHaveLength(1);
		expect(result.error?.description).toContain('The API asked to wait 120 s: try again after ');
		expect(result.error?.description).toContain('Hypersender allows 5 instance creation(s) per minute.');
	});

	test('Restart without a Retry-After, Max Attempts 1: the documented limit says to try again in a minute', async () => {
		const { server, result } = await run(limited(1, undefined, {}), { operation: 'restart', options: { maxAttempts: 1 } });
		expect(server.requests).toHaveLength(1);
		const description = result.error?.description ?? '';
		expect(description).toContain('Hypersender allows 5 restart(s) per minute. Try again in a minute (after ');
		expect(utcAround(60).some((time) => description.includes(`(after ${time} UTC)`))).toBe(true);
		expect(description).toContain('Nothing was done');
	});

	test('Get Health without a Retry-After, Max Attempts 2: read twice, then the 10-per-minute limit is named (a read: no "nothing was done")', async () => {
		const { server, result } = await run(limited(2, undefined, {}), { operation: 'getHealth', options: { maxAttempts: 2 } });
		expect(server.requests).toHaveLength(2);
		expect(result.error?.message).toBe('Hypersender API error 429: Too Many Attempts. after 2 attempts');
		expect(result.error?.description).toContain('Hypersender allows 10 health read(s) per minute. Try again in a minute');
		expect(result.error?.description).not.toContain('Nothing was done');
	});
});

describe('a write that may have been done is not sent twice', () => {
	test('Create that times out: sent once, and the error says the instance may exist', async () => {
		const { server, result } = await run(() => undefined, { ...CREATE, options: { timeout: 300 } });
		expect(server.requests).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Hypersender API request failed: no response within 300 ms (it may have been created, so it was not created again)',
		);
		expect(result.error?.description).toContain('The instance may have been created anyway');
	});

	test('Request New QR Code that answers 502: sent once', async () => {
		const { server, result } = await run((_request, response) => sendJson(response, 502, { message: 'Bad Gateway' }), { operation: 'requestNewQr' });
		expect(server.requests).toHaveLength(1);
		expect(result.error?.message).toContain('(a new QR code may have been made, so none was requested again)');
	});
});
