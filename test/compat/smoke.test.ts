/**
 * The compatibility smoke suite: what a user of an older n8n relies on first, run in each n8n this
 * package declares (`npm run compat` runs this file once per line: HYPERSENDER_N8N_LINE=2 is the
 * n8n the full suite proves, 2.41.1; HYPERSENDER_N8N_LINE=1 is the oldest supported, the last 1.x).
 *
 *   - the packed package installs into the n8n home and n8n loads its three nodes and the credential;
 *   - Contact › Get Many (Return All) reads every contact once, paging;
 *   - Message › Send Text with Wait for Result sends once and outputs the sent message;
 *   - the Hypersender Trigger in an activated workflow: a call with the secret starts one
 *     execution, a call without it starts none;
 *   - the Hypersender Contact Trigger activated: n8n runs its first poll, which reads the whole book
 *     (n8n 1.x has no poll budget in its poll context: the trigger must not need one);
 *   - the node as a tool of n8n's MCP Server Trigger, called by the official MCP client.
 *
 * The deep behaviour is proven once, in test/e2e on the full-suite n8n; this suite proves that it
 * runs at all in each line, so a break on an older n8n is caught here.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// See test/e2e/ai-tools.test.ts: Node and tsc load these paths, the lint resolver does not.
// eslint-disable-next-line import-x/no-unresolved -- see above
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import-x/no-unresolved -- see above
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import type { Editor, Session } from '../../scripts/n8n/runtime';
import type { Workflow, WorkflowNode } from '../e2e/n8n-harness';
import { CREDENTIAL_TYPE, DEFAULT_INSTANCE, N8nHarness, PACKAGE_NAME, postJson, runtime, WEBHOOK_USER_ID, webhookEnvelope, customerMessage } from '../e2e/n8n-harness';

const CONTACTS = 120;
const SECRET = `whsec-${randomBytes(16).toString('hex')}`;
const MCP_TOKEN = `mcp-${randomBytes(16).toString('hex')}`;
const TRIGGER = { id: 'hsCompatTrigger', webhookId: 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70' };
const MCP = { id: 'hsCompatMcp', webhookId: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a81', path: 'hypersender-compat' };
const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';
const CONTACT_TRIGGER = { id: 'hsCompatContacts' };

let harness: N8nHarness;

const TRIGGER_CREDENTIAL = { id: 'hsCompatTriggerCred', name: 'Hypersender (compat trigger)' };
const MCP_CREDENTIAL = { id: 'hsCompatMcpBearer', name: 'MCP clients (compat)' };

/** A workflow of these nodes, as n8n imports it. */
function workflow(id: string, name: string, nodes: WorkflowNode[], connections: Workflow['connections'] = {}): Workflow {
	return { id, name: `Compatibility: ${name}`, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** A node of this package: `type` is its name after the package's ("hypersenderTrigger"). */
function packageNode(id: string, name: string, type: string, parameters: Record<string, unknown>, extra: Partial<WorkflowNode> = {}): WorkflowNode {
	return { id, name, type: `${PACKAGE_NAME}.${type}`, typeVersion: 1, position: [0, 0], parameters, credentials: { [CREDENTIAL_TYPE]: harness.credentials.sandbox }, ...extra };
}

const triggerWorkflow = () =>
	workflow(TRIGGER.id, 'Hypersender Trigger', [
		packageNode('d4e5f6a7-0000-4000-8000-000000000001', 'Hypersender Trigger', 'hypersenderTrigger', { events: ['message.any'], options: {} }, {
			webhookId: TRIGGER.webhookId,
			credentials: { [CREDENTIAL_TYPE]: TRIGGER_CREDENTIAL },
		}),
	]);

/** The Contact Trigger, polling once a minute. */
const contactTriggerWorkflow = () =>
	workflow(CONTACT_TRIGGER.id, 'Hypersender Contact Trigger', [
		packageNode('f6a7b8c9-0000-4000-8000-000000000001', 'Hypersender Contact Trigger', 'hypersenderContactTrigger', {
			pollTimes: { item: [{ mode: 'everyMinute' }] },
			options: {},
		}),
	]);

/**
 * One Hypersender tool behind n8n's MCP Server Trigger, at the newest trigger version this n8n
 * offers (2 in 1.123.81, 2.1 in 2.41.1).
 */
function mcpWorkflow(mcpTriggerVersion: number): Workflow {
	const tool = packageNode(
		'e5f6a7b8-0000-4000-8000-000000000002',
		'look_up_contact',
		'hypersenderTool',
		{
			descriptionType: 'manual',
			toolDescription: 'Look up one WhatsApp contact by chat ID.',
			resource: 'contact',
			operation: 'get',
			chatId: "={{ $fromAI('chatId', 'The chat ID, such as 4915123456789@c.us', 'string') }}",
		},
		{ position: [0, 240] },
	);
	const trigger = {
		id: 'e5f6a7b8-0000-4000-8000-000000000001',
		name: 'MCP Server Trigger',
		type: MCP_TRIGGER_TYPE,
		typeVersion: mcpTriggerVersion,
		position: [0, 0],
		webhookId: MCP.webhookId,
		parameters: { authentication: 'bearerAuth', path: MCP.path },
		credentials: { httpBearerAuth: MCP_CREDENTIAL },
	} as WorkflowNode;
	return workflow(MCP.id, 'MCP tool', [trigger, tool], { [tool.name]: { ai_tool: [[{ node: trigger.name, type: 'ai_tool', index: 0 }]] } });
}

/** The newest version of a node type this n8n offers (its nodes.json, as the editor reads it). */
function newestVersion(type: string): number {
	const [packageName, name] = [type.slice(0, type.lastIndexOf('.')), type.slice(type.lastIndexOf('.') + 1)];
	const file = path.join(runtime.RUNTIME_DIR, 'node_modules', packageName, 'dist', 'types', 'nodes.json');
	const nodes = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ name: string; version: number | number[] }>;
	const versions = nodes.filter((node) => node.name === `${packageName}.${name}` || node.name === name).flatMap((node) => node.version);
	if (versions.length === 0) throw new Error(`this n8n (${runtime.N8N_VERSION}) has no ${type}`);
	return Math.max(...versions);
}

beforeAll(async () => {
	runtime.log(`Compatibility smoke suite on n8n ${runtime.N8N_VERSION} (line ${runtime.N8N_LINE})`);
	harness = await N8nHarness.start({ name: `compat-${runtime.N8N_LINE}`, instances: { [DEFAULT_INSTANCE]: { size: CONTACTS, seed: 11 } } });
}, 10 * 60 * 1000);

afterAll(async () => {
	await harness?.close();
});

test('the package installs and n8n loads its nodes and credential', async () => {
	const installed = JSON.parse(
		fs.readFileSync(path.join(harness.home, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8'),
	) as { n8n: { nodes: string[]; credentials: string[] } };
	expect(installed.n8n.nodes).toHaveLength(3);
	// An n8n that cannot load a node fails the execution with "Unrecognized node type".
	const result = await harness.run({ name: 'loads', parameters: { returnAll: false, limit: 1 } });
	expect({ ok: result.ok, items: result.items?.length }).toEqual({ ok: true, items: 1 });
});

test('Contact › Get Many with Return All outputs every contact once', async () => {
	const { items } = await harness.run({ name: 'get many', parameters: { returnAll: true } });
	const ids = (items ?? []).map((item) => item.json.id);
	expect(new Set(ids).size).toBe(ids.length);
	expect(ids.sort()).toEqual(harness.expected(DEFAULT_INSTANCE, 'id', 'asc').map((contact) => contact.id).sort());
	expect(items?.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
});

test('Message › Send Text with Wait for Result sends once and outputs the message the API sent', async () => {
	const phone = harness.expected(DEFAULT_INSTANCE, 'id', 'asc').find((contact) => contact.id.endsWith('@c.us'))!;
	const result = await harness.run({
		name: 'send text',
		parameters: { resource: 'message', operation: 'sendText', chatId: phone.id, text: 'Hello from an older n8n', options: { waitForResult: true, waitTimeout: 30, safeMode: false } },
	});
	const sends = result.requests.filter((request) => request.kind === 'api' && request.path.endsWith('/send-text'));
	expect(sends).toHaveLength(1);
	expect(result.items).toHaveLength(1);
	// The outcome Wait for Result waited for: the API's record of the sent message.
	expect(result.items?.[0].json).toEqual(
		expect.objectContaining({
			responseStatus: 201,
			key: expect.objectContaining({ remoteJid: phone.id, fromMe: true }),
			message: { extendedTextMessage: { text: 'Hello from an older n8n' } },
			queuedRequestId: expect.any(String),
		}),
	);
});

describe('in n8n started as a server', () => {
	let editor: Editor;
	let session: Session;

	beforeAll(async () => {
		const data = { apiToken: harness.sandbox.token, baseUrl: harness.sandbox.baseUrl, instanceId: DEFAULT_INSTANCE };
		await runtime.importCredentials(harness.home, [
			{ ...TRIGGER_CREDENTIAL, type: CREDENTIAL_TYPE, data: { ...data, webhookSecret: SECRET } },
			{ ...MCP_CREDENTIAL, type: 'httpBearerAuth', data: { token: MCP_TOKEN } },
		]);
		await runtime.importWorkflow(harness.home, [triggerWorkflow(), mcpWorkflow(newestVersion(MCP_TRIGGER_TYPE)), contactTriggerWorkflow()]);
		editor = await runtime.startEditor(harness.home, { port: await runtime.freePort() });
		// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up password for the owner of the test's own throwaway n8n home
		session = await runtime.setupOwner(editor.url, { email: 'compat@example.com', password: 'Compat-Test-1234' });
		for (const id of [TRIGGER.id, MCP.id]) await runtime.activateWorkflow(editor.url, session, id);
	}, 5 * 60 * 1000);

	afterAll(async () => {
		await editor?.stop();
	});

	test('the Hypersender Trigger in an activated workflow: the secret starts one execution, no secret starts none', async () => {
		const before = harness.lastExecutionId();
		const url = `${editor.url}/webhook/${TRIGGER.webhookId}/webhook`;
		const body = webhookEnvelope(DEFAULT_INSTANCE, 'message.any', customerMessage('4915100000001@c.us', 1));
		const headers = { 'x-instanceId': DEFAULT_INSTANCE, 'x-userId': WEBHOOK_USER_ID };
		const refused = await postJson(url, body, headers);
		const accepted = await postJson(url, body, { ...headers, authorization: `Bearer ${SECRET}` });
		expect([refused.status, accepted.status]).toEqual([401, 200]);
		const executions = await harness.executionsAfter(TRIGGER.id, before, 1);
		await sleep(500);
		expect(runtime.savedExecutions(harness.home, { afterId: before })).toHaveLength(1);
		const items = runtime.savedItems(executions[0], 'Hypersender Trigger');
		expect(items?.map((item) => [item.json.event, item.json.eventId])).toEqual([['message.any', body.data.id]]);
	});

	test('the Contact Trigger activates, and n8n\'s first poll reads the whole book once', async () => {
		const reads = () => harness.sandbox.requests.filter((request) => request.kind === 'api' && request.path.endsWith('/contacts/get-all')).length;
		const before = reads();
		await runtime.activateWorkflow(editor.url, session, CONTACT_TRIGGER.id);
		// n8n polls once when it activates a polling trigger: floor(N/1000) + 1 reads of the book.
		const deadline = Date.now() + 30000;
		while (reads() - before < Math.floor(CONTACTS / 1000) + 1 && Date.now() < deadline) await sleep(100);
		expect(reads() - before).toBe(Math.floor(CONTACTS / 1000) + 1);
	});

	test('the node as an MCP tool: listed, and a call reads the contact from the API', async () => {
		const client = new Client({ name: 'hypersender-compat', version: '1.0.0' });
		await client.connect(
			new StreamableHTTPClientTransport(new URL(`${editor.url}/mcp/${MCP.path}`), {
				requestInit: { headers: { authorization: `Bearer ${MCP_TOKEN}` } },
			}),
		);
		try {
			const tools = await client.listTools();
			expect(tools.tools.map((tool) => tool.name)).toEqual(['look_up_contact']);
			const contact = harness.expected(DEFAULT_INSTANCE, 'id', 'asc')[0];
			const result = (await client.callTool({ name: 'look_up_contact', arguments: { chatId: contact.id } })) as {
				isError?: boolean;
				content: Array<{ text?: string }>;
			};
			const text = result.content.map((part) => part.text ?? '').join('\n');
			expect({ isError: result.isError === true, text: text.slice(0, 200) }).toEqual({ isError: false, text: expect.stringContaining(contact.id) });
			expect(text).not.toContain(harness.sandbox.token);
		} finally {
			await client.close().catch(() => undefined);
		}
	});
});

