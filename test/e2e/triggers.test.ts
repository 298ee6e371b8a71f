/**
 * Hypersender Trigger in a real n8n, the way it runs in production: the packed package, `n8n start`
 * as a server, the workflows activated (published), every call sent to the trigger's production URL
 * (`/webhook/<webhookId>/webhook`, not the test URL). Events come from the sandbox (its simulated
 * customers and the API's own sends, delivered with the documented envelope, headers and secret) or
 * are POSTed here with the same envelope. Executions are counted in n8n's own database.
 *
 *   - each of the eight event types starts exactly one execution, whose one item is that event;
 *   - with a Webhook Secret, calls without it (401), for another instance (403), malformed, not an object,
 *     deeper than 32 levels or over 1 MB start none; the secret is accepted raw or as `Bearer <secret>`,
 *     also when stored with spaces around it; payload fields named like the item's own do not replace them;
 *   - the workflow's own messages start nothing (Ignore Own Messages is on by default); acks do;
 *   - 1,000 webhooks, 20 at a time: 1,000 executions, each event once (the rate is printed);
 *   - examples/auto-reply.json: one customer message, one run, one reply in the customer's chat.
 *
 * n8n's expression engine is its default (`vm`); HYPERSENDER_E2E_EXPRESSION_ENGINE=legacy runs
 * n8n with the legacy one instead, to compare the rate.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Editor, SavedExecution, Session } from '../../scripts/n8n/runtime';
import type { SandboxContact, SimulationKind, WebhookDelivery } from '../harness/sandbox';
import type { Workflow, WorkflowNode } from './n8n-harness';
import {
	CREDENTIAL_TYPE,
	customerMessage as customerMessageFrom,
	DEFAULT_INSTANCE,
	N8nHarness,
	PACKAGE_NAME,
	postJson,
	runtime,
	WEBHOOK_USER_ID,
	webhookEnvelope,
} from './n8n-harness';

const TRIGGER_TYPE = `${PACKAGE_NAME}.hypersenderTrigger`;
const TRIGGER_NAME = 'Hypersender Trigger';
/** The instance the all-events workflow listens to; the auto-reply example has DEFAULT_INSTANCE. */
const INSTANCE = '2b7e151a-28ae-4d2a-9f1c-3c4d5e6f7a8b';
const SECRET = `whsec-${randomBytes(16).toString('hex')}`;
const EXAMPLE_SECRET = `whsec-${randomBytes(16).toString('hex')}`;
const CREDENTIAL = { id: 'hsTriggerCredential', name: 'Hypersender (trigger e2e)' };
/** A credential whose secret was stored with spaces around it, as pasted; its workflow adds the derived fields. */
const SPACED_SECRET = `whsec-${randomBytes(16).toString('hex')}`;
const SPACED_CREDENTIAL = { id: 'hsTriggerSpacedCred', name: 'Hypersender (secret with spaces)' };
const SPACED = { id: 'hsTriggerSpaced', webhookId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e' };
const ALL_EVENTS = [
	'message.any',
	'message.ack',
	'message.reaction',
	'message.revoked',
	'message.waiting',
	'poll.vote',
	'poll.vote.failed',
	'presence.update',
];
const ALL = { id: 'hsTriggerAllEvents', webhookId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d' };
const EXAMPLE_FILE = path.join(__dirname, '..', '..', 'examples', 'auto-reply.json');
const EXAMPLE = JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8')) as Workflow;
const EXAMPLE_TRIGGER = EXAMPLE.nodes.find((node) => node.type === TRIGGER_TYPE) as WorkflowNode & { webhookId: string };
const LOAD = { webhooks: 1000, concurrency: 20 };
const ENGINE = process.env.HYPERSENDER_E2E_EXPRESSION_ENGINE;

let harness: N8nHarness;
let editor: Editor;
let session: Session;
/** This instance's phone contacts (…@c.us). */
let customers: SandboxContact[];

const productionUrl = (webhookId: string) => `${editor.url}/webhook/${webhookId}/webhook`;

/** A workflow of one trigger for every event; ALL's options are left at their defaults (Ignore Own Messages on, every chat type). */
function allEventsWorkflow(workflow = ALL, credential = CREDENTIAL, options: Record<string, unknown> = {}): Workflow {
	return {
		id: workflow.id,
		name: `Every Hypersender event (${workflow.id})`,
		nodes: [
			{
				id: `${workflow.webhookId.slice(0, 8)}-0000-4000-8000-000000000001`,
				name: TRIGGER_NAME,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: workflow.webhookId,
				parameters: { events: ALL_EVENTS, options },
				credentials: { [CREDENTIAL_TYPE]: credential },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

/** The one item the trigger output in an execution. */
function triggerItem(execution: SavedExecution, nodeName = TRIGGER_NAME): Record<string, unknown> {
	const items = runtime.savedItems(execution, nodeName);
	expect(items).toHaveLength(1);
	return items![0].json;
}

/** A webhook call as Hypersender makes it for INSTANCE: the documented envelope. */
const envelope = (event: string, payload: Record<string, unknown>, eventId?: string) => webhookEnvelope(INSTANCE, event, payload, eventId);

/** Customer `index`'s message.any payload, from a phone number of its own. */
const customerMessage = (index: number) => customerMessageFrom(`49151${String(index).padStart(8, '0')}@c.us`, index);

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: LOAD.concurrency });

/** One POST to a webhook URL with Hypersender's headers; the body is sent as given when it is a string. */
const post = (url: string, body: unknown, headers: Record<string, string | undefined> = {}) =>
	postJson(url, body, { 'x-instanceId': INSTANCE, 'x-userId': WEBHOOK_USER_ID, ...headers }, keepAlive);

/** A send of the API itself (what a workflow's Send node does), straight to the sandbox. */
async function apiSend(instance: string, route: string, body: Record<string, unknown>) {
	const res = await runtime.request(`${harness.sandbox.baseUrl}/${instance}/${route}`, {
		method: 'POST',
		body,
		headers: { authorization: `Bearer ${harness.sandbox.token}` },
	});
	expect({ route, status: res.status, queued: res.status >= 200 && res.status < 300 }).toEqual({ route, status: res.status, queued: true });
}

beforeAll(async () => {
	harness = await N8nHarness.start({
		name: 'e2e-triggers',
		instances: { [DEFAULT_INSTANCE]: { size: 50, seed: 42 }, [INSTANCE]: { size: 40, seed: 7 } },
	});
	customers = harness.expected(INSTANCE, 'id', 'asc').filter((contact) => contact.id.endsWith('@c.us'));
	const data = { apiToken: harness.sandbox.token, baseUrl: harness.sandbox.baseUrl };
	await runtime.importCredentials(harness.home, [
		{ ...CREDENTIAL, type: CREDENTIAL_TYPE, data: { ...data, instanceId: INSTANCE, webhookSecret: SECRET } },
		{ ...SPACED_CREDENTIAL, type: CREDENTIAL_TYPE, data: { ...data, instanceId: INSTANCE, webhookSecret: ` \t${SPACED_SECRET}  ` } },
		// The example's own credential, with a secret of its own.
		{ ...harness.credentials.sandbox, type: CREDENTIAL_TYPE, data: { ...data, instanceId: DEFAULT_INSTANCE, webhookSecret: EXAMPLE_SECRET } },
	]);
	await runtime.importWorkflow(harness.home, [allEventsWorkflow(), allEventsWorkflow(SPACED, SPACED_CREDENTIAL, { addDerivedFields: true }), EXAMPLE]);
	editor = await runtime.startEditor(harness.home, { port: await runtime.freePort(), extraEnv: ENGINE ? { N8N_EXPRESSION_ENGINE: ENGINE } : {} });
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up password for the owner of the test's own throwaway n8n home
	session = await runtime.setupOwner(editor.url, { email: 'triggers@example.com', password: 'Triggers-Test-1234' });
	for (const id of [ALL.id, SPACED.id, EXAMPLE.id!]) await runtime.activateWorkflow(editor.url, session, id);
	harness.sandbox.setWebhook(INSTANCE, { url: productionUrl(ALL.webhookId), secret: SECRET });
	harness.sandbox.setWebhook(DEFAULT_INSTANCE, { url: productionUrl(EXAMPLE_TRIGGER.webhookId), secret: EXAMPLE_SECRET });
}, 5 * 60 * 1000);

afterAll(async () => {
	keepAlive.destroy();
	await editor?.stop();
	if (editor && process.env.HYPERSENDER_E2E_KEEP === '1') fs.writeFileSync(path.join(harness.home, 'n8n.log'), editor.output());
	await harness?.close();
});

test('n8n registers each trigger\'s production webhook as <webhookId>/webhook (POST)', async () => {
	const { DatabaseSync } = await import('node:sqlite');
	const db = new DatabaseSync(path.join(harness.home, '.n8n', 'database.sqlite'), { readOnly: true });
	try {
		const rows = db.prepare('SELECT workflowId, webhookPath, method, node FROM webhook_entity ORDER BY workflowId').all();
		expect(rows.map((row) => ({ ...row }))).toEqual([
			{ workflowId: EXAMPLE.id, webhookPath: `${EXAMPLE_TRIGGER.webhookId}/webhook`, method: 'POST', node: EXAMPLE_TRIGGER.name },
			{ workflowId: ALL.id, webhookPath: `${ALL.webhookId}/webhook`, method: 'POST', node: TRIGGER_NAME },
			{ workflowId: SPACED.id, webhookPath: `${SPACED.webhookId}/webhook`, method: 'POST', node: TRIGGER_NAME },
		]);
	} finally {
		db.close();
	}
});

test('the workflow\'s own messages start nothing (Ignore Own Messages, on by default); their acks do', async () => {
	const before = harness.lastExecutionId();
	harness.sandbox.clearWebhookDeliveries();
	// Two sends of the API (a text and a poll, used by the next test): each is reported back as
	// message.any (fromMe) and then message.ack once Hypersender has sent it.
	await apiSend(INSTANCE, 'send-text', { chatId: customers[0].id, text: 'Your order has shipped' });
	await apiSend(INSTANCE, 'send-poll', { chatId: customers[0].id, poll: { name: 'Was the delivery on time?', options: ['Yes', 'No'], multipleAnswers: false } });
	await harness.sandbox.webhooksIdle();
	const deliveries = harness.sandbox.webhookDeliveries();
	expect(deliveries.map((delivery) => [delivery.event, delivery.body.data.payload.fromMe, delivery.status])).toEqual([
		['message.any', true, 200],
		['message.ack', true, 200],
		['message.any', true, 200],
		['message.ack', true, 200],
	]);
	// The same straight to the URL: answered 200, saying why it started nothing.
	const own = envelope('message.any', { ...customerMessage(4), fromMe: true, from: '15550001111@c.us', to: customers[0].id });
	const answer = await post(productionUrl(ALL.webhookId), own, { authorization: `Bearer ${SECRET}` });
	expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { received: true, ignored: 'it is your own' }]);
	const executions = await harness.executionsAfter(ALL.id, before, 2);
	await sleep(500);
	expect(runtime.savedExecutions(harness.home, { afterId: before })).toHaveLength(2);
	expect(executions).toHaveLength(2);
	const items = executions.map((execution) => triggerItem(execution));
	expect(items.map((item) => [item.event, item.eventId, item.fromMe])).toEqual(
		deliveries.filter((delivery) => delivery.event === 'message.ack').map((delivery) => ['message.ack', delivery.eventId, true]),
	);
});

test('each of the eight event types starts exactly one execution, whose one item is the event', async () => {
	const before = harness.lastExecutionId();
	harness.sandbox.clearWebhookDeliveries();
	const customer = `+${customers[0].id.split('@')[0]}`;
	const steps: Array<[SimulationKind, Record<string, unknown>, string]> = [
		['message', { from: customer, text: 'Where is my parcel?' }, 'message.any'],
		['reaction', { from: customer, reaction: '🙏' }, 'message.reaction'],
		['poll-vote', { from: customer, options: ['Yes'] }, 'poll.vote'],
		['poll-vote-failed', { from: customer }, 'poll.vote.failed'],
		['waiting', { from: customer }, 'message.waiting'],
		['presence', { from: customer, presence: 'typing' }, 'presence.update'],
		['ack', { from: customer, ack: 'READ' }, 'message.ack'],
		['revoke', { from: customer }, 'message.revoked'],
	];
	for (const [kind, input, event] of steps) {
		const result = await harness.sandbox.simulate(INSTANCE, kind, input);
		expect({ kind, events: result.events.map((each) => [each.event, each.status]) }).toEqual({ kind, events: [[event, 200]] });
	}
	const deliveries = harness.sandbox.webhookDeliveries();
	expect(deliveries.map((delivery) => delivery.event).sort()).toEqual([...ALL_EVENTS].sort());
	expect(deliveries.every((delivery) => delivery.authorization === 'present')).toBe(true);

	const executions = await harness.executionsAfter(ALL.id, before, ALL_EVENTS.length);
	expect(executions).toHaveLength(ALL_EVENTS.length);
	expect(executions.every((execution) => execution.mode === 'webhook' && execution.status === 'success')).toBe(true);
	const byEventId = new Map(executions.map((execution) => [triggerItem(execution).eventId, triggerItem(execution)]));
	expect(byEventId.size).toBe(ALL_EVENTS.length);
	for (const delivery of deliveries) {
		const item = byEventId.get(delivery.eventId);
		const { payload } = delivery.body.data;
		expect({ event: delivery.event, item: item && { event: item.event, instanceId: item.instanceId, payload: item.payload } }).toEqual({
			event: delivery.event,
			item: { event: delivery.event, instanceId: INSTANCE, payload },
		});
		// The payload's own fields are flattened into the item (all but the engine's raw _data).
		for (const [name, value] of Object.entries(payload)) {
			if (['_data', 'fromMe', 'me', 'payload'].includes(name)) continue;
			expect({ event: delivery.event, [name]: item![name] }).toEqual({ event: delivery.event, [name]: value });
		}
		expect(item).not.toHaveProperty('_data');
		// Only the ack is about a message of the instance's own (the poll).
		expect({ event: delivery.event, fromMe: item!.fromMe }).toEqual({ event: delivery.event, fromMe: delivery.event === 'message.ack' });
	}
	const message = byEventId.get(deliveries.find((delivery) => delivery.event === 'message.any')!.eventId)!;
	expect(message).toEqual(
		expect.objectContaining({ chatId: customers[0].id, chatType: 'direct', body: 'Where is my parcel?', from: customers[0].id }),
	);
});

test('with a Webhook Secret: no or a wrong secret (401), another instance (403), malformed, non-object, too deep or oversized bodies start no execution', async () => {
	const url = productionUrl(ALL.webhookId);
	const good = envelope('message.any', customerMessage(1));
	const bearer = `Bearer ${SECRET}`;
	const before = harness.lastExecutionId();
	const answers: Record<string, number> = {};
	const texts: Record<string, string> = {};
	/** A good event as JSON text, whose payload nests `levels` objects more (the envelope and the payload are 3 levels already). */
	const nested = (levels: number, body = envelope('message.any', { ...customerMessage(5), extra: 0 })) =>
		({ id: body.data.id, text: JSON.stringify(body).replace('"extra":0', `"extra":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`) });
	const cases: Array<[string, unknown, Record<string, string | undefined>]> = [
		['no Authorization', good, { authorization: undefined }],
		['wrong secret (Bearer)', good, { authorization: `Bearer ${SECRET}x` }],
		['wrong secret (raw)', good, { authorization: SECRET.slice(0, -1) }],
		['Basic instead of the secret', good, { authorization: `Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}` }],
		['another instance (x-instanceId)', good, { authorization: bearer, 'x-instanceId': DEFAULT_INSTANCE }],
		['another instance (body)', { ...good, data: { ...good.data, instanceId: DEFAULT_INSTANCE } }, { authorization: bearer, 'x-instanceId': undefined }],
		['malformed JSON', '{"event": "message.any", "data": {', { authorization: bearer }],
		['a JSON array', '[{"event":"message.any"}]', { authorization: bearer }],
		['a JSON string', '"message.any"', { authorization: bearer }],
		['no event', { data: { payload: {} } }, { authorization: bearer }],
		['payload not an object', { event: 'message.any', data: { payload: 'hello' } }, { authorization: bearer }],
		['JSON sent as text/plain', good, { authorization: bearer, 'content-type': 'text/plain' }],
		['33 levels deep', nested(30).text, { authorization: bearer }],
		['100,000 levels deep', nested(100_000).text, { authorization: bearer }],
		['over 1 MB', envelope('message.any', { ...customerMessage(2), body: 'x'.repeat(1024 * 1024) }), { authorization: bearer }],
	];
	for (const [name, body, headers] of cases) ({ status: answers[name], text: texts[name] } = await post(url, body, headers));
	expect(answers).toEqual({
		'no Authorization': 401,
		'wrong secret (Bearer)': 401,
		'wrong secret (raw)': 401,
		'Basic instead of the secret': 401,
		'another instance (x-instanceId)': 403,
		'another instance (body)': 403,
		// n8n itself refuses a body it cannot parse, before the trigger runs.
		'malformed JSON': 422,
		'a JSON array': 400,
		'a JSON string': 400,
		'no event': 400,
		'payload not an object': 400,
		'JSON sent as text/plain': 400,
		'33 levels deep': 400,
		'100,000 levels deep': 400,
		'over 1 MB': 413,
	});
	const refusals = [texts['33 levels deep'], texts['JSON sent as text/plain']].map((text) => JSON.parse(text).message);
	expect(refusals).toEqual(['The body is nested deeper than 32 levels of objects and arrays.', 'Not a Hypersender webhook: the body is not a JSON object (it came as text/plain, not application/json).']);
	// Then one good call, 32 levels deep, with the secret as it is (no "Bearer"): the only execution since.
	const marker = nested(29);
	expect((await post(url, marker.text, { authorization: SECRET })).status).toBe(200);
	const executions = await harness.executionsAfter(ALL.id, before, 1);
	await sleep(500);
	expect(runtime.savedExecutions(harness.home, { afterId: before }).map((execution) => execution.id)).toEqual(executions.map((execution) => execution.id));
	expect(executions.map((execution) => triggerItem(execution).eventId)).toEqual([marker.id]);
});

/** A customer's message whose payload also has every field the item sets itself, with other values; the item it must make. */
function spoofedEvent(index: number) {
	const customer = customerMessage(index);
	const chat = String(customer.from);
	const spoofed = { event: 'message.revoked', instanceId: DEFAULT_INSTANCE, userId: 'spoofed', eventId: 'evt_spoofed', chatId: '1203630@g.us', chatType: 'group' };
	const payload = { ...customer, ...spoofed, fromMe: 'yes', me: 'spoofed', payload: 'spoofed', sender: '491@c.us', senderKind: 'lid', senderPhone: '+1', displayName: 'Spoofed', messageText: '' };
	const body = envelope('message.any', payload);
	const own = { event: 'message.any', instanceId: INSTANCE, userId: WEBHOOK_USER_ID, eventId: body.data.id, chatId: chat, chatType: 'direct', fromMe: false, me: body.data.me, payload };
	const phone = `+${chat.split('@')[0]}`;
	return { body, item: { ...payload, ...own }, derived: { sender: chat, senderKind: 'phone', senderPhone: phone, displayName: phone, messageText: customer.body } };
}

test('payload fields named like the item\'s own (event, instanceId, userId, eventId, chatId, chatType, fromMe, me, payload) do not replace them', async () => {
	const before = harness.lastExecutionId();
	const spoof = spoofedEvent(9);
	expect((await post(productionUrl(ALL.webhookId), spoof.body, { authorization: `Bearer ${SECRET}` })).status).toBe(200);
	const [execution] = await harness.executionsAfter(ALL.id, before, 1);
	expect(triggerItem(execution)).toEqual(spoof.item);
});

test('a secret stored with spaces around it matches, sent raw or after "Bearer" and spaces; derived fields win over the payload\'s too', async () => {
	const before = harness.lastExecutionId();
	const spoof = spoofedEvent(6);
	const plain = envelope('message.any', customerMessage(8));
	const calls = [[`${SPACED_SECRET}x`, envelope('message.any', customerMessage(7))], [SPACED_SECRET, spoof.body], [`Bearer \t  ${SPACED_SECRET}`, plain]] as const;
	const statuses: number[] = [];
	for (const [authorization, body] of calls) statuses.push((await post(productionUrl(SPACED.webhookId), body, { authorization })).status);
	expect(statuses).toEqual([401, 200, 200]);
	const executions = await harness.executionsAfter(SPACED.id, before, 2);
	await sleep(500);
	expect(runtime.savedExecutions(harness.home, { afterId: before })).toHaveLength(2);
	const items = new Map(executions.map((execution) => [triggerItem(execution).eventId, triggerItem(execution)]));
	expect([...items.keys()].sort()).toEqual([spoof.body.data.id, plain.data.id].sort());
	expect(items.get(spoof.body.data.id)).toEqual({ ...spoof.item, ...spoof.derived });
});

test(`${LOAD.webhooks.toLocaleString('en')} webhooks sent ${LOAD.concurrency} at a time start ${LOAD.webhooks.toLocaleString('en')} executions, each event once`, async () => {
	const url = productionUrl(ALL.webhookId);
	const before = harness.lastExecutionId();
	const calls = Array.from({ length: LOAD.webhooks }, (_, index) => envelope('message.any', customerMessage(1000 + index), `evt_load_${String(index).padStart(5, '0')}`));
	const statuses: number[] = [];
	let next = 0;
	const started = Date.now();
	await Promise.all(
		Array.from({ length: LOAD.concurrency }, async () => {
			while (next < calls.length) {
				const call = calls[next++];
				statuses.push((await post(url, call, { authorization: `Bearer ${SECRET}` })).status);
			}
		}),
	);
	const answeredMs = Date.now() - started;
	const executions = await harness.executionsAfter(ALL.id, before, LOAD.webhooks, 10 * 60 * 1000);
	const doneMs = Date.now() - started;
	expect(statuses.filter((status) => status === 200)).toHaveLength(LOAD.webhooks);
	expect(executions).toHaveLength(LOAD.webhooks);
	expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
	const eventIds = executions.map((execution) => String(triggerItem(execution).eventId)).sort();
	expect(eventIds).toEqual(calls.map((call) => call.data.id).sort());
	const rate = (LOAD.webhooks / answeredMs) * 1000;
	const executed = (LOAD.webhooks / doneMs) * 1000;
	process.stdout.write(
		`\n  Hypersender Trigger, ${LOAD.webhooks} webhooks ${LOAD.concurrency} at a time (n8n ${runtime.N8N_VERSION}, expression engine ${ENGINE ?? 'vm (default)'}): ` +
			`all answered 200 in ${(answeredMs / 1000).toFixed(1)} s = ${rate.toFixed(1)} webhooks/s; ` +
			`all ${LOAD.webhooks} executions saved after ${(doneMs / 1000).toFixed(1)} s = ${executed.toFixed(1)} executions/s\n\n`,
	);
}, 12 * 60 * 1000);

test('examples/auto-reply.json: a customer\'s message makes one run, which replies in the customer\'s chat', async () => {
	const before = harness.lastExecutionId();
	harness.sandbox.clearWebhookDeliveries();
	harness.sandbox.clearMessages(DEFAULT_INSTANCE);
	const result = await harness.sandbox.simulate(DEFAULT_INSTANCE, 'message', { from: '+49 151 23456789', text: 'Hi, is my order on its way?' });
	expect(result.events.map((event) => [event.event, event.status])).toEqual([['message.any', 200]]);
	const [execution] = await harness.executionsAfter(EXAMPLE.id!, before, 1);
	expect(execution.status).toBe('success');
	// The reply is sent; its own message.any and message.ack come back to the trigger and start nothing.
	await harness.sandbox.webhooksIdle();
	const deliveries: WebhookDelivery[] = harness.sandbox.webhookDeliveries();
	expect(deliveries.map((delivery) => [delivery.event, delivery.body.data.payload.fromMe, delivery.status])).toEqual([
		['message.any', false, 200],
		['message.any', true, 200],
		['message.ack', true, 200],
	]);
	await sleep(500);
	expect(runtime.savedExecutions(harness.home, { afterId: before }).map((each) => each.id)).toEqual([execution.id]);
	const messages = harness.sandbox.messages(DEFAULT_INSTANCE);
	expect(messages).toHaveLength(1);
	expect(messages[0]).toEqual(expect.objectContaining({ endpoint: 'send-text-safe', chatId: '4915123456789@c.us', response_status: 201 }));
	expect(messages[0].body).toEqual(
		expect.objectContaining({ reply_to: result.messageId, text: expect.stringContaining('You wrote: "Hi, is my order on its way?"') }),
	);
	expect(runtime.savedItems(execution, 'Reply')).toHaveLength(1);
});
