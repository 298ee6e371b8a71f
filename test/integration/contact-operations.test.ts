/**
 * Contact › Get and Create or Update through n8n-core, against real HTTP servers on 127.0.0.1
 * that answer exactly as each test needs (the sandbox suite covers the same operations against
 * the project's stand-in API).
 */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import type http from 'node:http';

import { sendJson } from '../harness/http-server';
import { INSTANCE, query, runContactOperation as run, serve, TOKEN } from '../harness/scripted-api';

describe('Chat ID or Phone Number', () => {
	test.each([
		['+49 (151) 234-567.89', '4915123456789'],
		['  4915123456789  ', '4915123456789'],
		['4915123456789@c.us', '4915123456789@c.us'],
		[' 100875997589545@lid ', '100875997589545@lid'],
		['120363041234567890@g.us', '120363041234567890@g.us'],
	])('sends %p as chat_id %p', async (given, sent) => {
		const server = await serve((_request, response) =>
			sendJson(response, 200, { message: 'Contact retrieved successfully.', data: { id: '4915123456789@c.us', name: 'Anna' } }),
		);
		const result = await run(server, { operation: 'get', chatId: given });
		expect(result.error).toBeUndefined();
		expect(query(server.requests[0].url)).toEqual({ chat_id: sent });
		expect(server.requests[0].url.startsWith(`/api/whatsapp/v2/${INSTANCE}/contacts/get?`)).toBe(true);
	});

	test.each([
		['', 'is empty'],
		['1234', 'is not a phone number or chat ID'],
		['123456789012345678901', 'is not a phone number or chat ID'],
		['+49 151 abc', 'is not a phone number or chat ID'],
		['49151@', 'is not a WhatsApp chat ID'],
		['anna smith@c.us', 'is not a WhatsApp chat ID'],
	])('refuses %p before any request, naming the parameter and what is allowed', async (given, problem) => {
		for (const operation of ['get', 'upsert', 'getProfilePicture']) {
			const server = await serve((_request, response) => sendJson(response, 200, {}));
			// An empty literal is refused by n8n itself (the parameter is required); an expression reaches the node.
			const result = await run(server, { operation, chatId: given === '' ? '={{ "" }}' : given, firstName: 'Anna' });
			expect(result.error?.message).toContain(`Invalid Chat ID or Phone Number (chatId): ${JSON.stringify(given)} ${problem}`);
			expect(result.error?.message).toContain('allowed: a phone number with country code (5 to 20 digits');
			expect(server.requests).toHaveLength(0);
		}
	});
});

describe('Contact › Get', () => {
	test('outputs the contact, sent with the bearer token', async () => {
		const contact = { id: '100875997589545@lid', name: 'Maria', pushname: 'Maria Doe' };
		const server = await serve((_request, response) =>
			sendJson(response, 200, { message: 'Contact retrieved successfully.', data: contact }),
		);
		const result = await run(server, { operation: 'get', chatId: '4915123456789' });
		expect(result.items.map((item) => item.json)).toEqual([contact]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	test('adds kind, phone and display name with Add Derived Fields', async () => {
		const server = await serve((_request, response) =>
			sendJson(response, 200, { data: { id: '4915123456789@c.us', name: '', pushname: 'Anna' } }),
		);
		const result = await run(server, { operation: 'get', chatId: '4915123456789', options: { addDerivedFields: true } });
		expect(result.items[0].json).toEqual({
			id: '4915123456789@c.us',
			name: '',
			pushname: 'Anna',
			kind: 'phone',
			phone: '+4915123456789',
			displayName: 'Anna',
		});
	});

	test.each([
		['a 404', 404, { message: 'Contact not found.' }],
		['a 200 without a contact', 200, { message: 'Contact not found.' }],
		['a 200 with "data": null', 200, { message: 'Contact not found.', data: null }],
		['a 200 with "data": []', 200, { message: 'Contact not found.', data: [] }],
	])('names the chat ID when the API answers "Contact not found." with %s', async (_label, status, body) => {
		const server = await serve((_request, response) => sendJson(response, status, body));
		const result = await run(server, { operation: 'get', chatId: '+49 151 0000000' });
		expect(result.error?.message).toBe('No contact found for the chat ID "491510000000" (from "+49 151 0000000")');
		expect(server.requests).toHaveLength(1);
	});

	test('gives one error item per unknown contact with continue-on-fail, and the known ones', async () => {
		const server = await serve((request, response) => {
			const { chat_id: chatId } = query(request.url ?? '');
			if (chatId === '4915111111111') return sendJson(response, 200, { data: { id: `${chatId}@c.us`, name: 'Known' } });
			sendJson(response, 404, { message: 'Contact not found.' });
		});
		const result = await run(
			server,
			{ operation: 'get', chatId: '={{ $json.phone }}' },
			{ inputItems: [{ phone: '4915111111111' }, { phone: '4915222222222' }], continueOnFail: true },
		);
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ id: '4915111111111@c.us', name: 'Known' }, { item: 0 }],
			[{ error: 'No contact found for the chat ID "4915222222222"' }, { item: 1 }],
		]);
	});

	test('reports an unknown instance as the API error it is, not as a missing contact', async () => {
		const server = await serve((_request, response) => sendJson(response, 404, { message: 'Instance not found.' }));
		const result = await run(server, { operation: 'get', chatId: '4915123456789' });
		expect(result.error?.message).toBe('Hypersender API error 404: Instance not found.');
	});

	test('retries a read after a 503 and a dropped connection', async () => {
		let calls = 0;
		const server = await serve((request, response) => {
			calls++;
			if (calls === 1) return sendJson(response, 503, { message: 'Service Unavailable' });
			if (calls === 2) return request.socket.destroy();
			sendJson(response, 200, { data: { id: '4915123456789@c.us' } });
		});
		const result = await run(server, { operation: 'get', chatId: '4915123456789' });
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(3);
	});

	test('uses the Instance ID option instead of the credential\'s instance', async () => {
		const server = await serve((_request, response) => sendJson(response, 200, { data: { id: '1@c.us' } }));
		await run(server, { operation: 'get', chatId: '4915123456789', options: { instanceId: 'other/inst' } });
		expect(server.requests[0].url.startsWith('/api/whatsapp/v2/other%2Finst/contacts/get?')).toBe(true);
	});
});

describe('Contact › Create or Update', () => {
	test('posts chat_id, first_name and last_name as JSON and outputs the answer with what was sent', async () => {
		const server = await serve((_request, response) =>
			sendJson(response, 200, { message: 'Contact upserted successfully.', data: { success: true } }),
		);
		const result = await run(server, {
			operation: 'upsert',
			chatId: '+49 151 23456789',
			firstName: ' Anna ',
			options: { lastName: 'Schmidt' },
		});
		expect(result.error).toBeUndefined();
		expect(server.requests[0]).toMatchObject({ method: 'POST', url: `/api/whatsapp/v2/${INSTANCE}/contacts/upsert` });
		expect(server.requests[0].headers['content-type']).toBe('application/json');
		expect(JSON.parse(server.bodies[0])).toEqual({ chat_id: '4915123456789', first_name: 'Anna', last_name: 'Schmidt' });
		expect(result.items[0].json).toEqual({
			chatId: '4915123456789',
			firstName: 'Anna',
			lastName: 'Schmidt',
			message: 'Contact upserted successfully.',
			data: { success: true },
		});
	});

	test('sends no last_name without the Last Name option', async () => {
		const server = await serve((_request, response) => sendJson(response, 200, { message: 'ok', data: { success: true } }));
		await run(server, { operation: 'upsert', chatId: '4915123456789', firstName: 'Anna' });
		expect(JSON.parse(server.bodies[0])).toEqual({ chat_id: '4915123456789', first_name: 'Anna' });
	});

	test('refuses an empty First Name before any request', async () => {
		const server = await serve((_request, response) => sendJson(response, 200, {}));
		const result = await run(server, { operation: 'upsert', chatId: '4915123456789', firstName: '  ' });
		expect(result.error?.message).toContain('Invalid First Name (firstName): "  " is empty');
		expect(server.requests).toHaveLength(0);
	});

	test.each([
		['a 500', (_request: http.IncomingMessage, response: http.ServerResponse) => sendJson(response, 500, { message: 'Server Error' })],
		['a 502', (_request: http.IncomingMessage, response: http.ServerResponse) => sendJson(response, 502, { message: 'Bad Gateway' })],
		['a dropped connection', (request: http.IncomingMessage) => request.socket.destroy()],
	])('never repeats the update after %s, and says it may have happened', async (_label, fail) => {
		const server = await serve(fail);
		const result = await run(server, { operation: 'upsert', chatId: '4915123456789', firstName: 'Anna' });
		expect(server.requests).toHaveLength(1);
		expect(result.error?.description).toContain('The contact may have been created or updated anyway');
	});

	test('never repeats the update after a timeout', async () => {
		const server = await serve(() => undefined);
		const result = await run(server, {
			operation: 'upsert',
			chatId: '4915123456789',
			firstName: 'Anna',
			options: { timeout: 200 },
		});
		expect(result.error?.message).toContain('no response within 200 ms');
		expect(server.requests).toHaveLength(1);
	});

	test('repeats the update after a 429 and a 503, where the server surely did not act', async () => {
		let calls = 0;
		const server = await serve((_request, response) => {
			calls++;
			if (calls === 1) {
				response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
				return response.end('{"message":"Too Many Attempts."}');
			}
			if (calls === 2) return sendJson(response, 503, { message: 'Service Unavailable' });
			sendJson(response, 200, { message: 'Contact upserted successfully.', data: { success: true } });
		});
		const result = await run(server, { operation: 'upsert', chatId: '4915123456789', firstName: 'Anna' });
		expect(result.error).toBeUndefined();
		expect(server.requests).toHaveLength(3);
	});

	test('does not repeat a refused update (422) and shows the field errors', async () => {
		const server = await serve((_request, response) =>
			sendJson(response, 422, {
				message: 'The given data was invalid.',
				errors: { first_name: ['The first name may not be greater than 255 characters.'] },
			}),
		);
		const result = await run(server, { operation: 'upsert', chatId: '4915123456789', firstName: 'Anna' });
		expect(server.requests).toHaveLength(1);
		expect(result.error?.description).toContain('first_name: The first name may not be greater than 255 characters.');
		expect(result.error?.description).not.toContain('may have been');
	});

	/** An API whose upserts show only from the `showAt`-th call on. */
	async function slowBook(showAt: number) {
		let upserts = 0;
		let name: string | undefined;
		const server = await serve((request, response, body) => {
			if (request.method === 'POST') {
				upserts++;
				const sent = JSON.parse(body) as { first_name: string; last_name?: string };
				if (upserts >= showAt) name = [sent.first_name, sent.last_name].filter(Boolean).join(' ');
				return sendJson(response, 200, { message: 'Contact upserted successfully.', data: { success: true } });
			}
			if (name === undefined) return sendJson(response, 404, { message: 'Contact not found.' });
			sendJson(response, 200, { data: { id: '4915123456789@c.us', name, pushname: 'A' } });
		});
		return { server, upserts: () => upserts };
	}

	test('with Confirm, repeats the update until the name shows and says it is confirmed', async () => {
		const book = await slowBook(2);
		const result = await run(book.server, {
			operation: 'upsert',
			chatId: '4915123456789',
			firstName: 'Anna',
			options: { lastName: 'Schmidt', confirm: true, confirmWait: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			confirmed: true,
			upsertCalls: 2,
			contact: { id: '4915123456789@c.us', name: 'Anna Schmidt', pushname: 'A' },
		});
		expect(book.upserts()).toBe(2);
	});

	test('with Confirm, stops after 3 updates and reports confirmed: false', async () => {
		const book = await slowBook(99);
		const result = await run(book.server, {
			operation: 'upsert',
			chatId: '4915123456789',
			firstName: 'Anna',
			options: { confirm: true, confirmWait: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ confirmed: false, upsertCalls: 3, contact: null });
		expect(book.upserts()).toBe(3);
	});

	test('with Confirm, one update is enough when the name shows at once', async () => {
		const book = await slowBook(1);
		const result = await run(book.server, {
			operation: 'upsert',
			chatId: '4915123456789',
			firstName: 'Anna',
			options: { confirm: true },
		});
		expect(result.items[0].json).toMatchObject({ confirmed: true, upsertCalls: 1 });
		expect(book.server.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
	});
});
