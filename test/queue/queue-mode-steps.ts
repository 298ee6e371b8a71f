/**
 * The longer steps of the queue-mode suite (queue-mode.spec.ts), with their assertions: (d)'s
 * drain of `LOAD` queued webhooks, and (e)'s reads of the Contact Trigger's address book. They take
 * the suite's harness through a getter, as it exists only once the suite's beforeAll has run.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud */
import { setTimeout as sleep } from 'node:timers/promises';

import type { QueueExecution, QueueHarness, SandboxContact } from './queue-harness';
import { customerMessage, envelope, inParallel, post } from './queue-harness';
import { BOOK, HOOK, isWorker, LOAD, LOAD_CONCURRENCY, POLL_INTERVAL_MS, SECRET, W } from './queue-mode-fixtures';

/** The sandbox's get-all requests for an instance. */
export const bookReadsOf = (q: QueueHarness, instance: string) =>
	q.sandbox.requests.filter((request) => request.kind === 'api' && request.instance === instance && /\/contacts\/get-all$/.test(request.path));

/** (d): drain() for the suite's harness and the HOOK instance's customers. */
export function loadSteps(harness: () => QueueHarness, customers: () => SandboxContact[]) {
	const productionUrl = (webhookId: string) => `${harness().cluster.webhookUrl}/webhook/${webhookId}/webhook`;
	/**
	 * With the workers paused (SIGSTOP: running, connected, taking no job), POSTs `LOAD` customer
	 * messages to the webhook processor (LOAD_CONCURRENCY at a time): `LOAD` jobs wait in Redis.
	 * Then resumes the workers together and waits until all have run. The rate: `LOAD` / (the
	 * last execution's end − the first one's start).
	 */
	async function drain(label: string, workers: number[]) {
		const q = harness();
		const hookCustomers = customers();
		const before = await q.lastExecutionId();
		const calls = Array.from({ length: LOAD }, (_, index) => {
			const customer = hookCustomers[index % hookCustomers.length];
			return envelope(HOOK, 'message.any', customerMessage(customer.id, index), `evt_${label}_${String(index).padStart(4, '0')}`);
		});
		for (const index of workers) q.cluster.worker(index).pause();
		const posted = Date.now();
		const statuses = await inParallel(LOAD, LOAD_CONCURRENCY, async (index) => (await post(productionUrl(W.load.webhookId), calls[index], { authorization: SECRET, 'x-instanceId': HOOK })).status);
		const answeredMs = Date.now() - posted;
		expect(statuses.filter((status) => status !== 200)).toEqual([]);
		// Every job waits in Redis (a paused worker may have taken one off the list, without starting it).
		const queued = await q.cluster.executions({ workflowId: W.load.id, afterId: before });
		expect({ queued: queued.length, started: queued.filter((execution) => execution.status !== 'new').length }).toEqual({ queued: LOAD, started: 0 });
		for (const index of workers) q.cluster.worker(index).resume();
		const executions = await q.executionsAfter(W.load.id, before, LOAD, 5 * 60 * 1000);
		expect(executions).toHaveLength(LOAD);
		expect(executions.filter((execution) => execution.status !== 'success').map((execution) => [execution.id, execution.status, q.errorOf(execution)])).toEqual([]);
		const eventIds = executions.map((execution) => String(q.items(execution, 'Hypersender Trigger')[0].json.eventId)).sort();
		expect(eventIds).toEqual(calls.map((call) => call.data.id).sort());
		for (const execution of executions) {
			const looked = q.items(execution, 'Look up')[0].json;
			expect(looked.id).toBe(q.items(execution, 'Hypersender Trigger')[0].json.chatId);
		}
		expect(executions.filter((execution) => execution.trace.startedBy.length !== 1 || !isWorker(execution.worker) || execution.trace.enqueuedBy !== 'webhook')).toEqual([]);
		const perWorker: Record<string, number> = {};
		for (const execution of executions) perWorker[execution.worker!] = (perWorker[execution.worker!] ?? 0) + 1;
		const first = Math.min(...executions.map((execution) => execution.startedAt!.getTime()));
		const last = Math.max(...executions.map((execution) => execution.stoppedAt!.getTime()));
		const spanMs = last - first;
		return { rate: (LOAD / spanMs) * 1000, perWorker, answeredMs, spanMs };
	}
	return { drain };
}

/** (e): the address book's polls, the changes the Contact Trigger output, and edits of the book. */
export function bookSteps(harness: () => QueueHarness) {
	const bookReads = (instance: string) => bookReadsOf(harness(), instance);
	/** Polls read the book at offset 0 first: how many polls have read it so far. */
	const polls = () => bookReads(BOOK).filter((request) => Number(request.query.offset ?? 0) === 0).length;

	/** Waits for the next complete poll after now, then for its executions (if any) to end. */
	async function nextPoll(afterId: number, timeoutMs = 3 * POLL_INTERVAL_MS): Promise<QueueExecution[]> {
		const seen = polls();
		const deadline = Date.now() + timeoutMs;
		const pages = Math.floor(harness().sandbox.contacts(BOOK).length / 1000) + 1;
		for (;;) {
			const reads = bookReads(BOOK);
			const starts = reads.flatMap((request, index) => (Number(request.query.offset ?? 0) === 0 ? [index] : []));
			if (starts.length > seen && reads.length - starts[starts.length - 1] >= pages) break;
			if (Date.now() > deadline) throw new Error(`no complete poll of the book within ${timeoutMs} ms`);
			await sleep(100);
		}
		await sleep(3000);
		for (;;) {
			const pending = (await harness().cluster.executions({ workflowId: W.book.id, afterId })).filter((execution) => !execution.done);
			if (pending.length === 0) break;
			if (Date.now() > deadline + 60000) throw new Error(`executions ${pending.map((execution) => execution.id).join(', ')} did not end`);
			await sleep(200);
		}
		return await harness().cluster.executions({ workflowId: W.book.id, afterId, withData: true });
	}

	/** The items of each execution as [change, id, name, previousName], sorted by id. */
	const changes = (executions: QueueExecution[]) =>
		executions.map((execution) =>
			harness()
				.items(execution, 'Hypersender Contact Trigger')
				.map(({ json }) => [json.change, json.id, json.name ?? null, json.change === 'renamed' ? json.previousName : undefined])
				.sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
		);

	let serial = 0;
	async function addContact() {
		serial += 1;
		const digits = `4917699${String(serial).padStart(6, '0')}`;
		const name = `New Customer ${serial}`;
		await harness().sandbox.simulate(BOOK, 'contact-add', { phone: digits, name, pushname: `Customer ${serial}` });
		return ['added', `${digits}@c.us`, name, undefined];
	}
	async function renameContact(index: number) {
		const before = { ...harness().sandbox.expected(BOOK, 'id', 'asc').filter((contact) => contact.id.endsWith('@c.us') && contact.name)[index] };
		const name = `${before.name} (renamed)`;
		await harness().sandbox.simulate(BOOK, 'contact-rename', { id: before.id, name });
		return ['renamed', before.id, name, before.name];
	}
	const sorted = (rows: unknown[][]) => rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])));
	const staticData = async () => JSON.stringify((await harness().cluster.query('SELECT "staticData" FROM workflow_entity WHERE id = $1', [W.book.id]))[0]?.staticData ?? null);
	return { nextPoll, changes, addContact, renameContact, sorted, staticData };
}
