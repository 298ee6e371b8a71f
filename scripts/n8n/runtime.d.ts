// Types of scripts/n8n/runtime.js for TypeScript callers (test/e2e, benchmark, browser test).
import type { ChildProcess } from 'node:child_process';

export const ROOT: string;
export const RUNTIME_DIR: string;
export const E2E_DIR: string;
export const HOMES_DIR: string;
export function packPackage(packDir: string): string;
export function resolvePackageTgz(packDir: string): string;
export const N8N_VERSION: string;
export const N8N_BIN: string;
export const NODE_BIN: string;

export interface EnsureN8nResult {
	n8nBin: string;
	version: string;
	/** true when an existing install was reused */
	cached: boolean;
	seconds: number;
}
export function ensureN8n(options?: { force?: boolean; verbose?: boolean }): Promise<EnsureN8nResult>;

export function createN8nHome(dir: string, options?: { packageTgz?: string; fresh?: boolean }): Promise<string>;
export function installPackage(home: string, packageTgz: string): Promise<string>;
export function packageInfo(packageTgz: string): { name: string; version: string; [key: string]: unknown };
export function n8nEnv(home: string, extra?: Record<string, string | number | undefined | null>): NodeJS.ProcessEnv;

export interface CommandResult {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}
export function n8nCommand(
	home: string,
	args: string[],
	options?: {
		cwd?: string;
		env?: NodeJS.ProcessEnv;
		extraEnv?: Record<string, string | number | undefined | null>;
		timeoutMs?: number;
		echo?: boolean;
	},
): Promise<CommandResult>;

export interface PlainCredential {
	id?: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}
export function importCredentials(home: string, creds: PlainCredential | PlainCredential[]): Promise<string[]>;

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}
export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	active?: boolean;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}
export function importWorkflow(home: string, workflow: Workflow): Promise<string>;
export function importWorkflow(home: string, workflow: Workflow[]): Promise<string[]>;

export interface RunItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
	[key: string]: unknown;
}
/** n8n's IRun, as printed by `n8n execute --rawOutput`. */
export interface N8nRun {
	status?: string;
	finished?: boolean;
	mode?: string;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main?: RunItem[][] }; error?: { message?: string; [key: string]: unknown }; executionStatus?: string; [key: string]: unknown }>>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string; name?: string; [key: string]: unknown };
		};
		[key: string]: unknown;
	};
	[key: string]: unknown;
}
export interface ExecuteResult {
	/** exit code 0 and no error in the run */
	ok: boolean;
	exitCode: number | null;
	run?: N8nRun;
	/** output items of options.nodeName, else of the last node executed */
	items?: RunItem[];
	/** n8n's error message (and description) for a failed run */
	error?: string;
	/** stdout + stderr of n8n */
	output: string;
	stdout: string;
	stderr: string;
	seconds: number;
}
export function executeWorkflow(
	home: string,
	id: string,
	options?: { nodeName?: string; brokerPort?: number; timeoutMs?: number; extraEnv?: Record<string, string | number> },
): Promise<ExecuteResult>;
export function parseRun(stdout: string): N8nRun | undefined;
export function runItems(run: N8nRun, nodeName?: string): RunItem[] | undefined;

export interface Editor {
	child: ChildProcess;
	url: string;
	port: number;
	output(): string;
	stop(graceMs?: number): Promise<void>;
}
export function startEditor(
	home: string,
	options?: {
		port?: number;
		brokerPort?: number;
		timeoutMs?: number;
		onLine?: (line: string) => void;
		extraEnv?: Record<string, string | number | undefined | null>;
	},
): Promise<Editor>;

export interface Session {
	cookie: string;
	user: unknown;
}
export function setupOwner(
	url: string,
	owner: { email: string; password: string; firstName?: string; lastName?: string },
): Promise<Session & { created: boolean }>;
export function login(url: string, credentials: { email: string; password: string }): Promise<Session>;
export function request(
	url: string,
	options?: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any; text: string }>;
export function freePort(preferred?: number): Promise<number>;
export function newId(): string;
/** process.env with Node 24 first on PATH (from scripts/toolchain.js). */
export function node24Env(extra?: Record<string, string>): NodeJS.ProcessEnv;
export function log(message: string): void;

export interface EditorRunResult {
	executionId: string;
	/** n8n's execution status: success, error, crashed, canceled */
	status: string;
	run: N8nRun;
	items?: RunItem[];
	error?: string;
	seconds: number;
}
export function runInEditor(
	url: string,
	session: Session,
	workflowId: string,
	options?: { triggerName?: string; nodeName?: string; timeoutMs?: number },
): Promise<EditorRunResult>;
export function parseExecutionData(data: unknown): N8nRun['data'];
