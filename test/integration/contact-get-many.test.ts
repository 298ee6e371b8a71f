import { runHypersenderNode } from '../harness/n8n-core';
import { sendJson, startTestServer } from '../harness/http-server';
import type { Sandbox } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';

const EMPTY_INSTANCE = '00000000-0000-4000-8000-000000000000';
const OTHER_INSTANCE = '11111111-2222-4333-8444-555555555555';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 2500, seed: 42 } } });
	sandbox.addInstance(EMPTY_INSTANCE, { contacts: [] });
	sandbox.addInstance(OTHER_INSTANCE, { size: 40, seed: 7 });
});

afterAll(async () => await sandbox.close());

beforeEach(() => sandbox.resetRequests());

async function getMany(parameters: Record<string, unknown>, extra: Parameters<typeof runHypersenderNode>[0] | object = {}) {
	return await runHypersenderNode({
		parameters: parameters as never,
		credentials: credentialsFor(sandbox),
		...extra,
	});
}

function jsonOf(result: { items: Array<{ json: unknown }> }) {
	return result.items.map((item) => item.json);
}

describe('Contact › Get Many, Return All', () => {
	test('returns every contact once, in the API order, each paired with its input item', async () => {
		const result = await getMany({ returnAll: true });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual(sandbox.expected(DEFAULT_INSTANCE, 'name', 'asc'));
		expect(result.items.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(true);
		expect(sandbox.requests.map((request) => request.query)).toEqual([
			{ limit: '1000', offset: '0', sort_by: 'name', sort_order: 'asc' },
			{ limit: '1000', offset: '1000', sort_by: 'name', sort_order: 'asc' },
			{ limit: '1000', offset: '2000', sort_by: 'name', sort_order: 'asc' },
		]);
	});

	test.each([0, 1, 999, 1000, 1001, 2500])(
		'costs floor(N/1000) + 1 requests for %i contacts',
		async (size) => {
			const instance = `size-${size}`;
			sandbox.addInstance(instance, { size, seed: size + 1 });
			const result = await getMany({ returnAll: true, options: { instanceId: instance } });
			expect(result.error).toBeUndefined();
			expect(jsonOf(result)).toEqual(sandbox.expected(instance));
			expect(sandbox.requests).toHaveLength(Math.floor(size / 1000) + 1);
		},
	);

	test.each([
		['id', 'asc'],
		['id', 'desc'],
		['name', 'asc'],
		['name', 'desc'],
	])('sorts by %s %s as the API does', async (sortBy, sortOrder) => {
		const result = await getMany({ returnAll: true, options: { sortBy, sortOrder } });
		expect(jsonOf(result)).toEqual(sandbox.expected(DEFAULT_INSTANCE, sortBy, sortOrder));
		expect(sandbox.requests.every((request) => request.query.sort_by === sortBy && request.query.sort_order === sortOrder)).toBe(true);
	});

	test('skips the offset and returns the rest', async () => {
		const result = await getMany({ returnAll: true, options: { offset: 700 } });
		expect(jsonOf(result)).toEqual(sandbox.expected(DEFAULT_INSTANCE).slice(700));
		expect(sandbox.requests.map((request) => request.query.offset)).toEqual(['700', '1700']);
	});

	test('returns no items, and no error, for an offset past the end', async () => {
		const result = await getMany({ returnAll: true, options: { offset: 99999 } });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
		expect(sandbox.requests).toHaveLength(1);
	});

	test('returns no items, and no error, for an instance without contacts', async () => {
		const result = await getMany({ returnAll: true, options: { instanceId: EMPTY_INSTANCE } });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
	});
});

describe('Contact › Get Many with a limit', () => {
	test('defaults to 50 contacts sorted by name, ascending, from offset 0', async () => {
		const result = await runHypersenderNode({
			parameters: {},
			credentials: credentialsFor(sandbox),
		});
		expect(jsonOf(result)).toEqual(sandbox.expected(DEFAULT_INSTANCE).slice(0, 50));
		expect(sandbox.requests.map((request) => request.query)).toEqual([
			{ limit: '50', offset: '0', sort_by: 'name', sort_order: 'asc' },
		]);
	});

	test('asks for the limit in one request when it is below 1000', async () => {
		const result = await getMany({ returnAll: false, limit: 200, options: { offset: 10 } });
		expect(jsonOf(result)).toEqual(sandbox.expected(DEFAULT_INSTANCE).slice(10, 210));
		expect(sandbox.requests.map((request) => [request.query.offset, request.query.limit])).toEqual([['10', '200']]);
	});

	test('pages internally above 1000 and returns exactly the limit', async () => {
		const result = await getMany({ returnAll: false, limit: 1500, options: { sortBy: 'id' } });
		expect(jsonOf(result)).toEqual(sandbox.expected(DEFAULT_INSTANCE, 'id', 'asc').slice(0, 1500));
		expect(sandbox.requests.map((request) => [request.query.offset, request.query.limit])).toEqual([
			['0', '1000'],
			['1000', '500'],
		]);
	});

	test('returns all there are when the limit is larger than the list', async () => {
		const result = await getMany({ returnAll: false, limit: 900, options: { instanceId: OTHER_INSTANCE } });
		expect(jsonOf(result)).toEqual(sandbox.expected(OTHER_INSTANCE));
	});

	test('accepts a limit given as a numeric string by an expression', async () => {
		const result = await getMany({ returnAll: false, limit: '={{ "200" }}' });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(200);
	});
});

describe('Contact › Get Many over several input items', () => {
	test('runs once per item with that item\'s parameters and pairs each contact with its item', async () => {
		const result = await getMany(
			{ returnAll: false, limit: '={{ $json.limit }}', options: { instanceId: '={{ $json.instance }}' } },
			{
				inputItems: [
					{ limit: 3, instance: DEFAULT_INSTANCE },
					{ limit: 5, instance: OTHER_INSTANCE },
					{ limit: 2, instance: DEFAULT_INSTANCE },
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([
			...sandbox.expected(DEFAULT_INSTANCE).slice(0, 3),
			...sandbox.expected(OTHER_INSTANCE).slice(0, 5),
			...sandbox.expected(DEFAULT_INSTANCE).slice(0, 2),
		]);
		expect(result.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([
			0, 0, 0, 1, 1, 1, 1, 1, 2, 2,
		]);
	});
});

describe('Contact › Get Many refuses bad parameters before sending anything', () => {
	test.each([
		[{ limit: 0 }, 'Invalid Limit (limit): 0 is less than 1'],
		[{ limit: 2.5 }, 'Invalid Limit (limit): 2.5 is not a whole number'],
		[{ limit: '={{ "abc" }}' }, 'Invalid Limit (limit): "abc" is not a whole number'],
		[{ limit: '={{ -1 }}' }, 'Invalid Limit (limit): -1 is less than 1'],
		[{ options: { offset: -1 } }, 'Invalid Offset (offset): -1 is less than 0'],
		[{ options: { sortBy: 'email' } }, 'Invalid Sort By (sortBy): "email" is not a valid choice; allowed: "id" or "name"'],
		[{ options: { sortOrder: 'up' } }, 'Invalid Sort Order (sortOrder): "up" is not a valid choice; allowed: "asc" or "desc"'],
		[{ options: { instanceId: '' } }, 'Invalid Instance ID (instanceId): "" is empty'],
		[{ options: { instanceId: '={{ $json.missing }}' } }, 'Invalid Instance ID (instanceId): nothing is not text'],
		[{ options: { offset: '={{ $json.missing }}' } }, 'Invalid Offset (offset): nothing is not a whole number'],
	])('%p', async (parameters, message) => {
		const result = await getMany({ returnAll: false, limit: 10, ...parameters });
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain(message);
		expect(result.error?.description).toMatch(/^(Set|Enter) /);
		expect(result.items).toEqual([]);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('an empty instance ID in the credential', async () => {
		const result = await runHypersenderNode({
			parameters: { returnAll: true },
			credentials: credentialsFor(sandbox, { instanceId: '  ' }),
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain('Invalid Instance ID of the credential (instanceId): "  " is empty');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('a base URL that is not http(s)', async () => {
		const result = await runHypersenderNode({
			parameters: { returnAll: true },
			credentials: credentialsFor(sandbox, { baseUrl: 'app.hypersender.com/api' }),
		});
		expect(result.error?.message).toBe(
			'Invalid Base URL in the Hypersender API credential: "app.hypersender.com/api" is not a URL',
		);
	});
});

describe('Contact › Get Many reports what the API said', () => {
	test('a wrong token: 401 with the API message, and the token nowhere in the run', async () => {
		// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up wrong token; the test checks it appears nowhere in the run
		const wrongToken = 'wrong-token-5f1c9a';
		const result = await runHypersenderNode({
			parameters: { returnAll: true },
			credentials: credentialsFor(sandbox, { apiToken: wrongToken }),
		});
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Hypersender API error 401: Unauthenticated.');
		expect(result.error?.httpCode).toBe('401');
		expect(result.error?.description).toContain('Check the API token');
		expect(result.serialized).not.toContain(wrongToken);
		expect(sandbox.requests.map((request) => request.authorization)).toEqual(['wrong']);
	});

	test('an unknown instance: 404 with the API message', async () => {
		const result = await getMany({ returnAll: true, options: { instanceId: 'no-such-instance' } });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Hypersender API error 404: Instance not found.');
		expect(result.error?.description).toContain('Check the instance ID');
	});

	test('a validation error: 422 with the field errors', async () => {
		const server = await startTestServer((_request, response) =>
			sendJson(response, 422, {
				message: 'The limit field must not be greater than 500. (and 1 more error)',
				errors: {
					limit: ['The limit field must not be greater than 500.'],
					sort_by: ['The selected sort by is invalid.'],
				},
				statusCode: 422,
			}),
		);
		try {
			const result = await runHypersenderNode({
				parameters: { returnAll: true },
				credentials: { apiToken: 'test-token-1234', instanceId: 'i', baseUrl: server.baseUrl },
			});
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe(
				'Hypersender API error 422: The limit field must not be greater than 500. (and 1 more error)',
			);
			expect(result.error?.description).toContain(
				'limit: The limit field must not be greater than 500.; sort_by: The selected sort by is invalid.',
			);
		} finally {
			await server.close();
		}
	});

	test('an HTML page instead of JSON is an error after the retries, not an empty result', async () => {
		const server = await startTestServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'text/html' });
			response.end('<html><body><h1>Welcome to nginx!</h1></body></html>');
		});
		try {
			const result = await runHypersenderNode({
				parameters: { returnAll: true, options: { maxAttempts: 2 } },
				credentials: { apiToken: 'test-token-1234', instanceId: 'i', baseUrl: server.baseUrl },
			});
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe(
				'Hypersender API returned an unexpected response: HTML (text/html): <html><body><h1>Welcome to nginx!</h1></body></html> after 2 attempts',
			);
			expect(server.requests).toHaveLength(2);
			expect(result.items).toEqual([]);
		} finally {
			await server.close();
		}
	});

	test.each([
		[{ message: 'ok' }, 'the JSON has no "data" array (keys: message)'],
		[{ data: { contacts: [] } }, 'the JSON has no "data" array (keys: data)'],
		[{ data: [{ id: '1@c.us' }, { name: 'no id' }] }, 'contact 1 of the page has no "id"'],
	])('a 200 body of the wrong shape (%p) is an error', async (body, problem) => {
		const server = await startTestServer((_request, response) => sendJson(response, 200, body));
		try {
			const result = await runHypersenderNode({
				parameters: { returnAll: true },
				credentials: { apiToken: 'test-token-1234', instanceId: 'i', baseUrl: server.baseUrl },
			});
			expect(result.error?.message).toBe(`Hypersender API returned an unexpected response: ${problem}`);
		} finally {
			await server.close();
		}
	});

	test('a page larger than asked for is an error, not a silently longer or shorter list', async () => {
		const server = await startTestServer((_request, response) =>
			sendJson(response, 200, { data: Array.from({ length: 12 }, (_, index) => ({ id: `${index}@c.us` })) }),
		);
		try {
			const result = await runHypersenderNode({
				parameters: { returnAll: false, limit: 10 },
				credentials: { apiToken: 'test-token-1234', instanceId: 'i', baseUrl: server.baseUrl },
			});
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.message).toBe('The API returned 12 contacts for a page of 10 (offset 0)');
		} finally {
			await server.close();
		}
	});
});

describe('Contact › Get Many authentication and secrets', () => {
	test('sends the token as a Bearer header with Accept: application/json', async () => {
		const server = await startTestServer((_request, response) => sendJson(response, 200, { data: [] }));
		try {
			await runHypersenderNode({
				parameters: { returnAll: true },
				credentials: { apiToken: 'tok-123', instanceId: 'inst', baseUrl: `${server.baseUrl}/` },
			});
			expect(server.requests).toHaveLength(1);
			expect(server.requests[0].headers.authorization).toBe('Bearer tok-123');
			expect(server.requests[0].headers.accept).toBe('application/json');
			expect(server.requests[0].url).toBe(
				'/api/whatsapp/v2/inst/contacts/get-all?limit=1000&offset=0&sort_by=name&sort_order=asc',
			);
		} finally {
			await server.close();
		}
	});

	test('encodes the instance as one path segment, whatever it contains', async () => {
		const server = await startTestServer((_request, response) => sendJson(response, 200, { data: [] }));
		try {
			const result = await runHypersenderNode({
				parameters: { returnAll: true, options: { instanceId: '../a/b?c#d%2F é' } },
				credentials: { apiToken: 'tok', instanceId: 'inst', baseUrl: server.baseUrl },
			});
			expect(result.error).toBeUndefined();
			expect(server.requests[0].url).toBe(
				'/api/whatsapp/v2/..%2Fa%2Fb%3Fc%23d%252F%20%C3%A9/contacts/get-all?limit=1000&offset=0&sort_by=name&sort_order=asc',
			);
		} finally {
			await server.close();
		}
	});

	test('keeps the token out of errors even when the server echoes it back', async () => {
		// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up token; the test checks it appears nowhere in the error
		const token = 'echoed-secret-9c1d';
		const server = await startTestServer((request, response) =>
			sendJson(response, 403, { message: `Token ${String(request.headers.authorization)} has no access` }),
		);
		try {
			const result = await runHypersenderNode({
				parameters: { returnAll: true },
				credentials: { apiToken: token, instanceId: 'inst', baseUrl: server.baseUrl },
			});
			expect(result.error?.message).toBe('Hypersender API error 403: Token Bearer [redacted] has no access');
			expect(result.serialized).not.toContain(token);
		} finally {
			await server.close();
		}
	});
});

describe('Contact › Get Many with Continue On Fail', () => {
	test('turns a failing item into an error item paired with it and runs the others', async () => {
		const result = await getMany(
			{ returnAll: false, limit: '={{ $json.limit }}' },
			{ continueOnFail: true, inputItems: [{ limit: 2 }, { limit: 'many' }, { limit: 1 }] },
		);
		expect(result.error).toBeUndefined();
		const expected = sandbox.expected(DEFAULT_INSTANCE);
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[expected[0], { item: 0 }],
			[expected[1], { item: 0 }],
			[{ error: 'Invalid Limit (limit): "many" is not a whole number; allowed: a whole number from 1 to 9007199254740991' }, { item: 1 }],
			[expected[0], { item: 2 }],
		]);
	});

	test('turns an API error into an error item', async () => {
		const result = await runHypersenderNode({
			parameters: { returnAll: true },
			credentials: credentialsFor(sandbox, { apiToken: 'bad' }),
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json)).toEqual([{ error: 'Hypersender API error 401: Unauthenticated.' }]);
	});
});
