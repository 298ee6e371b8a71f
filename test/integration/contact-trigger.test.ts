/**
 * Hypersender Contact Trigger: poll() through an n8n-core PollContext against the sandbox and
 * against scripted servers, with the workflow's static data kept between polls as n8n keeps it.
 */
import { createHash } from 'node:crypto';

import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeParameters, INodeType, INodeTypes, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { HypersenderContactTrigger } from '../../nodes/HypersenderContactTrigger/HypersenderContactTrigger.node';
import { FORGET_AFTER, STATE_VERSION } from '../../nodes/HypersenderContactTrigger/state';
import { sendJson } from '../harness/http-server';
import { harnessAdditionalData } from '../harness/n8n-core';
import { pollContactTrigger } from '../harness/poll';
import type { Sandbox, SandboxContact } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';
import { serve } from '../harness/scripted-api';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 2500, seed: 21 } } });
});

afterAll(async () => await sandbox.close());

beforeEach(() => {
	sandbox.configure({ faults: { rate: 0 } });
	sandbox.resetRequests();
});

const poll = async (staticData: IDataObject, options: IDataObject = {}, mode?: 'manual', asN8n1 = false) =>
	await pollContactTrigger({ parameters: { options } as never, credentials: credentialsFor(sandbox), staticData, mode, asN8n1 });

const apiRequests = () => sandbox.requests.filter((request) => request.kind === 'api');

test('the first poll remembers the book and emits nothing; later polls emit exactly the added contacts', async () => {
	const book = sandbox.contacts(DEFAULT_INSTANCE);
	const staticData: IDataObject = {};
	const first = await poll(staticData);
	expect(first.error).toBeUndefined();
	expect(first.items).toBeNull();
	// Read like Get Many's Return All: floor(N/1000) + 1 requests.
	expect(apiRequests()).toHaveLength(Math.floor(book.length / 1000) + 1);

	expect((await poll(staticData)).items).toBeNull();

	const added: SandboxContact[] = [
		{ id: '4915100001111@c.us', name: 'New One', pushname: 'N1' },
		{ id: '100000000000777@lid', pushname: 'Linked' },
	];
	sandbox.setContacts(DEFAULT_INSTANCE, [...book, ...added]);
	const third = await poll(staticData);
	expect(third.items?.map((item) => item.json)).toEqual(
		expect.arrayContaining(added.map((contact) => ({ ...contact, change: 'added' }))),
	);
	expect(third.items).toHaveLength(2);
	expect((await poll(staticData)).items).toBeNull();
	sandbox.setContacts(DEFAULT_INSTANCE, book);
});

test('Include Name Changes also emits renamed contacts, with their previous names', async () => {
	const book = sandbox.contacts(DEFAULT_INSTANCE);
	const staticData: IDataObject = {};
	await poll(staticData, { includeNameChanges: true });
	const target = book.find((contact) => contact.name)!;
	const renamed = book.map((contact) => (contact.id === target.id ? { ...contact, name: 'Renamed Person' } : contact));
	sandbox.setContacts(DEFAULT_INSTANCE, renamed);
	const result = await poll(staticData, { includeNameChanges: true });
	expect(result.items?.map((item) => item.json)).toEqual([
		{
			...target,
			name: 'Renamed Person',
			change: 'renamed',
			previousName: target.name,
			previousPushname: target.pushname ?? null,
		},
	]);
	// Without the option a rename is not news.
	sandbox.setContacts(DEFAULT_INSTANCE, book);
	expect((await poll(staticData)).items).toBeNull();
});

test('Emit Existing Contacts on First Poll emits the whole book once', async () => {
	const staticData: IDataObject = {};
	const result = await poll(staticData, { emitExistingOnFirstPoll: true, addDerivedFields: true });
	expect(result.items).toHaveLength(sandbox.contacts(DEFAULT_INSTANCE).length);
	expect(result.items?.[0].json).toMatchObject({ change: 'added', kind: expect.any(String), displayName: expect.any(String) });
	expect((await poll(staticData, { emitExistingOnFirstPoll: true })).items).toBeNull();
});

test('a poll that fails emits nothing and keeps what was remembered', async () => {
	const staticData: IDataObject = {};
	await poll(staticData);
	const remembered = JSON.stringify(staticData);
	sandbox.configure({ faults: { rate: 1, kinds: ['500'] } });
	const failed = await poll(staticData, { maxAttempts: 2, retryBudget: 1 });
	sandbox.configure({ faults: { rate: 0 } });
	expect(failed.error?.message).toContain('Hypersender API error 500');
	expect(JSON.stringify(staticData)).toBe(remembered);
});

test('contacts missing from a short read are not forgotten, so they are not "new" when they come back', async () => {
	const book = sandbox.contacts(DEFAULT_INSTANCE);
	const staticData: IDataObject = {};
	await poll(staticData);
	sandbox.setContacts(DEFAULT_INSTANCE, book.slice(0, 1200));
	expect((await poll(staticData)).items).toBeNull();
	sandbox.setContacts(DEFAULT_INSTANCE, book);
	expect((await poll(staticData)).items).toBeNull();
});

test('the state is 16 bytes per contact (12 stored as base64)', async () => {
	const staticData: IDataObject = {};
	await poll(staticData);
	const state = (staticData['node:Hypersender Contact Trigger'] as IDataObject).state as { count: number; contacts: string };
	expect(state.count).toBe(sandbox.contacts(DEFAULT_INSTANCE).length);
	expect(state.contacts.length / state.count).toBe(16);
});

test('a manual test in the editor returns a sample and remembers nothing', async () => {
	const staticData: IDataObject = {};
	const result = await poll(staticData, {}, 'manual');
	expect(result.items?.length).toBe(3);
	expect(staticData['node:Hypersender Contact Trigger'] ?? {}).toEqual({});
});

test('a page of the wrong shape fails the poll with the API error, state untouched', async () => {
	const server = await serve((_request, response) => sendJson(response, 200, { message: 'ok' }));
	const staticData: IDataObject = { keep: 'me' };
	const result = await pollContactTrigger({
		parameters: { options: {} },
		credentials: { apiToken: 't', instanceId: 'i', baseUrl: server.baseUrl },
		staticData,
	});
	expect(result.error?.message).toContain('the JSON has no "data" array');
	expect(staticData).toEqual({ keep: 'me' });
});

// ---------------------------------------------------------------------------------------
// What n8n saves, and when a contact is forgotten

/**
 * One active workflow polled again and again, as n8n's poller keeps it: the same Workflow (and
 * its static data) for every poll. After each poll, `saved` is what n8n decides on: it saves the
 * static data only when n8n-workflow's ObservableObject marked it changed (`__dataChanged`, set by
 * any assignment in it), then clears the mark (WorkflowStaticDataService.saveStaticData).
 */
class ActiveWorkflow {
	private readonly node: INode;
	private readonly workflow: Workflow;

	constructor(options: INodeParameters, staticData: IDataObject = {}) {
		const type = new HypersenderContactTrigger();
		const nodeTypes: INodeTypes = {
			getByName: (): INodeType => type,
			getByNameAndVersion: (): INodeType => type,
			getKnownTypes: () => ({}),
		};
		this.node = {
			id: 'c0a80121-7ac0-4e1d-8b8a-2f3e4d5c6b7b',
			name: 'Hypersender Contact Trigger',
			type: 'n8n-nodes-hypersender.hypersenderContactTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: { options },
			credentials: { hypersenderApi: { id: '1', name: 'Hypersender (test)' } },
		};
		this.workflow = new Workflow({ id: 'active', nodes: [this.node], connections: {}, active: true, nodeTypes, staticData, settings: { executionOrder: 'v1' } });
	}

	get state(): IDataObject | undefined {
		return (this.workflow.staticData[`node:${this.node.name}`] as IDataObject | undefined)?.state as IDataObject | undefined;
	}

	async poll() {
		const additionalData = harnessAdditionalData(credentialsFor(sandbox), 'active-poll') as IWorkflowExecuteAdditionalData;
		const context = new PollContext(this.workflow, this.node, additionalData, 'trigger', 'activate');
		const result = await new HypersenderContactTrigger().poll.call(context);
		const staticData = this.workflow.staticData as IDataObject & { __dataChanged?: boolean };
		const saved = staticData.__dataChanged === true;
		staticData.__dataChanged = false;
		return { items: result?.[0] ?? null, saved };
	}
}

test('n8n saves the static data only after a poll that changed it: not when the book is as it was', async () => {
	const book = sandbox.contacts(DEFAULT_INSTANCE);
	for (const options of [{}, { includeNameChanges: true }]) {
		const active = new ActiveWorkflow(options);
		expect(await active.poll()).toEqual({ items: null, saved: true });
		expect(await active.poll()).toEqual({ items: null, saved: false });
		sandbox.setContacts(DEFAULT_INSTANCE, [...book, { id: '4915100002222@c.us', name: 'Newcomer' }]);
		const added = await active.poll();
		expect(added.items?.map((item) => item.json.id)).toEqual(['4915100002222@c.us']);
		expect(added.saved).toBe(true);
		expect(await active.poll()).toEqual({ items: null, saved: false });
		sandbox.setContacts(DEFAULT_INSTANCE, book);
	}
});

test(`a contact missing from ${FORGET_AFTER} complete reads in a row is forgotten: when it is back it is "added" again`, async () => {
	const book = sandbox.contacts(DEFAULT_INSTANCE);
	const [early, late] = [book[10], book[20]];
	const staticData: IDataObject = {};
	await poll(staticData);
	// `early` is away for FORGET_AFTER - 1 reads, `late` for FORGET_AFTER.
	sandbox.setContacts(DEFAULT_INSTANCE, book.filter((c) => c !== early && c !== late));
	for (let read = 1; read < FORGET_AFTER; read++) expect((await poll(staticData)).items).toBeNull();
	sandbox.setContacts(DEFAULT_INSTANCE, book.filter((c) => c !== late));
	expect((await poll(staticData)).items).toBeNull();
	sandbox.setContacts(DEFAULT_INSTANCE, book);
	expect((await poll(staticData)).items?.map((item) => item.json)).toEqual([{ ...late, change: 'added' }]);
	expect((await poll(staticData)).items).toBeNull();
});

test('the state the trigger saved before (version 1) is read: no contact "added" again, renames since reported', async () => {
	const book = sandbox.contacts(DEFAULT_INSTANCE);
	const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest();
	const records = book
		.map((c) => Buffer.concat([md5(c.id).subarray(0, 8), md5(`${c.name ?? '\u0000'}\u0001${c.pushname ?? '\u0000'}`).subarray(0, 4)]))
		.sort(Buffer.compare);
	const names = Object.fromEntries(book.map((c) => [c.id, [c.name ?? null, c.pushname ?? null]]));
	const versionOne = { version: 1, count: book.length, contacts: Buffer.concat(records).toString('base64'), names };
	const target = book[100];
	sandbox.setContacts(DEFAULT_INSTANCE, book.map((c) => (c === target ? { ...c, pushname: 'Changed' } : c)));
	const active = new ActiveWorkflow({ includeNameChanges: true }, { 'node:Hypersender Contact Trigger': { state: versionOne } });
	const upgrade = await active.poll();
	expect(upgrade.items?.map((item) => item.json)).toEqual([
		{ ...target, pushname: 'Changed', change: 'renamed', previousName: target.name ?? null, previousPushname: target.pushname ?? null },
	]);
	expect(upgrade.saved).toBe(true);
	expect(active.state).toMatchObject({ version: STATE_VERSION, count: book.length });
	expect(await active.poll()).toEqual({ items: null, saved: false });
	sandbox.setContacts(DEFAULT_INSTANCE, book);
});

test('in n8n 1.x, whose poll context has no getPollBudgetMs, the trigger polls as in 2.x', async () => {
	const book = sandbox.contacts(DEFAULT_INSTANCE);
	const staticData: IDataObject = {};
	const first = await poll(staticData, {}, undefined, true);
	expect(first.error).toBeUndefined();
	expect(first.items).toBeNull();
	const added: SandboxContact = { id: '4915100002222@c.us', name: 'On n8n 1', pushname: 'One' };
	sandbox.setContacts(DEFAULT_INSTANCE, [...book, added]);
	try {
		const second = await poll(staticData, {}, undefined, true);
		expect(second.error).toBeUndefined();
		expect(second.items?.map((item) => item.json)).toEqual([{ ...added, change: 'added' }]);
	} finally {
		sandbox.setContacts(DEFAULT_INSTANCE, book);
	}
});
