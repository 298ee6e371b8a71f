/**
 * The Hypersender Trigger's SMS events in a real n8n 2.41.1, activated, the sandbox's SMS gateway
 * posting its webhooks to the trigger's production URL with the credential's secret: an SMS the
 * phone receives, an SMS sent through the API (sent, then delivered) and a heartbeat each start
 * exactly one execution whose one item is the record flattened beside `event`; an event not
 * selected and a call without the secret start none.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Editor } from '../../scripts/n8n/runtime';
import type { Workflow } from './n8n-harness';
import { CREDENTIAL_TYPE, DEFAULT_INSTANCE, N8nHarness, PACKAGE_NAME, postJson, runtime, WEBHOOK_USER_ID } from './n8n-harness';

const SECRET = `whsec-${randomBytes(16).toString('hex')}`;
const CREDENTIAL = { id: 'hsSmsTriggerCred', name: 'Hypersender (SMS trigger e2e)' };
const EVENTS = ['message.phone.received', 'message.phone.sent', 'message.phone.delivered', 'phone.heartbeat.received'];
const WORKFLOW = { id: 'hsSmsTrigger', webhookId: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b' };
const CUSTOMER = '+4915199990001';

let harness: N8nHarness;
let editor: Editor;

function smsWorkflow(): Workflow {
	return {
		id: WORKFLOW.id,
		name: 'SMS events',
		nodes: [
			{
				id: 'e5f6a7b8-0000-4000-8000-000000000001',
				name: 'On SMS',
				type: `${PACKAGE_NAME}.hypersenderTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: WORKFLOW.webhookId,
				parameters: { events: EVENTS, options: {} },
				credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

const productionUrl = () => `${editor.url}/webhook/${WORKFLOW.webhookId}/webhook`;

beforeAll(async () => {
	harness = await N8nHarness.start({ name: 'e2e-trigger-sms', instances: { [DEFAULT_INSTANCE]: { size: 10, seed: 4 } }, sandboxOptions: { smsSendDelayMs: 100, smsDeliveryDelayMs: 100 } });
	await runtime.importCredentials(harness.home, [
		{ ...CREDENTIAL, type: CREDENTIAL_TYPE, data: { apiToken: harness.sandbox.token, baseUrl: harness.sandbox.baseUrl, instanceId: DEFAULT_INSTANCE, webhookSecret: SECRET } },
	]);
	await runtime.importWorkflow(harness.home, [smsWorkflow()]);
	editor = await runtime.startEditor(harness.home, { port: await runtime.freePort() });
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up password for the owner of the test's own throwaway n8n home
	const session = await runtime.setupOwner(editor.url, { email: 'sms@example.com', password: 'Sms-Trigger-Test-1234' });
	await runtime.activateWorkflow(editor.url, session, WORKFLOW.id);
	harness.sandbox.setWebhook(DEFAULT_INSTANCE, { url: productionUrl(), secret: SECRET });
}, 5 * 60 * 1000);

afterAll(async () => {
	await editor?.stop();
	await harness?.close();
});

/** The trigger's one item of each execution after `before`, once `count` have ended. */
async function itemsAfter(before: number, count: number): Promise<Array<Record<string, unknown>>> {
	const executions = await harness.executionsAfter(WORKFLOW.id, before, count);
	expect(executions).toHaveLength(count);
	return executions.map((execution) => {
		const items = runtime.savedItems(execution, 'On SMS');
		expect(items).toHaveLength(1);
		return items![0].json;
	});
}

test('an SMS the phone receives: one execution, the message flattened beside event', async () => {
	const before = harness.lastExecutionId();
	await harness.sandbox.receiveSms(DEFAULT_INSTANCE, { from: CUSTOMER, content: 'Is my parcel on its way?' });
	const [item] = await itemsAfter(before, 1);
	expect(item).toEqual(
		expect.objectContaining({ event: 'message.phone.received', instanceId: DEFAULT_INSTANCE, userId: expect.any(String), from_phone_number: CUSTOMER, content: 'Is my parcel on its way?' }),
	);
	expect(item).not.toHaveProperty('data');
});

test('an SMS sent through the API: sent, then delivered, one execution each with its request ID', async () => {
	const before = harness.lastExecutionId();
	const res = await runtime.request(`${harness.sandbox.url}/api/sms/v2/${DEFAULT_INSTANCE}/send-message`, {
		method: 'POST',
		body: { content: 'Your parcel is on its way', to: CUSTOMER, request_id: 'e2e-sms-1' },
		headers: { authorization: `Bearer ${harness.sandbox.token}` },
	});
	expect(res.status).toBe(200);
	const items = await itemsAfter(before, 2);
	expect(items.map((item) => [item.event, item.request_id, item.to_phone_number]).sort()).toEqual([
		['message.phone.delivered', 'e2e-sms-1', CUSTOMER],
		['message.phone.sent', 'e2e-sms-1', CUSTOMER],
	]);
});

test('a heartbeat: one execution with the battery level', async () => {
	const before = harness.lastExecutionId();
	await harness.sandbox.smsHeartbeat(DEFAULT_INSTANCE, { batteryLevel: 63, isCharging: true });
	const [item] = await itemsAfter(before, 1);
	expect(item).toEqual(expect.objectContaining({ event: 'phone.heartbeat.received', is_charging: true }));
	expect(String(item.battery_level)).toBe('63');
});

test('an event not selected, and a call without the secret, start nothing', async () => {
	const before = harness.lastExecutionId();
	const body = { event: 'phone.heartbeat.offline', data: { id: 'p-1', phone_number: '+4915100000001', is_online: false } };
	const headers = { 'x-instanceId': DEFAULT_INSTANCE, 'x-userId': WEBHOOK_USER_ID };
	expect((await postJson(productionUrl(), body, { ...headers, authorization: SECRET })).status).toBe(200);
	expect((await postJson(productionUrl(), { ...body, event: 'message.phone.received' }, headers)).status).toBe(401);
	await sleep(1500);
	expect(harness.lastExecutionId()).toBe(before);
});
