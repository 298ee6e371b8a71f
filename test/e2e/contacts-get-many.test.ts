/**
 * The Hypersender node's Contact → Get Many in a real n8n: the packed package is installed the
 * way n8n installs community nodes, each case is a workflow run with `n8n execute`, and the
 * items n8n outputs are compared with the sandbox's own contact list.
 *
 * Only what a real n8n adds is proven here: the package loads, n8n applies the description's
 * defaults, 5,000 items pass through n8n, an expression n8n evaluates, n8n's own output and errors
 * (no token in them), an unknown node type, the examples. Paging, offsets, empty instances, pairing
 * of several input items, continue-on-fail and the instance override are proven through n8n-core
 * in test/integration/contact-get-many.test.ts.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

import type { CaseResult, CaseSpec, SandboxContact } from './n8n-harness';
import { DEFAULT_INSTANCE, N8nHarness, runtime, SANDBOX_CREDENTIAL } from './n8n-harness';

const MAIN = DEFAULT_INSTANCE; // 5,000 contacts
const MAIN_SIZE = 5000;
const BAD_TOKEN = `wrong-token-${Date.now().toString(36)}-do-not-print`;

const BAD_TOKEN_CREDENTIAL = { id: 'hsBadTokenCredential', name: 'Hypersender (bad token)' };

const cases: CaseSpec[] = [
	{ name: 'defaults' },
	{ name: 'return all id desc', parameters: { returnAll: true, options: { sortBy: 'id', sortOrder: 'desc' } } },
	{ name: 'bad token', parameters: { returnAll: true }, credential: BAD_TOKEN_CREDENTIAL },
	{ name: 'limit expression -1', parameters: { returnAll: false, limit: '={{ -1 }}' } },
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
		},
	});
	await harness.addCredentials([
		{ ...BAD_TOKEN_CREDENTIAL, apiToken: BAD_TOKEN },
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

	test('Return All reads all 5,000 contacts, sorted as the options say', async () => {
		const [sortBy, sortOrder] = ['id', 'desc'];
		await runCase('return all id desc', (result) => {
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

	test('a limit expression resolving to -1 fails clearly, naming "limit", before any request', async () => {
		await runCase('limit expression -1', (result) => {
			expect(result.ok).toBe(false);
			expect(result.error).toMatch(/limit/i);
			expect(result.error).toMatch(/-1/);
			expect(result.requests).toHaveLength(0);
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
