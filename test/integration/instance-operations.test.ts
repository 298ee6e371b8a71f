/**
 * Instance › Get Health, Get Many and Restart through n8n-core, against a real HTTP server on
 * 127.0.0.1 that answers as each test needs: the request each sends, what it outputs (checked
 * against the operation's own output schema), and the errors of the instance endpoints.
 */
import type { IDataObject } from 'n8n-workflow';

import { sendJson } from '../harness/http-server';
import type { JsonSchema } from '../harness/json-schema';
import { validate } from '../harness/json-schema';
import { runHypersenderNode } from '../harness/n8n-core';
import type { Handler } from '../harness/scripted-api';
import { INSTANCE, query, serve, TOKEN } from '../harness/scripted-api';
import { operations } from '../../nodes/Hypersender/v1/actions/operations';

async function run(handler: Handler, parameters: IDataObject, extra: { inputItems?: IDataObject[]; continueOnFail?: boolean } = {}) {
	const server = await serve(handler);
	const result = await runHypersenderNode({
		parameters: { resource: 'instance', ...parameters } as never,
		credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: server.baseUrl },
		...extra,
	});
	return { server, result };
}

function schemaErrors(operation: string, items: Array<{ json: IDataObject }>): string[] {
	const schema = operations.resources.instance.operations[operation].outputSchema as JsonSchema;
	return items.flatMap((item, index) => validate(schema, item.json, `item ${index}`));
}

const TOKEN_MESSAGE = 'this token cannot manage instances (enterprise endpoints need your account\'s API token)';

describe('Instance › Get Health', () => {
	test('reads GET {base}/{instance}/health with the token and outputs instanceId, status, connectedAt, connected', async () => {
		const { server, result } = await run((_request, response) =>
			sendJson(response, 200, { instance_id: INSTANCE, connected_at: '2026-12-01T10:00:00.000000Z', status: 'WORKING' }), { operation: 'getHealth' },
		);
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([`GET /api/whatsapp/v2/${INSTANCE}/health`]);
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ instanceId: INSTANCE, status: 'WORKING', connectedAt: '2026-12-01T10:00:00.000000Z', connected: true }, { item: 0 }],
		]);
		expect(schemaErrors('getHealth', result.items)).toEqual([]);
	});

	test.each(['STOPPED', 'STARTING', 'SCAN_QR_CODE', 'FAILED', 'PENDING', 'SOMETHING_NEW'])(
		'passes %s through as not connected',
		async (status) => {
			const { result } = await run((_request, response) => sendJson(response, 200, { instance_id: INSTANCE, connected_at: null, status }), {
				operation: 'getHealth',
			});
			expect(result.items[0].json).toEqual({ instanceId: INSTANCE, status, connectedAt: null, connected: false });
			expect(schemaErrors('getHealth', result.items)).toEqual([]);
		},
	);

	test('reads the instance the Instance ID option names, once per input item', async () => {
		const { server, result } = await run(
			(request, response) => sendJson(response, 200, { status: 'WORKING', connected_at: null, instance_id: request.url!.split('/')[4] }),
			{ operation: 'getHealth', options: { instanceId: '={{ $json.instance }}' } },
			{ inputItems: [{ instance: 'other-1' }, { instance: 'other-2' }] },
		);
		expect(server.requests.map((request) => request.url)).toEqual(['/api/whatsapp/v2/other-1/health', '/api/whatsapp/v2/other-2/health']);
		expect(result.items.map((item) => [item.json.instanceId, item.pairedItem])).toEqual([
			['other-1', { item: 0 }],
			['other-2', { item: 1 }],
		]);
	});

	test('an unknown instance (404) says to check the Instance ID', async () => {
		const { result } = await run((_request, response) => sendJson(response, 404, { message: 'Instance not found.' }), { operation: 'getHealth' });
		expect(result.error?.message).toBe(`Hypersender API error 404: instance not found — check the Instance ID ("${INSTANCE}")`);
		expect(result.error?.description).toContain('The API said: "Instance not found."');
	});

	test.each([401, 403])('a %s says the token cannot manage instances', async (status) => {
		const { server, result } = await run((_request, response) => sendJson(response, status, { message: 'Unauthorized.' }), {
			operation: 'getHealth',
		});
		expect(result.error?.message).toBe(`Hypersender API error ${status}: ${TOKEN_MESSAGE}`);
		expect(result.error?.description).toContain('account\'s API token');
		expect(server.requests).toHaveLength(1);
	});

	test('an answer without a status is an error, not an item', async () => {
		const { result } = await run((_request, response) => sendJson(response, 200, { instance_id: INSTANCE }), { operation: 'getHealth' });
		expect(result.error?.message).toBe('Hypersender API returned an unexpected response: the JSON has no "status"');
		expect(result.items).toEqual([]);
	});

	test('the token appears nowhere in what n8n stores of the run, even when the server echoes it', async () => {
		const { result } = await run((_request, response) => sendJson(response, 403, { message: `Token ${TOKEN} may not do this.` }), {
			operation: 'getHealth',
		});
		expect(result.error).toBeDefined();
		expect(result.serialized).not.toContain(TOKEN);
	});
});

const LISTED = [
	{ id: 'a1b2c3', name: 'Sales', phone: '+4915111111111', service_type: 'whatsapp', status: 'WORKING', access_token: '77|instance-secret-one', created_at: '2026-11-01T09:00:00.000000Z' },
	{ id: 'd4e5f6', name: 'Support', phone: '+4915122222222', service_type: 'whatsapp', status: 'SCAN_QR_CODE', access_token: null, created_at: '2026-11-02T09:00:00.000000Z' },
];

describe('Instance › Get Many', () => {
	test('reads GET {base}/instances (the account, no instance in the path): one item per instance, no access token', async () => {
		const { server, result } = await run((_request, response) => sendJson(response, 200, LISTED), { operation: 'getAll' });
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /api/whatsapp/v2/instances']);
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{ instanceId: 'a1b2c3', name: 'Sales', phone: '+4915111111111', serviceType: 'whatsapp', status: 'WORKING', createdAt: '2026-11-01T09:00:00.000000Z', hasAccessToken: true },
				{ item: 0 },
			],
			[
				{ instanceId: 'd4e5f6', name: 'Support', phone: '+4915122222222', serviceType: 'whatsapp', status: 'SCAN_QR_CODE', createdAt: '2026-11-02T09:00:00.000000Z', hasAccessToken: false },
				{ item: 0 },
			],
		]);
		expect(result.serialized).not.toContain('instance-secret-one');
		expect(schemaErrors('getAll', result.items)).toEqual([]);
	});

	test('sends each filter as filter[uuid], filter[name], filter[phone], filter[status]', async () => {
		const { server } = await run((_request, response) => sendJson(response, 200, []), {
			operation: 'getAll',
			filters: { uuid: ' a1b2c3 ', name: 'Sal', phone: '+4915111111111', status: 'WORKING' },
		});
		expect(query(server.requests[0].url)).toEqual({
			'filter[uuid]': 'a1b2c3',
			'filter[name]': 'Sal',
			'filter[phone]': '+4915111111111',
			'filter[status]': 'WORKING',
		});
		expect(server.requests[0].url.startsWith('/api/whatsapp/v2/instances?')).toBe(true);
	});

	test('an empty list outputs nothing; a list in "data" is read too', async () => {
		const empty = await run((_request, response) => sendJson(response, 200, []), { operation: 'getAll' });
		expect(empty.result.error).toBeUndefined();
		expect(empty.result.items).toEqual([]);
		const wrapped = await run((_request, response) => sendJson(response, 200, { data: LISTED }), { operation: 'getAll' });
		expect(wrapped.result.items.map((item) => item.json.instanceId)).toEqual(['a1b2c3', 'd4e5f6']);
	});

	test.each([
		['an object without a list', { message: 'OK' }, 'the JSON is not an array of instances (nor an object with a "data" array)'],
		['an entry without an id', [{ name: 'x' }], 'entry 0 of the list is not an instance with an "id"'],
	])('%s is an error that says what arrived', async (_label, body, problem) => {
		const { result } = await run((_request, response) => sendJson(response, 200, body), { operation: 'getAll' });
		expect(result.error?.message).toBe(`Hypersender API returned an unexpected response: ${problem}`);
	});

	test('a 403 says the token cannot manage instances; a 404 points at the Base URL', async () => {
		const forbidden = await run((_request, response) => sendJson(response, 403, { message: 'Forbidden.' }), { operation: 'getAll' });
		expect(forbidden.result.error?.message).toBe(`Hypersender API error 403: ${TOKEN_MESSAGE}`);
		const missing = await run((_request, response) => sendJson(response, 404, { message: 'Not Found' }), { operation: 'getAll' });
		expect(missing.result.error?.message).toBe(
			'Hypersender API error 404: the instance management endpoint "instances" was not found — check the credential\'s Base URL',
		);
	});
});

describe('Instance › Restart', () => {
	test('sends POST {base}/{instance}/restart and outputs the API\'s message with the instance ID', async () => {
		const { server, result } = await run(
			(_request, response) => sendJson(response, 200, { message: 'WhatsApp instance restarted successfully.' }),
			{ operation: 'restart' },
		);
		expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([`POST /api/whatsapp/v2/${INSTANCE}/restart`]);
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(result.items.map((item) => item.json)).toEqual([{ instanceId: INSTANCE, message: 'WhatsApp instance restarted successfully.' }]);
		expect(schemaErrors('restart', result.items)).toEqual([]);
	});

	test('restarts the instance the Instance ID option names', async () => {
		const { server, result } = await run((_request, response) => sendJson(response, 200, { message: 'OK' }), {
			operation: 'restart',
			options: { instanceId: 'other/1' },
		});
		expect(server.requests[0].url).toBe('/api/whatsapp/v2/other%2F1/restart');
		expect(result.items[0].json.instanceId).toBe('other/1');
	});

	test('a 500 is not repeated and says the instance may have been restarted', async () => {
		const { server, result } = await run((_request, response) => sendJson(response, 500, { message: 'Failed to restart instance' }), {
			operation: 'restart',
		});
		expect(server.requests).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Hypersender API error 500: Failed to restart instance (it may have been restarted, so it was not restarted again)',
		);
		expect(result.error?.description).toContain('check it with Instance › Get Health');
	});

	test('an unknown instance (404) says to check the Instance ID, per item with continue-on-fail', async () => {
		const { result } = await run((_request, response) => sendJson(response, 404, { message: 'Instance not found.' }), { operation: 'restart' }, {
			inputItems: [{}, {}],
			continueOnFail: true,
		});
		expect(result.items.map((item) => [item.json.error, item.pairedItem])).toEqual([
			[`Hypersender API error 404: instance not found — check the Instance ID ("${INSTANCE}")`, { item: 0 }],
			[`Hypersender API error 404: instance not found — check the Instance ID ("${INSTANCE}")`, { item: 1 }],
		]);
	});
});
