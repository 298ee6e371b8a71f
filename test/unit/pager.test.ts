import type { HypersenderContact } from '../../nodes/Hypersender/helpers/interfaces';
import type { PageRequest } from '../../nodes/Hypersender/helpers/pager';
import { collectContacts, PagingError } from '../../nodes/Hypersender/helpers/pager';

function contactList(count: number): HypersenderContact[] {
	return Array.from({ length: count }, (_, index) => ({ id: `${1000 + index}@c.us` }));
}

/** A page source that behaves as the API documents, recording what it was asked. */
function pagesOf(contacts: HypersenderContact[]) {
	const requests: PageRequest[] = [];
	const fetchPage = async ({ offset, limit }: PageRequest) => {
		requests.push({ offset, limit });
		return contacts.slice(offset, offset + limit);
	};
	return { fetchPage, requests };
}

describe('collectContacts in Return All mode', () => {
	test.each([
		[0, 1],
		[1, 1],
		[999, 1],
		[1000, 2],
		[1001, 2],
		[2500, 3],
		[3000, 4],
	])('returns all %i contacts in %i requests (floor(N/1000) + 1)', async (count, expectedRequests) => {
		const contacts = contactList(count);
		const { fetchPage, requests } = pagesOf(contacts);
		const result = await collectContacts(fetchPage, { offset: 0, maxContacts: undefined });
		expect(result).toEqual(contacts);
		expect(requests).toHaveLength(expectedRequests);
		expect(requests.every(({ limit }) => limit === 1000)).toBe(true);
		expect(requests.map(({ offset }) => offset)).toEqual(
			Array.from({ length: expectedRequests }, (_, page) => page * 1000),
		);
	});

	test('starts at the offset and keeps paging from there', async () => {
		const contacts = contactList(2500);
		const { fetchPage, requests } = pagesOf(contacts);
		const result = await collectContacts(fetchPage, { offset: 700, maxContacts: undefined });
		expect(result).toEqual(contacts.slice(700));
		expect(requests).toEqual([
			{ offset: 700, limit: 1000 },
			{ offset: 1700, limit: 1000 },
		]);
	});

	test('asks once and returns nothing when the offset is past the end', async () => {
		const { fetchPage, requests } = pagesOf(contactList(10));
		await expect(collectContacts(fetchPage, { offset: 50, maxContacts: undefined })).resolves.toEqual([]);
		expect(requests).toEqual([{ offset: 50, limit: 1000 }]);
	});

	test('uses a smaller page size when asked to', async () => {
		const contacts = contactList(450);
		const { fetchPage, requests } = pagesOf(contacts);
		const result = await collectContacts(fetchPage, { offset: 0, maxContacts: undefined, pageSize: 200 });
		expect(result).toEqual(contacts);
		expect(requests.map(({ limit }) => limit)).toEqual([200, 200, 200]);
	});
});

describe('collectContacts with a limit', () => {
	test('asks for exactly the limit when it is at most one page', async () => {
		const contacts = contactList(2500);
		const { fetchPage, requests } = pagesOf(contacts);
		const result = await collectContacts(fetchPage, { offset: 0, maxContacts: 200 });
		expect(result).toEqual(contacts.slice(0, 200));
		expect(requests).toEqual([{ offset: 0, limit: 200 }]);
	});

	test('pages past the API maximum and returns exactly the limit', async () => {
		const contacts = contactList(5000);
		const { fetchPage, requests } = pagesOf(contacts);
		const result = await collectContacts(fetchPage, { offset: 0, maxContacts: 2500 });
		expect(result).toEqual(contacts.slice(0, 2500));
		expect(requests).toEqual([
			{ offset: 0, limit: 1000 },
			{ offset: 1000, limit: 1000 },
			{ offset: 2000, limit: 500 },
		]);
	});

	test('stops on a full page that reaches the limit, without asking for more', async () => {
		const { fetchPage, requests } = pagesOf(contactList(5000));
		await collectContacts(fetchPage, { offset: 0, maxContacts: 1000 });
		expect(requests).toEqual([{ offset: 0, limit: 1000 }]);
	});

	test('returns all there are when the limit is larger than the list', async () => {
		const contacts = contactList(1200);
		const { fetchPage } = pagesOf(contacts);
		await expect(collectContacts(fetchPage, { offset: 0, maxContacts: 5000 })).resolves.toEqual(contacts);
	});
});

describe('collectContacts with a server that does not page as documented', () => {
	test('refuses a page larger than the one asked for', async () => {
		const contacts = contactList(30);
		const fetchPage = async () => contacts;
		await expect(collectContacts(fetchPage, { offset: 0, maxContacts: 10 })).rejects.toThrow(
			new PagingError('The API returned 30 contacts for a page of 10 (offset 0)', 0),
		);
	});
});
