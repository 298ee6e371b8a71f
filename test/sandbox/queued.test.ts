/** The queued model: pipelined in-order processing, GET queued-requests, the shared pipeline (auth, faults, log) and the message controls. */
import { API_BASE_PATH, DEFAULT_TOKEN, startSandbox } from '../../sandbox/server';
import type { Sandbox } from './helpers';
import { control, readJson, sleep, useSandbox } from './helpers';
import { callQueued, DEFAULT_INSTANCE, fetchResult, queue, sendAndWait, waitDone } from './queued-helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

const CHAT = '4915123456789@c.us';

describe('processing', () => {
	test('is pipelined and in order: ten sends are done about one delay after the last, not ten delays', async () => {
		sandbox.configure({ processingDelayMs: 100 });
		const uuids: string[] = [];
		for (let i = 0; i < 10; i++) uuids.push((await queue(sandbox, 'send-text', { chatId: CHAT, text: `#${i}` })).queued_request_uuid);
		const records = sandbox.messages(DEFAULT_INSTANCE);
		expect(records.map((record) => record.uuid)).toEqual(uuids);
		records.forEach((record, i) => {
			const previous = i === 0 ? 0 : records[i - 1].doneAt;
			expect(record.doneAt).toBe(Math.max(record.acceptedAt + 100, previous));
		});
		expect(records[9].doneAt - records[0].acceptedAt).toBeLessThan(100 + (records[9].acceptedAt - records[0].acceptedAt) + 1);
		expect(records[9].doneAt - records[0].acceptedAt).toBeLessThan(1000);

		// Watch them finish: the finished ones are always the first ones.
		let finished = 0;
		const started = Date.now();
		while (finished < 10) {
			const statuses = await Promise.all(uuids.map(async (uuid) => (await fetchResult(sandbox, uuid)).body.response_status));
			const done = statuses.filter((status) => status !== null).length;
			expect(statuses.slice(0, done).every((status) => status === 201)).toBe(true);
			expect(statuses.slice(done).every((status) => status === null)).toBe(true);
			finished = done;
			if (Date.now() - started > 5000) throw new Error('not done after 5 s');
			await sleep(5);
		}
		expect(Date.now()).toBeGreaterThanOrEqual(records[9].doneAt);
	});

	test('a result is null while processing and shows once doneAt has passed', async () => {
		sandbox.configure({ processingDelayMs: 150 });
		const answer = await queue(sandbox, 'send-text', { chatId: CHAT, text: 'wait' });
		const pending = await fetchResult(sandbox, answer.queued_request_uuid);
		expect(pending).toEqual({
			status: 200,
			body: { uuid: answer.queued_request_uuid, request: { chatId: CHAT, text: 'wait' }, response_status: null, response_body: null, response_header: null },
		});
		const done = await waitDone(sandbox, answer.queued_request_uuid);
		expect(done.response_status).toBe(201);
		expect(Date.now()).toBeGreaterThanOrEqual(sandbox.messages(DEFAULT_INSTANCE)[0].doneAt);
	});

	test('send-text-safe takes safeDelayMs longer, and what follows waits behind it', async () => {
		sandbox.configure({ processingDelayMs: 20, safeDelayMs: 300 });
		await queue(sandbox, 'send-text-safe', { chatId: CHAT, text: 'slow' });
		await queue(sandbox, 'send-text', { chatId: CHAT, text: 'fast' });
		const [safe, plain] = sandbox.messages(DEFAULT_INSTANCE);
		expect(safe.doneAt).toBe(safe.acceptedAt + 320);
		expect(plain.doneAt).toBe(safe.doneAt);
	});

	test('each instance has its own queue', async () => {
		sandbox.addInstance('second', { size: 3 });
		sandbox.configure({ processingDelayMs: 300 });
		await queue(sandbox, 'send-text', { chatId: CHAT, text: 'a' });
		sandbox.configure({ processingDelayMs: 10 });
		await queue(sandbox, 'send-text', { chatId: CHAT, text: 'b' }, { instance: 'second' });
		const [other] = sandbox.messages('second');
		expect(other.doneAt).toBe(other.acceptedAt + 10);
		expect(sandbox.messages(DEFAULT_INSTANCE)).toHaveLength(1);
	});
});

describe('GET queued-requests/{uuid}', () => {
	test('an unknown uuid, or another instance\'s, is 404', async () => {
		sandbox.addInstance('third', { size: 3 });
		const answer = await queue(sandbox, 'send-text', { chatId: CHAT, text: 'mine' });
		for (const [uuid, instance] of [['00000000-0000-4000-8000-000000000000', DEFAULT_INSTANCE], [answer.queued_request_uuid, 'third']]) {
			const { status, body } = await fetchResult(sandbox, uuid, instance);
			expect(status).toBe(404);
			expect(body).toEqual({ message: 'Queued request not found.' });
		}
	});

	test('a cleared uuid is 404 as well', async () => {
		const answer = await queue(sandbox, 'send-text', { chatId: CHAT, text: 'gone' });
		sandbox.clearMessages(DEFAULT_INSTANCE);
		expect((await fetchResult(sandbox, answer.queued_request_uuid)).status).toBe(404);
	});

	test('goes through auth and faults like any API route', async () => {
		sandbox.configure({ processingDelayMs: 0 });
		const answer = await queue(sandbox, 'send-text', { chatId: CHAT, text: 'x' });
		const link = answer.queued_request_link;
		expect((await fetch(link)).status).toBe(401);
		sandbox.configure({ faults: { rate: 1, kinds: ['500'] } });
		expect((await fetch(link, { headers: { Authorization: `Bearer ${DEFAULT_TOKEN}` } })).status).toBe(500);
	});
});

describe('pipeline', () => {
	test('401 without the token and 404 for an unknown instance, nothing recorded', async () => {
		const unauthenticated = await callQueued(sandbox, 'send-text', { json: { chatId: CHAT, text: 'x' }, authorization: null });
		expect(unauthenticated.status).toBe(401);
		expect(await readJson(unauthenticated)).toEqual({ message: 'Unauthenticated.' });
		const unknown = await callQueued(sandbox, 'send-text', { json: { chatId: CHAT, text: 'x' }, instance: 'no-such-instance' });
		expect(unknown.status).toBe(404);
		expect(await readJson(unknown)).toEqual({ message: 'Instance not found.' });
		expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
	});

	test('405 for the wrong method, 404 for a path below a queued route', async () => {
		const wrong = await callQueued(sandbox, 'react-to-message', { method: 'POST', json: {} });
		expect(wrong.status).toBe(405);
		expect(wrong.headers.get('allow')).toBe('PUT');
		expect((await callQueued(sandbox, 'send-text/more', { json: {} })).status).toBe(404);
	});

	test('the request log carries the chat id and the body, for POST, PUT and DELETE', async () => {
		await queue(sandbox, 'send-text', { chatId: CHAT, text: 'logged' });
		await queue(sandbox, 'react-to-message', { chatId: '15551234567', messageId: 'ABC', reaction: '👍' });
		await queue(sandbox, 'delete-message', undefined, { query: { chatId: '15557654321', messageId: 'ABC' } });
		expect(sandbox.requests.map((entry) => [entry.method, entry.path, entry.chat_id, entry.body, entry.status])).toEqual([
			['POST', `${API_BASE_PATH}/${DEFAULT_INSTANCE}/send-text`, CHAT, { chatId: CHAT, text: 'logged' }, 200],
			['PUT', `${API_BASE_PATH}/${DEFAULT_INSTANCE}/react-to-message`, '15551234567', { chatId: '15551234567', messageId: 'ABC', reaction: '👍' }, 200],
			['DELETE', `${API_BASE_PATH}/${DEFAULT_INSTANCE}/delete-message`, '15557654321', {}, 200],
		]);
	});

	test('latency delays the acceptance', async () => {
		sandbox.configure({ latencyMs: 60 });
		const started = performance.now();
		await queue(sandbox, 'start-typing', { chatId: CHAT });
		expect(performance.now() - started).toBeGreaterThanOrEqual(55);
	});
});

describe('faults', () => {
	test('phase before: the fault answers and nothing is recorded', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['503'] } });
		expect((await callQueued(sandbox, 'send-text', { json: { chatId: CHAT, text: 'x' } })).status).toBe(503);
		expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
	});

	test.each(['503', '502', 'empty', 'reset'])('phase after (%s): recorded exactly once, then the fault answers', async (kind) => {
		sandbox.configure({ faults: { rate: 1, kinds: [kind], phase: 'after' } });
		const response = await callQueued(sandbox, 'send-text', { json: { chatId: CHAT, text: 'once' } }).catch((error: Error) => error);
		if (kind === 'reset') expect((response as Error).message).toMatch(/fetch failed/);
		else expect((response as Response).status).toBe(kind === 'empty' ? 200 : Number(kind));
		expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([expect.objectContaining({ endpoint: 'send-text', body: { chatId: CHAT, text: 'once' } })]);
	});

	test('phase after with hang: recorded although no answer ever comes', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['hang'], phase: 'after' } });
		await expect(callQueued(sandbox, 'send-poll', { json: { chatId: CHAT, poll: { name: 'Q', options: ['a', 'b'] } }, signal: AbortSignal.timeout(150) })).rejects.toThrow();
		expect(sandbox.messages(DEFAULT_INSTANCE)).toHaveLength(1);
	});

	test('a validation failure is not recorded even when the fault comes after', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['500'], phase: 'after' } });
		expect((await callQueued(sandbox, 'send-text', { json: { chatId: CHAT } })).status).toBe(500);
		expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
	});

	test.each(['before', 'after'] as const)('mixed faults in phase %s: each request recorded once exactly when it was accepted', async (phase) => {
		sandbox.configure({ processingDelayMs: 0, faults: { rate: 0.25, kinds: ['429', '500', '502', '503', '504', 'reset', 'html', 'empty'], seed: 7, phase } });
		for (let i = 0; i < 200; i++) await callQueued(sandbox, 'send-text', { json: { chatId: `1555000${String(i).padStart(4, '1')}`, text: `m${i}` } }).catch(() => undefined);
		const faulted = sandbox.requests.filter((entry) => entry.fault !== null).length;
		expect(faulted).toBeGreaterThan(20);
		const texts = sandbox.messages(DEFAULT_INSTANCE).map((record) => record.body.text);
		expect(new Set(texts).size).toBe(texts.length);
		expect(texts).toHaveLength(phase === 'after' ? 200 : 200 - faulted);
		const accepted = sandbox.requests.filter((entry) => phase === 'after' || entry.fault === null).map((entry) => entry.body?.text);
		expect(texts).toEqual(accepted);
	});
});

describe('message controls', () => {
	test('GET and DELETE /__sandbox/messages/{instance}', async () => {
		sandbox.configure({ processingDelayMs: 0 });
		const result = await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'listed' });
		const listed = await readJson(await control(sandbox, `/messages/${DEFAULT_INSTANCE}`));
		expect(listed.data).toEqual([
			{
				uuid: result.uuid,
				endpoint: 'send-text',
				method: 'POST',
				chatId: CHAT,
				body: { chatId: CHAT, text: 'listed' },
				acceptedAt: expect.any(Number),
				doneAt: expect.any(Number),
				done: true,
				response_status: 201,
			},
		]);
		expect(await readJson(await control(sandbox, `/messages/${DEFAULT_INSTANCE}`, { method: 'DELETE' }))).toEqual({ ok: true });
		expect((await readJson(await control(sandbox, `/messages/${DEFAULT_INSTANCE}`))).data).toEqual([]);
	});

	test('an unknown instance is 404 there and throws from the object', async () => {
		expect((await control(sandbox, '/messages/nope')).status).toBe(404);
		expect((await control(sandbox, '/messages/nope', { method: 'DELETE' })).status).toBe(404);
		expect(() => sandbox.messages('nope')).toThrow(/unknown instance/);
		expect(() => sandbox.clearMessages('nope')).toThrow(/unknown instance/);
	});

	test('messages() gives copies', async () => {
		await queue(sandbox, 'send-text', { chatId: CHAT, text: 'x' });
		sandbox.messages(DEFAULT_INSTANCE)[0].body.text = 'changed';
		expect(sandbox.messages(DEFAULT_INSTANCE)[0].body.text).toBe('x');
	});
});

test('close() resolves promptly with requests still processing', async () => {
	const other = await startSandbox({ processingDelayMs: 60_000 });
	const response = await fetch(`${other.baseUrl}/${DEFAULT_INSTANCE}/send-text`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${DEFAULT_TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ chatId: CHAT, text: 'pending' }),
	});
	expect(response.status).toBe(200);
	const started = performance.now();
	await other.close();
	expect(performance.now() - started).toBeLessThan(500);
});
