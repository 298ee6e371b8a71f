/**
 * examples/whatsapp-assistant.json with a voice note, in a real n8n: the trigger downloads the
 * voice note (Download Media, audio only), n8n's own OpenAI node transcribes it through the
 * sandbox's OpenAI-compatible transcription endpoint, and the agent answers what was said, once,
 * in the customer's chat. The text path of the same example is tested in ai-tools.test.ts.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Editor } from '../../scripts/n8n/runtime';
import type { Workflow, WorkflowNode } from './n8n-harness';
import { CREDENTIAL_TYPE, DEFAULT_INSTANCE, N8nHarness, PACKAGE_NAME, runtime } from './n8n-harness';

const ASSISTANT = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'whatsapp-assistant.json'), 'utf8')) as Workflow;
const TRIGGER = ASSISTANT.nodes.find((node) => node.type === `${PACKAGE_NAME}.hypersenderTrigger`) as WorkflowNode & { webhookId: string };
const API_TOKEN = `hs-${randomBytes(16).toString('hex')}`;
const WEBHOOK_SECRET = `whsec-${randomBytes(16).toString('hex')}`;
const SAID = 'Hello, I would like to know when my order arrives.';

let harness: N8nHarness;
let editor: Editor;

beforeAll(async () => {
	harness = await N8nHarness.start({
		name: 'e2e-voice-assistant',
		instances: { [DEFAULT_INSTANCE]: { size: 20, seed: 42 } },
		sandboxOptions: { token: API_TOKEN },
	});
	await runtime.importCredentials(harness.home, [
		{
			...harness.credentials.sandbox,
			type: CREDENTIAL_TYPE,
			data: { apiToken: API_TOKEN, instanceId: DEFAULT_INSTANCE, baseUrl: harness.sandbox.baseUrl, webhookSecret: WEBHOOK_SECRET },
		},
		{ id: 'hsSandboxChatModel', name: 'Sandbox chat model (OpenAI-compatible)', type: 'openAiApi', data: { apiKey: 'sandbox', url: `${harness.sandbox.url}/openai/v1` } },
	]);
	await runtime.importWorkflow(harness.home, [ASSISTANT]);
	editor = await runtime.startEditor(harness.home, { port: await runtime.freePort() });
	const session = await runtime.setupOwner(editor.url, { email: 'voice@example.com', password: 'Voice-Test-1234' });
	await runtime.activateWorkflow(editor.url, session, ASSISTANT.id!);
	harness.sandbox.setWebhook(DEFAULT_INSTANCE, { url: `${editor.url}/webhook/${TRIGGER.webhookId}/webhook`, secret: WEBHOOK_SECRET });
}, 5 * 60 * 1000);

afterAll(async () => {
	await editor?.stop();
	await harness?.close();
});

test('a voice note → downloaded → transcribed by n8n\'s OpenAI node → the agent answers what was said, once', async () => {
	const customer = harness.expected(DEFAULT_INSTANCE, 'id', 'asc').find((contact) => contact.id.endsWith('@c.us'))!;
	harness.sandbox.clearMessages(DEFAULT_INSTANCE);
	harness.sandbox.llmRequests.length = 0;
	const before = harness.lastExecutionId();
	const result = await harness.sandbox.simulate(DEFAULT_INSTANCE, 'media', { kind: 'voice', from: `+${customer.id.split('@')[0]}`, origin: 'api' });
	expect(result.events.map((event) => [event.event, event.status])).toEqual([['message.any', 200]]);
	const [execution] = await harness.executionsAfter(ASSISTANT.id!, before, 1, 120_000);
	expect(execution.status).toBe('success');

	const [transcribed] = runtime.savedItems(execution, 'Transcribe voice note')!;
	expect(transcribed.json.text).toBe(SAID);
	expect(harness.sandbox.llmRequests.map((request) => (request.decision.type === 'tool_call' ? request.decision.tool : 'answer'))).toEqual([
		'look_up_contact',
		'send_reply',
		'answer',
	]);
	await harness.sandbox.webhooksIdle();
	await sleep(500);
	const messages = harness.sandbox.messages(DEFAULT_INSTANCE);
	expect(messages).toHaveLength(1);
	expect(messages[0]).toEqual(expect.objectContaining({ endpoint: 'send-text-safe', chatId: customer.id, response_status: 201 }));
	expect(String(messages[0].body.text)).toContain(SAID);
	// The voice note came from the API's origin: the token went there, and nowhere else.
	expect(harness.sandbox.mediaRequests().map((request) => [request.origin, request.tokenSent])).toEqual([['api', true]]);
	expect(runtime.savedExecutions(harness.home, { afterId: before }).map((each) => each.id)).toEqual([execution.id]);
}, 3 * 60 * 1000);
