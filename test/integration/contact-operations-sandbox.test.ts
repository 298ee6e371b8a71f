/**
 * Contact › Get, Create or Update and Get Profile Picture through n8n-core against the sandbox:
 * one address book that Get reads, Create or Update changes and Get Many lists, pictures behind
 * expiring links, and faults injected before and after the server acts.
 */
import { runHypersenderNode } from '../harness/n8n-core';
import type { Sandbox } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';

const NO_FAULTS = { rate: 0 };

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 300, seed: 11 } } });
});

afterAll(async () => await sandbox.close());

beforeEach(() => {
	sandbox.configure({ faults: NO_FAULTS, upsertDelayMs: 0, upsertCallsNeeded: 1, pictureTtlMs: 300_000 });
	sandbox.resetRequests();
});

async function run(parameters: Record<string, unknown>, extra: { continueOnFail?: boolean } = {}) {
	return await runHypersenderNode({
		parameters: { resource: 'contact', ...parameters } as never,
		credentials: credentialsFor(sandbox),
		...extra,
	});
}

const phoneContacts = () => sandbox.contacts(DEFAULT_INSTANCE).filter((contact) => contact.id.endsWith('@c.us'));

describe('Contact › Get on the sandbox', () => {
	test('finds a phone contact by its number written with spaces and a plus', async () => {
		const contact = phoneContacts()[0];
		const digits = contact.id.split('@')[0];
		const result = await run({ operation: 'get', chatId: `+${digits.slice(0, 2)} ${digits.slice(2)}` });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([sandbox.contact(DEFAULT_INSTANCE, contact.id)]);
		expect(sandbox.requests.map((request) => request.query.chat_id)).toEqual([digits]);
	});

	test('finds the linked ID behind a phone number', async () => {
		const [linked] = sandbox.linkedPhones(DEFAULT_INSTANCE);
		const result = await run({ operation: 'get', chatId: linked.phone });
		expect(result.items[0].json).toMatchObject({ id: linked.id });
	});

	test('names the chat ID of a contact that does not exist', async () => {
		const result = await run({ operation: 'get', chatId: '4900000000001' });
		expect(result.error?.message).toBe('No contact found for the chat ID "4900000000001"');
	});
});

describe('Contact › Create or Update on the sandbox', () => {
	test('creates a contact that Get and Get Many then return', async () => {
		const result = await run({
			operation: 'upsert',
			chatId: '+44 7700 900123',
			firstName: 'Ada',
			options: { lastName: 'Lovelace' },
		});
		expect(result.items[0].json).toEqual({
			chatId: '447700900123',
			firstName: 'Ada',
			lastName: 'Lovelace',
			message: 'Contact upserted successfully.',
			data: { success: true },
		});
		const read = await run({ operation: 'get', chatId: '447700900123' });
		expect(read.items[0].json).toMatchObject({ id: '447700900123@c.us', name: 'Ada Lovelace' });
		const all = await run({ operation: 'getAll', returnAll: true, options: { nameSearch: 'lovelace' } });
		expect(all.items.map((item) => item.json)).toEqual([expect.objectContaining({ id: '447700900123@c.us' })]);
	});

	test('with Confirm, repeats the update until the sandbox shows it (it needs two calls)', async () => {
		sandbox.configure({ upsertCallsNeeded: 2 });
		const contact = phoneContacts()[1];
		const result = await run({
			operation: 'upsert',
			chatId: contact.id,
			firstName: 'Renamed',
			options: { lastName: 'Twice', confirm: true, confirmWait: 0 },
		});
		expect(result.items[0].json).toMatchObject({ confirmed: true, upsertCalls: 2, contact: { name: 'Renamed Twice' } });
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, contact.id)).toBe(2);
	});

	test('with Confirm, waits for a change that shows late without repeating it', async () => {
		sandbox.configure({ upsertDelayMs: 500 });
		const contact = phoneContacts()[2];
		const result = await run({
			operation: 'upsert',
			chatId: contact.id,
			firstName: 'Late',
			options: { confirm: true, confirmWait: 1 },
		});
		expect(result.items[0].json).toMatchObject({ confirmed: true, upsertCalls: 1, contact: { name: 'Late' } });
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, contact.id)).toBe(1);
	});

	test('sends the update once when the server fails after applying it, and says it may have happened', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['500'], phase: 'after' } });
		const contact = phoneContacts()[3];
		const result = await run({ operation: 'upsert', chatId: contact.id, firstName: 'Once' });
		expect(result.error?.message).toBe('Hypersender API error 500: Server Error');
		expect(result.error?.description).toContain('may have been created or updated anyway');
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, contact.id)).toBe(1);
		expect(sandbox.requests).toHaveLength(1);
	});

	test('repeats the update after 503s that came before the server acted, and applies it once', async () => {
		sandbox.configure({ faults: { rate: 0.5, kinds: ['503'], phase: 'before', seed: 3, retryAfter: 0 } });
		const contact = phoneContacts()[4];
		const result = await run({ operation: 'upsert', chatId: contact.id, firstName: 'Retried', options: { maxAttempts: 20 } });
		expect(result.error).toBeUndefined();
		expect(sandbox.upsertCalls(DEFAULT_INSTANCE, contact.id)).toBe(1);
		expect(sandbox.contact(DEFAULT_INSTANCE, contact.id)?.name).toBe('Retried');
	});
});

describe('Contact › Get Profile Picture on the sandbox', () => {
	const visible = () => {
		const hidden = new Set(sandbox.hiddenPictures(DEFAULT_INSTANCE));
		return sandbox.contacts(DEFAULT_INSTANCE).filter((contact) => !hidden.has(contact.id));
	};

	test('downloads the picture the link points to, without the token or any Hypersender header', async () => {
		const contact = visible()[0];
		const result = await run({ operation: 'getProfilePicture', chatId: contact.id, options: { download: true } });
		expect(result.error).toBeUndefined();
		const { json, binary } = result.items[0];
		expect(json).toEqual({ chatId: contact.id, profilePictureUrl: expect.stringContaining('/pps/') });
		expect(binary?.data.mimeType).toMatch(/^image\/(png|jpeg)$/);
		expect(binary?.data.fileName).toBe(`${contact.id.split('@')[0]}.${binary?.data.mimeType === 'image/png' ? 'png' : 'jpg'}`);
		const bytes = Buffer.from(binary!.data.data, 'base64');
		expect(bytes.length).toBeGreaterThan(50);
		const [download] = sandbox.pictureRequests;
		expect(download.status).toBe(200);
		expect(download.authorization).toBe('missing');
		expect(Object.keys(download.headers).filter((name) => /^x-|hypersender|instance/i.test(name))).toEqual([]);
	});

	test('gives null for a hidden picture and downloads nothing', async () => {
		const [hiddenId] = sandbox.hiddenPictures(DEFAULT_INSTANCE);
		const result = await run({ operation: 'getProfilePicture', chatId: hiddenId, options: { download: true } });
		expect(result.items[0].json).toEqual({ chatId: hiddenId, profilePictureUrl: null });
		expect(sandbox.pictureRequests).toHaveLength(0);
	});

	test('fails clearly on a link that expired before the download', async () => {
		sandbox.configure({ pictureTtlMs: 0 });
		const contact = visible()[1];
		const result = await run({ operation: 'getProfilePicture', chatId: contact.id, options: { download: true } });
		expect(result.error?.message).toBe('Could not download the profile picture: the server answered 403');
		expect(sandbox.pictureRequests).toHaveLength(1);
	});
});
