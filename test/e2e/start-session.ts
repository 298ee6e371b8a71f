/**
 * What the tests of `npm start` (scripts/start.js main()) share: its typed entry point, what it
 * hands to onReady, and running a printed simulate command until the workflow's runs have ended.
 * Used by test/e2e/start.test.ts (one n8n on SQLite) and test/queue/start-queue.spec.ts (--queue).
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import type { QueueCluster } from '../../scripts/n8n/queue';
import type { Sandbox } from '../harness/sandbox';
import { runtime } from './n8n-harness';

export interface TriggerExample {
	workflowId: string;
	active: boolean;
	webhookUrl: string;
	simulateArgs: string[];
	simulateCommand: string;
	messagesUrl: string;
	problem?: string;
}

export interface StartInfo {
	url: string;
	owner: { email: string; password: string };
	workflowId: string;
	credential: { id: string; name: string };
	workflowIds: string[];
	api: { kind: string; baseUrl: string; sandbox?: Sandbox };
	home: string;
	autoReply?: TriggerExample;
	assistant?: TriggerExample;
	mcp: { workflowId: string; active: boolean; url: string; token: string; problem?: string };
	/** The one-time code example: its form's URL and, on the sandbox, where the sent code shows. */
	otp?: { workflowId: string; active: boolean; formUrl: string; messagesUrl?: string; problem?: string };
	/** With --queue: the cluster (processes, executions from PostgreSQL, what the logs say of each). */
	queue?: QueueCluster;
	stop(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const start = require('../../scripts/start') as {
	ASSISTANT_INSTANCE: string;
	main(options: { packageTgz?: string; args?: string[]; home?: string; onReady?: (info: StartInfo) => Promise<void> }): Promise<void>;
};

export type Session = Awaited<ReturnType<typeof runtime.login>>;

const SANDBOX_CLI = path.join(__dirname, '..', '..', 'sandbox', 'cli.js');

/** Runs a printed simulate command and waits until the workflow's runs ended and `replied()` holds. */
export async function simulateAndWait(info: StartInfo, session: Session, example: TriggerExample, replied: () => boolean) {
	const sandbox = info.api.sandbox!;
	await sandbox.webhooksIdle();
	const simulated = await promisify(execFile)(process.execPath, [SANDBOX_CLI, ...example.simulateArgs], { timeout: 30000 });
	const deadline = Date.now() + 60000;
	let runs = await runtime.listExecutions(info.url, session, example.workflowId);
	while (Date.now() < deadline) {
		runs = await runtime.listExecutions(info.url, session, example.workflowId);
		if (replied() && runs.length > 0 && runs.every((execution) => !['new', 'running'].includes(execution.status))) break;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	// The reply's own message.any and message.ack reach the trigger too, and start nothing.
	await sandbox.webhooksIdle();
	runs = await runtime.listExecutions(info.url, session, example.workflowId);
	const run = runs[0] && (await runtime.getExecution(info.url, session, runs[0].id));
	return { simulated, runs, run };
}
