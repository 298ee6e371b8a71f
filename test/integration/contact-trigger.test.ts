/**
 * Hypersender Contact Trigger: poll() through an n8n-core PollContext against the sandbox and
 * against scripted servers, with the workflow's static data kept between polls as n8n keeps it.
 */
import type { IDataObject } from 'n8n-workflow';

import { sendJson } from '../harness/http-server';
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

const poll = async (staticData: IDataObject, options: IDataObject = {}, mode?: 'manual') =>
	await pollContactTrigger({ parameters: { options } as never, credentials: credentialsFor(sandbox), staticData, mode });

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
