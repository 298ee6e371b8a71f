import { contactKind, foldForSearch, phoneNumber } from '../../nodes/Hypersender/domain/contactFields';
import { runHypersenderNode } from '../harness/n8n-core';
import type { Sandbox, SandboxContact } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 3000, seed: 77 } } });
});

afterAll(async () => await sandbox.close());

beforeEach(() => sandbox.resetRequests());

async function getMany(parameters: Record<string, unknown>) {
	const result = await runHypersenderNode({ parameters: parameters as never, credentials: credentialsFor(sandbox) });
	expect(result.error).toBeUndefined();
	return result.items.map((item) => item.json as SandboxContact & Record<string, unknown>);
}

const all = () => sandbox.expected(DEFAULT_INSTANCE, 'name', 'asc');

test('the sandbox list has every kind, and names to search', () => {
	const kinds = new Set(all().map((contact) => contactKind(contact.id)));
	expect(kinds).toEqual(new Set(['phone', 'lid', 'group']));
});

describe('Contact Kind', () => {
	test('returns only groups with Return All, in the API order', async () => {
		const contacts = await getMany({ returnAll: true, options: { contactKind: ['group'] } });
		expect(contacts).toEqual(all().filter((contact) => contact.id.endsWith('@g.us')));
		expect(sandbox.requests).toHaveLength(4);
	});

	test('keeps paging with full pages until it has Limit matching contacts', async () => {
		const expected = all().filter((contact) => contactKind(contact.id) === 'lid').slice(0, 400);
		const contacts = await getMany({ returnAll: false, limit: 400, options: { contactKind: ['lid'] } });
		expect(contacts).toEqual(expected);
		const lastNeeded = all().indexOf(expected[expected.length - 1]);
		expect(sandbox.requests.map((request) => request.query.limit)).toEqual(
			Array(Math.floor(lastNeeded / 1000) + 1).fill('1000'),
		);
	});

	test('returns all matches when there are fewer than Limit', async () => {
		const expected = all().filter((contact) => contactKind(contact.id) !== 'lid');
		const contacts = await getMany({ returnAll: false, limit: 5000, options: { contactKind: ['phone', 'group'] } });
		expect(contacts).toEqual(expected);
	});
});

describe('Name Search', () => {
	test('matches name or pushname ignoring case and accents', async () => {
		const query = 'JOSE';
		const expected = all().filter((contact) =>
			[contact.name, contact.pushname].some((value) => typeof value === 'string' && foldForSearch(value).includes('jose')),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.some((contact) => /José/.test(`${contact.name} ${contact.pushname}`))).toBe(true);
		const contacts = await getMany({ returnAll: true, options: { nameSearch: query } });
		expect(contacts).toEqual(expected);
	});

	test('applies the limit to matching contacts', async () => {
		const contacts = await getMany({ returnAll: false, limit: 3, options: { nameSearch: 'a', contactKind: ['phone'] } });
		expect(contacts).toHaveLength(3);
		expect(contacts.every((contact) => contactKind(contact.id) === 'phone')).toBe(true);
	});
});

describe('Add Derived Fields', () => {
	test('is off by default: the API objects come out untouched', async () => {
		const contacts = await getMany({ returnAll: false, limit: 20 });
		expect(contacts).toEqual(all().slice(0, 20));
	});

	test('adds kind, phone and displayName, and never a phone for a linked ID', async () => {
		const contacts = await getMany({ returnAll: true, options: { addDerivedFields: true } });
		expect(contacts).toHaveLength(3000);
		for (const [index, contact] of contacts.entries()) {
			const original = all()[index];
			expect(contact.id).toBe(original.id);
			expect(contact.kind).toBe(contactKind(original.id));
			expect(contact.phone).toBe(phoneNumber(original.id));
			if (contact.kind === 'lid' || contact.kind === 'group') expect(contact.phone).toBeNull();
			if (contact.kind === 'phone') expect(contact.phone).toMatch(/^\+[1-9]\d{5,14}$/);
			expect(typeof contact.displayName).toBe('string');
			expect(contact.displayName).not.toBe('');
		}
	});
});
