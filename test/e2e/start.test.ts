/**
 * `npm start` (scripts/start.js main()) end to end, in its own home under .n8n-runtime/homes/: n8n comes up
 * with the package, the "Hypersender (sandbox)" credential, the example workflows and an owner
 * account; each example runs from the editor's REST API like the "Execute workflow" button; the
 * auto-reply example is active, and the simulate command the ready message prints makes exactly one
 * run that replies in the customer's chat; stopping leaves no n8n process and no sandbox behind.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

// The SDK's "./*" export points types at "<path>.d.ts" (client/index.js.d.ts), which does not exist, and
// the lint resolver stops there; Node and tsc (typesVersions) load these paths.
// eslint-disable-next-line import-x/no-unresolved -- see above
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import-x/no-unresolved -- see above
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { DEFAULT_INSTANCE, resolvePackageTgz, runtime, SANDBOX_CREDENTIAL } from './n8n-harness';
import { simulateAndWait, start, type StartInfo } from './start-session';

const { main, ASSISTANT_INSTANCE } = start;

const SIZE = 2345;

test('npm start serves the editor with the node, the credential and runnable example workflows', async () => {
	const home = path.join(runtime.HOMES_DIR, `start-${process.pid}`);
	const port = await runtime.freePort();
	let seen: StartInfo | undefined;
	let run: Awaited<ReturnType<typeof runtime.runInEditor>> | undefined;
	let enrich: Awaited<ReturnType<typeof runtime.runInEditor>> | undefined;
	let exportStatuses: number[] = [];
	let send: Awaited<ReturnType<typeof runtime.runInEditor>> | undefined;
	let autoReplied: Awaited<ReturnType<typeof simulateAndWait>> | undefined;
	let assisted: Awaited<ReturnType<typeof simulateAndWait>> | undefined;
	let mcpTools: string[] = [];
	let otpForm: { status: number; text: string } | undefined;
	let mcpLookup: { isError?: boolean; content: Array<{ type: string; text?: string }> } | undefined;
	try {
		await main({
			packageTgz: resolvePackageTgz(),
			home,
			args: ['--port', String(port), '--sandbox-port', '0', '--sandbox-size', String(SIZE), '--quiet', '--fresh'],
			onReady: async (info) => {
				seen = info;
				try {
					const session = await runtime.login(info.url, info.owner);
					enrich = await runtime.runInEditor(info.url, session, info.workflowId, { nodeName: 'Contact card' });
					info.api.sandbox!.resetRequests();
					run = await runtime.runInEditor(info.url, session, 'hsExportContacts', { nodeName: 'Get all contacts' });
					exportStatuses = info.api.sandbox!.requests.map((request) => request.status);
					send = await runtime.runInEditor(info.url, session, 'hsSendTextToContacts', { nodeName: 'Send text' });
					// The auto-reply and the assistant: the commands the ready message prints (npm run sandbox -- … runs this file).
					const sandbox = info.api.sandbox!;
					autoReplied = await simulateAndWait(info, session, info.autoReply!, () =>
						sandbox.messages(DEFAULT_INSTANCE).some((message) => message.chatId === '4915123456789@c.us'),
					);
					assisted = await simulateAndWait(info, session, info.assistant!, () => sandbox.messages(ASSISTANT_INSTANCE).length > 0);
					// The one-time code form: the URL the ready message prints answers with the form.
					const form = await fetch(info.otp!.formUrl, { signal: AbortSignal.timeout(20_000) });
					otpForm = { status: form.status, text: await form.text() };
					// The MCP server: the URL and token the ready message prints.
					const client = new Client({ name: 'start-e2e', version: '1.0.0' });
					await client.connect(new StreamableHTTPClientTransport(new URL(info.mcp.url), { requestInit: { headers: { authorization: `Bearer ${info.mcp.token}` } } }));
					try {
						mcpTools = (await client.listTools()).tools.map((tool) => tool.name).sort();
						mcpLookup = (await client.callTool({ name: 'look_up_contact', arguments: { chatId: sandbox.expected(DEFAULT_INSTANCE, 'id', 'asc')[0].id } })) as typeof mcpLookup;
					} finally {
						await client.close();
					}
				} finally {
					await info.stop();
				}
			},
		});
		expect(seen).toBeDefined();
		expect(seen!.url).toBe(`http://127.0.0.1:${port}`);
		expect(seen!.credential).toEqual(SANDBOX_CREDENTIAL);
		expect(seen!.workflowId).toBe('hsEnrichContacts');
		expect(seen!.workflowIds).toEqual([
			'hsEnrichContacts',
			'hsExportContacts',
			'hsSendTextToContacts',
			'hsAutoReply',
			'hsWhatsappAssistant',
			'hsMcpServer',
			'hsOtpVerification',
			'hsInstanceWatchdog',
		]);
		// The one-time code example: active, its form served at the printed URL.
		expect(seen!.otp).toEqual(expect.objectContaining({ workflowId: 'hsOtpVerification', active: true, formUrl: `http://127.0.0.1:${port}/form/verify-whatsapp` }));
		expect(otpForm?.status).toBe(200);
		expect(otpForm?.text).toContain('Verify your WhatsApp number');
		// The first example's result: named contacts, each with its picture link (or null).
		expect(enrich!.status).toBe('success');
		expect(enrich!.items).toHaveLength(10);
		for (const item of enrich!.items as Array<{ json: { name: string; chatId: string } }>) {
			expect(item.json.name.trim()).not.toBe('');
			expect(item.json).toHaveProperty('profilePictureUrl');
		}
		expect(run!.status).toBe('success');
		expect(run!.items).toHaveLength(SIZE);
		// floor(2345 / 1000) + 1 pages
		expect(exportStatuses).toEqual([200, 200, 200]);
		// The third example sends a safe-mode text to each of the first five phone contacts and waits for it.
		const sandbox = seen!.api.sandbox!;
		const firstPhones = sandbox
			.expected(DEFAULT_INSTANCE, 'id', 'asc')
			.map((contact) => contact.id)
			.filter((id) => /@(c\.us|s\.whatsapp\.net)$/.test(id))
			.slice(0, 5);
		expect(send!.status).toBe('success');
		const sent = send!.items!.map((item) => item.json);
		expect(sent).toHaveLength(5);
		for (const message of sent) {
			expect(message).toEqual(expect.objectContaining({ responseStatus: 201, messageId: expect.stringMatching(/^true_\d+@c\.us_/) }));
		}
		const messages = sandbox.messages(DEFAULT_INSTANCE);
		expect(messages.slice(0, 5).map((message) => [message.endpoint, message.chatId, message.response_status])).toEqual(
			firstPhones.map((id) => ['send-text-safe', id, 201]),
		);
		expect(sent.map((message) => message.queuedRequestId)).toEqual(messages.slice(0, 5).map((message) => message.uuid));
		// The auto-reply example: active, the sandbox's webhook is its production URL, the printed
		// command simulated one customer message, which made one run that replied in that chat.
		const autoReply = seen!.autoReply!;
		expect(autoReply).toEqual(
			expect.objectContaining({
				active: true,
				webhookUrl: `http://127.0.0.1:${port}/webhook/7c2f4e1a-9b3d-4a6e-8f05-1d2c3b4a5e6f/webhook`,
				simulateCommand: `npm run sandbox -- ${autoReply.simulateArgs.slice(0, -1).join(' ')} "Hi, is my order on its way?"`,
			}),
		);
		expect(sandbox.webhook(DEFAULT_INSTANCE)).toEqual({ url: autoReply.webhookUrl, authorization: 'present', source: 'global' });
		expect(autoReplied!.simulated.stdout).toMatch(/message\.any evt_\w+ -> \S+: HTTP 200/);
		expect(autoReplied!.runs.map((execution) => [execution.mode, execution.status])).toEqual([['webhook', 'success']]);
		const received = autoReplied!.run!.run.data.resultData.runData['On WhatsApp message'][0].data!.main![0]!.map((item) => item.json);
		expect(received).toEqual([
			expect.objectContaining({ event: 'message.any', chatId: '4915123456789@c.us', body: 'Hi, is my order on its way?', fromMe: false }),
		]);
		const reply = messages[5];
		expect(messages).toHaveLength(6);
		expect(reply).toEqual(expect.objectContaining({ endpoint: 'send-text-safe', chatId: '4915123456789@c.us', response_status: 201 }));
		expect(reply.body.text).toContain('You wrote: "Hi, is my order on its way?"');
		expect(reply.body.reply_to).toBe(received[0].id);
		// Every delivery (the five sends' message.any + message.ack, the customer's message, the
		// reply's message.any + message.ack) carried the secret and was taken (200); only one ran.
		const deliveries = sandbox.webhookDeliveries().filter((delivery) => delivery.instanceId === DEFAULT_INSTANCE);
		expect(deliveries.map((delivery) => [delivery.event, delivery.body.data.payload.fromMe])).toEqual([
			...Array.from({ length: 5 }, () => [
				['message.any', true],
				['message.ack', true],
			]).flat(),
			['message.any', false],
			['message.any', true],
			['message.ack', true],
		]);
		expect(deliveries.every((delivery) => delivery.status === 200 && delivery.authorization === 'present')).toBe(true);
		// The assistant: on its own instance and webhook; the printed command made one run, in which
		// the agent (the sandbox's scripted model) looked the customer up and replied once.
		const assistant = seen!.assistant!;
		expect(assistant).toEqual(expect.objectContaining({ active: true, workflowId: 'hsWhatsappAssistant' }));
		expect(assistant.simulateArgs).toEqual(expect.arrayContaining(['--instance', ASSISTANT_INSTANCE]));
		expect(sandbox.webhook(ASSISTANT_INSTANCE)).toEqual({ url: assistant.webhookUrl, authorization: 'present', source: 'instance' });
		expect(assisted!.runs.map((execution) => [execution.mode, execution.status])).toEqual([['webhook', 'success']]);
		const customer = `${assistant.simulateArgs[assistant.simulateArgs.indexOf('--from') + 1].slice(1)}@c.us`;
		const customerName = sandbox.contact(ASSISTANT_INSTANCE, customer)!.name;
		expect(sandbox.messages(ASSISTANT_INSTANCE).map((message) => [message.endpoint, message.chatId, String(message.body.text).split('!')[0]])).toEqual([
			['send-text-safe', customer, `Hi ${customerName}`],
		]);
		// The MCP server: active behind its token, with its five tools, which act on the sandbox.
		expect(seen!.mcp).toEqual({ workflowId: 'hsMcpServer', active: true, url: `http://127.0.0.1:${port}/mcp/hypersender`, token: expect.stringMatching(/^[\w-]{32}$/) });
		expect(mcpTools).toEqual(['find_contacts', 'get_profile_picture', 'get_queued_request', 'look_up_contact', 'send_text']);
		expect({ isError: mcpLookup!.isError, text: mcpLookup!.content[0].text }).toEqual({ isError: undefined, text: expect.stringMatching(/^\[/) });
		expect(JSON.parse(mcpLookup!.content[0].text!)).toEqual([expect.objectContaining({ id: sandbox.expected(DEFAULT_INSTANCE, 'id', 'asc')[0].id })]);
		// Everything is stopped: the editor's port is free again.
		expect(await runtime.freePort(port)).toBe(port);
	} finally {
		if (process.env.HYPERSENDER_E2E_KEEP !== '1') fs.rmSync(home, { recursive: true, force: true });
	}
});
