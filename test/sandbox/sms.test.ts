/** The SMS gateway: send-message (pending, then sent and delivered), threads, deletes, archiving, heartbeats, simulated phone events and their webhooks. */
import type { SandboxSmsMessage, SandboxSmsThread } from '../harness/sandbox';
import type { Answer, Sandbox } from './helpers';
import { apiRequest, control, DEFAULT_INSTANCE, readJson, sleep, useSandbox } from './helpers';
import type { Receiver } from './webhook-helpers';
import { rawHeader, startReceiver } from './webhook-helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});
beforeEach(() => {
	sandbox.clearSms(DEFAULT_INSTANCE);
	sandbox.configure({ smsSendDelayMs: 40, smsDeliveryDelayMs: 40 });
});

const SQL_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const TO = '+4915123456789';

interface Page<T> {
	data: T[];
	meta: { total: number };
}

function sms<T = SandboxSmsMessage & { message?: string; errors?: Record<string, string[]> }>(method: string, route: string, options: { json?: unknown; query?: Record<string, string> } = {}): Promise<Answer<T>> {
	return apiRequest<T>(sandbox, 'sms', method, `${DEFAULT_INSTANCE}/${route}`, options);
}

function send(fields: Record<string, unknown> = {}) {
	return sms('POST', 'send-message', { json: { content: 'Your order has shipped', to: TO, ...fields } });
}

async function waitForStatus(id: string, status: string) {
	const deadline = Date.now() + 3000;
	for (;;) {
		const found = sandbox.smsMessages(DEFAULT_INSTANCE).find((message) => message.id === id);
		if (found?.status === status) return found;
		if (Date.now() > deadline) throw new Error(`message ${id} is ${found?.status}, not ${status}`);
		await sleep(10);
	}
}

describe('send-message', () => {
	test('answers the message record with its phone and thread: pending, sent_to_mobile', async () => {
		const answer = await send({ request_id: 'order-1' });
		expect(answer.status).toBe(200);
		const phone = sandbox.smsPhone(DEFAULT_INSTANCE);
		expect(answer.body).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			request_id: 'order-1',
			phone,
			message_thread: expect.objectContaining({ from_phone_number: phone.phone_number, to_phone_number: TO, is_archived: false, last_message_content: 'Your order has shipped' }),
			message_thread_id: expect.any(String),
			phone_id: phone.id,
			from_phone_number: phone.phone_number,
			to_phone_number: TO,
			content: 'Your order has shipped',
			send_duration: null,
			schedule_on_phone_at: null,
			sent_at: null,
			last_attempted_at: null,
			delivered_at: null,
			received_at: null,
			expired_at: null,
			schedule_send_at: null,
			failed_at: null,
			send_attempt_count: null,
			max_send_attempts: 2,
			failure_reason: null,
			message_expiration_seconds: 600,
			timezone: 'UTC',
			sim: 'SIM1',
			status: 'pending',
			type: 'sent_to_mobile',
			created_at: expect.stringMatching(SQL_DATE),
			updated_at: expect.stringMatching(SQL_DATE),
		});
		expect(answer.body.message_thread?.id).toBe(answer.body.message_thread_id);
		expect(phone.phone_number).toBe(`+${sandbox.me(DEFAULT_INSTANCE).id.replace('@c.us', '')}`);
	});

	test('pending, then sent, then delivered, each delivered as a webhook {event, data} with x-instanceId, x-userId and the secret', async () => {
		const receiver = await startReceiver();
		try {
			sandbox.configure({ webhookUrl: receiver.url, webhookSecret: 's3cret' });
			const { body } = await send({ request_id: 'r-1', max_send_attempts: 5, message_expiration_seconds: 120 });
			const received = await receiver.waitFor(2);
			expect(received.map((entry) => entry.body.event)).toEqual(['message.phone.sent', 'message.phone.delivered']);
			const [sent, delivered] = received.map((entry) => entry.body as unknown as { event: string; data: SandboxSmsMessage });
			expect(Object.keys(sent)).toEqual(['event', 'data']);
			expect(sent.data).toMatchObject({ id: body.id, request_id: 'r-1', status: 'sent', send_attempt_count: 1, max_send_attempts: 5, message_expiration_seconds: 120, sent_at: expect.stringMatching(SQL_DATE), delivered_at: null });
			expect(sent.data).not.toHaveProperty('phone');
			expect(delivered.data).toMatchObject({ id: body.id, status: 'delivered', delivered_at: expect.stringMatching(SQL_DATE) });
			expect(rawHeader(received[0], 'x-instanceId')).toEqual({ name: 'x-instanceId', value: DEFAULT_INSTANCE });
			expect(rawHeader(received[0], 'x-userId')?.value).toBe(sandbox.configure({}).webhookUserId);
			expect(received[0].headers.authorization).toBe('Bearer s3cret');
			await sandbox.webhooksIdle();
			expect(sandbox.webhookDeliveries().map((entry) => [entry.event, entry.status])).toEqual([
				['message.phone.sent', 200],
				['message.phone.delivered', 200],
			]);
		} finally {
			await receiver.close();
		}
	});

	test('reads never show a stale status: GET messages settles what is due', async () => {
		sandbox.configure({ smsSendDelayMs: 60, smsDeliveryDelayMs: 10000 });
		const { body } = await send();
		await sleep(80);
		const page = await sms<Page<SandboxSmsMessage>>('GET', 'messages');
		expect(page.body.data[0]).toMatchObject({ id: body.id, status: 'sent' });
	});

	test('a new number opens a thread; the same number keeps it', async () => {
		const first = await send();
		const second = await send({ content: 'Second' });
		const other = await send({ to: '+12025550123' });
		expect(second.body.message_thread_id).toBe(first.body.message_thread_id);
		expect(other.body.message_thread_id).not.toBe(first.body.message_thread_id);
		const threads = sandbox.smsThreads(DEFAULT_INSTANCE);
		expect(threads).toHaveLength(2);
		expect(threads[0]).toMatchObject({ id: first.body.message_thread_id, last_message_id: second.body.id, last_message_content: 'Second' });
	});

	test('schedule_send_at: scheduled (message.notification.scheduled at once), sent when due', async () => {
		const receiver = await startReceiver();
		try {
			sandbox.configure({ webhookUrl: receiver.url });
			const at = new Date(Date.now() + 1500).toISOString().slice(0, 19).replace('T', ' ');
			const { body } = await send({ schedule_send_at: at });
			expect(body).toMatchObject({ status: 'scheduled', schedule_send_at: at, last_attempted_at: expect.stringMatching(SQL_DATE) });
			const [scheduled] = await receiver.waitFor(1);
			expect(scheduled.body).toMatchObject({ event: 'message.notification.scheduled', data: { id: body.id, status: 'scheduled', phone: { phone_number: body.from_phone_number } } });
			await waitForStatus(body.id, 'delivered');
			expect((await receiver.waitFor(3)).map((entry) => entry.body.event)).toEqual(['message.notification.scheduled', 'message.phone.sent', 'message.phone.delivered']);
		} finally {
			await receiver.close();
		}
	});

	test('validates like Laravel: 422 with errors, nothing recorded', async () => {
		const answer = await send({ content: '', to: '015123456789', schedule_send_at: 'tomorrow', max_send_attempts: 16, message_expiration_seconds: 0 });
		expect(answer.status).toBe(422);
		expect(answer.body.errors).toEqual({
			content: ['The content field is required.'],
			to: ['The to field format is invalid.'],
			schedule_send_at: ['The schedule send at field must be a valid date.'],
			max_send_attempts: ['The max send attempts field must be between 1 and 15.'],
			message_expiration_seconds: ['The message expiration seconds field must be at least 1.'],
		});
		const tooLate = new Date(Date.now() + 4 * 86400000).toISOString();
		expect((await send({ schedule_send_at: tooLate })).body.errors?.schedule_send_at?.[0]).toMatch(/^The schedule send at field must be a date before or equal to \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.$/);
		expect(sandbox.smsMessages(DEFAULT_INSTANCE)).toEqual([]);
	});

	test('401, 404 for an unknown instance, and the request log (to as the chat)', async () => {
		expect((await apiRequest(sandbox, 'sms', 'POST', `${DEFAULT_INSTANCE}/send-message`, { json: { content: 'x', to: TO }, authorization: 'Bearer nope' })).status).toBe(401);
		expect(await apiRequest(sandbox, 'sms', 'GET', 'nope/messages')).toMatchObject({ status: 404, body: { message: 'Instance not found.' } });
		expect(sandbox.requests.map((entry) => [entry.method, entry.path, entry.chat_id, entry.status])).toEqual([
			['POST', `/api/sms/v2/${DEFAULT_INSTANCE}/send-message`, TO, 401],
			['GET', '/api/sms/v2/nope/messages', null, 404],
		]);
		expect(sandbox.smsMessages(DEFAULT_INSTANCE)).toEqual([]);
	});
});

describe('deleting and archiving', () => {
	test('delete-message takes message_id (or messageId); 404 for an unknown id, 422 without one', async () => {
		const first = await send({ content: 'one' });
		const second = await send({ content: 'two' });
		expect(await sms('DELETE', 'delete-message', { query: { message_id: second.body.id } })).toMatchObject({ status: 200, body: { message: 'Message deleted successfully.' } });
		expect(sandbox.smsThreads(DEFAULT_INSTANCE)[0]).toMatchObject({ last_message_id: first.body.id, last_message_content: 'one' });
		expect((await sms('DELETE', 'delete-message', { query: { messageId: first.body.id } })).status).toBe(200);
		expect(await sms('DELETE', 'delete-message', { query: { message_id: first.body.id } })).toMatchObject({ status: 404, body: { message: 'Message not found.' } });
		expect(await sms('DELETE', 'delete-message')).toMatchObject({ status: 422, body: { errors: { message_id: ['The message id field is required.'] } } });
		expect(sandbox.smsMessages(DEFAULT_INSTANCE)).toEqual([]);
	});

	test('edit-message-thread archives and unarchives (message_thread_id or messageThreadId), answering the thread', async () => {
		const { body } = await send();
		const archived = await sms<SandboxSmsThread>('PUT', 'edit-message-thread', { json: { message_thread_id: body.message_thread_id, is_archived: true } });
		expect(archived.status).toBe(200);
		expect(archived.body).toEqual({
			id: body.message_thread_id,
			phone_id: body.phone_id,
			last_message_id: body.id,
			from_phone_number: body.from_phone_number,
			to_phone_number: TO,
			is_archived: true,
			last_message_content: body.content,
			last_message_at: expect.stringMatching(SQL_DATE),
			created_at: expect.stringMatching(SQL_DATE),
			updated_at: expect.stringMatching(SQL_DATE),
		});
		expect((await sms<SandboxSmsThread>('PUT', 'edit-message-thread', { json: { messageThreadId: body.message_thread_id, is_archived: 'false' } })).body.is_archived).toBe(false);
		expect((await sms('PUT', 'edit-message-thread', { json: { message_thread_id: 'nope', is_archived: true } })).status).toBe(404);
		expect((await sms('PUT', 'edit-message-thread', { json: { message_thread_id: body.message_thread_id } })).body.errors).toEqual({ is_archived: ['The is archived field is required.'] });
	});

	test('delete-message-thread deletes the thread and its messages', async () => {
		const { body } = await send();
		await send({ to: '+12025550123' });
		expect(await sms('DELETE', 'delete-message-thread', { query: { messageThreadId: body.message_thread_id } })).toMatchObject({ status: 200, body: { message: 'Message thread deleted successfully.' } });
		expect(sandbox.smsThreads(DEFAULT_INSTANCE)).toHaveLength(1);
		expect(sandbox.smsMessages(DEFAULT_INSTANCE).map((message) => message.to_phone_number)).toEqual(['+12025550123']);
		expect((await sms('DELETE', 'delete-message-thread', { query: { message_thread_id: body.message_thread_id } })).status).toBe(404);
	});
});

describe('the phone, simulated', () => {
	let receiver: Receiver;
	beforeEach(async () => {
		receiver = await startReceiver();
		sandbox.configure({ webhookUrl: receiver.url });
	});
	afterEach(async () => {
		await receiver.close();
	});

	test('an incoming SMS is a received message in its thread, delivered as message.phone.received with the phone', async () => {
		const result = await sandbox.simulate(DEFAULT_INSTANCE, 'sms', { from: '+49 151 2345-6789', content: 'Is my order ready?' });
		expect(result.events).toEqual([expect.objectContaining({ event: 'message.phone.received', delivered: true, status: 200 })]);
		const message = result.message as SandboxSmsMessage;
		expect(message).toMatchObject({ from_phone_number: '+4915123456789', to_phone_number: sandbox.smsPhone(DEFAULT_INSTANCE).phone_number, content: 'Is my order ready?', status: 'received', type: 'received_from_mobile', received_at: expect.stringMatching(SQL_DATE) });
		const [delivery] = await receiver.waitFor(1);
		expect(delivery.body).toEqual({ event: 'message.phone.received', data: expect.objectContaining({ id: message.id, phone: expect.objectContaining({ is_online: true }) }) });
		// A reply goes to the same thread.
		const reply = await send({ to: '+4915123456789' });
		expect(reply.body.message_thread_id).toBe(message.message_thread_id);
	});

	test.each([
		['message.phone.sent', { status: 'sent' }],
		['message.phone.delivered', { status: 'delivered' }],
		['message.send.failed', { status: 'failed', failure_reason: 'NO_SIGNAL' }],
		['message.send.expired', { status: 'expired' }],
	])('%s changes the newest sent SMS and is delivered with it', async (event, expected) => {
		sandbox.configure({ smsSendDelayMs: 60000 });
		const { body } = await send();
		const result = await sandbox.simulate(DEFAULT_INSTANCE, 'sms', { event, reason: 'NO_SIGNAL' });
		expect(result.message).toMatchObject({ id: body.id, ...expected });
		expect(sandbox.smsMessages(DEFAULT_INSTANCE)[0]).toMatchObject(expected);
		expect((await receiver.waitFor(1))[0].body).toMatchObject({ event, data: { id: body.id, ...expected } });
	});

	test('a message made failed on demand is not sent later', async () => {
		sandbox.configure({ smsSendDelayMs: 30 });
		const { body } = await send();
		await sandbox.simulate(DEFAULT_INSTANCE, 'sms', { event: 'message.send.failed', messageId: body.id });
		await sleep(120);
		expect(sandbox.smsMessages(DEFAULT_INSTANCE)[0]).toMatchObject({ status: 'failed', failure_reason: 'UNKNOWN', sent_at: null });
		expect(receiver.received.map((entry) => entry.body.event)).toEqual(['message.send.failed']);
	});

	test('heartbeats: recorded, phone.heartbeat.received; offline then a heartbeat brings the phone back online', async () => {
		const beat = await sandbox.smsHeartbeat(DEFAULT_INSTANCE, { batteryLevel: 63, isCharging: true });
		expect(beat.heartbeat).toEqual({
			id: expect.any(String),
			phone_id: sandbox.smsPhone(DEFAULT_INSTANCE).id,
			battery_level: 63,
			is_charging: true,
			local_timestamp: expect.stringMatching(SQL_DATE),
			app_version: 'v1.0.3',
			created_at: expect.stringMatching(SQL_DATE),
			updated_at: expect.stringMatching(SQL_DATE),
		});
		const offline = await sandbox.simulate(DEFAULT_INSTANCE, 'sms', { event: 'phone.heartbeat.offline' });
		expect(offline.payload).toMatchObject({ phone_id: sandbox.smsPhone(DEFAULT_INSTANCE).id, is_online: false, fcm_notifications_per_minute: 100, attributes: [] });
		expect(sandbox.smsPhone(DEFAULT_INSTANCE).is_online).toBe(false);
		const back = await sandbox.smsHeartbeat(DEFAULT_INSTANCE);
		expect(back.events.map((event) => event.event)).toEqual(['phone.heartbeat.received', 'phone.heartbeat.online']);
		expect(sandbox.smsPhone(DEFAULT_INSTANCE).is_online).toBe(true);
		expect(sandbox.smsHeartbeats(DEFAULT_INSTANCE)).toHaveLength(2);
		expect((await receiver.waitFor(4)).map((entry) => entry.body.event)).toEqual(['phone.heartbeat.received', 'phone.heartbeat.offline', 'phone.heartbeat.received', 'phone.heartbeat.online']);
	});

	test.each(['phone.heartbeat.online', 'phone.heartbeat.missed', 'phone.heartbeat.disabled', 'message.call.missed', 'message.notification.scheduled'])('%s is delivered on demand', async (event) => {
		await send();
		const result = await sandbox.simulate(DEFAULT_INSTANCE, 'sms', { event, from: '+12025550123' });
		expect(result.events[0]).toMatchObject({ event, status: 200 });
		const [delivery] = await receiver.waitFor(1);
		expect(delivery.body.event).toBe(event);
		if (event === 'message.call.missed') expect(delivery.body.data).toMatchObject({ from_phone_number: '+12025550123', sim: 'SIM1', response_message_id: null });
	});

	test('refuses an unknown event, a received message for a send event, and no sent SMS at all', async () => {
		await expect(sandbox.simulate(DEFAULT_INSTANCE, 'sms', { event: 'message.any' })).rejects.toMatchObject({ status: 400 });
		await expect(sandbox.simulate(DEFAULT_INSTANCE, 'sms', { event: 'message.phone.sent' })).rejects.toMatchObject({ status: 400 });
		const { message } = await sandbox.receiveSms(DEFAULT_INSTANCE, {});
		await expect(sandbox.simulate(DEFAULT_INSTANCE, 'sms', { event: 'message.send.failed', messageId: (message as SandboxSmsMessage).id })).rejects.toMatchObject({ status: 400 });
		await expect(sandbox.simulate(DEFAULT_INSTANCE, 'sms', { event: 'message.send.failed', messageId: 'nope' })).rejects.toMatchObject({ status: 404 });
	});
});

describe('controls over HTTP', () => {
	test('seed, list (with the count per request_id), receive, heartbeat, clear', async () => {
		const seeded = await control(sandbox, `/sms/${DEFAULT_INSTANCE}/seed`, { method: 'POST', body: JSON.stringify({ messages: 12, threads: 3, heartbeats: 4 }) });
		expect(await readJson(seeded)).toEqual({ ok: true, data: { messages: 12, threads: 3, heartbeats: 4 } });
		await send({ request_id: 'dup' });
		await send({ request_id: 'dup' });
		const list = (await readJson(await control(sandbox, `/sms/${DEFAULT_INSTANCE}/messages`))) as unknown as { count: number; requestIds: Record<string, number>; duplicates: string[] };
		expect(list.count).toBe(14);
		expect(list.requestIds.dup).toBe(2);
		expect(list.duplicates).toEqual(['dup']);
		expect(((await readJson(await control(sandbox, `/sms/${DEFAULT_INSTANCE}/messages?request_id=dup`))) as unknown as { count: number }).count).toBe(2);
		expect((await readJson(await control(sandbox, `/sms/${DEFAULT_INSTANCE}/threads`))).data).toHaveLength(4);
		expect((await readJson(await control(sandbox, `/sms/${DEFAULT_INSTANCE}/heartbeats`))).data).toHaveLength(4);
		const received = await control(sandbox, `/sms/${DEFAULT_INSTANCE}/receive`, { method: 'POST', body: JSON.stringify({ from: '+12025550199', content: 'hi' }) });
		expect(await readJson(received)).toMatchObject({ kind: 'sms', message: { content: 'hi', status: 'received' } });
		expect((await control(sandbox, `/sms/${DEFAULT_INSTANCE}/heartbeat`, { method: 'POST', body: '{"batteryLevel":5}' })).status).toBe(200);
		expect((await readJson(await control(sandbox, `/sms/${DEFAULT_INSTANCE}`))).data).toMatchObject({ counts: { messages: 15, threads: 5, heartbeats: 5 }, phone: { sim: 'SIM1' } });
		const simulated = await control(sandbox, `/simulate/${DEFAULT_INSTANCE}/sms`, { method: 'POST', body: JSON.stringify({ event: 'phone.heartbeat.missed' }) });
		expect(await readJson(simulated)).toMatchObject({ kind: 'sms', events: [{ event: 'phone.heartbeat.missed' }] });
		expect((await control(sandbox, `/sms/${DEFAULT_INSTANCE}`, { method: 'DELETE' })).status).toBe(200);
		expect(sandbox.smsMessages(DEFAULT_INSTANCE)).toEqual([]);
		expect((await control(sandbox, '/sms/nope/messages')).status).toBe(404);
		expect((await control(sandbox, `/sms/${DEFAULT_INSTANCE}/seed`, { method: 'POST', body: '{"messages":-1}' })).status).toBe(400);
	});

	test('seeded messages alternate delivered sends and received replies, one a minute up to now', () => {
		sandbox.seedSms(DEFAULT_INSTANCE, { messages: 4, threads: 2 });
		const list = sandbox.smsMessages(DEFAULT_INSTANCE);
		expect(list.map((message) => [message.type, message.status])).toEqual([
			['sent_to_mobile', 'delivered'],
			['received_from_mobile', 'received'],
			['sent_to_mobile', 'delivered'],
			['received_from_mobile', 'received'],
		]);
		expect(new Set(list.map((message) => message.message_thread_id)).size).toBe(2);
		expect(Date.parse(`${list[1].created_at}Z`) - Date.parse(`${list[0].created_at}Z`)).toBe(60000);
	});
});
