/**
 * The Hypersender node as an AI agent's tool, in a real n8n: the packed package, `n8n start`, the
 * two AI examples imported and activated as a user would.
 *
 *   - n8n offers "Hypersender Tool", whose Get Many Limit defaults to 10 (the node's stays 50);
 *   - examples/mcp-server.json, n8n's MCP Server Trigger with five Hypersender tools, driven by the
 *     official MCP client SDK over Streamable HTTP with the workflow's bearer token: the tool list
 *     and each tool's JSON schema (every model-filled parameter described), a call of each tool
 *     against the sandbox, and the errors a model must be able to act on (bad chat ID and a Limit
 *     out of range refused before any request, unknown contact, not on WhatsApp) coming back as
 *     tool results (`isError`) with no token in them; no token, no client;
 *   - examples/whatsapp-assistant.json: a customer's WhatsApp message → AI Agent (n8n's OpenAI Chat
 *     Model node on the sandbox's scripted OpenAI-compatible endpoint) → look_up_contact →
 *     send_reply: one run, three model calls, exactly one reply in the customer's chat.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// The SDK's "./*" export points types at "<path>.d.ts" (client/index.js.d.ts), which does not exist, and
// the lint resolver stops there; Node and tsc (typesVersions) load these paths.
// eslint-disable-next-line import-x/no-unresolved -- see above
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import-x/no-unresolved -- see above
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import type { Editor, Session } from '../../scripts/n8n/runtime';
import type { SandboxContact } from '../harness/sandbox';
import type { Workflow, WorkflowNode } from './n8n-harness';
import { CREDENTIAL_TYPE, DEFAULT_INSTANCE, N8nHarness, PACKAGE_NAME, runtime } from './n8n-harness';
import { EVERY, EVERY_OPERATION, everyOperationWorkflow, OPERATION_COUNT, remember, toolArguments } from './every-operation';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
const readExample = (file: string) => JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as Workflow;
const MCP = readExample('mcp-server.json');
const ASSISTANT = readExample('whatsapp-assistant.json');
const TOOL_TYPE = `${PACKAGE_NAME}.hypersenderTool`;
const MCP_TRIGGER = MCP.nodes.find((node) => node.type === '@n8n/n8n-nodes-langchain.mcpTrigger') as WorkflowNode;
const ASSISTANT_TRIGGER = ASSISTANT.nodes.find((node) => node.type === `${PACKAGE_NAME}.hypersenderTrigger`) as WorkflowNode & { webhookId: string };
/** The Hypersender API token: random, so finding it anywhere means it leaked. */
const API_TOKEN = `hs-${randomBytes(16).toString('hex')}`;
const MCP_TOKEN = `mcp-${randomBytes(16).toString('hex')}`;
const WEBHOOK_SECRET = `whsec-${randomBytes(16).toString('hex')}`;
const NOT_ON_WHATSAPP = '+49 151 2345 0000';

let harness: N8nHarness;
let editor: Editor;
let session: Session;
let client: Client;
/** Every tool result text the MCP client received, to check none holds a token. */
const resultTexts: string[] = [];

interface ToolResult {
	isError: boolean;
	text: string;
}

async function callTool(name: string, args: Record<string, unknown>, via: Client = client): Promise<ToolResult> {
	const result = (await via.callTool({ name, arguments: args })) as { isError?: boolean; content: Array<{ type: string; text?: string }> };
	const text = result.content.map((part) => part.text ?? '').join('\n');
	resultTexts.push(text);
	return { isError: result.isError === true, text };
}

/** A successful tool result: the JSON list of the items the node output. */
function items(result: ToolResult): Array<Record<string, unknown>> {
	expect({ isError: result.isError, text: result.text.slice(0, 300) }).toEqual({ isError: false, text: expect.stringMatching(/^\[/) });
	return JSON.parse(result.text) as Array<Record<string, unknown>>;
}

/** The API requests the sandbox received while `run` ran. */
async function apiRequestsDuring<T>(run: () => Promise<T>): Promise<{ value: T; requests: number }> {
	const before = harness.sandbox.requests.filter((request) => request.kind === 'api').length;
	const value = await run();
	return { value, requests: harness.sandbox.requests.filter((request) => request.kind === 'api').length - before };
}

/** A phone contact of the sandbox with a saved name. */
function namedCustomer(): SandboxContact & { name: string } {
	const found = harness.expected(DEFAULT_INSTANCE, 'id', 'asc').find((contact) => contact.id.endsWith('@c.us') && typeof contact.name === 'string' && contact.name.trim() !== '');
	if (!found) throw new Error('the sandbox book has no named phone contact');
	return found as SandboxContact & { name: string };
}

beforeAll(async () => {
	harness = await N8nHarness.start({
		name: 'e2e-ai-tools',
		instances: { [DEFAULT_INSTANCE]: { size: 50, seed: 42 } },
		sandboxOptions: { token: API_TOKEN },
	});
	await runtime.importCredentials(harness.home, [
		{
			...harness.credentials.sandbox,
			type: CREDENTIAL_TYPE,
			data: { apiToken: API_TOKEN, instanceId: DEFAULT_INSTANCE, baseUrl: harness.sandbox.baseUrl, webhookSecret: WEBHOOK_SECRET },
		},
		{ id: 'hsMcpBearer', name: 'MCP clients (bearer token)', type: 'httpBearerAuth', data: { token: MCP_TOKEN } },
		{ id: 'hsSandboxChatModel', name: 'Sandbox chat model (OpenAI-compatible)', type: 'openAiApi', data: { apiKey: 'sandbox', url: `${harness.sandbox.url}/openai/v1` } },
	]);
	await runtime.importWorkflow(harness.home, [MCP, ASSISTANT, everyOperationWorkflow()]);
	editor = await runtime.startEditor(harness.home, { port: await runtime.freePort() });
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up password for the owner of the test's own throwaway n8n home
	session = await runtime.setupOwner(editor.url, { email: 'ai@example.com', password: 'Ai-Tools-Test-1234' });
	for (const id of [MCP.id!, ASSISTANT.id!, EVERY.id]) await runtime.activateWorkflow(editor.url, session, id);
	harness.sandbox.setWebhook(DEFAULT_INSTANCE, { url: `${editor.url}/webhook/${ASSISTANT_TRIGGER.webhookId}/webhook`, secret: WEBHOOK_SECRET });
	client = new Client({ name: 'hypersender-e2e', version: '1.0.0' });
	await client.connect(
		new StreamableHTTPClientTransport(new URL(`${editor.url}/mcp/${String(MCP_TRIGGER.parameters.path)}`), {
			requestInit: { headers: { authorization: `Bearer ${MCP_TOKEN}` } },
		}),
	);
}, 5 * 60 * 1000);

afterAll(async () => {
	await client?.close().catch(() => undefined);
	await editor?.stop();
	if (editor && process.env.HYPERSENDER_E2E_KEEP === '1') fs.writeFileSync(path.join(harness.home, 'n8n.log'), editor.output());
	await harness?.close();
});

test('n8n offers "Hypersender Tool"; its Contact › Get Many Limit defaults to 10 and stops at 1,000, the node\'s stays 50 (SMS lists keep n8n\'s 50)', async () => {
	const res = await runtime.request(`${editor.url}/types/nodes.json`, { headers: { cookie: session.cookie } });
	expect(res.status).toBe(200);
	interface Property {
		name: string;
		default: unknown;
		typeOptions?: { maxValue?: number };
		displayOptions?: { show?: Record<string, unknown[]> };
	}
	const types = res.body as Array<{ name: string; displayName: string; outputs: unknown; properties: Property[] }>;
	const tool = types.find((type) => type.name === TOOL_TYPE);
	const node = types.find((type) => type.name === `${PACKAGE_NAME}.hypersender`);
	expect(tool).toEqual(expect.objectContaining({ displayName: 'Hypersender Tool', outputs: ['ai_tool'] }));
	const limitsOf = (type: typeof tool) =>
		type!.properties
			.filter((property) => property.name === 'limit' && property.displayOptions?.show?.resource?.includes('contact') && property.displayOptions.show.operation?.includes('getAll'))
			.map((property) => ({ tool: property.displayOptions?.show?.['@tool']?.[0], default: property.default, max: property.typeOptions?.maxValue }));
	expect(limitsOf(tool)).toEqual([
		{ tool: false, default: 50, max: undefined },
		{ tool: true, default: 10, max: 1000 },
	]);
	expect(limitsOf(node)).toEqual(limitsOf(tool));
});

test('the MCP server needs the workflow\'s bearer token', async () => {
	const stranger = new Client({ name: 'stranger', version: '1.0.0' });
	const url = new URL(`${editor.url}/mcp/${String(MCP_TRIGGER.parameters.path)}`);
	await expect(stranger.connect(new StreamableHTTPClientTransport(url))).rejects.toThrow(/Authorization/);
	await expect(
		new Client({ name: 'stranger', version: '1.0.0' }).connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: 'Bearer wrong' } } })),
	).rejects.toThrow(/Authorization data is wrong/);
	const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
	for (const authorization of [undefined, 'Bearer wrong']) {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(authorization ? { authorization } : {}) },
			body: JSON.stringify(initialize),
		});
		// n8n's MCP Server Trigger answers both with 403 "Authorization data is wrong!".
		expect({ authorization, status: res.status, text: await res.text() }).toEqual({ authorization, status: 403, text: expect.stringContaining('Authorization data is wrong') });
	}
});

test('the MCP client lists the five tools, each with its description and a schema describing every model-filled parameter', async () => {
	const { tools } = await client.listTools();
	const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
	expect(Object.keys(byName).sort()).toEqual(['find_contacts', 'get_profile_picture', 'get_queued_request', 'look_up_contact', 'send_text']);
	const expectedParameters: Record<string, Record<string, string>> = {
		look_up_contact: { chatId: 'string' },
		find_contacts: { limit: 'number', nameSearch: 'string', offset: 'number' },
		get_profile_picture: { chatId: 'string' },
		send_text: { chatId: 'string', text: 'string' },
		get_queued_request: { queuedRequestId: 'string' },
	};
	for (const node of MCP.nodes.filter((each) => each.type === TOOL_TYPE)) {
		const tool = byName[node.name];
		expect(tool.description).toBe(node.parameters.toolDescription);
		const schema = tool.inputSchema as { type: string; properties: Record<string, { type: string; description?: string }>; required?: string[] };
		expect(schema.type).toBe('object');
		const types = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, value.type]));
		expect({ tool: node.name, types }).toEqual({ tool: node.name, types: expectedParameters[node.name] });
		expect((schema.required ?? []).sort()).toEqual(Object.keys(expectedParameters[node.name]).sort());
		for (const [key, property] of Object.entries(schema.properties)) {
			// Every parameter tells the model what it means, and the chat IDs their allowed forms.
			expect({ key, description: (property.description ?? '').length > 30 }).toEqual({ key, description: true });
			if (key === 'chatId') expect(property.description).toMatch(/@c\.us/);
		}
	}
	expect(byName.find_contacts.inputSchema.properties!.offset).toEqual(expect.objectContaining({ description: expect.stringMatching(/offset = previous offset \+ limit/) }));
});

test('look_up_contact returns the contact; an unknown one and a bad chat ID come back as errors the model can read', async () => {
	const customer = namedCustomer();
	const [found] = items(await callTool('look_up_contact', { chatId: customer.id }));
	expect(found).toEqual(expect.objectContaining({ id: customer.id, name: customer.name }));

	const unknown = await callTool('look_up_contact', { chatId: '4915199990001@c.us' });
	expect(unknown.isError).toBe(true);
	expect(unknown.text).toMatch(/No contact found for the chat ID "4915199990001@c\.us"/);

	const bad = await apiRequestsDuring(() => callTool('look_up_contact', { chatId: 'Maria from the shop' }));
	expect(bad.value.isError).toBe(true);
	// It names the parameter and the allowed forms, and nothing was requested.
	expect(bad.value.text).toMatch(/Chat ID/);
	expect(bad.value.text).toMatch(/@c\.us/);
	expect(bad.requests).toBe(0);
});

test('find_contacts pages by limit and offset as the model asks; a limit over 1,000 is refused before any request', async () => {
	const book = harness.expected(DEFAULT_INSTANCE, 'name', 'asc');
	const first = items(await callTool('find_contacts', { limit: 3, offset: 0, nameSearch: '' }));
	const next = items(await callTool('find_contacts', { limit: 3, offset: 3, nameSearch: '' }));
	expect([...first, ...next].map((contact) => contact.id)).toEqual(book.slice(0, 6).map((contact) => contact.id));

	const customer = namedCustomer();
	const word = customer.name.split(/\s+/)[0];
	const matches = items(await callTool('find_contacts', { limit: 10, offset: 0, nameSearch: word.toUpperCase() }));
	expect(matches.map((contact) => contact.id)).toContain(customer.id);

	const tooMany = await apiRequestsDuring(() => callTool('find_contacts', { limit: 100000, offset: 0, nameSearch: '' }));
	expect(tooMany.value.isError).toBe(true);
	expect(tooMany.value.text).toMatch(/Limit/);
	expect(tooMany.value.text).toMatch(/1 to 1000/);
	expect(tooMany.requests).toBe(0);
});

test('get_profile_picture returns the picture link', async () => {
	const customer = namedCustomer();
	const hidden = new Set(harness.sandbox.hiddenPictures(DEFAULT_INSTANCE));
	const shown = harness.expected(DEFAULT_INSTANCE, 'id', 'asc').find((contact) => contact.id.endsWith('@c.us') && !hidden.has(contact.id)) ?? customer;
	const [picture] = items(await callTool('get_profile_picture', { chatId: shown.id }));
	expect(picture).toEqual(expect.objectContaining({ profilePictureUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/pps\//) }));
});

test('send_text sends once and waits for the outcome; get_queued_request finds it; not on WhatsApp is an error result', async () => {
	harness.sandbox.clearMessages(DEFAULT_INSTANCE);
	const customer = namedCustomer();
	const [sent] = items(await callTool('send_text', { chatId: customer.id, text: 'Your order has shipped.' }));
	expect(sent).toEqual(expect.objectContaining({ messageId: expect.stringMatching(/^true_/), queuedRequestId: expect.any(String) }));
	const messages = harness.sandbox.messages(DEFAULT_INSTANCE);
	expect(messages.map((message) => [message.endpoint, message.chatId, message.body.text, message.response_status])).toEqual([
		['send-text-safe', customer.id, 'Your order has shipped.', 201],
	]);

	const [record] = items(await callTool('get_queued_request', { queuedRequestId: String(sent.queuedRequestId) }));
	expect(record).toEqual(expect.objectContaining({ uuid: sent.queuedRequestId, status: 'sent', messageId: sent.messageId }));
	expect(JSON.stringify(record)).toContain('Your order has shipped.');

	const lost = await callTool('send_text', { chatId: NOT_ON_WHATSAPP, text: 'Hello?' });
	expect(lost.isError).toBe(true);
	expect(lost.text).toMatch(/not on WhatsApp/);

	const unknownRecord = await callTool('get_queued_request', { queuedRequestId: '00000000-0000-4000-8000-000000000000' });
	expect(unknownRecord.isError).toBe(true);
	expect(unknownRecord.text).toMatch(/No queued request found with the ID "00000000-0000-4000-8000-000000000000"/);
});

test('every one of the 37 operations works as a tool: each call reaches its API route and returns the real outcome', async () => {
	const everyClient = new Client({ name: 'every-operation', version: '1.0.0' });
	await everyClient.connect(new StreamableHTTPClientTransport(new URL(`${editor.url}/mcp/${EVERY.path}`)));
	try {
		const { tools } = await everyClient.listTools();
		expect(tools.map((tool) => tool.name).sort()).toEqual(EVERY_OPERATION.map(([name]) => name).sort());
		expect(new Set(EVERY_OPERATION.map(([, resource, operation]) => `${resource}.${operation}`)).size).toBe(OPERATION_COUNT);
		const customer = namedCustomer();
		const sent: Record<string, unknown> = {};
		const args = toolArguments(customer.id, sent);
		for (const [name, , , , route] of EVERY_OPERATION) {
			const input = args[name]?.() ?? { chatId: customer.id, messageId: sent.messageId };
			const requests: string[] = [];
			const before = harness.sandbox.requests.length;
			const properties = tools.find((tool) => tool.name === name)!.inputSchema.properties ?? {};
			const result = await callTool(name, Object.fromEntries(Object.entries(input).filter(([key]) => key in properties)), everyClient);
			for (const request of harness.sandbox.requests.slice(before)) requests.push(request.path);
			expect({ name, isError: result.isError, text: result.isError ? result.text : '' }).toEqual({ name, isError: false, text: '' });
			expect({ name, reached: requests.some((path) => path.includes(`/${route}`)) }).toEqual({ name, reached: true });
			const [item] = JSON.parse(result.text) as Array<Record<string, unknown>>;
			remember(name, item, sent);
			if (name === 'contact_get_many') expect(JSON.parse(result.text)).toHaveLength(2);
			// Get Many as a tool, Limit untouched: 10 contacts, not the node's 50 (the book has 50).
			if (name === 'contact_get_many_default') expect(JSON.parse(result.text)).toHaveLength(10);
		}
		expect(sent.messageId).toEqual(expect.stringMatching(/^true_/));
	} finally {
		await everyClient.close();
	}
}, 3 * 60 * 1000);

test('no tool result holds the API token, the MCP token or the webhook secret', () => {
	expect(resultTexts.length).toBeGreaterThanOrEqual(12);
	for (const text of resultTexts) {
		for (const secret of [API_TOKEN, MCP_TOKEN, WEBHOOK_SECRET]) expect(text.includes(secret)).toBe(false);
	}
	expect(editor.output().includes(API_TOKEN)).toBe(false);
});

test('examples/whatsapp-assistant.json: a customer\'s message → the agent looks the customer up → exactly one reply in their chat', async () => {
	const customer = namedCustomer();
	harness.sandbox.clearMessages(DEFAULT_INSTANCE);
	harness.sandbox.clearWebhookDeliveries();
	harness.sandbox.llmRequests.length = 0;
	const before = harness.lastExecutionId();
	const phone = `+${customer.id.split('@')[0]}`;
	const result = await harness.sandbox.simulate(DEFAULT_INSTANCE, 'message', { from: phone, text: 'Hi, is my order on its way?' });
	expect(result.events.map((event) => [event.event, event.status])).toEqual([['message.any', 200]]);
	const [execution] = await harness.executionsAfter(ASSISTANT.id!, before, 1, 120000);
	expect(execution.status).toBe('success');

	// The model was asked three times: look up, reply, then its final answer.
	expect(harness.sandbox.llmRequests.map((request) => request.decision.type === 'tool_call' ? request.decision.tool : 'answer')).toEqual([
		'look_up_contact',
		'send_reply',
		'answer',
	]);
	expect(harness.sandbox.llmRequests[0].toolNames.sort()).toEqual(['look_up_contact', 'send_reply']);

	await harness.sandbox.webhooksIdle();
	await sleep(500);
	const messages = harness.sandbox.messages(DEFAULT_INSTANCE);
	expect(messages).toHaveLength(1);
	expect(messages[0]).toEqual(expect.objectContaining({ endpoint: 'send-text-safe', chatId: customer.id, response_status: 201 }));
	expect(messages[0].body).toEqual(
		expect.objectContaining({ reply_to: result.messageId, text: expect.stringMatching(new RegExp(`^Hi ${customer.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}! Thanks for your message: "Hi, is my order on its way\\?"`)) }),
	);
	// The reply's own message.any and its ack start nothing; the one run is the customer's.
	expect(runtime.savedExecutions(harness.home, { afterId: before }).map((each) => each.id)).toEqual([execution.id]);
	const [answer] = runtime.savedItems(execution, 'WhatsApp assistant')!;
	expect(String(answer.json.output)).toMatch(new RegExp(`^Replied to ${customer.id}`));
	expect(JSON.stringify(harness.sandbox.llmRequests).includes(API_TOKEN)).toBe(false);
}, 3 * 60 * 1000);
