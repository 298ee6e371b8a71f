/**
 * In a real n8n: the CRM options (Contact Kind, Name Search, Add Derived Fields) and a subset of
 * the fault-injection suite (seeded 429/5xx/resets, a server that only accepts small pages, a
 * server that never ends). Every case is checked against the sandbox's own list.
 */
import { contactKind, foldForSearch, phoneNumber } from '../../nodes/Hypersender/actions/contact/contactFields';
import type { CaseResult, CaseSpec, SandboxContact } from './n8n-harness';
import { DEFAULT_INSTANCE, N8nHarness } from './n8n-harness';

const SIZE = 5000;
const WELL_BEHAVED = { latencyMs: 0, faults: { rate: 0 }, maxPageSize: undefined, endless: false };

const cases: CaseSpec[] = [
	{ name: 'groups only', parameters: { returnAll: true, options: { contactKind: ['group'] } } },
	{ name: '300 linked ids', parameters: { returnAll: false, limit: 300, options: { contactKind: ['lid'] } } },
	{ name: 'name search', parameters: { returnAll: true, options: { nameSearch: 'JOSE' } } },
	{
		name: 'derived fields',
		parameters: { returnAll: true, options: { addDerivedFields: true, contactKind: ['phone', 'lid'] } },
	},
	{ name: 'faults', parameters: { returnAll: true, options: { sortBy: 'id', maxAttempts: 10 } } },
	{ name: 'small pages only', parameters: { returnAll: true, options: { sortBy: 'name', sortOrder: 'desc' } } },
	{ name: 'endless server', parameters: { returnAll: true } },
	{ name: 'concurrent', parameters: { returnAll: true, options: { sortBy: 'id', sortOrder: 'desc', concurrency: 4, maxAttempts: 10 } } },
];

let harness: N8nHarness;

beforeAll(async () => {
	harness = await N8nHarness.start({ name: 'e2e-crm-faults', instances: { [DEFAULT_INSTANCE]: { size: SIZE, seed: 99 } } });
	await harness.prepare(cases);
}, 15 * 60 * 1000);

afterAll(async () => await harness?.close());

beforeEach(() => harness.sandbox.configure(WELL_BEHAVED));

function contactsOf(result: CaseResult): Array<SandboxContact & Record<string, unknown>> {
	if (!result.ok) throw new Error(`the workflow failed: ${result.error}`);
	return result.items!.map((item) => item.json as SandboxContact & Record<string, unknown>);
}

const all = () => harness.expected(DEFAULT_INSTANCE, 'name', 'asc');

describe('CRM options in n8n', () => {
	test('Contact Kind "Group" with Return All returns exactly the groups', async () => {
		const result = await harness.execute('groups only');
		expect(contactsOf(result)).toEqual(all().filter((contact) => contactKind(contact.id) === 'group'));
	});

	test('Contact Kind "Linked ID" with Limit 300 keeps paging until it has 300', async () => {
		const result = await harness.execute('300 linked ids');
		expect(contactsOf(result)).toEqual(all().filter((contact) => contactKind(contact.id) === 'lid').slice(0, 300));
		expect(result.requests.every((request) => request.query.limit === '1000')).toBe(true);
	});

	test('Name Search ignores case and accents', async () => {
		const result = await harness.execute('name search');
		const expected = all().filter((contact) =>
			[contact.name, contact.pushname].some((value) => typeof value === 'string' && foldForSearch(value).includes('jose')),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(contactsOf(result)).toEqual(expected);
	});

	test('Add Derived Fields adds kind, phone and displayName, never a phone for a linked ID', async () => {
		const result = await harness.execute('derived fields');
		const expected = all().filter((contact) => contactKind(contact.id) !== 'group');
		const contacts = contactsOf(result);
		expect(contacts.map((contact) => contact.id)).toEqual(expected.map((contact) => contact.id));
		for (const contact of contacts) {
			expect(contact.kind).toBe(contactKind(contact.id));
			expect(contact.phone).toBe(phoneNumber(contact.id));
			if (contact.kind === 'lid') expect(contact.phone).toBeNull();
			expect(typeof contact.displayName).toBe('string');
		}
	});
});

describe('Faults in n8n', () => {
	test('returns every contact once, in order, when a quarter of the requests fail', async () => {
		harness.sandbox.configure({
			faults: { rate: 0.25, kinds: ['429', '500', '502', '503', '504', 'reset'], seed: 27, retryAfter: 0 },
		});
		const result = await harness.execute('faults');
		expect(contactsOf(result)).toEqual(harness.expected(DEFAULT_INSTANCE, 'id', 'asc'));
		expect(result.requests.filter((request) => request.fault !== null).length).toBeGreaterThan(0);
	});

	test('returns the same contacts from a server that only accepts pages of 200', async () => {
		harness.sandbox.configure({ maxPageSize: 200 });
		const result = await harness.execute('small pages only');
		expect(contactsOf(result)).toEqual(harness.expected(DEFAULT_INSTANCE, 'name', 'desc'));
	});

	test('Concurrent Requests 4 returns the same list, in order, under faults', async () => {
		harness.sandbox.configure({
			latencyMs: 10,
			faults: { rate: 0.2, kinds: ['429', '500', '502', '503', '504', 'reset'], seed: 5, retryAfter: 0 },
		});
		const result = await harness.execute('concurrent');
		expect(contactsOf(result)).toEqual(harness.expected(DEFAULT_INSTANCE, 'id', 'desc'));
		const served = result.requests.filter((request) => request.status === 200);
		expect(served.length).toBeGreaterThanOrEqual(Math.floor(SIZE / 1000) + 1);
		expect(served.length).toBeLessThanOrEqual(Math.floor(SIZE / 1000) + 4);
	});

	test('stops a server that never ends with a clear error', async () => {
		harness.sandbox.configure({ endless: true });
		const result = await harness.execute('endless server');
		expect(result.ok).toBe(false);
		expect(result.error).toMatch(/keeps returning full pages of contacts already read/);
		expect(result.requests).toHaveLength(3);
	});
});
