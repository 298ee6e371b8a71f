/**
 * The Hypersender Trigger's SMS events, through n8n's own interface: n8n-core's WebhookContext
 * over a real Workflow (node parameters with their defaults filled in as n8n does, the credential
 * from the credential store), the request and the response n8n hands the node. An execution
 * starts exactly when the node returns workflowData; a refused call is answered on the response.
 * The bodies have the shapes of the official SDK's fixtures (hypersender-laravel,
 * tests/fixtures/Sms/Webhook), with values of our own.
 */
import { WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { WEBHOOK_EVENTS } from '../../nodes/HypersenderTrigger/events';
import { HypersenderTrigger } from '../../nodes/HypersenderTrigger/HypersenderTrigger.node';
import { isSmsEvent, parseSmsEnvelope, SMS_EVENTS, smsInstanceOf } from '../../nodes/HypersenderTrigger/sms';
import { harnessAdditionalData } from '../harness/n8n-core';

const WHATSAPP_INSTANCE = '2b7e151a-28ae-4d2a-9f1c-3c4d5e6f7a8b';
const SMS_INSTANCE = '4b1d7c3e-8a2f-4e6b-9c0d-2f1e3a4b5c6d';
const USER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const SECRET = 'whsec-sms-unit';
const CREDENTIALS = { apiToken: 'token', instanceId: WHATSAPP_INSTANCE, smsInstanceId: SMS_INSTANCE, baseUrl: 'https://app.hypersender.com/api/whatsapp/v2', webhookSecret: SECRET };
const SMS_VALUES = SMS_EVENTS.map(({ value }) => value);

const PHONE = { id: 'c3a1e0f2-1111-4a4a-9b9b-000000000001', user_id: USER, phone_number: '+4915100000001', name: 'Shop phone', sim: 'SIM1', is_online: true, last_heartbeat_at: '2026-03-02 09:45:00', timezone: 'GMT+1' };
/** A message record (sent, delivered, received, failed, expired, scheduled). */
const MESSAGE = {
	id: 'a8f5f167-0000-4f00-8000-000000000001',
	request_id: 'order-1042',
	message_thread_id: 'a8f5f167-0000-4f00-8000-0000000000aa',
	phone_id: PHONE.id,
	from_phone_number: '+4915123456789',
	to_phone_number: '+4915100000001',
	content: 'Is my order ready?',
	send_duration: null,
	schedule_on_phone_at: null,
	sent_at: null,
	last_attempted_at: null,
	delivered_at: null,
	received_at: '2026-03-02 10:00:04',
	expired_at: null,
	schedule_send_at: null,
	failed_at: null,
	send_attempt_count: null,
	max_send_attempts: 10,
	failure_reason: null,
	message_expiration_seconds: 259200,
	timezone: 'GMT+1',
	sim: 'SIM1',
	status: 'received',
	type: 'received_from_mobile',
	created_at: '2026-03-02 10:00:05',
	updated_at: '2026-03-02 10:00:05',
};
const MISSED_CALL = { message_id: MESSAGE.id, from_phone_number: '+4915123456789', sim: 'SIM1', received_at: null, response_message_id: MESSAGE.id, created_at: '2026-03-02 10:01:00', updated_at: '2026-03-02 10:01:02' };
const HEARTBEAT = { id: 'd1e2f3a4-0000-4b00-8000-000000000009', phone_id: PHONE.id, battery_level: '63', is_charging: false, local_timestamp: '2026-03-02 10:15:00', app_version: 'v1.0.3', created_at: '2026-03-02 09:15:01', updated_at: '2026-03-02 09:15:01' };
const PHONE_RECORD = { ...PHONE, id: 'e5f6a7b8-0000-4c00-8000-000000000002', phone_id: PHONE.id, fcm_notifications_per_minute: 100, heartbeat_enabled_at: '2026-03-01 08:00:00', attributes: [] };

/** The record each SMS event carries, by the SDK's fixtures. */
function recordOf(event: string): IDataObject {
	if (event === 'message.call.missed') return MISSED_CALL;
	if (event === 'phone.heartbeat.received') return HEARTBEAT;
	if (event.startsWith('phone.heartbeat.')) return PHONE_RECORD;
	if (event === 'message.phone.received' || event === 'message.notification.scheduled') return { ...MESSAGE, phone: PHONE };
	return { ...MESSAGE, type: 'sent_to_mobile', status: event.split('.').pop() };
}

class TriggerNodeTypes implements INodeTypes {
	private readonly type = new HypersenderTrigger();

	getByName(): INodeType {
		return this.type;
	}

	getByNameAndVersion(): INodeType {
		return this.type;
	}

	getKnownTypes() {
		return {};
	}
}

interface Answer {
	status?: number;
	json?: unknown;
	ended: boolean;
}

interface Call {
	/** The node's parameters as saved; n8n fills in the defaults of those left out. */
	parameters?: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	headers?: Record<string, string>;
	body: unknown;
}

/** One webhook call, as n8n's webhook server makes it for an active workflow. */
async function deliver(call: Call): Promise<{ result: IWebhookResponseData; answer: Answer }> {
	const trigger = new HypersenderTrigger();
	const node: INode = {
		id: 'f1e2d3c4-0000-4000-8000-000000000001',
		name: 'Hypersender Trigger',
		type: 'n8n-nodes-hypersender.hypersenderTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
		parameters: call.parameters ?? {},
		credentials: { hypersenderApi: { id: '1', name: 'Hypersender (test)' } },
	};
	const workflow = new Workflow({ id: 'sms-trigger', nodes: [node], connections: {}, active: true, nodeTypes: new TriggerNodeTypes(), settings: { executionOrder: 'v1' } });
	const answer: Answer = { ended: false };
	const response = {
		status(code: number) {
			answer.status = code;
			return response;
		},
		json(body: unknown) {
			answer.json = body;
			answer.ended = true;
			return response;
		},
		end() {
			answer.ended = true;
			return response;
		},
	};
	const raw = Buffer.from(JSON.stringify(call.body));
	const headers = { 'content-type': 'application/json', 'content-length': String(raw.length), ...call.headers };
	const request = { method: 'POST', headers, body: call.body, rawBody: raw, params: {}, query: {} };
	const additionalData = {
		...harnessAdditionalData(call.credentials ?? CREDENTIALS, 'sms-trigger'),
		httpRequest: request as unknown as IWorkflowExecuteAdditionalData['httpRequest'],
		httpResponse: response as unknown as IWorkflowExecuteAdditionalData['httpResponse'],
	} as IWorkflowExecuteAdditionalData;
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'webhook',
		webhookDescription: trigger.description.webhooks![0],
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	} as IWebhookData;
	const context = new WebhookContext(workflow, workflow.getNode(node.name)!, additionalData, 'webhook', webhookData, [], null);
	const result = await trigger.webhook.call(context);
	return { result, answer };
}

const fromSms = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${SECRET}`, 'x-instanceid': SMS_INSTANCE, 'x-userid': USER, ...extra });
const fromWhatsApp = (extra: Record<string, string> = {}) => ({ ...fromSms(), 'x-instanceid': WHATSAPP_INSTANCE, ...extra });
const smsBody = (event: string, data: IDataObject = recordOf(event)) => ({ event, data });
const allSms = { events: SMS_VALUES };

/** The one item an execution starts with, or undefined when the call starts none. */
function startedWith(result: IWebhookResponseData): IDataObject | undefined {
	if (result.workflowData === undefined) return undefined;
	expect(result.workflowData).toHaveLength(1);
	expect(result.workflowData[0]).toHaveLength(1);
	return result.workflowData[0][0].json;
}

describe('the Events list', () => {
	const property = new HypersenderTrigger().description.properties.find((candidate) => candidate.name === 'events')!;
	const options = property.options as INodePropertyOptions[];

	test('the released WhatsApp events first and unchanged, then the twelve SMS events as a group, sorted by name', () => {
		expect(property).toMatchObject({ type: 'multiOptions', required: true, default: ['message.any'] });
		expect(options.slice(0, 8).map(({ value }) => value)).toEqual(WEBHOOK_EVENTS.map(({ value }) => value));
		expect(options.slice(8).map(({ value }) => value).sort()).toEqual([
			'message.call.missed',
			'message.notification.scheduled',
			'message.phone.delivered',
			'message.phone.received',
			'message.phone.sent',
			'message.send.expired',
			'message.send.failed',
			'phone.heartbeat.disabled',
			'phone.heartbeat.missed',
			'phone.heartbeat.offline',
			'phone.heartbeat.online',
			'phone.heartbeat.received',
		]);
		const smsNames = options.slice(8).map(({ name }) => name);
		expect(smsNames.every((name) => name.startsWith('SMS: '))).toBe(true);
		expect(smsNames).toEqual([...smsNames].sort());
		expect(options.map(({ name }) => name)).toEqual([...options.map(({ name }) => name)].sort());
		expect(options.slice(8).every(({ description, action }) => Boolean(description) && action?.startsWith('On SMS '))).toBe(true);
	});

	test('an SMS body is one of the twelve events with a "data" object; anything else is read as WhatsApp', () => {
		expect(SMS_VALUES.every((event) => isSmsEvent(event))).toBe(true);
		expect(isSmsEvent('message.any')).toBe(false);
		expect(parseSmsEnvelope({ event: 'message.any', data: {} })).toBeUndefined();
		expect(parseSmsEnvelope({ event: 'message.phone.sent', data: [] })).toEqual({ problem: 'the body has no "data" object' });
		expect(parseSmsEnvelope(smsBody('message.phone.sent', { id: 'x' }))).toEqual({ channel: 'sms', event: 'message.phone.sent', data: { id: 'x' } });
		expect([smsInstanceOf({ instanceId: ' a ', smsInstanceId: ' b ' }), smsInstanceOf({ instanceId: ' a ', smsInstanceId: '  ' }), smsInstanceOf({ instanceId: 'a' })]).toEqual(['b', 'a', 'a']);
	});
});

describe('an SMS event that is selected starts one execution, its record flattened beside "event"', () => {
	test.each(SMS_VALUES)('%s', async (event) => {
		const { result, answer } = await deliver({ parameters: allSms, headers: fromSms(), body: smsBody(event) });
		expect(startedWith(result)).toEqual({ event, instanceId: SMS_INSTANCE, userId: USER, ...recordOf(event) });
		expect(answer.ended).toBe(false);
	});

	test('an incoming SMS: who wrote, what, on which thread; the phone stays an object; nothing of the WhatsApp item', async () => {
		const { result } = await deliver({ parameters: { events: ['message.phone.received'] }, headers: fromSms(), body: smsBody('message.phone.received') });
		const item = startedWith(result)!;
		expect(Object.keys(item).slice(0, 4)).toEqual(['event', 'instanceId', 'userId', 'id']);
		expect(item).toMatchObject({ from_phone_number: '+4915123456789', content: 'Is my order ready?', message_thread_id: MESSAGE.message_thread_id, status: 'received', sim: 'SIM1', phone: PHONE });
		for (const whatsAppOnly of ['payload', 'me', 'chatId', 'chatType', 'fromMe', 'eventId', 'data']) expect(item).not.toHaveProperty(whatsAppOnly);
	});

	test('a failed SMS says why; a heartbeat its battery; an offline phone its state; a missed call who called', async () => {
		const item = async (event: string, data: IDataObject) => startedWith((await deliver({ parameters: allSms, headers: fromSms(), body: smsBody(event, data) })).result);
		expect(await item('message.send.failed', { ...MESSAGE, status: 'failed', failure_reason: 'NO_SERVICE' })).toMatchObject({ status: 'failed', failure_reason: 'NO_SERVICE' });
		expect(await item('phone.heartbeat.received', HEARTBEAT)).toMatchObject({ id: HEARTBEAT.id, battery_level: '63', is_charging: false, app_version: 'v1.0.3' });
		expect(await item('phone.heartbeat.offline', { ...PHONE_RECORD, is_online: false })).toMatchObject({ phone_number: '+4915100000001', is_online: false });
		expect(await item('message.call.missed', MISSED_CALL)).toMatchObject({ event: 'message.call.missed', from_phone_number: '+4915123456789', response_message_id: MESSAGE.id });
	});

	test('record fields named like the node\'s own do not replace them', async () => {
		const hostile: IDataObject = { content: 'hi', event: 'spoofed', instanceId: 'spoofed', userId: 'spoofed' };
		Object.defineProperty(hostile, '__proto__', { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
		const item = startedWith((await deliver({ parameters: allSms, headers: fromSms(), body: smsBody('message.phone.received', hostile) })).result)!;
		expect(item).toEqual({ event: 'message.phone.received', instanceId: SMS_INSTANCE, userId: USER, content: 'hi' });
		expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
	});

	test('without an x-userId header "userId" is null; the record\'s own user_id stays as it came', async () => {
		const headers: Record<string, string> = fromSms();
		delete headers['x-userid'];
		const item = startedWith((await deliver({ parameters: allSms, headers, body: smsBody('phone.heartbeat.online') })).result);
		expect(item).toMatchObject({ userId: null, user_id: USER });
	});
});

describe('calls that start no execution', () => {
	test('an SMS event not selected is acknowledged and ignored, also by a saved WhatsApp-only workflow', async () => {
		const selected = await deliver({ parameters: { events: ['message.phone.sent'] }, headers: fromSms(), body: smsBody('message.phone.received') });
		expect(selected.result).toEqual({ webhookResponse: { received: true, ignored: 'the event "message.phone.received" is not selected' } });
		const saved = await deliver({ parameters: { options: {} }, headers: fromSms(), body: smsBody('phone.heartbeat.received') });
		expect(saved.result).toEqual({ webhookResponse: { received: true, ignored: 'the event "phone.heartbeat.received" is not selected' } });
	});

	const unsigned: Record<string, string> = fromSms();
	delete unsigned.authorization;
	test.each([
		['no Authorization header', 401, unsigned],
		['another secret', 401, fromSms({ authorization: 'Bearer whsec-other' })],
		['another instance', 403, fromSms({ 'x-instanceid': '00000000-0000-4000-8000-000000000000' })],
		['the WhatsApp instance (the SMS Instance ID is another)', 403, fromWhatsApp()],
	])('an SMS event with %s is refused (%d) as a WhatsApp one would be', async (_, status, headers) => {
		const { result, answer } = await deliver({ parameters: allSms, headers, body: smsBody('message.phone.received') });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(answer.status).toBe(status);
		const message = status === 401 ? 'Unauthorized: the Authorization header does not carry the webhook secret.' : 'Forbidden: this webhook is for another Hypersender instance.';
		expect(answer.json).toEqual({ message });
	});

	test('an SMS event without a "data" object is refused (400)', async () => {
		const { result, answer } = await deliver({ parameters: allSms, headers: fromSms(), body: { event: 'message.phone.received', data: 'hi' } });
		expect(result).toEqual({ noWebhookResponse: true });
		expect([answer.status, answer.json]).toEqual([400, { message: 'Not a Hypersender webhook: the body has no "data" object.' }]);
	});
});

describe('one credential, both instances', () => {
	const incoming = { event: 'message.any', data: { id: 'evt_1', event: 'message.any', metadata: [], me: { id: '4915199999999@c.us' }, payload: { id: 'false_4915123456789@c.us_A', from: '4915123456789@c.us', fromMe: false, body: 'Hello shop' } } };
	const both = { events: ['message.any', 'message.phone.received'] };

	test('with no SMS Instance ID, SMS events come from the Instance ID, as WhatsApp events do', async () => {
		const credentials = { ...CREDENTIALS, smsInstanceId: '' };
		const sms = await deliver({ parameters: both, credentials, headers: fromWhatsApp(), body: smsBody('message.phone.received') });
		expect(startedWith(sms.result)).toMatchObject({ event: 'message.phone.received', instanceId: WHATSAPP_INSTANCE });
		const whatsApp = await deliver({ parameters: both, credentials, headers: fromWhatsApp(), body: incoming });
		expect(startedWith(whatsApp.result)).toMatchObject({ event: 'message.any', instanceId: WHATSAPP_INSTANCE });
	});

	test('a WhatsApp event from the SMS instance is refused (403); from its own instance it is the WhatsApp item as before', async () => {
		const refused = await deliver({ parameters: both, headers: fromSms(), body: incoming });
		expect([refused.result, refused.answer.status]).toEqual([{ noWebhookResponse: true }, 403]);
		const item = startedWith((await deliver({ parameters: both, headers: fromWhatsApp(), body: incoming })).result);
		expect(item).toEqual({
			event: 'message.any',
			instanceId: WHATSAPP_INSTANCE,
			userId: USER,
			eventId: 'evt_1',
			chatId: '4915123456789@c.us',
			chatType: 'direct',
			...incoming.data.payload,
			fromMe: false,
			me: incoming.data.me,
			payload: incoming.data.payload,
		});
	});

	test('WhatsApp options do not touch SMS events: no own-message or chat filter, no derived fields, no download', async () => {
		const options = { ignoreOwnMessages: true, chatTypes: ['group'], addDerivedFields: true, downloadMedia: true };
		const { result, answer } = await deliver({ parameters: { events: ['message.phone.sent'], options }, headers: fromSms(), body: smsBody('message.phone.sent') });
		expect(startedWith(result)).toEqual({ event: 'message.phone.sent', instanceId: SMS_INSTANCE, userId: USER, ...recordOf('message.phone.sent') });
		expect(answer.ended).toBe(false);
	});
});
