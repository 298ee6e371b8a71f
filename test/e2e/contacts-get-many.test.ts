/**
 * The Hypersender node's Contact → Get Many in a real n8n: the packed package is installed the
 * way n8n installs community nodes, each case is a workflow run with `n8n execute`, and the
 * items n8n outputs are compared with the sandbox's own contact list.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

import type { CaseResult, CaseSpec, SandboxContact } from './n8n-harness';
import { DEFAULT_INSTANCE, N8nHarness, runtime, SANDBOX_CREDENTIAL } from './n8n-harness';

const MAIN = DEFAULT_INSTANCE; // 5,000 contacts
const OTHER = 'c0ffee00-1111-4222-8333-444455556666'; // 300 contacts, another seed
const EMPTY = '00000000-0000-4000-8000-0000000000e0'; // no contacts
const MAIN_SIZE = 5000;
const BAD_TOKEN = `wrong-token-${Date.now().toString(36)}-do-not-print`;

const BAD_TOKEN_CREDENTIAL = { id: 'hsBadTokenCredential', name: 'Hypersender (bad token)' };
const EMPTY_CREDENTIAL = { id: 'hsEmptyCredential', name: 'Hypersender (empty instance)' };

const SORTS = [
	['name', 'asc'],
	['name', 'desc'],
	['id', 'asc'],
	['id', 'desc'],
] as const;

const cases: CaseSpec[] = [
	{ name: 'defaults' },
	...SORTS.map(([sortBy, sortOrder]) => ({
		name: `return all ${sortBy} ${sortOrder}`,
		parameters: { returnAll: true, options: { sortBy, sortOrder } },
	})),
	{ name: 'limit 200', parameters: { returnAll: false, limit: 200 } },
	{ name: 'limit 1500', parameters: { returnAll: false, limit: 1500, options: { sortBy: 'id', sortOrder: 'desc' } } },
	{ name: 'limit with offset', parameters: { returnAll: false, limit: 100, options: { offset: 4950 } } },
	{ name: 'return all with offset', parameters: { returnAll: true, options: { offset: 1234, sortBy: 'id' } } },
	{ name: 'empty instance', parameters: { returnAll: true }, credential: EMPTY_CREDENTIAL },
	{ name: 'bad token', parameters: { returnAll: true }, credential: BAD_TOKEN_CREDENTIAL },
	{
		name: 'bad token, continue on fail',
		parameters: { returnAll: true },
		credential: BAD_TOKEN_CREDENTIAL,
		nodeSettings: { onError: 'continueRegularOutput' },
	},
	{ name: 'limit expression -1', parameters: { returnAll: false, limit: '={{ -1 }}' } },
	{
		name: 'three input items',
		inputItems: [{ offset: 0 }, { offset: 100 }, { offset: 4990 }],
		parameters: { returnAll: false, limit: 20, options: { offset: '={{ $json.offset }}' } },
	},
	{ name: 'instance override', parameters: { returnAll: true, options: { instanceId: OTHER } } },
	{ name: 'unknown node type', nodeType: 'n8n-nodes-hypersender.doesNotExist' },
];

function jsonOf(result: CaseResult): unknown[] {
	if (!result.ok) throw new Error(`the workflow failed: ${result.error}`);
	expect(result.items).toBeDefined();
	return result.items!.map((item) => item.json);
}

function expectContacts(result: CaseResult, expected: SandboxContact[]) {
	const actual = jsonOf(result);
	expect(actual).toHaveLength(expected.length);
	expect(actual).toEqual(expected);
}

/** What n8n and the sandbox did, appended to a failing assertion's message. */
function diagnostics(result: CaseResult): string {
	const requests = result.requests.map(
		(request) =>
			`  ${request.method} ${request.path}?${new URLSearchParams(request.query as Record<string, string>).toString()} -> ${request.status}${request.fault ? ` (fault ${request.fault})` : ''}`,
	);
	return [
		`n8n execute: exit ${result.exitCode}, ok ${result.ok}, ${result.items?.length ?? 'no'} items, ${result.seconds.toFixed(1)} s`,
		result.error ? `n8n error: ${result.error}` : undefined,
		`sandbox requests (${requests.length}):`,
		...requests,
	]
		.filter(Boolean)
		.join('\n');
}

/** Executes a prepared case and runs the assertions; a failure message carries diagnostics(). */
async function runCase(
	name: string,
	check: (result: CaseResult) => void,
	options: { nodeName?: string; allowUnknownNodeType?: boolean } = {},
): Promise<CaseResult> {
	const result = await harness.execute(name, options);
	try {
		check(result);
	} catch (error) {
		if (error instanceof Error) error.message = `${error.message}\n\n${diagnostics(result)}`;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test code: the assertion failure goes back to jest, with the run's diagnostics added
		throw error;
	}
	return result;
}

let harness: N8nHarness;

beforeAll(async () => {
	const started = Date.now();
	harness = await N8nHarness.start({
		name: 'e2e-contacts',
		instances: {
			[MAIN]: { size: MAIN_SIZE, seed: 42 },
			[OTHER]: { size: 300, seed: 7 },
			[EMPTY]: { size: 0 },
		},
	});
	await harness.addCredentials([
		{ ...BAD_TOKEN_CREDENTIAL, apiToken: BAD_TOKEN },
		{ ...EMPTY_CREDENTIAL, instanceId: EMPTY },
	]);
	await harness.prepare(cases);
	process.stderr.write(`[e2e] n8n ${runtime.N8N_VERSION} home ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${harness.home}\n`);
}, 15 * 60 * 1000);

afterAll(async () => {
	await harness?.close();
});

describe(`Hypersender node in n8n ${runtime.N8N_VERSION}`, () => {
	test('the package loads and the defaults return the first 50 contacts by name, ascending', async () => {
		const installed = path.join(harness.home, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-hypersender', 'package.json');
		expect(fs.existsSync(installed)).toBe(true);
		await runCase('defaults', (result) => {
			expectContacts(result, harness.expected(MAIN, 'name', 'asc').slice(0, 50));
			expect(result.requests).toHaveLength(1);
			expect(result.requests[0]).toMatchObject({
				path: `/api/whatsapp/v2/${MAIN}/contacts/get-all`,
				authorization: 'present',
				status: 200,
				query: { limit: '50', offset: '0' },
			});
			expect(result.requests[0].query.sort_by ?? 'name').toBe('name');
			expect(result.requests[0].query.sort_order ?? 'asc').toBe('asc');
			for (const item of result.items!) expect(item.pairedItem).toEqual({ item: 0 });
		});
	});

	test.each(SORTS)('Return All reads all 5,000 contacts sorted by %s %s', async (sortBy, sortOrder) => {
		await runCase(`return all ${sortBy} ${sortOrder}`, (result) => {
			expectContacts(result, harness.expected(MAIN, sortBy, sortOrder));
			// The API has no total: full pages of 1,000 until a short one, so floor(N/1000)+1 requests.
			expect(result.requests).toHaveLength(Math.floor(MAIN_SIZE / 1000) + 1);
			result.requests.forEach((request, index) => {
				expect(request.status).toBe(200);
				expect(request.query).toMatchObject({
					limit: '1000',
					offset: String(index * 1000),
					sort_by: sortBy,
					sort_order: sortOrder,
				});
			});
		});
	});

	test('Limit 200 returns exactly the first 200 contacts in one request', async () => {
		await runCase('limit 200', (result) => {
			expectContacts(result, harness.expected(MAIN).slice(0, 200));
			expect(result.requests.map((request) => request.query.limit)).toEqual(['200']);
		});
	});

	test('Limit 1500 (over one page) returns exactly 1,500 contacts', async () => {
		await runCase('limit 1500', (result) => {
			expectContacts(result, harness.expected(MAIN, 'id', 'desc').slice(0, 1500));
			expect(result.requests.map((request) => [request.query.offset, request.query.limit])).toEqual([
				['0', '1000'],
				['1000', '500'],
			]);
		});
	});

	test('Offset skips contacts (limit 100 at offset 4,950 of 5,000 returns the last 50)', async () => {
		await runCase('limit with offset', (result) => {
			expectContacts(result, harness.expected(MAIN).slice(4950, 5050));
			expect(result.requests).toHaveLength(1);
			expect(result.requests[0].query).toMatchObject({ offset: '4950', limit: '100' });
		});
	});

	test('Return All from an offset reads the rest of the list', async () => {
		await runCase('return all with offset', (result) => {
			const expected = harness.expected(MAIN, 'id', 'asc').slice(1234);
			expectContacts(result, expected);
			expect(result.requests).toHaveLength(Math.floor(expected.length / 1000) + 1);
			expect(result.requests[0].query.offset).toBe('1234');
		});
	});

	test('an instance without contacts gives no items and no error', async () => {
		await runCase('empty instance', (result) => {
			expect(result.ok).toBe(true);
			expect(jsonOf(result)).toEqual([]);
			expect(result.requests).toHaveLength(1);
			expect(result.requests[0]).toMatchObject({ instance: EMPTY, status: 200 });
		});
	});

	test('a bad token fails the workflow with the 401, and the token is never printed', async () => {
		await runCase('bad token', (result) => {
			expect(result.ok).toBe(false);
			expect(result.exitCode).not.toBe(0);
			expect(result.error).toMatch(/401/);
			expect(result.error).toMatch(/Unauthenticated|token/i);
			expect(result.requests).toHaveLength(1);
			expect(result.requests[0]).toMatchObject({ authorization: 'wrong', status: 401 });
			expect(result.output).not.toContain(BAD_TOKEN);
			expect(JSON.stringify(result.run ?? {})).not.toContain(BAD_TOKEN);
		});
	});

	test('with "continue on error" a bad token becomes one error item paired with its input', async () => {
		await runCase('bad token, continue on fail', (result) => {
			expect(result.ok).toBe(true);
			expect(result.items).toHaveLength(1);
			expect(String(result.items![0].json.error)).toMatch(/401/);
			expect(result.items![0].pairedItem).toEqual({ item: 0 });
			expect(result.output).not.toContain(BAD_TOKEN);
		});
	});

	test('a limit expression resolving to -1 fails clearly, naming "limit", before any request', async () => {
		await runCase('limit expression -1', (result) => {
			expect(result.ok).toBe(false);
			expect(result.error).toMatch(/limit/i);
			expect(result.error).toMatch(/-1/);
			expect(result.requests).toHaveLength(0);
		});
	});

	test('three input items give three blocks of Limit contacts, each paired with its input item', async () => {
		await runCase('three input items', (result) => {
			const list = harness.expected(MAIN);
			const offsets = [0, 100, 4990];
			const expected = offsets.flatMap((offset) => list.slice(offset, offset + 20));
			// The last input item starts 10 before the end, so it gets only 10 contacts.
			expect(expected).toHaveLength(50);
			expectContacts(result, expected);
			const pairs = result.items!.map((item) => (item.pairedItem as { item: number }).item);
			expect(pairs).toEqual([...Array(20).fill(0), ...Array(20).fill(1), ...Array(10).fill(2)]);
			expect(result.requests.map((request) => request.query.offset)).toEqual(['0', '100', '4990']);
		});
	});

	test("options.instanceId reads another instance than the credential's", async () => {
		await runCase('instance override', (result) => {
			expectContacts(result, harness.expected(OTHER));
			expect(result.requests).toHaveLength(1);
			expect(result.requests[0]).toMatchObject({ instance: OTHER, status: 200 });
		});
	});

	test('n8n reports an unknown node type of the package with its own message', async () => {
		await runCase(
			'unknown node type',
			(result) => {
				expect(result.ok).toBe(false);
				expect(result.error).toMatch(/Unrecognized node type: n8n-nodes-hypersender\.doesNotExist/);
				expect(result.requests).toHaveLength(0);
			},
			{ allowUnknownNodeType: true },
		);
	});
});

describe('the example workflows in examples/', () => {
	const examples = path.join(runtime.ROOT, 'examples');
	const load = (file: string) => JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8'));

	test('export-all-contacts.json exports every contact with the "Hypersender (sandbox)" credential', async () => {
		const workflow = load('export-all-contacts.json');
		const node = workflow.nodes.find((n: { type: string }) => n.type === 'n8n-nodes-hypersender.hypersender');
		expect(node.credentials.hypersenderApi).toEqual(SANDBOX_CREDENTIAL);
		const id = await harness.importWorkflow(workflow);
		await runCase(id, (result) => expectContacts(result, harness.expected(MAIN, 'name', 'asc')), { nodeName: node.name });
	});

	test('contacts-to-csv.json turns every contact into one CSV file', async () => {
		const id = await harness.importWorkflow(load('contacts-to-csv.json'));
		await runCase(
			id,
			(result) => {
				expect(result.ok).toBe(true);
				expect(result.items).toHaveLength(1);
				const binary = (result.items![0] as { binary?: Record<string, { fileName?: string; mimeType?: string }> }).binary;
				expect(binary?.data).toMatchObject({ fileName: 'whatsapp-contacts.csv', mimeType: 'text/csv' });
				expect(result.run!.data.resultData.runData['Get all contacts'][0].data!.main![0]).toHaveLength(MAIN_SIZE);
			},
			{ nodeName: 'Contacts to CSV' },
		);
	});
});
