/**
 * SMS › Get Many, SMS › Get Heartbeats and SMS Thread › Get Many through n8n-core: Laravel's
 * paginator read page by page (per_page at most 50, up to the limit exactly, or every page with
 * Return All), the filters as the API's query, retried reads, and lists that change or page wrongly
 * while they are read ending in a clear error, never in a short result.
 */
import { sendJson } from '../harness/http-server';
import { INSTANCE, serve, TOKEN } from '../harness/scripted-api';
import type { SmsGateway } from '../harness/sms-node';
import { callsTo, runSms, smsGateway } from '../harness/sms-node';

/** A gateway holding `count` sent messages, newest first (as the API's default order). */
async function withMessages(count: number): Promise<SmsGateway> {
	const gateway = await smsGateway();
	for (let index = 0; index < count; index++) {
		gateway.receive({ content: `Message ${index}`, from_phone_number: `+49151000${String(index).padStart(5, '0')}` });
	}
	gateway.state.calls.length = 0;
	return gateway;
}

const pages = (gateway: SmsGateway, route = 'messages') => callsTo(gateway, route).map((call) => `${call.query.per_page}/${call.query.page}`);

describe('SMS › Get Many: paging', () => {
	test.each([
		['Limit 70', { limit: 70 }, ['50/1', '50/2'], 70],
		['the default Limit (50)', {}, ['50/1'], 50],
		['Limit 7', { limit: 7 }, ['7/1'], 7],
		['Return All', { returnAll: true }, ['50/1', '50/2', '50/3'], 120],
	])('%s of 120 messages: only the pages needed, exactly that many items, in the API\'s order', async (_label, parameters, expectedPages, count) => {
		const gateway = await withMessages(120);
		const result = await runSms(gateway, { operation: 'getAll', ...parameters });
		expect(result.error).toBeUndefined();
		expect(pages(gateway)).toEqual(expectedPages);
		expect(result.items.map((item) => item.json.id)).toEqual(gateway.state.messages.slice(0, count).map((message) => message.id));
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	test('Return All over exactly two full pages asks for no third; an empty list is one request and no items', async () => {
		const gateway = await withMessages(100);
		expect((await runSms(gateway, { operation: 'getAll', returnAll: true })).items).toHaveLength(100);
		expect(pages(gateway)).toEqual(['50/1', '50/2']);
		const empty = await smsGateway();
		expect((await runSms(empty, { operation: 'getAll', returnAll: true })).items).toEqual([]);
		expect(pages(empty)).toEqual(['50/1']);
	});

	test('a page answered 503 or dropped is asked for again; the result is complete', async () => {
		const gateway = await withMessages(120);
		let faults = 0;
		gateway.configure({
			intercept: (call, response) => {
				if (call.query.page !== '2' || faults++ > 1) return false;
				if (faults === 1) sendJson(response, 503, { message: 'Service Unavailable' });
				else response.socket?.destroy();
				return true;
			},
		});
		const result = await runSms(gateway, { operation: 'getAll', returnAll: true });
		expect(result.items).toHaveLength(120);
		expect(pages(gateway)).toEqual(['50/1', '50/2', '50/2', '50/2', '50/3']);
	});

	test('a page that keeps failing fails the item and names the page', async () => {
		const gateway = await withMessages(120);
		gateway.configure({ faults: undefined, intercept: (call, response) => call.query.page === '2' && (sendJson(response, 500, { message: 'Server Error' }), true) });
		const result = await runSms(gateway, { operation: 'getAll', returnAll: true, options: { maxAttempts: 3 } });
		expect(result.error?.message).toBe('Hypersender API error 500: Server Error after 3 attempts');
		expect(result.error?.description).toContain('request for page 2 of the SMS messages after 3 attempts');
	});

	test('a message arriving between two pages: read again from page 1, complete and without repeats', async () => {
		const gateway = await withMessages(120);
		let arrived = false;
		gateway.configure({
			intercept: (call) => {
				if (call.query.page === '2' && !arrived) {
					arrived = true;
					gateway.receive({ content: 'Late' });
				}
				return false;
			},
		});
		const result = await runSms(gateway, { operation: 'getAll', returnAll: true });
		expect(result.items).toHaveLength(121);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(121);
		expect(pages(gateway)).toEqual(['50/1', '50/2', '50/1', '50/2', '50/3']);
	});

	test('a list that changes on every read fails after three reads with an error that says so', async () => {
		const gateway = await withMessages(60);
		gateway.configure({ intercept: (call) => (call.query.page === '2' && gateway.receive({ content: 'Busy' }), false) });
		const result = await runSms(gateway, { operation: 'getAll', returnAll: true });
		expect(result.error?.message).toBe('The SMS messages could not be read completely: the API counted 62 SMS messages on page 1 and 63 on page 2');
		expect(result.error?.description).toContain('The list changed while it was read (3 tries)');
		expect(result.error?.description).toContain('Options › Sort: Newest Created First');
		expect(pages(gateway)).toEqual(['50/1', '50/2', '50/1', '50/2', '50/1', '50/2']);
	});
});

describe('SMS › Get Many: pages that contradict the paginator', () => {
	const meta = (page: number, lastPage: number, total: number) => ({ current_page: page, last_page: lastPage, per_page: 50, total });
	const rows = (from: number, count: number) => Array.from({ length: count }, (_, index) => ({ id: `m-${from + index}` }));
	const run = async (answer: (page: number) => unknown) => {
		const server = await serve((request, response) => sendJson(response, 200, answer(Number(new URL(request.url ?? '', 'http://x').searchParams.get('page')))));
		const result = await runSms({ credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: server.baseUrl } }, { operation: 'getAll', returnAll: true });
		return { result, server };
	};

	test('a short page that is not the last', async () => {
		const { result } = await run((page) => ({ data: rows(page * 50, page === 1 ? 40 : 50), meta: meta(page, 3, 140) }));
		expect(result.error?.message).toBe('The SMS messages could not be read completely: page 1 held 40 SMS messages where 50 were expected, and is not the last page');
	});

	test('a server that answers every page with page 1', async () => {
		const { result } = await run(() => ({ data: rows(0, 50), meta: meta(1, 2, 100) }));
		expect(result.error?.message).toBe('The SMS messages could not be read completely: the API answered the request for page 2 with page 1');
	});

	test('the last page holds fewer than the total says', async () => {
		const { result } = await run((page) => ({ data: rows(page * 50, page === 1 ? 50 : 20), meta: meta(page, 2, 75) }));
		expect(result.error?.message).toBe('The SMS messages could not be read completely: the pages held 70 SMS messages where the API counted 75');
	});

	test('without meta: links.next is followed; a bare array is the whole list', async () => {
		const linked = await run((page) => ({ data: rows(page * 50, 50), links: { next: page < 3 ? `https://x/messages?page=${page + 1}` : null } }));
		expect(linked.result.items).toHaveLength(150);
		expect(linked.server.requests).toHaveLength(3);
		const bare = await run(() => rows(0, 7));
		expect(bare.result.items.map((item) => item.json.id)).toEqual(rows(0, 7).map((row) => row.id));
	});

	test('a body without a "data" array', async () => {
		const { result } = await run(() => ({ message: 'ok' }));
		expect(result.error?.message).toBe('Hypersender API returned an unexpected response: the JSON has no "data" array (keys: message)');
	});
});

describe('SMS › Get Many: filters', () => {
	test('each filter is sent as filter[<field>] with the API\'s values; the created range as "from,to" in UTC', async () => {
		const gateway = await smsGateway();
		const filters = {
			requestId: 'order-1042',
			status: 'delivered',
			type: 'received',
			fromPhoneNumber: '+49 151 2345-6789',
			toPhoneNumber: '4100',
			content: 'order',
			messageThreadId: '9e0631d1-203e-468c-a34b-6026ea43b6b8',
			createdAfter: '2026-01-01T00:00:00Z',
			createdBefore: '2026-01-31T22:30:00+01:00',
		};
		await runSms(gateway, { operation: 'getAll', limit: 5, filters });
		expect(callsTo(gateway, 'messages')[0].query).toEqual({
			'filter[request_id]': 'order-1042',
			'filter[status]': 'delivered',
			'filter[type]': 'received',
			'filter[from_phone_number]': '+4915123456789',
			'filter[to_phone_number]': '4100',
			'filter[content]': 'order',
			'filter[message_thread_id]': '9e0631d1-203e-468c-a34b-6026ea43b6b8',
			'filter[created_at]': '2026-01-01 00:00:00,2026-01-31 21:30:00',
			per_page: '5',
			page: '1',
		});
	});

	test('an open-ended created range; the filters select what the API holds', async () => {
		const gateway = await withMessages(3);
		gateway.receive({ content: 'Order 77 shipped', type: 'sent', status: 'delivered' });
		const result = await runSms(gateway, { operation: 'getAll', filters: { createdAfter: '2025-06-01T00:00:00Z', content: 'Order 77', status: 'delivered' } });
		expect(callsTo(gateway, 'messages')[0].query['filter[created_at]']).toBe('2025-06-01 00:00:00,9999-12-31 23:59:59');
		expect(result.items.map((item) => item.json.content)).toEqual(['Order 77 shipped']);
	});

	test('Options › Sort is sent as sort; not set, the API\'s own order (no sort parameter)', async () => {
		const gateway = await withMessages(3);
		await runSms(gateway, { operation: 'getAll', options: { sort: '-created_at' } });
		await runSms(gateway, { operation: 'getAll' });
		expect(callsTo(gateway, 'messages').map((call) => call.query.sort)).toEqual(['-created_at', undefined]);
	});

	test.each([
		[{ createdAfter: '2026-02-01T00:00:00Z', createdBefore: '2026-01-01T00:00:00Z' }, 'Invalid Created Before (createdBefore): "2026-01-01T00:00:00.000Z" is earlier than Created After'],
		[{ status: 'lost' }, 'Invalid Status (status): "lost" is not a valid choice'],
		[{ toPhoneNumber: 'anna' }, 'Invalid To Phone Number (toPhoneNumber): "anna" is not a phone number'],
		[{ createdAfter: 'last week' }, 'Invalid Created After (createdAfter): "last week" is not a date'],
	])('%j is refused before any request', async (filters, message) => {
		const gateway = await smsGateway();
		const result = await runSms(gateway, { operation: 'getAll', filters });
		expect(result.error?.message).toContain(message);
		expect(gateway.state.calls).toHaveLength(0);
	});
});

describe('SMS › Get Heartbeats', () => {
	test.each([
		[{ returnAll: true }, ['50/1', '50/2'], 75],
		[{ limit: 10 }, ['10/1'], 10],
	])('%j: pages %j, %i heartbeats in the API\'s order', async (parameters, expectedPages, count) => {
		const gateway = await smsGateway({ heartbeats: 75 });
		const result = await runSms(gateway, { operation: 'getHeartbeats', ...parameters });
		expect(pages(gateway, 'heartbeats')).toEqual(expectedPages);
		expect(result.items.map((item) => item.json.id)).toEqual(gateway.state.heartbeats.slice(0, count).map((heartbeat) => heartbeat.id));
	});
});

describe('SMS Thread › Get Many', () => {
	test('filters as the API takes them: Archived as 1 or 0, the number as from_or_to_number', async () => {
		const gateway = await smsGateway();
		for (const to of ['+4915100000001', '+4915100000002', '+4915100000003']) {
			await runSms(gateway, { operation: 'send', to, content: `Hi ${to}` });
		}
		const [first] = [...gateway.state.threads.values()];
		first.is_archived = true;
		gateway.state.calls.length = 0;
		const archived = await runSms(gateway, { resource: 'smsThread', operation: 'getAll', filters: { archived: true } });
		expect(archived.items.map((item) => item.json.id)).toEqual([first.id]);
		const active = await runSms(gateway, { resource: 'smsThread', operation: 'getAll', returnAll: true, filters: { archived: false, fromOrToNumber: '+49 151 0000 0003' } });
		expect(active.items.map((item) => item.json.to_phone_number)).toEqual(['+4915100000003']);
		await runSms(gateway, { resource: 'smsThread', operation: 'getAll', limit: 3, filters: { lastMessageContent: 'Hi', lastMessageId: 'm-1' } });
		expect(callsTo(gateway, 'message-threads').map((call) => call.query)).toEqual([
			{ 'filter[is_archived]': '1', per_page: '50', page: '1' },
			{ 'filter[is_archived]': '0', 'filter[from_or_to_number]': '+4915100000003', per_page: '50', page: '1' },
			{ 'filter[last_message_content]': 'Hi', 'filter[last_message_id]': 'm-1', per_page: '3', page: '1' },
		]);
	});
});
