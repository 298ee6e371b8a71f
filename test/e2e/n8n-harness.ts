/**
 * Runs the packed Hypersender node inside a real n8n (the version scripts/n8n pins), against the
 * project's sandbox API. Shared by the end-to-end tests, the benchmark and the browser test.
 *
 *   const harness = await N8nHarness.start({ name: 'e2e', instances: { [id]: { size: 5000 } } });
 *   const result = await harness.run({ name: 'all', parameters: { returnAll: true } });
 *   result.items            // output items of the Hypersender node ({ json, pairedItem })
 *   result.requests         // what the sandbox received during this execution
 *   await harness.close();
 *
 * Each execution is `n8n execute --id --rawOutput` (a fresh n8n process, ~3 s); workflows are
 * imported in one `n8n import:workflow` per batch with `prepare()`, so a suite pays the import
 * cost once. Executions are sequential: the request log is reset before each one.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import {
	CREDENTIAL_TYPE,
	MANUAL_TRIGGER_NAME,
	NODE_DISPLAY_NAME,
	NODE_TYPE,
	PACKAGE_NAME,
	SANDBOX_CREDENTIAL,
	manualTriggerNode,
} from '../../scripts/fixtures';
import type * as Runtime from '../../scripts/n8n/runtime';
import type { Sandbox, SandboxContact, SandboxRequest } from '../harness/sandbox';
import { DEFAULT_INSTANCE, DEFAULT_TOKEN, startSandbox } from '../harness/sandbox';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtime: typeof Runtime = require('../../scripts/n8n/runtime');

export type { Sandbox, SandboxContact, SandboxRequest };
export type { ExecuteResult, RunItem, Workflow, WorkflowNode } from '../../scripts/n8n/runtime';
export { DEFAULT_INSTANCE, DEFAULT_TOKEN, runtime };

// The names node, tests and tooling share live in scripts/fixtures.js; re-exported for the tests.
export { CREDENTIAL_TYPE, NODE_TYPE, PACKAGE_NAME, SANDBOX_CREDENTIAL };
export const TRIGGER_NAME = MANUAL_TRIGGER_NAME;
export const INPUT_NODE_NAME = 'Make input items';
/** The Hypersender node's name in the workflows the harness builds. */
export const NODE_NAME = NODE_DISPLAY_NAME;

export interface CredentialRef {
	id: string;
	name: string;
}

export interface CaseSpec {
	/** Workflow name (and the key for prepare()/execute()). */
	name: string;
	/** Hypersender node parameters, merged over { resource: 'contact', operation: 'getAll' }. */
	parameters?: Record<string, unknown>;
	/** Credential the node uses; defaults to the sandbox credential. */
	credential?: CredentialRef;
	/** When set, a Code node between the trigger and the Hypersender node outputs these items. */
	inputItems?: Array<Record<string, unknown>>;
	/** Node type to use instead of the Hypersender node's (to test how n8n reports unknown types). */
	nodeType?: string;
	/** Extra properties of the Hypersender node (e.g. { onError: 'continueRegularOutput' }). */
	nodeSettings?: Record<string, unknown>;
}

export interface CaseResult extends Runtime.ExecuteResult {
	/** Requests the sandbox received during this execution. */
	requests: SandboxRequest[];
	/** The workflow's id in n8n. */
	workflowId: string;
}

export interface HarnessOptions {
	/** Folder name under .e2e/ (default "e2e"); the home is .e2e/<name>-<pid>. */
	name?: string;
	/** Packed package to install; default: $HYPERSENDER_PACKAGE_TGZ, else `npm pack` of the current dist/. */
	packageTgz?: string;
	/** Sandbox instances (default: DEFAULT_INSTANCE with 2,500 contacts). */
	instances?: Record<string, { size?: number; seed?: number; contacts?: SandboxContact[] }>;
	/** More startSandbox() options (latencyMs, faults, ...). */
	sandboxOptions?: Record<string, unknown>;
	/** Keep the home after close() (also: HYPERSENDER_E2E_KEEP=1). */
	keepHome?: boolean;
}

/** The packed package: $HYPERSENDER_PACKAGE_TGZ, else a fresh `npm pack` of dist/ into .e2e/harness-pack. */
export function resolvePackageTgz(explicit?: string): string {
	if (explicit === undefined) return runtime.resolvePackageTgz(path.join(runtime.E2E_DIR, 'harness-pack'));
	if (!fs.existsSync(explicit)) throw new Error(`The package tarball is missing: ${explicit}`);
	return path.resolve(explicit);
}

export class N8nHarness {
	readonly credentials: { sandbox: CredentialRef } & Record<string, CredentialRef>;

	private readonly workflowIds = new Map<string, string>();

	private constructor(
		readonly home: string,
		readonly sandbox: Sandbox,
		readonly packageTgz: string,
		private readonly keepHome: boolean,
	) {
		this.credentials = { sandbox: SANDBOX_CREDENTIAL };
	}

	/** Installs/reuses n8n, starts the sandbox, makes a fresh home with the package and the sandbox credential. */
	static async start(options: HarnessOptions = {}): Promise<N8nHarness> {
		await runtime.ensureN8n();
		const packageTgz = resolvePackageTgz(options.packageTgz);
		const sandbox = await startSandbox({
			port: 0,
			instances: options.instances ?? { [DEFAULT_INSTANCE]: { size: 2500, seed: 42 } },
			...options.sandboxOptions,
		});
		try {
			const home = path.join(runtime.HOMES_DIR, `${options.name ?? 'e2e'}-${process.pid}`);
			await runtime.createN8nHome(home, { packageTgz, fresh: true });
			const installed = path.join(home, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'package.json');
			if (!fs.existsSync(installed)) throw new Error(`${PACKAGE_NAME} was not installed into ${home}`);
			const harness = new N8nHarness(
				home,
				sandbox,
				packageTgz,
				options.keepHome ?? process.env.HYPERSENDER_E2E_KEEP === '1',
			);
			await runtime.importCredentials(home, [
				{
					...SANDBOX_CREDENTIAL,
					type: CREDENTIAL_TYPE,
					data: { apiToken: sandbox.token, instanceId: DEFAULT_INSTANCE, baseUrl: sandbox.baseUrl },
				},
			]);
			return harness;
		} catch (error) {
			await sandbox.close();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test code: the setup failure goes back to jest once the sandbox is closed
			throw error;
		}
	}

	/** Imports more credentials of the node's credential type (one n8n process for all). */
	async addCredentials(
		creds: Array<{ id: string; name: string; apiToken?: string; instanceId?: string; baseUrl?: string }>,
	): Promise<CredentialRef[]> {
		await runtime.importCredentials(
			this.home,
			creds.map((cred) => ({
				id: cred.id,
				name: cred.name,
				type: CREDENTIAL_TYPE,
				data: {
					apiToken: cred.apiToken ?? this.sandbox.token,
					instanceId: cred.instanceId ?? DEFAULT_INSTANCE,
					baseUrl: cred.baseUrl ?? this.sandbox.baseUrl,
				},
			})),
		);
		const refs = creds.map((cred) => ({ id: cred.id, name: cred.name }));
		for (const ref of refs) this.credentials[ref.id] = ref;
		return refs;
	}

	/** Manual Trigger → (Code node making `inputItems`) → Hypersender node with `parameters`. */
	buildWorkflow(spec: CaseSpec): Runtime.Workflow {
		const credential = spec.credential ?? this.credentials.sandbox;
		const nodes: Runtime.WorkflowNode[] = [manualTriggerNode()];
		const connections: Record<string, unknown> = {};
		let previous = TRIGGER_NAME;
		if (spec.inputItems) {
			nodes.push({
				id: 'a1b2c3d4-0000-4000-8000-000000000002',
				name: INPUT_NODE_NAME,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { jsCode: `return ${JSON.stringify(spec.inputItems)}.map((json) => ({ json }));` },
			});
			connections[previous] = { main: [[{ node: INPUT_NODE_NAME, type: 'main', index: 0 }]] };
			previous = INPUT_NODE_NAME;
		}
		nodes.push({
			id: 'a1b2c3d4-0000-4000-8000-000000000003',
			name: NODE_NAME,
			type: spec.nodeType ?? NODE_TYPE,
			typeVersion: 1,
			position: [440, 0],
			parameters: { resource: 'contact', operation: 'getAll', ...spec.parameters },
			credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			...spec.nodeSettings,
		});
		connections[previous] = { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] };
		return { name: spec.name, nodes, connections, settings: { executionOrder: 'v1' } };
	}

	/** Imports the workflows of several cases in one n8n process; resolves to name → workflow id. */
	async prepare(specs: CaseSpec[]): Promise<Map<string, string>> {
		for (const spec of specs) {
			if (this.workflowIds.has(spec.name)) throw new Error(`a case named "${spec.name}" was prepared already`);
		}
		const workflows = specs.map((spec) => ({ ...this.buildWorkflow(spec), id: runtime.newId() }));
		const ids = await runtime.importWorkflow(this.home, workflows);
		specs.forEach((spec, index) => this.workflowIds.set(spec.name, ids[index]));
		return this.workflowIds;
	}

	/** Imports any workflow JSON (e.g. an example file) and resolves to its id. */
	async importWorkflow(workflow: Runtime.Workflow): Promise<string> {
		return await runtime.importWorkflow(this.home, workflow);
	}

	/**
	 * Executes a prepared case (by name) or a workflow id. Throws when n8n does not know the
	 * Hypersender node type (the package did not load), with n8n's own message, unless
	 * `allowUnknownNodeType` is set.
	 */
	async execute(
		nameOrId: string,
		options: { nodeName?: string; allowUnknownNodeType?: boolean } = {},
	): Promise<CaseResult> {
		const workflowId = this.workflowIds.get(nameOrId) ?? nameOrId;
		this.sandbox.resetRequests();
		const result = await runtime.executeWorkflow(this.home, workflowId, { nodeName: options.nodeName ?? NODE_NAME });
		const requests = this.sandbox.requests.slice();
		if (!result.ok && !options.allowUnknownNodeType) {
			const text = `${result.error ?? ''}\n${result.output}`;
			const unknown = new RegExp(`Unrecognized node type: ${PACKAGE_NAME}\\.[\\w-]+`).exec(text)
				?? /Unrecognized credential type[^\n"]*/.exec(text);
			if (unknown) {
				throw new Error(
					`n8n ${runtime.N8N_VERSION} did not load the package ${PACKAGE_NAME} from ${this.packageTgz} ` +
						`(installed in ${path.join(this.home, '.n8n', 'nodes')}). n8n said: ${unknown[0]}`,
				);
			}
		}
		return { ...result, requests, workflowId };
	}

	/** prepare() + execute() of one case. */
	async run(spec: CaseSpec): Promise<CaseResult> {
		await this.prepare([spec]);
		return await this.execute(spec.name);
	}

	/** The id of the newest execution saved in the home (of any workflow), 0 when none. */
	lastExecutionId(): number {
		return runtime.savedExecutions(this.home).reduce((max, execution) => Math.max(max, execution.id), 0);
	}

	/** The executions of a workflow after execution `afterId`, waiting until `count` have ended (then with their data). */
	async executionsAfter(workflowId: string, afterId: number, count: number, timeoutMs = 60000): Promise<Runtime.SavedExecution[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const all = runtime.savedExecutions(this.home, { workflowId, afterId });
			if (all.length >= count && all.every((execution) => execution.done)) {
				return runtime.savedExecutions(this.home, { workflowId, afterId, withData: true });
			}
			if (Date.now() > deadline) {
				throw new Error(`workflow ${workflowId}: ${all.length} executions after #${afterId} (${all.filter((e) => e.done).length} ended) within ${timeoutMs} ms, expected ${count}`);
			}
			await sleep(100);
		}
	}

	/** The sandbox's own list, in the order the API serves it. */
	expected(instanceId: string = DEFAULT_INSTANCE, sortBy = 'name', sortOrder = 'asc'): SandboxContact[] {
		return this.sandbox.expected(instanceId, sortBy, sortOrder);
	}

	async close(): Promise<void> {
		await this.sandbox.close();
		if (!this.keepHome) fs.rmSync(this.home, { recursive: true, force: true });
	}
}

// ---- workflow nodes and webhook calls, shared with the queue-mode suite (test/queue) ----

/** A Hypersender node (position [0, 0]) with `parameters` and `credential`; `settings` are more node properties (e.g. onError). */
export function hypersenderNode(
	name: string,
	parameters: Record<string, unknown>,
	credential: CredentialRef = SANDBOX_CREDENTIAL,
	settings: Record<string, unknown> = {},
): Runtime.WorkflowNode {
	return {
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		...settings,
	};
}

/** The userId of the webhook calls the tests make as Hypersender does. */
export const WEBHOOK_USER_ID = '5c1d7e0a-3f4b-4a8e-9b2c-6d7e8f9a0b1c';

/** One POST of a JSON body (a string body is sent as it is), through `agent` when given; resolves to the status and the answer's text. */
export function postJson(
	url: string,
	body: unknown,
	headers: Record<string, string | undefined> = {},
	agent?: http.Agent,
): Promise<{ status: number; text: string }> {
	const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
	const sent: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': payload.length };
	for (const [name, value] of Object.entries(headers)) if (value !== undefined) sent[name] = value;
	return new Promise((resolve, reject) => {
		const request = http.request(url, { method: 'POST', headers: sent, agent }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
		});
		request.on('error', reject);
		request.end(payload);
	});
}

/** The documented envelope of a Hypersender webhook event for `instanceId`. */
export function webhookEnvelope(instanceId: string, event: string, payload: Record<string, unknown>, eventId = `evt_${randomBytes(12).toString('hex')}`) {
	return {
		event,
		data: {
			id: eventId,
			event,
			metadata: [],
			me: { id: '15550001111@c.us', pushName: 'Shop', lid: '100000000000001@lid' },
			payload,
			instanceId,
			userId: WEBHOOK_USER_ID,
		},
	};
}

/** A customer's message (message.any payload) from `chat`. */
export function customerMessage(chat: string, index: number, text = `Message ${index}`): Record<string, unknown> {
	return { id: `false_${chat}_3A${String(index).padStart(18, '0')}`, timestamp: 1795000000 + index, from: chat, to: '15550001111@c.us', fromMe: false, body: text, hasMedia: false };
}
