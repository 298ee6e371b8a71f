/**
 * The packed Hypersender node in n8n's queue mode (scripts/n8n/queue.js): PostgreSQL, Redis, n8n
 * main, one webhook processor and two workers sharing one home, against the project's sandbox.
 *
 *   const q = await QueueHarness.start({ name: 'queue', instances: { [id]: { size: 100000 } } });
 *   const id = (await q.importWorkflows([q.chain('all', [q.hypersender('Get many', { ... })])]))[0];
 *   const execution = await q.runManual(id);          // through main's REST API, run by a worker
 *   execution.worker                                   // 'worker-1' or 'worker-2'
 *   q.items(execution, 'Get many')
 *   await q.close();                                  // every process, even after a failure
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { encodePng } from '../../sandbox/images';
import { manualTriggerNode } from '../../scripts/fixtures';
import type * as Queue from '../../scripts/n8n/queue';
import type { QueueCluster, QueueExecution } from '../../scripts/n8n/queue';
import type { Session } from '../../scripts/n8n/runtime';
import type { RunItem, Sandbox, SandboxContact, Workflow, WorkflowNode } from '../e2e/n8n-harness';
import {
	CREDENTIAL_TYPE,
	customerMessage,
	DEFAULT_INSTANCE,
	hypersenderNode,
	NODE_TYPE,
	PACKAGE_NAME,
	postJson,
	resolvePackageTgz,
	runtime,
	SANDBOX_CREDENTIAL,
	webhookEnvelope as envelope,
} from '../e2e/n8n-harness';
import { startSandbox } from '../harness/sandbox';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const queue: typeof Queue = require('../../scripts/n8n/queue');

export type { QueueCluster, QueueExecution, RunItem, Sandbox, SandboxContact, Workflow, WorkflowNode };
export { CREDENTIAL_TYPE, DEFAULT_INSTANCE, NODE_TYPE, PACKAGE_NAME, runtime };
// The webhook calls as Hypersender makes them (the e2e tests' helpers).
export { customerMessage, envelope };

export const TRIGGER_TYPE = `${PACKAGE_NAME}.hypersenderTrigger`;
export const CONTACT_TRIGGER_TYPE = `${PACKAGE_NAME}.hypersenderContactTrigger`;

export interface Credential {
	id: string;
	name: string;
}

export interface QueueHarnessOptions {
	/** The cluster's folder under .n8n-runtime/queue/ and the home's under .n8n-runtime/homes/ get `<name>-<pid>`. */
	name: string;
	/** Sandbox instances. */
	instances: Record<string, { size?: number; seed?: number; contacts?: SandboxContact[] }>;
	/** Credentials of the node's type besides the sandbox one (instance, webhook secret). */
	credentials?: Array<Credential & { instanceId?: string; webhookSecret?: string }>;
	workers?: number;
	concurrency?: number;
	/** Echo every line of every process (also: HYPERSENDER_QUEUE_ECHO=1). */
	echo?: boolean;
}

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up password for the owner of the test's own throwaway n8n
const OWNER = { email: 'queue@example.com', password: 'Queue-Mode-Test-1234' };

export class QueueHarness {
	private constructor(
		readonly sandbox: Sandbox,
		readonly home: string,
		readonly cluster: QueueCluster,
		readonly session: Session,
	) {}

	/** Sandbox, a fresh home with the packed package, the cluster (fresh database), the credentials and the owner. */
	static async start(options: QueueHarnessOptions): Promise<QueueHarness> {
		const started = Date.now();
		await runtime.ensureN8n();
		await discardStale(options.name);
		const packageTgz = resolvePackageTgz(process.env.HYPERSENDER_PACKAGE_TGZ);
		const sandbox = await startSandbox({ port: 0, instances: options.instances });
		const home = path.join(runtime.HOMES_DIR, `${options.name}-${process.pid}`);
		let cluster: QueueCluster | undefined;
		try {
			await runtime.createN8nHome(home, { packageTgz, fresh: true });
			const echo = options.echo ?? process.env.HYPERSENDER_QUEUE_ECHO === '1';
			cluster = await queue.startQueueCluster({
				home,
				name: `${options.name}-${process.pid}`,
				fresh: true,
				workers: options.workers ?? 2,
				concurrency: options.concurrency,
				// n8n's expression engine is its default (vm); HYPERSENDER_E2E_EXPRESSION_ENGINE=legacy compares.
				extraEnv: process.env.HYPERSENDER_E2E_EXPRESSION_ENGINE ? { N8N_EXPRESSION_ENGINE: process.env.HYPERSENDER_E2E_EXPRESSION_ENGINE } : undefined,
				onLine: echo ? (name, line) => process.stderr.write(`[${name}] ${line}\n`) : undefined,
			});
			await cluster.importCredentials([
				{ ...SANDBOX_CREDENTIAL, type: CREDENTIAL_TYPE, data: { apiToken: sandbox.token, instanceId: DEFAULT_INSTANCE, baseUrl: sandbox.baseUrl } },
				...(options.credentials ?? []).map((cred) => ({
					id: cred.id,
					name: cred.name,
					type: CREDENTIAL_TYPE,
					data: {
						apiToken: sandbox.token,
						instanceId: cred.instanceId ?? DEFAULT_INSTANCE,
						baseUrl: sandbox.baseUrl,
						...(cred.webhookSecret ? { webhookSecret: cred.webhookSecret } : {}),
					},
				})),
			]);
			const session = await runtime.setupOwner(cluster.mainUrl, OWNER);
			process.stderr.write(`[queue] cluster ready in ${((Date.now() - started) / 1000).toFixed(0)} s (logs: ${path.join(cluster.dir, 'logs')})\n`);
			return new QueueHarness(sandbox, home, cluster, session);
		} catch (error) {
			await cluster?.close();
			await sandbox.close();
			fs.rmSync(home, { recursive: true, force: true });
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test code: the setup failure goes back to jest once everything is stopped
			throw error;
		}
	}

	/** Logs in again (after main restarted, the cookie still works; this is for a new session). */
	async login(): Promise<Session> {
		return await runtime.login(this.cluster.mainUrl, OWNER);
	}

	/** A Hypersender node (the e2e tests' builder); `credential` defaults to the sandbox one. */
	hypersender(name: string, parameters: Record<string, unknown>, credential: Credential = SANDBOX_CREDENTIAL, settings: Record<string, unknown> = {}): WorkflowNode {
		return hypersenderNode(name, parameters, credential, settings);
	}

	/** `first` (default: a Manual Trigger) → nodes, in a chain. */
	chain(name: string, nodes: WorkflowNode[], first: WorkflowNode = manualTriggerNode(), id?: string): Workflow {
		const all = [first, ...nodes].map((node, index) => ({
			...node,
			id: node.id ?? `9e0e0e00-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
			position: [index * 220, 0] as [number, number],
		}));
		const connections: Record<string, unknown> = {};
		for (let index = 1; index < all.length; index++) {
			connections[all[index - 1].name] = { main: [[{ node: all[index].name, type: 'main', index: 0 }]] };
		}
		return { ...(id ? { id } : {}), name, nodes: all, connections, settings: { executionOrder: 'v1' } };
	}

	async importWorkflows(workflows: Workflow[]): Promise<string[]> {
		return await this.cluster.importWorkflows(workflows.map((workflow) => ({ ...workflow, id: workflow.id ?? runtime.newId() })));
	}

	/** Starts a saved workflow as the editor's Execute workflow button does; resolves to the execution id (it runs on a worker). */
	async startManual(workflowId: string): Promise<number> {
		const headers = { cookie: this.session.cookie };
		const workflow = await runtime.request(`${this.cluster.mainUrl}/rest/workflows/${workflowId}`, { headers });
		const trigger = workflow.body?.data?.nodes?.find((node: { type: string }) => /trigger/i.test(node.type));
		if (!trigger) throw new Error(`GET /rest/workflows/${workflowId} answered ${workflow.status}: ${workflow.text.slice(0, 300)}`);
		const res = await runtime.request(`${this.cluster.mainUrl}/rest/workflows/${workflowId}/run`, {
			method: 'POST',
			headers,
			body: { triggerToStartFrom: { name: trigger.name } },
		});
		const executionId = res.body?.data?.executionId;
		if (res.status !== 200 || !executionId) throw new Error(`POST /rest/workflows/${workflowId}/run answered ${res.status}: ${res.text.slice(0, 300)}`);
		return Number(executionId);
	}

	/** Waits until an execution has ended and resolves to it with its run data. */
	async finished(executionId: number, timeoutMs = 5 * 60 * 1000): Promise<QueueExecution> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const [execution] = await this.cluster.executions({ afterId: executionId - 1 });
			if (execution?.id === executionId && execution.done) {
				const [withData] = await this.cluster.executions({ afterId: executionId - 1, withData: true });
				return withData;
			}
			if (Date.now() > deadline) throw new Error(`execution ${executionId} did not end within ${timeoutMs} ms (status ${execution?.status})`);
			await sleep(200);
		}
	}

	/** startManual() + finished(). */
	async runManual(workflowId: string, timeoutMs?: number): Promise<QueueExecution> {
		return await this.finished(await this.startManual(workflowId), timeoutMs);
	}

	/** The executions of a workflow after `afterId`, once `count` have ended (then with their data). */
	async executionsAfter(workflowId: string, afterId: number, count: number, timeoutMs = 2 * 60 * 1000): Promise<QueueExecution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const all = await this.cluster.executions({ workflowId, afterId });
			if (all.length >= count && all.every((execution) => execution.done)) return await this.cluster.executions({ workflowId, afterId, withData: true });
			if (Date.now() > deadline) {
				throw new Error(`workflow ${workflowId}: ${all.length} executions after #${afterId} (${all.filter((e) => e.done).length} ended) within ${timeoutMs} ms, expected ${count}`);
			}
			await sleep(200);
		}
	}

	/** The newest execution's id, 0 when none. */
	async lastExecutionId(): Promise<number> {
		const [row] = await this.cluster.query('SELECT COALESCE(MAX(id), 0) AS id FROM execution_entity');
		return Number(row.id);
	}

	/** The items a node output in an execution (first output); throws when it did not run. */
	items(execution: QueueExecution, nodeName: string): RunItem[] {
		const items = queue.executionItems(execution, nodeName);
		if (!items) {
			const error = execution.data?.resultData?.error;
			throw new Error(`"${nodeName}" did not run in execution ${execution.id} (${execution.status}${error ? `: ${error.message}` : ''})`);
		}
		return items;
	}

	/** The error of a failed execution, as n8n saved it. */
	errorOf(execution: QueueExecution): string | undefined {
		const error = execution.data?.resultData?.error;
		return error ? [error.message, error.description].filter(Boolean).join(' — ') : undefined;
	}

	/** A binary file a worker stored, downloaded through main's REST API (another process). */
	async binary(binaryId: string): Promise<Buffer> {
		const res = await fetch(`${this.cluster.mainUrl}/rest/binary-data?${new URLSearchParams({ id: binaryId, action: 'download' })}`, {
			headers: { cookie: this.session.cookie },
		});
		if (res.status !== 200) throw new Error(`GET /rest/binary-data ${binaryId} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
		return Buffer.from(await res.arrayBuffer());
	}

	/** What every process printed, for a failure's message. */
	logs(lines = 40): string {
		return this.cluster.processes.map((proc) => `---- ${proc.name} (${proc.running ? `pid ${proc.pid}` : 'stopped'})\n${proc.output().split('\n').slice(-lines).join('\n')}`).join('\n');
	}

	/** Stops everything; the processes' logs are kept in test-results/queue-logs/ (CI keeps that folder when a run fails). */
	async close(): Promise<void> {
		await this.cluster.close();
		await this.sandbox.close();
		const logs = path.join(runtime.ROOT, 'test-results', 'queue-logs');
		fs.rmSync(logs, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(logs), { recursive: true });
		fs.cpSync(path.join(this.cluster.dir, 'logs'), logs, { recursive: true });
		if (process.env.HYPERSENDER_E2E_KEEP !== '1') {
			// The cluster's folder, and PostgreSQL's data where it lives outside it (queue.js, postgresFolder()).
			await queue.discardCluster(this.cluster.name, this.home);
			fs.rmSync(this.home, { recursive: true, force: true });
		}
	}
}

/** What earlier runs of this suite left behind when they died without closing (their jest process is gone): processes, data, homes. */
async function discardStale(name: string): Promise<void> {
	if (!fs.existsSync(queue.QUEUE_DIR)) return;
	for (const entry of fs.readdirSync(queue.QUEUE_DIR)) {
		const match = new RegExp(`^${name}-(\\d+)$`).exec(entry);
		if (!match || Number(match[1]) === process.pid) continue;
		try {
			process.kill(Number(match[1]), 0);
			continue; // that run is still going
		} catch {
			// its process is gone
		}
		const home = path.join(runtime.HOMES_DIR, entry);
		await queue.discardCluster(entry, home);
		fs.rmSync(home, { recursive: true, force: true });
	}
}

// ---- webhook calls as Hypersender makes them ----

export const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 50 });

/** One POST through `keepAlive`; a string body is sent as it is. */
export const post = (url: string, body: unknown, headers: Record<string, string | undefined> = {}) => postJson(url, body, headers, keepAlive);

/** Runs `tasks` with at most `concurrency` at once; resolves to their results in order. */
export async function inParallel<T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> {
	const results: T[] = new Array(count);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(concurrency, count) }, async () => {
			while (next < count) {
				const index = next++;
				results[index] = await task(index);
			}
		}),
	);
	return results;
}

/** A small real PNG (a size×size square of one colour), encoded by the sandbox's PNG encoder. */
export function squarePng(size: number, rgb: [number, number, number]): Buffer {
	return encodePng(size, size, () => rgb);
}

/** Prints a measured figure where jest shows it (and keeps it for the summary). */
export const figures: string[] = [];
export function report(line: string): void {
	figures.push(line);
	process.stdout.write(`\n  ${line}\n`);
}
