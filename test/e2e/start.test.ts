/**
 * `npm start` (scripts/start.js main()) end to end, in its own home under .n8n-runtime/homes/: n8n comes up
 * with the package, the "Hypersender (sandbox)" credential, the example workflows and an owner
 * account; each example runs from the editor's REST API like the "Execute workflow" button;
 * stopping leaves no n8n process and no sandbox behind.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { SandboxMessageRecord } from '../harness/sandbox';
import { DEFAULT_INSTANCE, resolvePackageTgz, runtime, SANDBOX_CREDENTIAL } from './n8n-harness';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../../scripts/start') as {
	main(options: {
		packageTgz?: string;
		args?: string[];
		home?: string;
		onReady?: (info: StartInfo) => Promise<void>;
	}): Promise<void>;
};

interface StartInfo {
	url: string;
	owner: { email: string; password: string };
	workflowId: string;
	credential: { id: string; name: string };
	workflowIds: string[];
	api: {
		kind: string;
		baseUrl: string;
		sandbox?: {
			requests: Array<{ status: number }>;
			resetRequests(): void;
			expected(instanceId: string, sortBy?: string, sortOrder?: string): Array<{ id: string }>;
			messages(instanceId: string): SandboxMessageRecord[];
		};
	};
	home: string;
	stop(): Promise<void>;
}

const SIZE = 2345;

test('npm start serves the editor with the node, the credential and runnable example workflows', async () => {
	const home = path.join(runtime.HOMES_DIR, `start-${process.pid}`);
	const port = await runtime.freePort();
	let seen: StartInfo | undefined;
	let run: Awaited<ReturnType<typeof runtime.runInEditor>> | undefined;
	let enrich: Awaited<ReturnType<typeof runtime.runInEditor>> | undefined;
	let exportStatuses: number[] = [];
	let send: Awaited<ReturnType<typeof runtime.runInEditor>> | undefined;
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
				} finally {
					await info.stop();
				}
			},
		});
		expect(seen).toBeDefined();
		expect(seen!.url).toBe(`http://127.0.0.1:${port}`);
		expect(seen!.credential).toEqual(SANDBOX_CREDENTIAL);
		expect(seen!.workflowId).toBe('hsEnrichContacts');
		expect(seen!.workflowIds).toEqual(['hsEnrichContacts', 'hsExportContacts', 'hsSendTextToContacts']);
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
		expect(messages.map((message) => [message.endpoint, message.chatId, message.response_status])).toEqual(
			firstPhones.map((id) => ['send-text-safe', id, 201]),
		);
		expect(sent.map((message) => message.queuedRequestId)).toEqual(messages.map((message) => message.uuid));
		// Everything is stopped: the editor's port is free again.
		expect(await runtime.freePort(port)).toBe(port);
	} finally {
		if (process.env.HYPERSENDER_E2E_KEEP !== '1') fs.rmSync(home, { recursive: true, force: true });
	}
});
