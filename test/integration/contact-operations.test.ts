/**
 * Contact › Get, Create or Update, Get Profile Picture through n8n-core, against real HTTP
 * servers on 127.0.0.1 that answer exactly as each test needs (the sandbox suite covers the
 * same operations against the project's stand-in API).
 */
import type http from 'node:http';
import zlib from 'node:zlib';

import type { IDataObject } from 'n8n-workflow';

import { runHypersenderNode } from '../harness/n8n-core';
import type { TestServer } from '../harness/http-server';
import { sendJson, startTestServer } from '../harness/http-server';

const TOKEN = 'contact-ops-secret-token';
const INSTANCE = 'inst-1';

type Handler = (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void;

/** An API server whose every request is answered by the handler the test sets. */
async function apiServer(handler: Handler): Promise<TestServer & { bodies: string[] }> {
	const bodies: string[] = [];
	const server = await startTestServer((request, response) => {
		let body = '';
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			bodies.push(body);
			handler(request, response, body);
		});
	});
	return Object.assign(server, { bodies });
}

const servers: TestServer[] = [];

afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

async function serve(handler: Handler) {
	const server = await apiServer(handler);
	servers.push(server);
	return server;
}

async function run(
	server: TestServer,
	parameters: Record<string, unknown>,
	extra: { inputItems?: IDataObject[]; continueOnFail?: boolean } = {},
) {
	return await runHypersenderNode({
		parameters: { resource: 'contact', ...parameters } as never,
		credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: server.baseUrl },
		...extra,
	});
}

function query(url: string) {
	return Object.fromEntries(new URL(url, 'http://x').searchParams);
}

/** A valid 2×2 PNG, built here so the test does not trust the node's own image handling. */
function png(): Buffer {
	const chunk = (type: string, data: Buffer) => {
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type), data])));
		return Buffer.concat([length, Buffer.from(type), data, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(2, 0);
	header.writeUInt32BE(2, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const pixels = zlib.deflateSync(Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', pixels),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

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
		['a 404', 404],
		['a 200 without a contact', 200],
	])('names the chat ID when the API answers "Contact not found." with %s', async (_label, status) => {
		const server = await serve((_request, response) => sendJson(response, status, { message: 'Contact not found.' }));
		const result = await run(server, { operation: 'get', chatId: '+49 151 0000000' });
		expect(result.error?.message).toBe('No contact found for the chat ID "491510000000"');
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
			success: true,
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

describe('Contact › Get Profile Picture', () => {
	async function cdn(answer: (response: http.ServerResponse) => void = (response) => {
		const image = png();
		response.writeHead(200, { 'content-type': 'image/png', 'content-length': image.length });
		response.end(image);
	}) {
		return await serve((_request, response) => answer(response));
	}

	async function api(url: string | null) {
		return await serve((_request, response) =>
			sendJson(response, 200, {
				message: url ? 'Profile picture retrieved successfully.' : 'Profile picture not available.',
				data: { profilePictureURL: url },
			}),
		);
	}

	test('outputs the link', async () => {
		const server = await api('https://pps.whatsapp.net/v/t61/abc.jpg?oe=6800A0B1');
		const result = await run(server, { operation: 'getProfilePicture', chatId: '4915123456789' });
		expect(result.items.map((item) => item.json)).toEqual([
			{ chatId: '4915123456789', profilePictureUrl: 'https://pps.whatsapp.net/v/t61/abc.jpg?oe=6800A0B1' },
		]);
		expect(query(server.requests[0].url)).toEqual({ chat_id: '4915123456789' });
	});

	test('outputs null, not an error, when the picture is hidden, and downloads nothing', async () => {
		const server = await api(null);
		const result = await run(server, {
			operation: 'getProfilePicture',
			chatId: '4915123456789',
			options: { download: true },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ chatId: '4915123456789', profilePictureUrl: null });
		expect(result.items[0].binary).toBeUndefined();
	});

	test('downloads the picture into the binary property, without the token or any Hypersender header', async () => {
		const pictures = await cdn();
		const url = `${pictures.baseUrl.replace('/api/whatsapp/v2', '')}/pps/4915123456789.png?oe=FFFFFFFF`;
		const server = await api(url);
		const result = await run(server, {
			operation: 'getProfilePicture',
			chatId: '4915123456789@c.us',
			options: { download: true, binaryPropertyName: 'avatar' },
		});
		expect(result.error).toBeUndefined();
		const binary = result.items[0].binary?.avatar;
		expect(binary).toMatchObject({ mimeType: 'image/png', fileName: '4915123456789.png', fileExtension: 'png' });
		expect(Buffer.from(binary!.data, 'base64').equals(png())).toBe(true);
		expect(pictures.requests).toHaveLength(1);
		const headers = pictures.requests[0].headers;
		expect(headers.authorization).toBeUndefined();
		expect(JSON.stringify(headers)).not.toContain(TOKEN);
		expect(Object.keys(headers).filter((name) => /hypersender|instance|^x-/i.test(name))).toEqual([]);
	});

	test('names the file by its bytes when the CDN sends no image content type', async () => {
		const pictures = await cdn((response) => {
			response.writeHead(200, { 'content-type': 'application/octet-stream' });
			response.end(png());
		});
		const server = await api(`${pictures.baseUrl}/p`);
		const result = await run(server, { operation: 'getProfilePicture', chatId: '4915123456789', options: { download: true } });
		expect(result.items[0].binary?.data).toMatchObject({ mimeType: 'image/png', fileName: '4915123456789.png' });
	});

	test('fails clearly when the link has expired (403), without retrying it', async () => {
		const pictures = await cdn((response) => {
			response.writeHead(403, { 'content-type': 'text/plain' });
			response.end('URL signature expired');
		});
		const server = await api(`${pictures.baseUrl}/p`);
		const result = await run(server, { operation: 'getProfilePicture', chatId: '4915123456789', options: { download: true } });
		expect(result.error?.message).toContain('Could not download the profile picture: the server answered 403');
		expect(result.error?.description).toContain('links expire');
		expect(pictures.requests).toHaveLength(1);
	});

	test('refuses a download that is not an image', async () => {
		const pictures = await cdn((response) => {
			response.writeHead(200, { 'content-type': 'text/html' });
			response.end('<html>login</html>');
		});
		const server = await api(`${pictures.baseUrl}/p`);
		const result = await run(server, { operation: 'getProfilePicture', chatId: '4915123456789', options: { download: true } });
		expect(result.error?.message).toBe('The profile picture link did not return an image (content type text/html)');
	});

	test('treats a body without the documented field as an unexpected response', async () => {
		const server = await serve((_request, response) => sendJson(response, 200, { data: { url: 5 } }));
		const result = await run(server, { operation: 'getProfilePicture', chatId: '4915123456789' });
		expect(result.error?.message).toContain('Hypersender API returned an unexpected response');
	});

	test('never shows the token, even when the server echoes it in an error', async () => {
		const server = await serve((request, response) =>
			sendJson(response, 401, { message: `Bad token ${request.headers.authorization}` }),
		);
		const result = await run(server, { operation: 'getProfilePicture', chatId: '4915123456789' });
		expect(result.error?.message).toContain('Hypersender API error 401');
		expect(result.serialized).not.toContain(TOKEN);
	});
});
