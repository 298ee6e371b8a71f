/**
 * The package in n8n's queue mode, from real parts (scripts/n8n/queue.js): PostgreSQL and Redis
 * from Debian's packages, n8n 2.41.1 as main + one webhook processor + two workers (concurrency
 * 10 each) sharing one home with the packed package, binary data in the database, manual runs
 * offloaded to the workers; the sandbox as the Hypersender API. One cluster for the file.
 *
 *   (a) Get Many › Return All over 100,000 contacts runs on a worker and outputs each contact once
 *   (b) every kind of operation on a worker: contacts, a picture downloaded and uploaded (binary),
 *       a binary made by a Code node uploaded, Send Text with Wait for Result, Queued Request › Get
 *   (c) Hypersender Trigger events through the webhook processor, run on workers, each once; a
 *       missing or wrong secret starts nothing
 *   (d) 200 executions queued at once: throughput with two workers and with one
 *   (e) the Contact Trigger's memory across polls whose executions land on different workers, and
 *       across a restart of every process (n8n, Redis and Postgres)
 *   (f) a worker killed in the middle of a Return All: what n8n does with that execution, and a
 *       retry outputs each contact once
 *
 * Which process did what comes from their logs ("Enqueued execution N", "Worker started execution
 * N"); executions, their data and the workflows' static data from Postgres. The instances, the
 * credentials and the workflows are in queue-mode-fixtures.ts.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import { setTimeout as sleep } from 'node:timers/promises';

import type { QueueExecution, SandboxContact } from './queue-harness';
import { customerMessage, DEFAULT_INSTANCE, envelope, figures, keepAlive, post, QueueHarness, report, runtime } from './queue-harness';
import {
	ALL_EVENTS,
	BIG,
	BIG_SIZE,
	BOOK,
	CREDENTIALS,
	HOOK,
	isWorker,
	LOAD,
	LOAD_CONCURRENCY,
	NEW_PHONE,
	png,
	SECRET,
	seconds,
	sha256,
	W,
	workflows,
} from './queue-mode-fixtures';
import { bookReadsOf, bookSteps, loadSteps } from './queue-mode-steps';

let q: QueueHarness;
let phone: SandboxContact;
let pictureContact: string;
let hookCustomers: SandboxContact[];
const productionUrl = (webhookId: string) => `${q.cluster.webhookUrl}/webhook/${webhookId}/webhook`;

beforeAll(async () => {
	q = await QueueHarness.start({
		name: 'queue',
		instances: {
			[BIG]: { size: BIG_SIZE, seed: 100 },
			[DEFAULT_INSTANCE]: { size: 400, seed: 5 },
			[HOOK]: { size: 60, seed: 7 },
			[BOOK]: { size: 1200, seed: 9 },
		},
		credentials: Object.values(CREDENTIALS),
	});
	const { sandbox } = q;
	phone = sandbox.contacts(DEFAULT_INSTANCE).find((contact) => contact.id.endsWith('@c.us') && contact.name)!;
	const hidden = new Set(sandbox.hiddenPictures(DEFAULT_INSTANCE));
	pictureContact = sandbox.contacts(DEFAULT_INSTANCE).find((contact) => !hidden.has(contact.id) && contact.id.endsWith('@c.us'))!.id;
	hookCustomers = sandbox.expected(HOOK, 'id', 'asc').filter((contact) => contact.id.endsWith('@c.us'));
	await q.importWorkflows(workflows(q, phone, pictureContact));
	// The webhook-started workflows are published (their production webhooks live on the webhook processor).
	for (const id of [W.events.id, W.load.id, W.killed.id]) await runtime.activateWorkflow(q.cluster.mainUrl, q.session, id);
}, 10 * 60 * 1000);

afterAll(async () => {
	keepAlive.destroy();
	await q?.close();
	if (figures.length) process.stdout.write(`\n  Queue mode, measured (n8n ${runtime.N8N_VERSION}, 2 workers of concurrency 10):\n${figures.map((line) => `    ${line}`).join('\n')}\n\n`);
}, 3 * 60 * 1000);

/** Adds the processes' last log lines to a failing assertion's message. */
async function withLogs(check: () => Promise<void>): Promise<void> {
	try {
		await check();
	} catch (error) {
		if (error instanceof Error) error.message = `${error.message}\n\n${q.logs()}`;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test code: the assertion failure goes back to jest, with the logs added
		throw error;
	}
}

/** The sandbox's get-all requests for an instance. */
const bookReads = (instance: string) => bookReadsOf(q, instance);

describe('(a) Get Many › Return All over 100,000 contacts', () => {
	test('runs on a worker (not main) and outputs every contact exactly once', () =>
		withLogs(async () => {
			q.sandbox.resetRequests();
			const started = Date.now();
			const execution = await q.runManual(W.all.id);
			const wall = Date.now() - started;
			expect({ status: execution.status, error: q.errorOf(execution) }).toEqual({ status: 'success', error: undefined });
			expect(execution.mode).toBe('manual');
			expect(execution.trace.enqueuedBy).toBe('main');
			expect(execution.trace.startedBy).toHaveLength(1);
			expect(isWorker(execution.worker)).toBe(true);
			expect(execution.trace.finishedBy).toEqual([execution.worker]);

			const items = q.items(execution, 'Get many');
			expect(items).toHaveLength(BIG_SIZE);
			const ids = items.map((item) => String(item.json.id));
			expect(new Set(ids).size).toBe(BIG_SIZE);
			const expected = q.sandbox.expected(BIG);
			expect(ids).toEqual(expected.map((contact) => contact.id));
			expect(items.map((item) => item.json)).toEqual(expected);
			// Each page read once: 100 pages of 1,000, and the empty one after.
			const offsets = bookReads(BIG).map((request) => Number(request.query.offset));
			expect(new Set(offsets).size).toBe(offsets.length);
			expect(offsets.filter((offset) => offset < BIG_SIZE)).toEqual(Array.from({ length: BIG_SIZE / 1000 }, (_, page) => page * 1000));
			const onWorker = execution.stoppedAt!.getTime() - execution.startedAt!.getTime();
			report(
				`(a) Return All of ${BIG_SIZE.toLocaleString('en')} contacts on ${execution.worker}: ${seconds(onWorker)} on the worker ` +
					`(${Math.round((BIG_SIZE / onWorker) * 1000).toLocaleString('en')} contacts/s, ${offsets.length} requests), ${seconds(wall)} from Execute to the saved result`,
			);
		}),
	5 * 60 * 1000);
});

describe('(b) each kind of operation, run by a worker', () => {
	beforeAll(() => {
		q.sandbox.configure({ processingDelayMs: 300, safeDelayMs: 0 });
	});

	async function onWorker(workflowId: string): Promise<QueueExecution> {
		const execution = await q.runManual(workflowId);
		expect({ status: execution.status, error: q.errorOf(execution) }).toEqual({ status: 'success', error: undefined });
		expect(execution.trace.startedBy).toHaveLength(1);
		expect(isWorker(execution.worker)).toBe(true);
		report(`(b) ${workflowId}: ${execution.worker}, ${seconds(execution.stoppedAt!.getTime() - execution.startedAt!.getTime())}`);
		return execution;
	}

	test('Contact › Get', () =>
		withLogs(async () => {
			const execution = await onWorker(W.contactGet.id);
			expect(q.items(execution, 'Get contact').map((item) => item.json)).toEqual([q.sandbox.contact(DEFAULT_INSTANCE, phone.id)]);
		}));

	test('Contact › Create or Update (confirmed), then Get', () =>
		withLogs(async () => {
			const execution = await onWorker(W.upsert.id);
			expect(q.items(execution, 'Create or update').map((item) => item.json)).toEqual([
				expect.objectContaining({ chatId: NEW_PHONE, confirmed: true, upsertCalls: 1, contact: expect.objectContaining({ id: `${NEW_PHONE}@c.us`, name: 'Grace Hopper' }) }),
			]);
			expect(q.items(execution, 'Get it').map((item) => item.json)).toEqual([expect.objectContaining({ id: `${NEW_PHONE}@c.us`, name: 'Grace Hopper' })]);
		}));

	test('Contact › Get Profile Picture with Download, then Send Image of that binary: the same bytes arrive, and main serves the file the worker stored', () =>
		withLogs(async () => {
			q.sandbox.clearMessages(DEFAULT_INSTANCE);
			const execution = await onWorker(W.picture.id);
			const [picture] = q.items(execution, 'Get picture');
			const url = String(picture.json.profilePictureUrl);
			const original = Buffer.from(await (await fetch(url)).arrayBuffer());
			const avatar = (picture.binary as Record<string, { id?: string; mimeType: string; fileName: string }>).avatar;
			expect(avatar.mimeType).toMatch(/^image\//);
			// Binary data lives in Postgres (N8N_DEFAULT_BINARY_DATA_MODE=database), so any process reads it.
			expect(avatar.id).toMatch(/^database:/);
			expect(sha256(await q.binary(avatar.id!))).toBe(sha256(original));
			const [message, ...others] = q.sandbox.messages(DEFAULT_INSTANCE);
			expect(others).toEqual([]);
			expect(message).toEqual(expect.objectContaining({ endpoint: 'send-image', chatId: phone.id, response_status: 201 }));
			expect(message.file).toEqual(expect.objectContaining({ size: original.length, sha256: sha256(original) }));
			expect(q.items(execution, 'Send picture').map((item) => item.json)).toEqual([expect.objectContaining({ responseStatus: 201, queuedRequestId: message.uuid })]);
		}));

	test('Send Image from a binary a Code node made, then Queued Request › Get', () =>
		withLogs(async () => {
			q.sandbox.clearMessages(DEFAULT_INSTANCE);
			const execution = await onWorker(W.image.id);
			const [message] = q.sandbox.messages(DEFAULT_INSTANCE);
			expect(message).toEqual(
				expect.objectContaining({ endpoint: 'send-image', chatId: phone.id, file: { filename: 'square.png', mimetype: 'image/png', size: png.length, sha256: sha256(png) } }),
			);
			expect(q.items(execution, 'Send image').map((item) => item.json)).toEqual([expect.objectContaining({ queued: true, queuedRequestId: message.uuid })]);
			expect(q.items(execution, 'Get queued request').map((item) => [item.json.uuid, item.json.status])).toEqual([[message.uuid, expect.stringMatching(/^(pending|sent)$/)]]);
		}));

	test('Message › Send Text with Wait for Result, then Queued Request › Get: sent', () =>
		withLogs(async () => {
			q.sandbox.clearMessages(DEFAULT_INSTANCE);
			const execution = await onWorker(W.text.id);
			const [message, ...others] = q.sandbox.messages(DEFAULT_INSTANCE);
			expect(others).toEqual([]);
			// Safe mode is on by default: send-text-safe.
			expect(message).toEqual(expect.objectContaining({ endpoint: 'send-text-safe', chatId: phone.id, response_status: 201 }));
			const [sent] = q.items(execution, 'Send text').map((item) => item.json);
			expect(sent).toEqual(expect.objectContaining({ responseStatus: 201, queuedRequestId: message.uuid, message: { extendedTextMessage: { text: 'Sent by a worker' } } }));
			expect(q.items(execution, 'Get queued request').map((item) => [item.json.uuid, item.json.status, item.json.response_status])).toEqual([[message.uuid, 'sent', 201]]);
		}));
});

describe('(c) Hypersender Trigger through the webhook processor', () => {
	beforeAll(async () => {
		// A poll of the instance's own for the customer to vote in, sent before the webhook is set.
		const poll = await runtime.request(`${q.sandbox.baseUrl}/${HOOK}/send-poll`, {
			method: 'POST',
			body: { chatId: hookCustomers[0].id, poll: { name: 'Was the delivery on time?', options: ['Yes', 'No'], multipleAnswers: false } },
			headers: { authorization: `Bearer ${q.sandbox.token}` },
		});
		expect(poll.status).toBe(200);
		await sleep(1000);
		await q.sandbox.webhooksIdle();
		q.sandbox.setWebhook(HOOK, { url: productionUrl(W.events.webhookId), secret: SECRET });
	}, 3 * 60 * 1000);

	test('each event the sandbox delivers to the webhook processor runs on a worker, exactly once', () =>
		withLogs(async () => {
			const before = await q.lastExecutionId();
			q.sandbox.clearWebhookDeliveries();
			const customer = `+${hookCustomers[0].id.split('@')[0]}`;
			const steps: Array<[Parameters<typeof q.sandbox.simulate>[1], Record<string, unknown>]> = [
				['message', { from: customer, text: 'Where is my parcel?' }],
				['reaction', { from: customer, reaction: '🙏' }],
				['poll-vote', { from: customer, options: ['Yes'] }],
				['poll-vote-failed', { from: customer }],
				['waiting', { from: customer }],
				['presence', { from: customer, presence: 'typing' }],
				['ack', { from: customer, ack: 'READ' }],
				['revoke', { from: customer }],
			];
			const started = Date.now();
			for (const [kind, input] of steps) {
				const result = await q.sandbox.simulate(HOOK, kind, input);
				expect({ kind, statuses: result.events.map((event) => event.status) }).toEqual({ kind, statuses: [200] });
			}
			const deliveries = q.sandbox.webhookDeliveries();
			expect(deliveries.map((delivery) => delivery.event).sort()).toEqual([...ALL_EVENTS].sort());
			const executions = await q.executionsAfter(W.events.id, before, ALL_EVENTS.length);
			const elapsed = Date.now() - started;
			await sleep(2000);
			expect((await q.cluster.executions({ afterId: before })).map((e) => e.id)).toEqual(executions.map((e) => e.id));
			for (const execution of executions) {
				expect({ id: execution.id, mode: execution.mode, status: execution.status, enqueuedBy: execution.trace.enqueuedBy, runs: execution.trace.startedBy.length, onWorker: isWorker(execution.worker) }).toEqual({
					id: execution.id,
					mode: 'webhook',
					status: 'success',
					enqueuedBy: 'webhook',
					runs: 1,
					onWorker: true,
				});
			}
			const eventIds = executions.map((execution) => q.items(execution, 'Hypersender Trigger')[0].json.eventId).sort();
			expect(eventIds).toEqual(deliveries.map((delivery) => delivery.eventId).sort());
			const workers = [...new Set(executions.map((execution) => execution.worker))].sort();
			report(`(c) ${ALL_EVENTS.length} events delivered through the webhook processor: ${ALL_EVENTS.length} executions, each event once, on ${workers.join(' and ')}; ${seconds(elapsed)} from the first delivery to the last execution saved`);
		}), 3 * 60 * 1000);

	test('the webhook processor enforces the Webhook Secret: none or a wrong one is answered 401 and starts nothing', () =>
		withLogs(async () => {
			const url = productionUrl(W.events.webhookId);
			const before = await q.lastExecutionId();
			const good = envelope(HOOK, 'message.any', customerMessage(hookCustomers[1].id, 1));
			const headers = { 'x-instanceId': HOOK };
			const answers = {
				none: (await post(url, good, headers)).status,
				wrong: (await post(url, good, { ...headers, authorization: `Bearer ${SECRET}x` })).status,
				wrongRaw: (await post(url, good, { ...headers, authorization: SECRET.slice(0, -1) })).status,
			};
			expect(answers).toEqual({ none: 401, wrong: 401, wrongRaw: 401 });
			// Then the same event with the secret: the one execution since.
			expect((await post(url, good, { ...headers, authorization: SECRET })).status).toBe(200);
			const [execution, ...more] = await q.executionsAfter(W.events.id, before, 1);
			await sleep(2000);
			expect(more).toEqual([]);
			expect((await q.cluster.executions({ afterId: before })).map((e) => e.id)).toEqual([execution.id]);
			expect(q.items(execution, 'Hypersender Trigger')[0].json.eventId).toBe(good.data.id);
			expect(execution.trace.enqueuedBy).toBe('webhook');
			expect(isWorker(execution.worker)).toBe(true);
		}));
});

describe('(d) 200 executions queued at once', () => {
	const { drain } = loadSteps(() => q, () => hookCustomers);

	test('with two workers, then with one: every webhook runs once; executions/s of each', () =>
		withLogs(async () => {
			const two = await drain('two', [0, 1]);
			expect(Object.keys(two.perWorker).sort()).toEqual(['worker-1', 'worker-2']);
			await q.cluster.worker(1).stop();
			const one = await drain('one', [0]);
			expect(Object.keys(one.perWorker)).toEqual(['worker-1']);
			await q.cluster.worker(1).start();
			const summary = (name: string, run: typeof two) =>
				`${name}: ${run.rate.toFixed(1)} executions/s (${LOAD} queued, run in ${seconds(run.spanMs)} from the first start to the last end; ` +
				`${Object.entries(run.perWorker).map(([worker, count]) => `${worker} ${count}`).join(', ')})`;
			report(`(d) ${summary('two workers', two)}`);
			report(`(d) ${summary('one worker', one)}`);
			report(
				`(d) two workers / one worker = ${(two.rate / one.rate).toFixed(2)}; queueing the ${LOAD} webhooks (${LOAD_CONCURRENCY} at a time, the webhook processor answering each once enqueued): ` +
					`${seconds(two.answeredMs)} and ${seconds(one.answeredMs)} = ${((LOAD / two.answeredMs) * 1000).toFixed(1)} and ${((LOAD / one.answeredMs) * 1000).toFixed(1)} webhooks/s`,
			);
		}), 12 * 60 * 1000);
});

describe('(e) the Contact Trigger in queue mode', () => {
	const { nextPoll, changes, addContact, renameContact, sorted, staticData } = bookSteps(() => q);

	test('its memory holds across polls whose executions run on different workers, and across a restart of every process', () =>
		withLogs(async () => {
			q.sandbox.resetRequests();
			await runtime.activateWorkflow(q.cluster.mainUrl, q.session, W.book.id);
			// The poll at activation (on main, the leader) reads the whole book, remembers it and emits nothing.
			const firstPoll = Date.now() + 60000;
			while (bookReads(BOOK).length < 2 && Date.now() < firstPoll) await sleep(100);
			expect(bookReads(BOOK).map((request) => request.query.offset)).toEqual(['0', '1000']);
			await sleep(2000);
			expect(await q.cluster.executions({ workflowId: W.book.id })).toEqual([]);
			const memory = await staticData();
			expect(memory.length).toBeGreaterThan(1200 * 10);
			let before = await q.lastExecutionId();

			// Round 1, only worker-1 running: 2 contacts added → one execution, on worker-1.
			await q.cluster.worker(1).stop();
			const round1 = [await addContact(), await addContact()];
			const executions1 = await nextPoll(before);
			expect(changes(executions1)).toEqual([sorted(round1)]);
			expect(executions1.map((execution) => [execution.mode, execution.status, execution.trace.enqueuedBy, execution.trace.startedBy])).toEqual([['trigger', 'success', 'main', ['worker-1']]]);

			// Round 2, only worker-2 running: 1 added, 1 renamed → one execution with exactly those, on worker-2.
			await q.cluster.worker(1).start();
			await q.cluster.worker(0).stop();
			before = await q.lastExecutionId();
			const round2 = [await addContact(), await renameContact(3)];
			const executions2 = await nextPoll(before);
			expect(changes(executions2)).toEqual([sorted(round2)]);
			expect(executions2.map((execution) => [execution.trace.enqueuedBy, execution.trace.startedBy])).toEqual([['main', ['worker-2']]]);
			await q.cluster.worker(0).start();

			// Nothing changed: no execution.
			before = await q.lastExecutionId();
			expect(await nextPoll(before)).toEqual([]);

			// Every process stopped (main, webhook, workers, Redis, Postgres); changes while down; all started again.
			before = await q.lastExecutionId();
			let whileDown: unknown[][] = [];
			const restarted = Date.now();
			await q.cluster.restartAll({
				services: true,
				whileStopped: async () => {
					whileDown = [await addContact(), await renameContact(5)];
					q.sandbox.resetRequests();
				},
			});
			const restartMs = Date.now() - restarted;
			await runtime.waitForPublished(q.cluster.mainUrl, q.session, W.book.id);
			// n8n activates the workflow again by itself and polls at once: exactly what changed while it was down.
			const deadline = Date.now() + 2 * 60 * 1000;
			let afterRestart: QueueExecution[] = [];
			while (Date.now() < deadline) {
				afterRestart = await q.cluster.executions({ workflowId: W.book.id, afterId: before, withData: true });
				if (afterRestart.length > 0 && afterRestart.every((execution) => execution.done)) break;
				await sleep(500);
			}
			const emittedMs = Date.now() - restarted;
			expect(changes(afterRestart)).toEqual([sorted(whileDown)]);
			expect(isWorker(afterRestart[0].worker)).toBe(true);
			// And the next poll: nothing more.
			expect(await nextPoll(afterRestart[afterRestart.length - 1].id)).toEqual([]);
			report(
				`(e) Contact Trigger: rounds on worker-1, then worker-2, each emitted exactly what changed; every process (n8n x4, Redis, Postgres) restarted in ${seconds(restartMs)}, ` +
					`the changes made while down emitted once ${seconds(emittedMs)} after the restart began`,
			);
		}), 10 * 60 * 1000);
});

describe('(f) a worker killed in the middle of a Return All', () => {
	test('n8n fails that execution about a minute and a half later and never runs it again; Retry ends at once with the same error; the event sent again outputs each contact once', () =>
		withLogs(async () => {
			const before = await q.lastExecutionId();
			// 100 pages at 400 ms each: about 40 s, time to kill the worker after 10 pages.
			q.sandbox.configure({ latencyMs: 400 });
			q.sandbox.resetRequests();
			const call = envelope(HOOK, 'message.any', customerMessage(hookCustomers[2].id, 9001), 'evt_killed_mid_return_all');
			const send = async () => (await post(productionUrl(W.killed.webhookId), call, { authorization: SECRET, 'x-instanceId': HOOK })).status;
			expect(await send()).toBe(200);
			let execution: QueueExecution | undefined;
			const deadline = Date.now() + 2 * 60 * 1000;
			while (!(execution && execution.trace.startedBy.length && bookReads(BIG).length >= 10)) {
				if (Date.now() > deadline) throw new Error('the execution did not start reading pages');
				[execution] = await q.cluster.executions({ workflowId: W.killed.id, afterId: before });
				await sleep(100);
			}
			const victim = execution!.worker!;
			const index = Number(victim.split('-')[1]) - 1;
			const killedAt = Date.now();
			await q.cluster.worker(index).kill('SIGKILL');
			const pagesAtKill = bookReads(BIG).length;
			q.sandbox.configure({ latencyMs: 0 });

			// n8n: the job's lock in Redis expires (QUEUE_WORKER_LOCK_DURATION, 60 s), another worker's
			// stalled-job check (every 30 s) finds it, and as n8n allows no stalled retries
			// (maxStalledCount 0) the process that enqueued it marks the execution failed.
			const failed = await q.finished(execution!.id, 4 * 60 * 1000);
			const failedAfterMs = Date.now() - killedAt;
			const error = q.errorOf(failed);
			expect({ status: failed.status, error }).toEqual({ status: 'error', error: expect.stringContaining('failed to be processed too many times and will no longer retry') });
			// Nobody ran it again: started once, by the killed worker; no page read after the kill; no item output.
			expect(failed.trace.startedBy).toEqual([victim]);
			expect(bookReads(BIG).length - pagesAtKill).toBeLessThanOrEqual(1);
			expect(failed.data?.resultData?.runData?.['Get many']).toBeUndefined();
			expect((await q.cluster.executions({ afterId: before })).map((each) => each.id)).toEqual([failed.id]);

			// The executions list's Retry: a new execution (mode retry) on the worker still alive, which
			// ends at once with the same error, without running Get Many: nothing is output twice (nor at all).
			q.sandbox.resetRequests();
			const retried = await runtime.request(`${q.cluster.mainUrl}/rest/executions/${failed.id}/retry`, {
				method: 'POST',
				headers: { cookie: q.session.cookie },
				body: { loadWorkflow: false },
				timeoutMs: 4 * 60 * 1000,
			});
			expect(retried.status).toBe(200);
			const [retry, ...moreRetries] = (await q.cluster.executions({ afterId: failed.id, withData: true })).filter((each) => each.retryOf === String(failed.id));
			expect(moreRetries).toEqual([]);
			const retryDone = retry.done ? retry : await q.finished(retry.id);
			expect({ mode: retryDone.mode, status: retryDone.status, error: q.errorOf(retryDone) }).toEqual({ mode: 'retry', status: 'error', error });
			expect(retryDone.worker).not.toBe(victim);
			expect(retryDone.data?.resultData?.runData?.['Get many']).toBeUndefined();
			expect(bookReads(BIG)).toEqual([]);

			// What does run it again: the event sent again (or, for a manual run, Execute again): a new
			// execution on the other worker outputs each of the 100,000 contacts once.
			const afterRetry = await q.lastExecutionId();
			expect(await send()).toBe(200);
			const [again, ...more] = await q.executionsAfter(W.killed.id, afterRetry, 1, 3 * 60 * 1000);
			expect(more).toEqual([]);
			expect({ status: again.status, error: q.errorOf(again) }).toEqual({ status: 'success', error: undefined });
			expect(again.trace.startedBy).toHaveLength(1);
			expect(again.worker).not.toBe(victim);
			const ids = q.items(again, 'Get many').map((item) => String(item.json.id));
			expect(ids).toHaveLength(BIG_SIZE);
			expect(new Set(ids).size).toBe(BIG_SIZE);
			report(
				`(f) ${victim} killed (SIGKILL) after ${pagesAtKill} of 101 pages: the execution was marked "${failed.status}" ${seconds(failedAfterMs)} later ` +
					`("${error}") and never started again; Retry ended at once with the same error (${retryDone.worker}, no page read); ` +
					`the event sent again ran on ${again.worker}: ${ids.length.toLocaleString('en')} contacts, each once`,
			);
		}), 10 * 60 * 1000);
});
