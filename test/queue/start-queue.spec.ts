/**
 * `npm start -- --queue` (scripts/start.js main() with --queue) end to end: PostgreSQL, Redis, n8n
 * main, a webhook processor and two workers on one home with the packed package, the sandbox, the
 * credentials and the example workflows imported into PostgreSQL, the examples that the ready
 * message points at working as it says:
 *   - a manual run of "Export all WhatsApp contacts" from the editor's REST API runs on a worker;
 *   - the auto-reply's webhook is the webhook processor's production URL; the printed simulate
 *     command makes one run, enqueued by the webhook processor and run by a worker, and one reply;
 *   - the MCP server is served by the webhook processor, and its tool calls run on workers;
 *   - stopping ends every process of the cluster (n8n, Redis, PostgreSQL) and the sandbox;
 *   - a second start on the same home keeps the database (the first start's executions, the
 *     examples as imported) and the auto-reply answers again.
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

import { DEFAULT_INSTANCE, resolvePackageTgz, runtime } from '../e2e/n8n-harness';
import { simulateAndWait, start, type StartInfo } from '../e2e/start-session';

const SIZE = 2345;
const CUSTOMER = '4915123456789@c.us';

/** Whether a process is still there (signal 0 checks without signalling). */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

interface FirstStart {
	info: StartInfo;
	exportRun: Awaited<ReturnType<typeof runtime.runInEditor>>;
	exportTrace: { enqueuedBy?: string; startedBy: string[]; finishedBy: string[] };
	replied: Awaited<ReturnType<typeof simulateAndWait>>;
	replyTrace: { enqueuedBy?: string; startedBy: string[]; finishedBy: string[] };
	replies: number;
	mcpTools: string[];
	mcpLookup: { isError?: boolean; content: Array<{ type: string; text?: string }> };
	mcpExecution: { mode: string; status: string; worker?: string; enqueuedBy?: string };
	autoReplyVersion: string;
	pids: Array<{ name: string; pid: number }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const queue = require('../../scripts/n8n/queue') as typeof import('../../scripts/n8n/queue');

const home = path.join(runtime.HOMES_DIR, `start-queue-${process.pid}`);
let clusterName: string | undefined;

afterAll(async () => {
	if (process.env.HYPERSENDER_E2E_KEEP === '1') return;
	// The cluster's folder, and PostgreSQL's data where it lives outside it (queue.js, postgresFolder()).
	if (clusterName) await queue.discardCluster(clusterName, home);
	fs.rmSync(home, { recursive: true, force: true });
});

test('npm start -- --queue: the examples run on workers, webhooks and the MCP server on the webhook processor; a second start keeps the database', async () => {
	const port = await runtime.freePort();
	// One sandbox port for both starts: the credential stays the same, so the second start imports nothing.
	const sandboxPort = await runtime.freePort();
	const args = ['--queue', '--port', String(port), '--sandbox-port', String(sandboxPort), '--sandbox-size', String(SIZE), '--quiet'];

	let first: FirstStart | undefined;
	await start.main({
		packageTgz: resolvePackageTgz(),
		home,
		args: [...args, '--fresh'],
		onReady: async (info) => {
			try {
				const cluster = info.queue!;
				clusterName = cluster.name;
				const sandbox = info.api.sandbox!;
				const session = await runtime.login(info.url, info.owner);
				sandbox.resetRequests();
				const exportRun = await runtime.runInEditor(info.url, session, 'hsExportContacts', { nodeName: 'Get all contacts' });
				const replied = await simulateAndWait(info, session, info.autoReply!, () => sandbox.messages(DEFAULT_INSTANCE).some((message) => message.chatId === CUSTOMER));
				const afterReply = Math.max(0, ...(await cluster.executions()).map((execution) => execution.id));
				const client = new Client({ name: 'start-queue-e2e', version: '1.0.0' });
				await client.connect(new StreamableHTTPClientTransport(new URL(info.mcp.url), { requestInit: { headers: { authorization: `Bearer ${info.mcp.token}` } } }));
				let mcpTools: string[];
				let mcpLookup: FirstStart['mcpLookup'];
				try {
					mcpTools = (await client.listTools()).tools.map((tool) => tool.name).sort();
					mcpLookup = (await client.callTool({ name: 'look_up_contact', arguments: { chatId: sandbox.expected(DEFAULT_INSTANCE, 'id', 'asc')[0].id } })) as FirstStart['mcpLookup'];
				} finally {
					await client.close();
				}
				const [mcpRun] = await cluster.executions({ workflowId: 'hsMcpServer', afterId: afterReply });
				const workflow = await runtime.request(`${info.url}/rest/workflows/hsAutoReply`, { headers: { cookie: session.cookie } });
				first = {
					info,
					exportRun,
					exportTrace: cluster.trace(exportRun.executionId),
					replied,
					replyTrace: cluster.trace(replied.runs[0].id),
					replies: sandbox.messages(DEFAULT_INSTANCE).filter((message) => message.chatId === CUSTOMER).length,
					mcpTools,
					mcpLookup,
					mcpExecution: { mode: mcpRun?.mode, status: mcpRun?.status, worker: mcpRun?.worker, enqueuedBy: mcpRun?.trace.enqueuedBy },
					autoReplyVersion: workflow.body.data.versionId,
					pids: cluster.processes.map((proc) => ({ name: proc.name, pid: proc.pid! })),
				};
			} finally {
				await info.stop();
			}
		},
	});

	expect(first).toBeDefined();
	const { info } = first!;
	// Main on --port, the webhook processor on the next port.
	expect(info.url).toBe(`http://127.0.0.1:${port}`);
	expect(info.queue!.webhookUrl).toBe(`http://127.0.0.1:${port + 1}`);
	expect(info.queue!.workers.map((worker) => worker.name)).toEqual(['worker-1', 'worker-2']);
	// The export example: all contacts in floor(2345 / 1000) + 1 pages, run by a worker, enqueued by main.
	expect(first!.exportRun.status).toBe('success');
	expect(first!.exportRun.items).toHaveLength(SIZE);
	expect(first!.exportTrace).toEqual({ enqueuedBy: 'main', startedBy: [expect.stringMatching(/^worker-[12]$/)], finishedBy: first!.exportTrace.startedBy });
	// The auto-reply: the sandbox posts to the webhook processor; one run, on a worker; one reply.
	expect(info.autoReply).toEqual(
		expect.objectContaining({ active: true, webhookUrl: `${info.queue!.webhookUrl}/webhook/7c2f4e1a-9b3d-4a6e-8f05-1d2c3b4a5e6f/webhook` }),
	);
	expect(first!.replied.runs.map((execution) => [execution.mode, execution.status])).toEqual([['webhook', 'success']]);
	expect(first!.replyTrace).toEqual({ enqueuedBy: 'webhook', startedBy: [expect.stringMatching(/^worker-[12]$/)], finishedBy: first!.replyTrace.startedBy });
	expect(first!.replies).toBe(1);
	// The MCP server: on the webhook processor; its tool call ran as an execution on a worker.
	expect(info.mcp).toEqual(expect.objectContaining({ active: true, url: `${info.queue!.webhookUrl}/mcp/hypersender` }));
	expect(first!.mcpTools).toEqual(['find_contacts', 'get_profile_picture', 'get_queued_request', 'look_up_contact', 'send_text']);
	expect(first!.mcpLookup.isError).toBeUndefined();
	expect(JSON.parse(first!.mcpLookup.content[0].text!)).toEqual([expect.objectContaining({ id: info.api.sandbox!.expected(DEFAULT_INSTANCE, 'id', 'asc')[0].id })]);
	expect(first!.mcpExecution).toEqual(expect.objectContaining({ status: 'success', enqueuedBy: 'webhook', worker: expect.stringMatching(/^worker-[12]$/) }));
	// Stopped: every process of the cluster (n8n main, webhook, workers, PostgreSQL, Redis) has exited; the ports are free.
	expect(first!.pids.map((proc) => proc.name).sort()).toEqual(['main', 'postgres', 'redis', 'webhook', 'worker-1', 'worker-2']);
	expect(first!.pids.filter((proc) => alive(proc.pid))).toEqual([]);
	expect(await runtime.freePort(port)).toBe(port);
	expect(await runtime.freePort(port + 1)).toBe(port + 1);
	expect(await runtime.freePort(sandboxPort)).toBe(sandboxPort);

	// The second start on the same home: the same database, nothing imported again, the auto-reply still active.
	let second: { exportRuns: number; autoReplyVersion: string; autoReply?: StartInfo['autoReply']; runs: number; replies: number; worker?: string } | undefined;
	await start.main({
		packageTgz: resolvePackageTgz(),
		home,
		args,
		onReady: async (again) => {
			try {
				const session = await runtime.login(again.url, again.owner);
				const sandbox = again.api.sandbox!;
				const exportRuns = (await runtime.listExecutions(again.url, session, 'hsExportContacts')).length;
				const workflow = await runtime.request(`${again.url}/rest/workflows/hsAutoReply`, { headers: { cookie: session.cookie } });
				const replied = await simulateAndWait(again, session, again.autoReply!, () => sandbox.messages(DEFAULT_INSTANCE).some((message) => message.chatId === CUSTOMER));
				second = {
					exportRuns,
					autoReplyVersion: workflow.body.data.versionId,
					autoReply: again.autoReply,
					runs: replied.runs.length,
					replies: sandbox.messages(DEFAULT_INSTANCE).filter((message) => message.chatId === CUSTOMER).length,
					worker: again.queue!.trace(replied.runs[0].id).startedBy[0],
				};
			} finally {
				await again.stop();
			}
		},
	});
	expect(second).toEqual({
		exportRuns: 1,
		autoReplyVersion: first!.autoReplyVersion,
		autoReply: expect.objectContaining({ active: true }),
		// The first start's run and this one's.
		runs: 2,
		replies: 1,
		worker: expect.stringMatching(/^worker-[12]$/),
	});
});
