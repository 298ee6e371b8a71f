/** Webhook delivery: settings, the envelope and headers, Authorization, order, the log and close(). */
import { DEFAULT_WEBHOOK_USER_ID } from '../../sandbox/config';
import { startSandbox } from '../../sandbox/server';
import type { Sandbox } from './helpers';
import { control, postJson, readJson, useSandbox } from './helpers';
import { DEFAULT_INSTANCE, queue, sendAndWait } from './queued-helpers';
import type { Receiver } from './webhook-helpers';
import { EVENT_ID, rawHeader, startReceiver } from './webhook-helpers';

const current = useSandbox();
let sandbox: Sandbox;
let receiver: Receiver;
beforeAll(() => {
	sandbox = current();
});
beforeEach(async () => {
	receiver = await startReceiver();
});
afterEach(async () => {
	await sandbox.webhooksIdle();
	await receiver.close();
});

const CHAT = '4915123456789@c.us';
const ME = () => sandbox.me(DEFAULT_INSTANCE);

describe('settings', () => {
	test('default to no delivery, bearer style and the fixed user id; the secret is never shown', () => {
		expect(sandbox.configure()).toMatchObject({ webhookUrl: null, webhookSecret: null, webhookAuthStyle: 'bearer', webhookUserId: DEFAULT_WEBHOOK_USER_ID, webhookTimeoutMs: 10000 });
		const shown = sandbox.configure({ webhookUrl: receiver.url, webhookSecret: 'top-secret' });
		expect(shown).toMatchObject({ webhookUrl: receiver.url, webhookSecret: '[redacted]' });
		// Given back as shown, the secret is kept.
		sandbox.configure(shown);
		expect(sandbox.webhook(DEFAULT_INSTANCE)).toEqual({ url: receiver.url, authorization: 'present', source: 'global' });
		expect(JSON.stringify(sandbox.configure())).not.toContain('top-secret');
	});

	test.each([
		[{ webhookUrl: 'ftp://example.com/hook' }, /webhookUrl must be an http or https URL/],
		[{ webhookUrl: 'not a url' }, /webhookUrl must be an http or https URL/],
		[{ webhookSecret: '' }, /webhookSecret must be a non-empty string/],
		[{ webhookAuthStyle: 'basic' }, /webhookAuthStyle must be bearer or raw/],
		[{ webhookUserId: ' ' }, /webhookUserId must be a non-empty string/],
		[{ webhookTimeoutMs: 0 }, /webhookTimeoutMs must be more than 0/],
	])('refuses %j and changes nothing', (changes, message) => {
		expect(() => sandbox.configure(changes as Record<string, unknown>)).toThrow(message);
		expect(sandbox.configure().webhookUrl).toBeNull();
	});

	test('POST /__sandbox/config sets them (400 for a bad one), never echoing the secret', async () => {
		const response = await postJson(sandbox, '/config', { webhookUrl: receiver.url, webhookSecret: 'cfg-secret', webhookAuthStyle: 'raw' });
		const text = await response.text();
		expect(response.status).toBe(200);
		expect(text).not.toContain('cfg-secret');
		expect(JSON.parse(text).config).toMatchObject({ webhookUrl: receiver.url, webhookSecret: '[redacted]', webhookAuthStyle: 'raw' });
		expect((await postJson(sandbox, '/config', { webhookUrl: 'mailto:x@y.z' })).status).toBe(400);
	});
});

describe('delivery', () => {
	test('POSTs the documented envelope with x-userId and x-instanceId, as spelled', async () => {
		sandbox.configure({ webhookUrl: receiver.url, webhookUserId: '11111111-2222-4333-8444-555555555555' });
		const result = await sandbox.simulate(DEFAULT_INSTANCE, 'event', { event: 'presence.update', payload: { id: CHAT, presences: [] } });
		const [received] = await receiver.waitFor(1);
		expect(received.method).toBe('POST');
		expect(received.path).toBe('/webhook/test');
		expect(received.headers['content-type']).toBe('application/json');
		expect(rawHeader(received, 'x-userid')).toEqual({ name: 'x-userId', value: '11111111-2222-4333-8444-555555555555' });
		expect(rawHeader(received, 'x-instanceid')).toEqual({ name: 'x-instanceId', value: DEFAULT_INSTANCE });
		expect(received.headers.authorization).toBeUndefined();
		expect(received.body).toEqual({
			event: 'presence.update',
			data: {
				id: result.events[0].eventId,
				event: 'presence.update',
				metadata: [],
				me: { id: ME().id, pushName: 'Sandbox', lid: ME().lid },
				payload: { id: CHAT, presences: [] },
				instanceId: DEFAULT_INSTANCE,
				userId: '11111111-2222-4333-8444-555555555555',
			},
		});
		expect(received.body.data.id).toMatch(EVENT_ID);
		expect(ME().id).toMatch(/^[0-9]+@c\.us$/);
		expect(ME().lid).toMatch(/^[0-9]+@lid$/);
		expect(result.events[0]).toMatchObject({ event: 'presence.update', delivered: true, url: receiver.url, status: 200, error: null });
	});

	test.each([
		['bearer', 'Bearer s3cret'],
		['raw', 's3cret'],
	] as const)('sends the secret as Authorization, %s style', async (style, expected) => {
		sandbox.configure({ webhookUrl: receiver.url, webhookSecret: 's3cret', webhookAuthStyle: style });
		await sandbox.simulate(DEFAULT_INSTANCE, 'waiting', {});
		const [received] = await receiver.waitFor(1);
		expect(received.headers.authorization).toBe(expected);
		const [logged] = sandbox.webhookDeliveries();
		expect(logged.authorization).toBe('present');
		expect(JSON.stringify(sandbox.webhookDeliveries())).not.toContain('s3cret');
		expect(await (await control(sandbox, '/webhooks')).text()).not.toContain('s3cret');
	});

	test('delivers nothing without a URL, and the simulation says so', async () => {
		const result = await sandbox.simulate(DEFAULT_INSTANCE, 'waiting', {});
		expect(result.events).toEqual([expect.objectContaining({ event: 'message.waiting', delivered: false, url: null, status: null, error: 'no webhook URL is configured for this instance' })]);
		sandbox.configure({ processingDelayMs: 0 });
		await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'unheard' });
		await sandbox.webhooksIdle();
		expect(receiver.received).toHaveLength(0);
		expect(sandbox.webhookDeliveries()).toHaveLength(0);
	});

	test('an instance\'s own URL (and secret) wins over the global one; removing it falls back', async () => {
		const other = await startReceiver('/other');
		try {
			sandbox.configure({ webhookUrl: receiver.url, webhookSecret: 'global' });
			const put = await control(sandbox, `/webhook/${DEFAULT_INSTANCE}`, { method: 'PUT', body: JSON.stringify({ url: other.url, secret: 'own' }) });
			expect(await readJson(put)).toEqual({ ok: true, data: { url: other.url, authorization: 'present', source: 'instance' } });
			await sandbox.simulate(DEFAULT_INSTANCE, 'waiting', {});
			expect((await other.waitFor(1))[0].headers.authorization).toBe('Bearer own');
			expect(receiver.received).toHaveLength(0);

			sandbox.setWebhook(DEFAULT_INSTANCE, { url: other.url, secret: null });
			await sandbox.simulate(DEFAULT_INSTANCE, 'waiting', {});
			expect((await other.waitFor(2))[1].headers.authorization).toBeUndefined();

			const removed = await control(sandbox, `/webhook/${DEFAULT_INSTANCE}`, { method: 'DELETE' });
			expect((await readJson(removed)).data).toEqual({ url: receiver.url, authorization: 'present', source: 'global' });
			await sandbox.simulate(DEFAULT_INSTANCE, 'waiting', {});
			expect((await receiver.waitFor(1))[0].headers.authorization).toBe('Bearer global');
			expect((await control(sandbox, '/webhook/nope', { method: 'PUT', body: '{"url":"http://127.0.0.1:1/x"}' })).status).toBe(404);
			expect((await control(sandbox, `/webhook/${DEFAULT_INSTANCE}`, { method: 'PUT', body: '{"url":"file:///etc/passwd"}' })).status).toBe(400);
		} finally {
			await other.close();
		}
	});

	test('the instances option takes a webhook URL per instance', async () => {
		const own = await startSandbox({ instances: { a: { size: 2, webhookUrl: receiver.url, webhookSecret: 'a-secret' }, b: { size: 2 } } });
		try {
			expect(own.webhook('a')).toEqual({ url: receiver.url, authorization: 'present', source: 'instance' });
			expect(own.webhook('b')).toEqual({ url: null, authorization: 'none', source: null });
			await own.simulate('a', 'presence', {});
			await own.simulate('b', 'presence', {});
			expect(receiver.received.map((received) => received.body.data.instanceId)).toEqual(['a']);
			expect(receiver.received[0].headers.authorization).toBe('Bearer a-secret');
		} finally {
			await own.close();
		}
	});

	test('per instance one at a time, in order', async () => {
		sandbox.configure({ webhookUrl: receiver.url });
		receiver.respond = () => ({ delayMs: 30 });
		const results = await Promise.all([1, 2, 3, 4, 5].map((n) => sandbox.simulate(DEFAULT_INSTANCE, 'event', { event: `test.${n}` })));
		expect(receiver.maxConcurrent).toBe(1);
		expect(receiver.received.map((received) => received.body.event)).toEqual(['test.1', 'test.2', 'test.3', 'test.4', 'test.5']);
		for (let i = 1; i < 5; i++) expect(receiver.received[i].at).toBeGreaterThanOrEqual(receiver.received[i - 1].answeredAt);
		expect(sandbox.webhookDeliveries().map((delivery) => delivery.eventId)).toEqual(results.map((result) => result.events[0].eventId));
	});

	test('no retries: a failing receiver, a refused connection and a timeout are logged, and the next one still goes', async () => {
		sandbox.configure({ webhookUrl: receiver.url, webhookTimeoutMs: 150 });
		receiver.respond = (index) => (index === 0 ? { status: 500 } : index === 1 ? { delayMs: 1000 } : {});
		const failed = await sandbox.simulate(DEFAULT_INSTANCE, 'event', { event: 'one' });
		const slow = await sandbox.simulate(DEFAULT_INSTANCE, 'event', { event: 'two' });
		const fine = await sandbox.simulate(DEFAULT_INSTANCE, 'event', { event: 'three' });
		expect(failed.events[0]).toMatchObject({ delivered: true, status: 500, error: null });
		expect(slow.events[0]).toMatchObject({ delivered: false, status: null, error: 'timed out after 150 ms' });
		expect(slow.events[0].durationMs).toBeGreaterThanOrEqual(140);
		expect(fine.events[0]).toMatchObject({ status: 200 });
		expect(receiver.received.map((received) => received.body.event)).toEqual(['one', 'two', 'three']);

		sandbox.configure({ webhookUrl: 'http://127.0.0.1:1/refused' });
		const refused = await sandbox.simulate(DEFAULT_INSTANCE, 'event', { event: 'four' });
		expect(refused.events[0]).toMatchObject({ delivered: false, status: null, url: 'http://127.0.0.1:1/refused' });
		expect(refused.events[0].error).toMatch(/ECONNREFUSED|EADDRNOTAVAIL|EACCES/);
		expect(sandbox.webhookDeliveries().map((delivery) => [delivery.event, delivery.status])).toEqual([
			['one', 500],
			['two', null],
			['three', 200],
			['four', null],
		]);
	});

	test('GET /__sandbox/webhooks lists the deliveries (waiting for them with ?wait=1), DELETE clears', async () => {
		sandbox.configure({ webhookUrl: receiver.url, processingDelayMs: 50 });
		await queue(sandbox, 'send-text', { chatId: CHAT, text: 'listed' });
		const body = (await (await control(sandbox, '/webhooks?wait=1')).json()) as { count: number; idle: boolean; deliveries: Array<Record<string, unknown>> };
		expect(body.idle).toBe(true);
		expect(body.count).toBe(2);
		expect(body.deliveries.map((delivery) => delivery.event)).toEqual(['message.any', 'message.ack']);
		expect(body.deliveries[0]).toEqual({
			event: 'message.any',
			instanceId: DEFAULT_INSTANCE,
			eventId: expect.stringMatching(EVENT_ID),
			url: receiver.url,
			authorization: 'none',
			status: 200,
			error: null,
			at: expect.any(Number),
			durationMs: expect.any(Number),
			body: expect.objectContaining({ event: 'message.any' }),
		});
		expect(await readJson(await control(sandbox, '/webhooks', { method: 'DELETE' }))).toEqual({ ok: true });
		expect(sandbox.webhookDeliveries()).toEqual([]);
		expect(await readJson(await control(sandbox, '/instances'))).toEqual({ data: [DEFAULT_INSTANCE] });
	});
});

describe('close()', () => {
	test('is prompt with sends processing and a delivery hanging, and clears every timer', async () => {
		const own = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 5 } }, processingDelayMs: 60000, webhookUrl: receiver.url });
		receiver.respond = () => ({ delayMs: 60000 });
		const send = await fetch(`${own.baseUrl}/${DEFAULT_INSTANCE}/send-text`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${own.token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ chatId: CHAT, text: 'later' }),
		});
		expect(send.status).toBe(200);
		const hanging = own.simulate(DEFAULT_INSTANCE, 'waiting', {});
		const queued = own.simulate(DEFAULT_INSTANCE, 'presence', {});
		await receiver.waitFor(1);
		const started = Date.now();
		await own.close();
		expect(Date.now() - started).toBeLessThan(1000);
		expect((await hanging).events[0]).toMatchObject({ delivered: false, error: 'sandbox closed' });
		expect((await queued).events[0]).toMatchObject({ delivered: false, error: 'sandbox closed' });
		await own.webhooksIdle();
		expect(receiver.received).toHaveLength(1);
	});
});
