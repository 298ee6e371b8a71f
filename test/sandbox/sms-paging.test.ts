/** The SMS lists: Laravel's paginator (data, links, meta), per_page, page, sort, include, filters and date ranges, for messages, threads and heartbeats. */
import type { SandboxSmsHeartbeat, SandboxSmsMessage, SandboxSmsThread } from '../harness/sandbox';
import type { Answer, Sandbox } from './helpers';
import { apiRequest, DEFAULT_INSTANCE, useSandbox } from './helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});
beforeEach(() => {
	sandbox.clearSms(DEFAULT_INSTANCE);
});

interface PageLink {
	url: string | null;
	label: string;
	active: boolean;
}

interface Page<T> {
	data: T[];
	links: { first: string; last: string; prev: string | null; next: string | null };
	meta: { current_page: number; from: number | null; last_page: number; links: PageLink[]; path: string; per_page: number; to: number | null; total: number };
	message?: string;
	errors?: Record<string, string[]>;
}

function list<T = SandboxSmsMessage>(route: string, query: Record<string, string> = {}): Promise<Answer<Page<T>>> {
	return apiRequest<Page<T>>(sandbox, 'sms', 'GET', `${DEFAULT_INSTANCE}/${route}`, { query });
}

const sqlMinute = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

describe('messages', () => {
	test('Laravel paginator: data, links and meta; 15 a page by default, newest updated first', async () => {
		sandbox.seedSms(DEFAULT_INSTANCE, { messages: 40, threads: 4 });
		const answer = await list('messages');
		expect(answer.status).toBe(200);
		const path = `${sandbox.url}/api/sms/v2/${DEFAULT_INSTANCE}/messages`;
		expect(answer.body.data).toHaveLength(15);
		expect(answer.body.data[0].content).toBe('Seeded reply 40');
		expect(answer.body.links).toEqual({ first: `${path}?page=1`, last: `${path}?page=3`, prev: null, next: `${path}?page=2` });
		expect(answer.body.meta).toEqual({
			current_page: 1,
			from: 1,
			last_page: 3,
			links: [
				{ url: null, label: '&laquo; Previous', active: false },
				{ url: `${path}?page=1`, label: '1', active: true },
				{ url: `${path}?page=2`, label: '2', active: false },
				{ url: `${path}?page=3`, label: '3', active: false },
				{ url: `${path}?page=2`, label: 'Next &raquo;', active: false },
			],
			path,
			per_page: 15,
			to: 15,
			total: 40,
		});
	});

	test('per_page and page walk every message once; the links keep the query; past the end: empty data', async () => {
		sandbox.seedSms(DEFAULT_INSTANCE, { messages: 23, threads: 3 });
		const seen: string[] = [];
		for (let page = 1; page <= 3; page++) {
			const { body } = await list('messages', { per_page: '10', page: String(page), 'filter[type]': 'sent_to_mobile,received_from_mobile' });
			seen.push(...body.data.map((message) => message.id));
			expect(body.meta).toMatchObject({ current_page: page, per_page: 10, total: 23, last_page: 3, from: (page - 1) * 10 + 1, to: Math.min(page * 10, 23) });
			if (page === 2) {
				expect(body.links.prev).toBe(`${body.meta.path}?per_page=10&filter%5Btype%5D=sent_to_mobile%2Creceived_from_mobile&page=1`);
				expect(body.links.next).toMatch(/&page=3$/);
			}
		}
		expect(new Set(seen).size).toBe(23);
		const past = await list('messages', { per_page: '10', page: '9' });
		expect(past.body).toMatchObject({ data: [], meta: { current_page: 9, from: null, to: null, total: 23 }, links: { next: null } });
		expect(past.body.links.prev).toMatch(/page=8$/);
	});

	test('per_page above 50 is 422; 0 and words too; a bad page reads as page 1', async () => {
		expect(await list('messages', { per_page: '51' })).toMatchObject({ status: 422, body: { message: 'The per page field must not be greater than 50.', errors: { per_page: ['The per page field must not be greater than 50.'] } } });
		expect((await list('messages', { per_page: '0' })).body.errors).toEqual({ per_page: ['The per page field must be at least 1.'] });
		expect((await list('messages', { per_page: 'many' })).body.errors).toEqual({ per_page: ['The per page field must be an integer.'] });
		expect((await list('messages', { per_page: '50', page: 'x' })).body.meta.current_page).toBe(1);
	});

	test('more than 13 pages: a window of links with "..."', async () => {
		sandbox.seedSms(DEFAULT_INSTANCE, { messages: 72, threads: 2 });
		const labels = async (page: number) => (await list('messages', { per_page: '1', page: String(page) })).body.meta.links.map((link) => link.label);
		expect(await labels(1)).toEqual(['&laquo; Previous', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '...', '71', '72', 'Next &raquo;']);
		expect(await labels(36)).toEqual(['&laquo; Previous', '1', '2', '...', '33', '34', '35', '36', '37', '38', '39', '...', '71', '72', 'Next &raquo;']);
		expect(await labels(70)).toEqual(['&laquo; Previous', '1', '2', '...', '63', '64', '65', '66', '67', '68', '69', '70', '71', '72', 'Next &raquo;']);
	});

	test('filters: request_id exact (comma: any of), status, type, content partial, phone numbers, thread', async () => {
		sandbox.configure({ smsSendDelayMs: 0, smsDeliveryDelayMs: 0 });
		await sms('send-message', { content: 'Order A shipped', to: '+4915123456789', request_id: 'order-1' });
		await sms('send-message', { content: 'Order B shipped', to: '+4915123456789', request_id: 'order-10' });
		await sandbox.receiveSms(DEFAULT_INSTANCE, { from: '+12025550123', content: 'Thanks!' });
		const ids = async (query: Record<string, string>) => (await list('messages', query)).body.data.map((message) => message.request_id ?? message.content);
		expect(await ids({ 'filter[request_id]': 'order-1' })).toEqual(['order-1']);
		expect((await ids({ 'filter[request_id]': 'order-1,order-10' })).sort()).toEqual(['order-1', 'order-10']);
		expect(await ids({ 'filter[content]': 'order b' })).toEqual(['order-10']);
		expect(await ids({ 'filter[type]': 'received_from_mobile' })).toHaveLength(1);
		expect(await ids({ 'filter[from_phone_number]': '+1202' })).toHaveLength(1);
		expect(await ids({ 'filter[to_phone_number]': '+4915123456789' })).toHaveLength(2);
		expect(await ids({ 'filter[status]': 'received' })).toHaveLength(1);
		const thread = sandbox.smsThreads(DEFAULT_INSTANCE)[0].id;
		expect(await ids({ 'filter[message_thread_id]': thread })).toHaveLength(2);
	});

	test('date filters: "from,to" ranges, open ends, one day; a bad date is 422', async () => {
		sandbox.seedSms(DEFAULT_INSTANCE, { messages: 10, threads: 1 });
		const all = sandbox.smsMessages(DEFAULT_INSTANCE);
		const from = all[3].created_at;
		const to = all[6].created_at;
		const range = await list('messages', { 'filter[created_at]': `${from},${to}` });
		expect(range.body.meta.total).toBe(4);
		expect((await list('messages', { 'filter[created_at]': `${from},` })).body.meta.total).toBe(7);
		expect((await list('messages', { 'filter[created_at]': `,${from}` })).body.meta.total).toBe(4);
		const day = all[0].created_at.slice(0, 10);
		expect((await list('messages', { 'filter[created_at]': day })).body.meta.total).toBe(all.filter((message) => message.created_at.startsWith(day)).length);
		expect((await list('messages', { 'filter[delivered_at]': `${sqlMinute(Date.now() - 3600000)},${sqlMinute(Date.now() + 60000)}` })).body.meta.total).toBe(5);
		const bad = await list('messages', { 'filter[created_at]': 'last week' });
		expect(bad.status).toBe(422);
		expect(Object.keys(bad.body.errors ?? {})).toEqual(['filter.created_at']);
	});

	test('sort: -field, field, several; include phone and messageThread', async () => {
		sandbox.seedSms(DEFAULT_INSTANCE, { messages: 6, threads: 2 });
		const oldestFirst = await list('messages', { sort: 'created_at' });
		expect(oldestFirst.body.data.map((message) => message.content)[0]).toBe('Seeded message 1');
		const byStatus = await list('messages', { sort: 'status,-created_at' });
		expect(byStatus.body.data.map((message) => message.status)).toEqual(['delivered', 'delivered', 'delivered', 'received', 'received', 'received']);
		const included = await list('messages', { include: 'phone,messageThread', per_page: '1' });
		expect(included.body.data[0].phone).toEqual(sandbox.smsPhone(DEFAULT_INSTANCE));
		expect(included.body.data[0].message_thread?.id).toBe(included.body.data[0].message_thread_id);
		expect((await list('messages', { per_page: '1' })).body.data[0]).not.toHaveProperty('phone');
	});

	test('a filter, sort or include not allowed is 400, as spatie answers', async () => {
		expect(await list('messages', { 'filter[colour]': 'red' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^Requested filter\(s\) `colour` are not allowed\. Allowed filter\(s\) are `request_id, /) } });
		expect(await list('messages', { sort: '-colour' })).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^Requested sort\(s\) `-colour` is not allowed/) } });
		expect(await list('messages', { include: 'owner' })).toMatchObject({ status: 400, body: { message: 'Requested include(s) `owner` are not allowed. Allowed include(s) are `phone, messageThread`.' } });
	});
});

describe('message-threads and heartbeats', () => {
	test('threads page the same way and filter by is_archived', async () => {
		sandbox.seedSms(DEFAULT_INSTANCE, { messages: 12, threads: 6 });
		const threads = sandbox.smsThreads(DEFAULT_INSTANCE);
		await apiRequest(sandbox, 'sms', 'PUT', `${DEFAULT_INSTANCE}/edit-message-thread`, { json: { message_thread_id: threads[0].id, is_archived: true } });
		const page = await list<SandboxSmsThread>('message-threads', { per_page: '4' });
		expect(page.body.meta).toMatchObject({ total: 6, last_page: 2, per_page: 4 });
		expect(page.body.data[0].id).toBe(threads[0].id);
		expect((await list<SandboxSmsThread>('message-threads', { 'filter[is_archived]': 'true' })).body.data.map((thread) => thread.id)).toEqual([threads[0].id]);
		expect((await list<SandboxSmsThread>('message-threads', { 'filter[is_archived]': '0' })).body.meta.total).toBe(5);
		const phone = sandbox.smsPhone(DEFAULT_INSTANCE).phone_number;
		const other = threads[1].from_phone_number === phone ? threads[1].to_phone_number : threads[1].from_phone_number;
		expect((await list<SandboxSmsThread>('message-threads', { 'filter[from_or_to_number]': other })).body.data.map((thread) => thread.id)).toEqual([threads[1].id]);
		expect((await list('message-threads', { 'filter[is_archived]': 'maybe' })).status).toBe(422);
		expect((await list('message-threads', { per_page: '60' })).status).toBe(422);
		expect((await list<SandboxSmsThread & { phone?: unknown }>('message-threads', { include: 'phone' })).body.data[0].phone).toEqual(sandbox.smsPhone(DEFAULT_INSTANCE));
	});

	test('heartbeats page newest first and filter', async () => {
		sandbox.seedSms(DEFAULT_INSTANCE, { messages: 0, heartbeats: 20 });
		const page = await list<SandboxSmsHeartbeat>('heartbeats', { per_page: '5', page: '2' });
		expect(page.body.meta).toMatchObject({ total: 20, last_page: 4, current_page: 2, from: 6, to: 10 });
		const all = sandbox.smsHeartbeats(DEFAULT_INSTANCE);
		expect(page.body.data.map((beat) => beat.id)).toEqual(all.slice().reverse().slice(5, 10).map((beat) => beat.id));
		expect((await list<SandboxSmsHeartbeat>('heartbeats', { 'filter[is_charging]': 'true', per_page: '50' })).body.data.every((beat) => beat.is_charging)).toBe(true);
		expect((await list<SandboxSmsHeartbeat>('heartbeats', { 'filter[battery_level]': String(all[0].battery_level) })).body.data.map((beat) => beat.id)).toContain(all[0].id);
		expect((await list('heartbeats', { 'filter[content]': 'x' })).status).toBe(400);
	});
});

function sms(route: string, json: Record<string, unknown>) {
	return apiRequest(sandbox, 'sms', 'POST', `${DEFAULT_INSTANCE}/${route}`, { json });
}
