/**
 * Send Text to many sandbox chats while the sandbox injects faults: the never-twice suites' one
 * way to run the node (n8n-core, continue-on-fail, one text per input item's `to`).
 */
import { runHypersenderNode } from './n8n-core';
import type { RunNodeOptions } from './n8n-core';
import type { Sandbox, SandboxFaults } from './sandbox';
import { credentialsFor, DEFAULT_INSTANCE } from './sandbox';

export async function sendTextsUnderFaults(
	sandbox: Sandbox,
	run: {
		faults: Partial<SandboxFaults>;
		inputItems: Array<{ to: string }>;
		options?: Record<string, unknown>;
		retryOnFail?: RunNodeOptions['retryOnFail'];
	},
) {
	sandbox.clearMessages(DEFAULT_INSTANCE);
	sandbox.resetRequests();
	sandbox.configure({ faults: { rate: 0.25, retryAfter: 0, ...run.faults } });
	try {
		return await runHypersenderNode({
			parameters: {
				resource: 'message',
				operation: 'sendText',
				chatId: '={{ $json.to }}',
				text: '=Order update for {{ $json.to }}',
				options: { safeMode: false, timeout: 300, ...run.options },
			},
			credentials: credentialsFor(sandbox),
			inputItems: run.inputItems,
			continueOnFail: true,
			retryOnFail: run.retryOnFail,
		});
	} finally {
		sandbox.configure({ faults: { rate: 0 } });
	}
}
