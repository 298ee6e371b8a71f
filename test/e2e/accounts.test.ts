/**
 * In a real n8n, from the packed package against the sandbox: Instance (health, create with its QR
 * code as an n8n file, Require Connected Instance stopping a send), One-Time Code (request, then
 * validate the code that was sent, then validate it again: used), SMS (three sends, each recorded
 * once, then the list and the threads), Send Link Preview with Wait for Result, and the instance
 * watchdog example (an SMS alert when WhatsApp is not connected; run by hand, not by its schedule). One n8n home, every
 * workflow imported in one n8n process, each case one `n8n execute`.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

import type { CaseResult, RunItem, Workflow, WorkflowNode } from './n8n-harness';
import { DEFAULT_INSTANCE, hypersenderNode, N8nHarness, runtime } from './n8n-harness';
import { manualTriggerNode } from '../../scripts/fixtures';

const WATCHDOG = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'instance-watchdog.json'), 'utf8')) as Workflow;
const CHAT = '+49 151 2345 6789';
const ON_CALL = '+15550100200';

let harness: N8nHarness;
const ids = new Map<string, string>();

const hypersender = (name: string, parameters: Record<string, unknown>, settings: Record<string, unknown> = {}) =>
	hypersenderNode(name, parameters, harness.credentials.sandbox, settings);

function codeNode(name: string, items: Array<Record<string, unknown>>): WorkflowNode {
	return { name, type: 'n8n-nodes-base.code', typeVersion: 2, position: [0, 0], parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` } };
}

function chain(name: string, nodes: WorkflowNode[]): Workflow {
	const all = [manualTriggerNode(), ...nodes].map((node, index) => ({
		...node,
		id: `ac0c0000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
		position: [index * 220, 0] as [number, number],
	}));
	const connections: Record<string, unknown> = {};
	for (let index = 1; index < all.length; index++) connections[all[index - 1].name] = { main: [[{ node: all[index].name, type: 'main', index: 0 }]] };
	return { name, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

/**
 * The watchdog example with its Schedule Trigger swapped for a Manual Trigger of the same name
 * (`n8n execute` starts only from a manual trigger); every other node as the file has it.
 */
function watchdogNow(): Workflow {
	const nodes = WATCHDOG.nodes.map((node) =>
		node.type === 'n8n-nodes-base.scheduleTrigger' ? { ...manualTriggerNode(), id: node.id, name: node.name, position: node.position } : node,
	);
	return { ...WATCHDOG, nodes };
}

const workflows = (): Record<string, Workflow> => ({
	watchdog: watchdogNow(),
	health: chain('health', [hypersender('Health', { resource: 'instance', operation: 'getHealth' })]),
	create: chain('create', [hypersender('Create', { resource: 'instance', operation: 'create', phone: '+49 151 7000 0042', name: 'Client Acme (EU)' })]),
	'require connected': chain('require connected', [
		codeNode('Recipients', [{ chat: CHAT }, { chat: '+49 151 9876 5432' }]),
		hypersender('Send text', { resource: 'message', operation: 'sendText', chatId: '={{ $json.chat }}', text: 'Campaign', options: { requireConnected: true } }, { onError: 'continueRegularOutput' }),
	]),
	otp: chain('otp', [
		hypersender('Request code', { resource: 'otp', operation: 'requestCode', chatId: CHAT, options: { name: 'Acme', expires: 600 } }),
		hypersender('Validate', { resource: 'otp', operation: 'validateCode', chatId: CHAT, code: '={{ $json.code }}' }),
		hypersender('Validate again', { resource: 'otp', operation: 'validateCode', chatId: CHAT, code: "={{ $('Request code').item.json.code }}" }),
	]),
	sms: chain('sms', [
		codeNode('Customers', [{ to: '+49 151 1111 0001' }, { to: '0049 151 1111 0002' }, { to: '4915111110003@c.us' }]),
		hypersender('Send SMS', { resource: 'sms', operation: 'send', to: '={{ $json.to }}', content: 'Your parcel is on its way' }),
		hypersender('Threads', { resource: 'smsThread', operation: 'getAll', returnAll: true }, { executeOnce: true }),
	]),
	'link preview': chain('link preview', [
		hypersender('Preview', {
			resource: 'message',
			operation: 'sendLinkPreview',
			chatId: CHAT,
			text: 'Our offer: https://example.com/offer',
			previewUrl: 'https://example.com/offer',
			previewTitle: 'Summer offer',
			options: { previewDescription: 'Two for one', waitForResult: true },
		}),
	]),
});

beforeAll(async () => {
	harness = await N8nHarness.start({ name: 'e2e-accounts', instances: { [DEFAULT_INSTANCE]: { size: 50, seed: 3 } }, sandboxOptions: { rateLimits: false } });
	const named = Object.entries(workflows());
	const imported = await runtime.importWorkflow(harness.home, named.map(([, workflow]) => ({ ...workflow, id: workflow.id ?? runtime.newId() })));
	named.forEach(([name], index) => ids.set(name, imported[index]));
}, 15 * 60 * 1000);

afterAll(async () => await harness?.close());

beforeEach(() => {
	harness.sandbox.configure({ processingDelayMs: 200, safeDelayMs: 0 });
	harness.sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'WORKING');
	harness.sandbox.clearMessages(DEFAULT_INSTANCE);
	harness.sandbox.clearSms(DEFAULT_INSTANCE);
});

function itemsOf(result: CaseResult, nodeName: string): RunItem[] {
	if (!result.ok) throw new Error(`the workflow failed: ${result.error}`);
	const items = runtime.runItems(result.run, nodeName);
	if (!items) throw new Error(`the node "${nodeName}" did not run`);
	return items;
}

const execute = async (name: string, nodeName: string) => await harness.execute(ids.get(name)!, { nodeName });

test('Instance › Get Health: connected only when WORKING', async () => {
	const working = itemsOf(await execute('health', 'Health'), 'Health');
	expect(working.map((item) => item.json)).toEqual([{ instanceId: DEFAULT_INSTANCE, status: 'WORKING', connectedAt: expect.any(String), connected: true }]);
	harness.sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'SCAN_QR_CODE');
	const scan = itemsOf(await execute('health', 'Health'), 'Health');
	expect(scan[0].json).toEqual({ instanceId: DEFAULT_INSTANCE, status: 'SCAN_QR_CODE', connectedAt: null, connected: false });
});

test('Instance › Create: the instance, and its QR code as a PNG file named after it', async () => {
	const result = await execute('create', 'Create');
	const [item] = itemsOf(result, 'Create');
	expect(item.json).toEqual(expect.objectContaining({ name: 'Client Acme (EU)', phone: '+4915170000042', status: 'SCAN_QR_CODE', accessToken: expect.any(String) }));
	const qr = (item.binary as Record<string, { mimeType: string; fileName: string; fileSize?: string }>).qrCode;
	expect(qr).toEqual(expect.objectContaining({ mimeType: 'image/png', fileName: 'Client_Acme_EU.png' }));
	const created = harness.sandbox.createdInstances();
	expect(created.map((instance) => instance.name)).toContain('Client Acme (EU)');
	expect(result.output).not.toContain(harness.sandbox.token);
});

test('Require Connected Instance: an instance waiting for its QR code sends nothing; each item says why', async () => {
	harness.sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'SCAN_QR_CODE');
	const result = await execute('require connected', 'Send text');
	const items = itemsOf(result, 'Send text');
	expect(items).toHaveLength(2);
	for (const item of items) expect(String((item.json.error as string | undefined) ?? '')).toMatch(/not connected \(status SCAN_QR_CODE\), so nothing was sent: scan the QR code/);
	expect(result.requests.filter((request) => request.path.endsWith('/send-text') || request.path.endsWith('/send-text-safe'))).toEqual([]);
	expect(result.requests.filter((request) => request.path.endsWith('/health'))).toHaveLength(1);
	expect(harness.sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
});

test('One-Time Code: the code sent by WhatsApp validates once; a second check says it was used', async () => {
	const result = await execute('otp', 'Validate again');
	const [requested] = itemsOf(result, 'Request code');
	expect(requested.json).toEqual(expect.objectContaining({ code: expect.stringMatching(/^\d{6}$/), status: 'pending', chatId: '4915123456789@c.us' }));
	expect(itemsOf(result, 'Validate')[0].json).toEqual(expect.objectContaining({ valid: true, status: 'validated' }));
	expect(itemsOf(result, 'Validate again')[0].json).toEqual(expect.objectContaining({ valid: false, status: 'used', reason: 'OTP code has already been used.' }));
	const sent = harness.sandbox.lastOtpCode(DEFAULT_INSTANCE, '4915123456789@c.us');
	expect(sent?.code).toBe(requested.json.code);
});

test('SMS › Send from three written forms: each recorded once, with its request ID; the threads list them', async () => {
	const result = await execute('sms', 'Threads');
	const sent = itemsOf(result, 'Send SMS').map((item) => item.json);
	expect(sent.map((json) => json.to_phone_number)).toEqual(['+4915111110001', '+4915111110002', '+4915111110003']);
	const counts = harness.sandbox.smsRequestIdCounts(DEFAULT_INSTANCE);
	for (const json of sent) expect(counts[String(json.requestId)]).toBe(1);
	const threads = itemsOf(result, 'Threads').map((item) => item.json);
	expect(threads.map((json) => json.to_phone_number).sort()).toEqual(['+4915111110001', '+4915111110002', '+4915111110003']);
});

test('Message › Send Link Preview with Wait for Result: the sent card', async () => {
	const [item] = itemsOf(await execute('link preview', 'Preview'), 'Preview');
	expect(item.json).toEqual(expect.objectContaining({ responseStatus: 201, messageId: expect.any(String) }));
	expect(JSON.stringify(item.json.message)).toContain('Summer offer');
});

test('examples/instance-watchdog.json (run now instead of every 10 minutes): an SMS to the on-call number when the instance is stopped, none when it works', async () => {
	const quiet = await execute('watchdog', 'Alert by SMS');
	expect(quiet.error).toBeUndefined();
	expect(harness.sandbox.smsMessages(DEFAULT_INSTANCE)).toEqual([]);
	harness.sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'STOPPED');
	const alert = await execute('watchdog', 'Alert by SMS');
	const [item] = itemsOf(alert, 'Alert by SMS');
	expect(item.json.to_phone_number).toBe(ON_CALL);
	expect(String(item.json.content)).toContain(`WhatsApp instance ${DEFAULT_INSTANCE} is STOPPED`);
	expect(harness.sandbox.smsMessages(DEFAULT_INSTANCE).map((message) => message.to_phone_number)).toEqual([ON_CALL]);
});
