/**
 * Require Connected Instance, the option of every Message and Chat operation, through n8n-core
 * against real HTTP servers on 127.0.0.1: the instance's health is read once per run (per
 * instance) before anything is queued; an instance that is not WORKING fails the run (or, with
 * continue-on-fail, each item that asked) with its status and what to do, and nothing is sent.
 * n8n's Retry On Fail still never queues an item twice.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { sendJson } from '../harness/http-server';
import { runHypersenderNode } from '../harness/n8n-core';
import type { ActionCall, QueuedApiScript } from '../harness/queued-api';
import { INSTANCE, queuedApi, runOperation, TOKEN } from '../harness/queued-api';
import { serve } from '../harness/scripted-api';
import { operations } from '../../nodes/Hypersender/v1/actions/operations';

const SEND = { operation: 'sendText', chatId: '={{ $json.to ?? "4915123456789" }}', text: '={{ $json.text ?? "Hello" }}' };
const REQUIRE = { safeMode: false, requireConnected: true };

/** The queued API, whose instance answers its health with `status` (or the status for the n-th read). */
async function instanceIn(status: string | ((read: number) => string), script: QueuedApiScript = {}) {
	let reads = 0;
	return await queuedApi({
		...script,
		intercept: (call, response, index) => {
			if (call.method !== 'GET' || call.path !== 'health') return script.intercept?.(call, response, index) ?? false;
			const now = typeof status === 'function' ? status(reads++) : status;
			sendJson(response, 200, { instance_id: INSTANCE, connected_at: now === 'WORKING' ? '2026-12-07T09:00:00.000000Z' : null, status: now });
			return true;
		},
	});
}

const healthReads = (calls: ActionCall[]) => calls.filter((call) => call.path === 'health').length;
const sends = (calls: ActionCall[]) => calls.filter((call) => call.path !== 'health');

describe('Require Connected Instance', () => {
	test('is an option of every Message and Chat operation, off by default', () => {
		for (const resource of ['message', 'chat']) {
			for (const [name, operation] of Object.entries(operations.resources[resource].operations)) {
				const options = operation.description.find((property) => property.name === 'options');
				const option = (options?.options as INodeProperties[] | undefined)?.find((candidate) => candidate.name === 'requireConnected');
				expect([`${resource}/${name}`, option?.displayName, option?.type, option?.default]).toEqual([
					`${resource}/${name}`,
					'Require Connected Instance',
					'boolean',
					false,
				]);
			}
		}
	});

	test('WORKING: the health is read first, then the message is sent', async () => {
		const api = await instanceIn('WORKING');
		const result = await runOperation(api, { ...SEND, options: REQUIRE });
		expect(result.error).toBeUndefined();
		expect(api.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET health', 'POST send-text']);
		expect(result.items[0].json.queuedRequestId).toBe(api.accepted[0].uuid);
	});

	test('off (the default): no health read', async () => {
		const api = await instanceIn('SCAN_QR_CODE');
		const result = await runOperation(api, { ...SEND, options: { safeMode: false } });
		expect(result.error).toBeUndefined();
		expect(api.calls.map((call) => call.path)).toEqual(['send-text']);
	});

	test('SCAN_QR_CODE: nothing is sent, and the error names the status and what to do', async () => {
		const api = await instanceIn('SCAN_QR_CODE');
		const result = await runOperation(api, { ...SEND, options: REQUIRE }, { inputItems: [{}, {}, {}] });
		expect(api.calls.map((call) => call.path)).toEqual(['health']);
		expect(result.error?.message).toBe(
			`The WhatsApp instance "${INSTANCE}" is not connected (status SCAN_QR_CODE), so nothing was sent: scan the QR code in the Hypersender dashboard (or get a new one with Instance › Request New QR Code), then run again`,
		);
		expect(result.error?.description).toContain('"Require Connected Instance" is on');
		expect(result.items).toEqual([]);
	});

	test.each([
		['STOPPED', 'restart it with Instance › Restart'],
		['FAILED', 'restart it with Instance › Restart'],
		['STARTING', 'it is starting: wait a minute and run again'],
		['PENDING', 'it is starting: wait a minute and run again'],
		['MAINTENANCE', 'check the instance in the Hypersender dashboard'],
	])('%s: nothing is sent; the error says: %s', async (status, advice) => {
		const api = await instanceIn(status);
		const result = await runOperation(api, { resource: 'chat', operation: 'startTyping', chatId: '4915123456789', options: { requireConnected: true } });
		expect(sends(api.calls)).toEqual([]);
		expect(result.error?.message).toContain(`is not connected (status ${status}), so nothing was sent: ${advice}`);
	});

	test('continue-on-fail: every item that asked is an error, paired with its input, and none is sent', async () => {
		const api = await instanceIn('SCAN_QR_CODE');
		const result = await runOperation(api, { ...SEND, options: REQUIRE }, { inputItems: [{}, {}, {}], continueOnFail: true });
		expect(sends(api.calls)).toEqual([]);
		expect(healthReads(api.calls)).toBe(1);
		const message = `The WhatsApp instance "${INSTANCE}" is not connected (status SCAN_QR_CODE), so nothing was sent: scan the QR code in the Hypersender dashboard (or get a new one with Instance › Request New QR Code), then run again`;
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([0, 1, 2].map((item) => [{ error: message }, { item }]));
	});

	test('continue-on-fail: only the items that asked (per item, by expression) fail; the others are sent', async () => {
		const api = await instanceIn('STOPPED');
		const items = [{ text: 'a', check: true }, { text: 'b', check: false }, { text: 'c', check: true }, { text: 'd', check: false }];
		const result = await runOperation(
			api,
			{ ...SEND, options: { safeMode: false, requireConnected: '={{ $json.check }}' } },
			{ inputItems: items, continueOnFail: true },
		);
		expect(sends(api.calls).map((call) => call.json?.text)).toEqual(['b', 'd']);
		expect(result.items.map((item) => (item.json.error ? 'error' : 'queued'))).toEqual(['error', 'queued', 'error', 'queued']);
	});

	test('50 items: one health read, then 50 sends in input order', async () => {
		const api = await instanceIn('WORKING');
		const items = Array.from({ length: 50 }, (_, index) => ({ text: `message ${index}` }));
		const result = await runOperation(api, { ...SEND, options: REQUIRE }, { inputItems: items });
		expect(result.error).toBeUndefined();
		expect(healthReads(api.calls)).toBe(1);
		expect(api.calls[0].path).toBe('health');
		expect(sends(api.calls).map((call) => call.json?.text)).toEqual(items.map((item) => item.text));
		expect(result.items).toHaveLength(50);
	});

	test('a health read the token may not make fails the run before anything is sent, and says how to do without', async () => {
		const api = await queuedApi({
			intercept: (call, response) => {
				if (call.path !== 'health') return false;
				sendJson(response, 403, { message: 'This action is unauthorized.' });
				return true;
			},
		});
		const result = await runOperation(api, { ...SEND, options: REQUIRE }, { inputItems: [{}, {}] });
		expect(sends(api.calls)).toEqual([]);
		expect(healthReads(api.calls)).toBe(1);
		expect(result.error?.message).toBe(
			'Hypersender API error 403: this token cannot manage instances (enterprise endpoints need your account\'s API token) (while checking that the instance is connected; nothing was sent)',
		);
		expect(result.error?.description).toContain('Turn the option off to queue without this check.');
		expect(result.serialized).not.toContain(TOKEN);
	});
});

describe('several instances (the Instance ID option per item)', () => {
	test('one health read per distinct instance; only the connected ones\' items are sent', async () => {
		const statuses: Record<string, string> = { [INSTANCE]: 'WORKING', 'inst-a': 'WORKING', 'inst-b': 'STOPPED' };
		const server = await serve((request, response) => {
			const [instance, path] = (request.url ?? '').split('/').slice(4);
			if (path === 'health') return sendJson(response, 200, { instance_id: instance, connected_at: null, status: statuses[instance] });
			const uuid = randomUUID();
			sendJson(response, 200, { queued: true, queued_request_uuid: uuid, queued_request_link: `http://127.0.0.1/${instance}/queued-requests/${uuid}` });
		});
		const instances = ['inst-a', 'inst-b', 'inst-a', '', 'inst-b', ''];
		const result = await runHypersenderNode({
			parameters: {
				resource: 'message',
				...SEND,
				options: { ...REQUIRE, instanceId: `={{ $json.instance || "${INSTANCE}" }}` },
			} as never,
			credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: server.baseUrl },
			inputItems: instances.map((instance) => ({ instance })),
			continueOnFail: true,
		});
		const seen = server.requests.map((request) => request.url.split('/').slice(4).join('/'));
		expect(seen.filter((path) => path.endsWith('/health'))).toEqual(['inst-a/health', 'inst-b/health', `${INSTANCE}/health`]);
		expect(seen.filter((path) => !path.endsWith('/health'))).toEqual(['inst-a/send-text', 'inst-a/send-text', `${INSTANCE}/send-text`, `${INSTANCE}/send-text`]);
		expect(seen.indexOf(`${INSTANCE}/health`)).toBeLessThan(seen.indexOf('inst-a/send-text'));
		const stopped =
			'The WhatsApp instance "inst-b" is not connected (status STOPPED), so nothing was sent: restart it with Instance › Restart (or in the Hypersender dashboard), then run again';
		expect(result.items.map((item) => item.json.error ?? 'queued')).toEqual(['queued', stopped, 'queued', 'queued', stopped, 'queued']);
	});
});

describe('with n8n\'s Retry On Fail', () => {
	const RETRY = { maxTries: 3, waitBetweenTries: 0 };

	test('a try that found the instance not connected sent nothing; the next try reads it again and sends once', async () => {
		const api = await instanceIn((read) => (read === 0 ? 'STARTING' : 'WORKING'));
		const result = await runOperation(api, { ...SEND, options: REQUIRE }, { retryOnFail: RETRY });
		expect(result.error).toBeUndefined();
		expect(api.calls.map((call) => call.path)).toEqual(['health', 'health', 'send-text']);
	});

	test('an item refused with 429 is sent by the next try, after one more health read; the queued one is not sent again', async () => {
		let refused = false;
		const api = await instanceIn('WORKING', {
			intercept: (call, response) => {
				if (call.json?.text !== 'two' || refused) return false;
				refused = true;
				sendJson(response, 429, { message: 'Too Many Attempts.' });
				return true;
			},
		});
		const result = await runOperation(
			api,
			{ ...SEND, options: { ...REQUIRE, maxAttempts: 1 } },
			{ inputItems: [{ text: 'one' }, { text: 'two' }], retryOnFail: RETRY },
		);
		expect(result.error).toBeUndefined();
		expect(api.calls.map((call) => (call.path === 'health' ? 'health' : call.json?.text))).toEqual(['health', 'one', 'two', 'health', 'two']);
	});

	test('a retry where every item that asked was queued before reads no health at all', async () => {
		const api = await instanceIn('WORKING');
		const items: IDataObject[] = [{ to: 'not a number' }, { to: '4915123456781' }, { to: '4915123456782' }];
		const result = await runOperation(api, { ...SEND, options: REQUIRE }, { inputItems: items, continueOnFail: true, retryOnFail: RETRY });
		expect(healthReads(api.calls)).toBe(1);
		expect(sends(api.calls).map((call) => call.json?.chatId)).toEqual(['4915123456781@c.us', '4915123456782@c.us']);
		expect(result.items[0].json.error).toContain('Invalid Chat ID');
	});
});
