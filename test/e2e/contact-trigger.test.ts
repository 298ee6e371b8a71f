/**
 * Hypersender Contact Trigger in a real n8n: two activated workflows poll two sandbox address books
 * (2,500 and 1,200 contacts) on n8n's own schedule; contacts are added and renamed between polls,
 * and while n8n is stopped; every execution n8n saves is checked against what changed.
 *
 * How often: n8n 2.41 refuses a poll time that fires more than once a minute (a cron with a
 * seconds field other than one fixed number: "The polling interval is too short"; checked last
 * here), but a node may have several Poll Times. These workflows have four, at seconds 0, 15, 30
 * and 45 of every minute, so they poll every 15 s; with the usual "Every Minute" the same
 * rounds would take four times as long.
 *
 *   activation    the first poll remembers the book and emits nothing (Emit Existing off)
 *   round 1       2 contacts added                      → Added: 2 items; Renamed: 2 items
 *   round 2       1 added, 1 renamed                    → Added: 1 item;  Renamed: 1 added + 1 renamed
 *   round 3       nothing changed                       → no execution
 *   n8n stopped   1 added, 1 renamed; n8n started again on the same home
 *                 → the poll at activation emits exactly those; later polls nothing
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Editor, SavedExecution, Session } from '../../scripts/n8n/runtime';
import type { SandboxContact } from '../harness/sandbox';
import type { Workflow } from './n8n-harness';
import { CREDENTIAL_TYPE, DEFAULT_INSTANCE, N8nHarness, PACKAGE_NAME, runtime } from './n8n-harness';

const TRIGGER_TYPE = `${PACKAGE_NAME}.hypersenderContactTrigger`;
const TRIGGER_NAME = 'Hypersender Contact Trigger';
const OTHER_INSTANCE = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
const SIZES = { [DEFAULT_INSTANCE]: 2500, [OTHER_INSTANCE]: 1200 };
/** Four poll times a minute: each is once a minute, as n8n requires; together every 15 s. */
const POLL_SECONDS = [0, 15, 30, 45];
const POLL_INTERVAL_MS = 15000;
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up password for the owner of the test's own throwaway n8n home
const OWNER = { email: 'contact-trigger@example.com', password: 'Contact-Trigger-1234' };

/** Added: new contacts only, on the credential's instance. Renamed: with Include Name Changes, on OTHER_INSTANCE. */
const ADDED = { id: 'hsContactsAdded', instance: DEFAULT_INSTANCE };
const RENAMED = { id: 'hsContactsRenamed', instance: OTHER_INSTANCE };
const WATCHERS = [ADDED, RENAMED];

let harness: N8nHarness;
let editor: Editor;
let session: Session;
let port: number;

let workflowCount = 0;
function contactTrigger(id: string, name: string, options: Record<string, unknown>, cronSeconds = POLL_SECONDS.map(String)): Workflow {
	workflowCount += 1;
	return {
		id,
		name,
		nodes: [
			{
				id: `c0417ac7-0000-4000-8000-${String(workflowCount).padStart(12, '0')}`,
				name: TRIGGER_NAME,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: cronSeconds.map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) },
					options,
				},
				credentials: { [CREDENTIAL_TYPE]: { id: harness.credentials.sandbox.id, name: harness.credentials.sandbox.name } },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

/** The get-all requests the sandbox has received for an instance. */
function bookReads(instance: string) {
	return harness.sandbox.requests.filter((request) => request.kind === 'api' && request.instance === instance && /\/contacts\/get-all$/.test(request.path));
}

/** How many polls have read an instance's book (each poll starts at offset 0). */
function pollsOf(instance: string): number {
	return bookReads(instance).filter((request) => Number(request.query.offset ?? 0) === 0).length;
}

/**
 * Waits for the next poll of every watcher after now, then for its executions to end; resolves
 * to the executions each workflow saved after `afterId`.
 */
async function nextPoll(afterId: number): Promise<Record<string, SavedExecution[]>> {
	const polls = Object.fromEntries(WATCHERS.map(({ instance }) => [instance, pollsOf(instance)]));
	const deadline = Date.now() + 3 * POLL_INTERVAL_MS;
	const pages = (instance: string) => Math.floor(harness.sandbox.contacts(instance).length / 1000) + 1;
	// Every watcher has started a new poll and read its whole book: floor(N/1000) + 1 pages.
	while (
		WATCHERS.some(({ instance }) => {
			const reads = bookReads(instance);
			const starts = reads.flatMap((request, index) => (Number(request.query.offset ?? 0) === 0 ? [index] : []));
			return starts.length <= polls[instance] || reads.length - starts[starts.length - 1] < pages(instance);
		})
	) {
		if (Date.now() > deadline) throw new Error(`no complete poll within ${3 * POLL_INTERVAL_MS} ms (polls so far: ${JSON.stringify(Object.fromEntries(WATCHERS.map(({ instance }) => [instance, pollsOf(instance)])))})`);
		await sleep(100);
	}
	// A poll that found something starts its execution at once; give n8n time to save and end it.
	await sleep(2000);
	for (;;) {
		const pending = runtime.savedExecutions(harness.home, { afterId }).filter((execution) => !execution.done);
		if (pending.length === 0) break;
		if (Date.now() > deadline) throw new Error(`executions ${pending.map((execution) => execution.id).join(', ')} did not end`);
		await sleep(100);
	}
	const saved = runtime.savedExecutions(harness.home, { afterId, withData: true });
	return Object.fromEntries(WATCHERS.map(({ id }) => [id, saved.filter((execution) => execution.workflowId === id)]));
}

/** The items of each execution, as [change, id, name, previousName] rows, sorted. */
function changes(executions: SavedExecution[]) {
	return executions.map((execution) =>
		(runtime.savedItems(execution, TRIGGER_NAME) ?? [])
			.map(({ json }) => [json.change, json.id, json.name ?? null, json.change === 'renamed' ? json.previousName : undefined])
			.sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
	);
}

let serial = 0;
/** Adds a new phone contact to both books; resolves to its id and name. */
async function addContact(): Promise<{ id: string; name: string }> {
	serial += 1;
	const phone = `4917699${String(serial).padStart(6, '0')}`;
	const name = `New Customer ${serial}`;
	for (const { instance } of WATCHERS) await harness.sandbox.simulate(instance, 'contact-add', { phone, name, pushname: `Customer ${serial}` });
	return { id: `${phone}@c.us`, name };
}

/** Renames a named phone contact in a book; resolves to it before and after. */
async function renameContact(instance: string, index: number): Promise<{ before: SandboxContact; id: string; name: string }> {
	// A copy: the sandbox's list holds the contacts themselves, which the rename changes.
	const before = { ...harness.expected(instance, 'id', 'asc').filter((contact) => contact.id.endsWith('@c.us') && contact.name)[index] };
	const name = `${before.name} (renamed)`;
	await harness.sandbox.simulate(instance, 'contact-rename', { id: before.id, name });
	return { before, id: before.id, name };
}

async function startN8n() {
	editor = await runtime.startEditor(harness.home, { port });
	session = await runtime.setupOwner(editor.url, OWNER);
}

beforeAll(async () => {
	harness = await N8nHarness.start({
		name: 'e2e-contact-trigger',
		instances: { [DEFAULT_INSTANCE]: { size: SIZES[DEFAULT_INSTANCE], seed: 42 }, [OTHER_INSTANCE]: { size: SIZES[OTHER_INSTANCE], seed: 9 } },
	});
	await runtime.importWorkflow(harness.home, [
		contactTrigger(ADDED.id, 'New WhatsApp contacts', {}),
		contactTrigger(RENAMED.id, 'New and renamed WhatsApp contacts', { includeNameChanges: true, instanceId: OTHER_INSTANCE }),
		contactTrigger('hsContactsTooFast', 'Polls every 5 seconds', {}, ['*/5']),
	]);
	port = await runtime.freePort();
	await startN8n();
}, 5 * 60 * 1000);

afterAll(async () => {
	await editor?.stop();
	if (editor && process.env.HYPERSENDER_E2E_KEEP === '1') fs.writeFileSync(path.join(harness.home, 'n8n.log'), editor.output());
	await harness?.close();
});

test('activated, each trigger polls at once: it reads the whole book (floor(N/1000) + 1 requests), remembers it and emits nothing', async () => {
	harness.sandbox.resetRequests();
	for (const { id } of WATCHERS) await runtime.activateWorkflow(editor.url, session, id);
	expect(bookReads(DEFAULT_INSTANCE).map((request) => request.query)).toEqual(
		[0, 1000, 2000].map((offset) => expect.objectContaining({ limit: '1000', offset: String(offset), sort_by: 'id', sort_order: 'asc' })),
	);
	expect(bookReads(OTHER_INSTANCE).map((request) => request.query.offset)).toEqual(['0', '1000']);
	await sleep(1000);
	expect(runtime.savedExecutions(harness.home)).toEqual([]);
});

test('a poll emits exactly the contacts added since the one before (both triggers)', async () => {
	const before = harness.lastExecutionId();
	const added = [await addContact(), await addContact()];
	const executions = await nextPoll(before);
	const expected = added.map(({ id, name }) => ['added', id, name, undefined]);
	expect(changes(executions[ADDED.id])).toEqual([expected]);
	expect(changes(executions[RENAMED.id])).toEqual([expected]);
	expect(executions[ADDED.id][0]).toEqual(expect.objectContaining({ mode: 'trigger', status: 'success' }));
	const [first] = runtime.savedItems(executions[ADDED.id][0], TRIGGER_NAME)!;
	expect(first.json).toEqual({ id: added[0].id, name: added[0].name, pushname: 'Customer 1', change: 'added' });
});

test('Include Name Changes: a renamed contact is emitted too, with its previous names; without it only the added one', async () => {
	const before = harness.lastExecutionId();
	const added = await addContact();
	const renamedInAdded = await renameContact(ADDED.instance, 3);
	const renamed = await renameContact(RENAMED.instance, 3);
	const executions = await nextPoll(before);
	expect(changes(executions[ADDED.id])).toEqual([[['added', added.id, added.name, undefined]]]);
	expect(renamedInAdded.name).not.toBe(renamedInAdded.before.name);
	expect(changes(executions[RENAMED.id])).toEqual([
		[
			['added', added.id, added.name, undefined],
			['renamed', renamed.id, renamed.name, renamed.before.name],
		].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
	]);
	const item = runtime.savedItems(executions[RENAMED.id][0], TRIGGER_NAME)!.find(({ json }) => json.change === 'renamed')!.json;
	expect(item).toEqual({
		id: renamed.id,
		name: renamed.name,
		...(renamed.before.pushname === undefined ? {} : { pushname: renamed.before.pushname }),
		change: 'renamed',
		previousName: renamed.before.name,
		previousPushname: renamed.before.pushname ?? null,
	});
});

/** The attempt to activate a workflow polling every 5 s (started during the wait for a poll, checked last). */
let tooFast: Promise<Error | undefined> | undefined;

test('a poll with nothing new emits nothing', async () => {
	tooFast = runtime.activateWorkflow(editor.url, session, 'hsContactsTooFast').then(
		() => undefined,
		(error: Error) => error,
	);
	const before = harness.lastExecutionId();
	const executions = await nextPoll(before);
	expect(executions).toEqual({ [ADDED.id]: [], [RENAMED.id]: [] });
	await tooFast;
});

test('after n8n is stopped and started again on the same home, the next poll emits only what changed while it was down', async () => {
	await editor.stop();
	const before = harness.lastExecutionId();
	const added = await addContact();
	const renamed = await renameContact(RENAMED.instance, 5);
	await renameContact(ADDED.instance, 5);
	harness.sandbox.resetRequests();
	const started = Date.now();
	await startN8n();
	// n8n activates both workflows by itself; each polls once as it does.
	for (const { id } of WATCHERS) await runtime.waitForPublished(editor.url, session, id);
	const deadline = Date.now() + 60000;
	const watched = () => runtime.savedExecutions(harness.home, { afterId: before }).filter((execution) => WATCHERS.some(({ id }) => id === execution.workflowId));
	while (watched().filter((execution) => execution.done).length < 2 && Date.now() < deadline) await sleep(200);
	await sleep(1000);
	const saved = runtime.savedExecutions(harness.home, { afterId: before, withData: true });
	const byWorkflow = (id: string) => saved.filter((execution) => execution.workflowId === id);
	expect(changes(byWorkflow(ADDED.id))).toEqual([[['added', added.id, added.name, undefined]]]);
	expect(changes(byWorkflow(RENAMED.id))).toEqual([
		[
			['added', added.id, added.name, undefined],
			['renamed', renamed.id, renamed.name, renamed.before.name],
		].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
	]);
	process.stdout.write(`\n  Contact Trigger: n8n restarted and the changes made while it was down emitted ${((Date.now() - started) / 1000).toFixed(1)} s later\n\n`);
	// And the polls after that: nothing more.
	const after = harness.lastExecutionId();
	expect(await nextPoll(after)).toEqual({ [ADDED.id]: [], [RENAMED.id]: [] });
}, 4 * 60 * 1000);

test('n8n refuses to activate a poll time under a minute ("*/5 * * * * *")', async () => {
	const error = await tooFast;
	expect(error?.message).toMatch(/polling interval is too short/i);
});
