/**
 * Contact › Get Profile Picture through n8n-core: the API's answer from a scripted server, the
 * picture from another one (a different host:port, as WhatsApp's CDN is), so what reaches the
 * picture's host is checked on its own.
 */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import type http from 'node:http';

import { encodePng } from '../../sandbox/images';
import { sendJson } from '../harness/http-server';
import { query, runContactOperation as run, serve, TOKEN } from '../harness/scripted-api';

/** A valid 2×2 PNG, built here so the test does not trust the node's own image handling. */
/** A 2×2 PNG: red, green / blue, white. */
function png(): Buffer {
	const rows = [
		[
			[255, 0, 0],
			[0, 255, 0],
		],
		[
			[0, 0, 255],
			[255, 255, 255],
		],
	] as Array<Array<[number, number, number]>>;
	return encodePng(2, 2, (x, y) => rows[y][x]);
}

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
