/** Typed access to the project's sandbox server (plain JavaScript, shared with the CLI). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sandboxModule = require('../../sandbox/server');

export interface SandboxContact {
	id: string;
	name?: string;
	pushname?: string;
}

export interface SandboxRequest {
	method: string;
	path: string;
	instance: string;
	query: { limit?: string; offset?: string; sort_by?: string; sort_order?: string };
	authorization: 'present' | 'missing' | 'wrong';
	status: number;
	fault: string | null;
}

export interface Sandbox {
	url: string;
	baseUrl: string;
	token: string;
	requests: SandboxRequest[];
	onRequest?: (request: SandboxRequest) => void | Promise<void>;
	resetRequests(): void;
	expected(instanceId: string, sortBy?: string, sortOrder?: string): SandboxContact[];
	contacts(instanceId: string): SandboxContact[];
	setContacts(instanceId: string, contacts: SandboxContact[]): void;
	addInstance(id: string, options: { size?: number; seed?: number; contacts?: SandboxContact[] }): void;
	configure(options: Record<string, unknown>): void;
	close(): Promise<void>;
}

export const DEFAULT_INSTANCE: string = sandboxModule.DEFAULT_INSTANCE;
export const DEFAULT_TOKEN: string = sandboxModule.DEFAULT_TOKEN;

export async function startSandbox(options: Record<string, unknown> = {}): Promise<Sandbox> {
	return (await sandboxModule.startSandbox({ quiet: true, ...options })) as Sandbox;
}

export function credentialsFor(sandbox: Sandbox, overrides: Record<string, string> = {}) {
	return { apiToken: sandbox.token, instanceId: DEFAULT_INSTANCE, baseUrl: sandbox.baseUrl, ...overrides };
}
