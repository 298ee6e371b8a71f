/**
 * The Instance operations and Require Connected Instance through n8n-core against the sandbox,
 * the project's stand-in API, whose enterprise routes keep state (created instances and their
 * tokens, restarts, QR codes) and count the documented per-minute limits as Laravel does.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { readPng } from '../sandbox/image-format';
import type { JsonSchema } from '../harness/json-schema';
import { validate } from '../harness/json-schema';
import { runHypersenderNode } from '../harness/n8n-core';
import type { Sandbox } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';
import { operations } from '../../nodes/Hypersender/v1/actions/operations';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ processingDelayMs: 0, restartDelayMs: 300 });
});

afterAll(async () => await sandbox.close());

beforeEach(() => {
	sandbox.resetRateLimits();
	sandbox.configure({ rateLimitWindowMs: 60_000 });
	sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'WORKING');
});

async function run(resource: string, parameters: IDataObject, extra: { inputItems?: IDataObject[]; continueOnFail?: boolean } = {}) {
	return await runHypersenderNode({
		parameters: { resource, ...parameters } as never,
		credentials: credentialsFor(sandbox),
		...extra,
	});
}

function schemaErrors(operation: string, items: Array<{ json: IDataObject }>): string[] {
	const schema = operations.resources.instance.operations[operation].outputSchema as JsonSchema;
	return items.flatMap((item, index) => validate(schema, item.json, `item ${index}`));
}

/** How often the sandbox counted a route of the default instance in the open rate-limit window. */
function hits(route: string): number {
	return sandbox
		.rateLimitWindows()
		.filter((window) => window.key.endsWith(`|${DEFAULT_INSTANCE}|whatsapp/${route}`))
		.reduce((sum, window) => sum + window.hits, 0);
}

test('Create makes the instance the sandbox then knows, outputs its token once and its QR code as a PNG file; Get Many finds it', async () => {
	const name = `Shop ${Date.now()}`;
	const created = await run('instance', { operation: 'create', phone: '+1 (555) 123-4567', name, options: { webhookUrl: 'https://example.com/hook' } });
	expect(created.error).toBeUndefined();
	const [item] = created.items;
	const known = sandbox.createdInstances().find((instance) => instance.name === name)!;
	expect(item.json).toMatchObject({ instanceId: known.id, name, phone: '+15551234567', status: 'SCAN_QR_CODE', webhookUrl: 'https://example.com/hook' });
	expect(item.json.accessToken).toBe(known.access_token);
	expect(item.binary?.qrCode).toMatchObject({ mimeType: 'image/png', fileName: `${name.replace(' ', '_')}.png` });
	expect(readPng(Buffer.from(item.binary!.qrCode.data, 'base64')).width).toBeGreaterThan(0);
	expect(schemaErrors('create', created.items)).toEqual([]);

	const listed = await run('instance', { operation: 'getAll', filters: { uuid: known.id } });
	expect(listed.items.map((entry) => entry.json)).toEqual([
		{ instanceId: known.id, name, phone: '+15551234567', serviceType: 'whatsapp', status: 'SCAN_QR_CODE', createdAt: expect.any(String), hasAccessToken: false },
	]);
	expect(listed.serialized).not.toContain(known.access_token);
	expect(schemaErrors('getAll', listed.items)).toEqual([]);
});

test('Get Many with a status filter, and Get Health of the instance the credential names', async () => {
	const listed = await run('instance', { operation: 'getAll', filters: { status: 'WORKING' } });
	expect(listed.items.map((item) => item.json.instanceId)).toContain(DEFAULT_INSTANCE);
	expect(listed.items.every((item) => item.json.status === 'WORKING')).toBe(true);
	const health = await run('instance', { operation: 'getHealth' });
	expect(health.items[0].json).toMatchObject({ instanceId: DEFAULT_INSTANCE, status: 'WORKING', connected: true });
	expect(schemaErrors('getHealth', health.items)).toEqual([]);
});

test('Request New QR Code logs the instance out: a send that requires a connected instance then sends nothing', async () => {
	const qr = await run('instance', { operation: 'requestNewQr' });
	expect(qr.error).toBeUndefined();
	expect(readPng(Buffer.from(qr.items[0].binary!.qrCode.data, 'base64')).width).toBeGreaterThan(0);
	expect(schemaErrors('requestNewQr', qr.items)).toEqual([]);
	const before = sandbox.messages(DEFAULT_INSTANCE).length;
	const send = await run('message', { operation: 'sendText', chatId: '+49 151 2345 6789', text: 'Hi', options: { requireConnected: true } });
	expect(send.error?.message).toContain('is not connected (status SCAN_QR_CODE), so nothing was sent: scan the QR code');
	expect(sandbox.messages(DEFAULT_INSTANCE)).toHaveLength(before);
});

test('a stopped instance: the send fails with "Instance › Restart"; after Restart and its STARTING, the same send goes out', async () => {
	sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'STOPPED');
	const parameters = { operation: 'sendText', chatId: '+49 151 2345 6789', text: 'Back again', options: { requireConnected: true } };
	expect((await run('message', parameters)).error?.message).toContain('(status STOPPED), so nothing was sent: restart it with Instance › Restart');
	const restarted = await run('instance', { operation: 'restart' });
	expect(restarted.items[0].json).toEqual({ instanceId: DEFAULT_INSTANCE, message: 'WhatsApp instance restarted successfully.' });
	expect((await run('message', parameters)).error?.message).toContain('(status STARTING), so nothing was sent: it is starting: wait a minute');
	await sleep(400);
	const sent = await run('message', parameters);
	expect(sent.error).toBeUndefined();
	expect(sandbox.messages(DEFAULT_INSTANCE).at(-1)?.body).toMatchObject({ text: 'Back again' });
});

test('50 items that require a connected instance cost one health read of its 10 a minute', async () => {
	const before = sandbox.messages(DEFAULT_INSTANCE).length;
	const items = Array.from({ length: 50 }, (_, index) => ({ text: `Order ${index} shipped` }));
	const result = await run('message', { operation: 'sendText', chatId: '+49 151 2345 6789', text: '={{ $json.text }}', options: { requireConnected: true, safeMode: false } }, { inputItems: items });
	expect(result.error).toBeUndefined();
	expect(hits('health')).toBe(1);
	expect(sandbox.messages(DEFAULT_INSTANCE)).toHaveLength(before + 50);
});

describe('the sandbox\'s per-minute limits', () => {
	test('a second new QR code within the minute: 429, and the error says when to try again', async () => {
		expect((await run('instance', { operation: 'requestNewQr' })).error).toBeUndefined();
		const second = await run('instance', { operation: 'requestNewQr', options: { retryBudget: 5 } });
		expect(second.error?.message).toBe('Hypersender API error 429: Too Many Attempts.');
		expect(second.error?.description).toMatch(/The API asked to wait (59|60) s: try again after \d\d:\d\d:\d\d UTC/);
		expect(hits('request-new-qr-code')).toBe(1);
	});

	test('with a short window, the 429\'s Retry-After is waited out within the budget and the QR code comes', async () => {
		sandbox.configure({ rateLimitWindowMs: 1500 });
		expect((await run('instance', { operation: 'requestNewQr' })).error).toBeUndefined();
		const second = await run('instance', { operation: 'requestNewQr' });
		expect(second.error).toBeUndefined();
		expect(second.items[0].binary?.qrCode.mimeType).toBe('image/png');
	});
});
