/**
 * Contact › Get Profile Picture with Download on, through n8n-core: the picture's host and every
 * host a redirect points to are real servers on 127.0.0.1. What the node may fetch (https only,
 * plain http only from a loopback address, redirects included), how much (5 MB) and what it
 * stores (JPEG, PNG, GIF or WebP by their first bytes, whatever the content type says).
 */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import type http from 'node:http';

import { encodePng } from '../../sandbox/images';
import { sendJson } from '../harness/http-server';
import { runContactOperation as run, serve } from '../harness/scripted-api';

const MB = 1024 * 1024;
const PNG = encodePng(2, 2, () => [200, 40, 40]);

/** A host serving whatever `answer` writes; `origin` is its http://127.0.0.1:port. */
async function host(answer: (request: http.IncomingMessage, response: http.ServerResponse) => void) {
	const server = await serve((request, response) => answer(request, response));
	return Object.assign(server, { origin: server.baseUrl.replace('/api/whatsapp/v2', '') });
}

/** The API, answering every profile-picture request with `url`. */
async function api(url: string) {
	return await serve((_request, response) => sendJson(response, 200, { data: { profilePictureURL: url } }));
}

async function download(url: string, options: Record<string, unknown> = {}) {
	const server = await api(url);
	return await run(server, {
		operation: 'getProfilePicture',
		chatId: '4915123456789',
		options: { download: true, maxAttempts: 1, ...options },
	});
}

function picture(bytes: Buffer, contentType: string) {
	return (_request: http.IncomingMessage, response: http.ServerResponse) => {
		response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
		response.end(bytes);
	};
}

describe('https only, loopback aside, redirects included', () => {
	test('a plain-http link to another host is refused before any request', async () => {
		const result = await download('http://pps.whatsapp.net/v/t61/abc.jpg?oe=6800A0B1');
		expect(result.error?.message).toBe(
			'Could not download the profile picture: the link is http://pps.whatsapp.net: only https links are downloaded (plain http only from a loopback address)',
		);
		expect(result.error?.description).toContain('Nothing was stored');
		// The path and query (the link's signature) are not repeated.
		expect(result.serialized).not.toContain('abc.jpg?oe=');
		expect(result.items).toEqual([]);
	});

	test('a redirect to plain http off loopback is refused before that host is asked', async () => {
		// The IPv4-mapped form of 127.0.0.1 reaches this server, but is not a loopback name: had the
		// hop been followed, the server would have seen the request.
		const target = await host(picture(PNG, 'image/png'));
		const mapped = target.origin.replace('127.0.0.1', '[::ffff:127.0.0.1]');
		const start = await host((_request, response) => {
			response.writeHead(302, { location: `${mapped}/p.png` });
			response.end();
		});
		const result = await download(`${start.origin}/p`);
		expect(result.error?.message).toMatch(
			/^Could not download the profile picture: redirect 1 is http:\/\/\[::ffff:7f00:1\]:\d+: only https links are downloaded/,
		);
		expect(start.requests).toHaveLength(1);
		expect(target.requests).toHaveLength(0);
		expect(result.items).toEqual([]);
	});

	test('redirects between loopback hosts are followed, relative ones too, and the picture stored', async () => {
		const target = await host(picture(PNG, 'image/png'));
		const middle = await host((_request, response) => {
			response.writeHead(301, { location: `${target.origin}/final.png` });
			response.end();
		});
		const start = await host((request, response) => {
			response.writeHead(request.url === '/first' ? 307 : 302, {
				location: request.url === '/first' ? '/second' : `${middle.origin}/m`,
			});
			response.end();
		});
		const result = await download(`${start.origin}/first`);
		expect(result.error).toBeUndefined();
		expect(start.requests.map((request) => request.url)).toEqual(['/first', '/second']);
		expect(target.requests.map((request) => request.url)).toEqual(['/final.png']);
		expect(target.requests[0].headers.authorization).toBeUndefined();
		expect(Buffer.from(result.items[0].binary!.data.data, 'base64').equals(PNG)).toBe(true);
	});

	test('more than 5 redirects is an error', async () => {
		const loop = await host((request, response) => {
			response.writeHead(302, { location: `/hop${Number(/\d+$/.exec(request.url ?? '')?.[0] ?? 0) + 1}` });
			response.end();
		});
		const result = await download(`${loop.origin}/hop0`);
		expect(result.error?.message).toBe('Could not download the profile picture: more than 5 redirects');
		expect(loop.requests).toHaveLength(6);
	});
});

describe('5 MB at most', () => {
	test('a picture whose Content-Length is over 5 MB is refused without reading it', async () => {
		const big = Buffer.concat([PNG, Buffer.alloc(5 * MB)]);
		const pictures = await host(picture(big, 'image/png'));
		const result = await download(`${pictures.origin}/big.png`);
		expect(result.error?.message).toBe(
			`Could not download the profile picture: it is ${big.length} bytes (Content-Length), over the limit of ${5 * MB} bytes`,
		);
		expect(result.items).toEqual([]);
	});

	test('without a Content-Length, the download stops once 5 MB have arrived', async () => {
		let written = 0;
		let finished = false;
		const pictures = await host((_request, response) => {
			response.writeHead(200, { 'content-type': 'image/png' });
			response.write(PNG);
			// Up to 64 MB, as fast as the client takes it: it should stop taking soon after 5 MB.
			const chunk = Buffer.alloc(64 * 1024);
			const more = () => {
				while (written < 64 * MB) {
					written += chunk.length;
					if (!response.write(chunk)) return void response.once('drain', more);
				}
				finished = true;
				response.end();
			};
			response.on('close', () => response.removeAllListeners('drain'));
			more();
		});
		const result = await download(`${pictures.origin}/endless.png`);
		expect(result.error?.message).toBe(`Could not download the profile picture: it is over the limit of ${5 * MB} bytes`);
		expect(finished).toBe(false);
		expect(written).toBeLessThan(48 * MB);
	});

	test('a picture of just under 5 MB is stored', async () => {
		const large = Buffer.concat([PNG, Buffer.alloc(5 * MB - PNG.length)]);
		const pictures = await host(picture(large, 'image/png'));
		const result = await download(`${pictures.origin}/large.png`);
		expect(result.error).toBeUndefined();
		expect(result.items[0].binary?.data.mimeType).toBe('image/png');
	});
});

describe('JPEG, PNG, GIF or WebP, by their first bytes', () => {
	const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
	const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
	const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8L'), Buffer.alloc(8)]);

	test.each([
		['JPEG', jpeg, 'image/jpeg', 'jpg'],
		['GIF', gif, 'image/gif', 'gif'],
		['WebP', webp, 'image/webp', 'webp'],
		['PNG', PNG, 'image/png', 'png'],
	])('%s is stored as what its bytes are, whatever the content type says', async (_name, bytes, mimeType, extension) => {
		const pictures = await host(picture(bytes, 'image/x-whatever'));
		const result = await download(`${pictures.origin}/p`);
		expect(result.error).toBeUndefined();
		expect(result.items[0].binary?.data).toMatchObject({ mimeType, fileName: `4915123456789.${extension}` });
	});

	test('HTML sent as image/png is refused, naming what arrived, and nothing is stored', async () => {
		const pictures = await host(picture(Buffer.from('<html>Please log in</html>'), 'image/png'));
		const result = await download(`${pictures.origin}/p`);
		expect(result.error?.message).toBe(
			'The profile picture link did not return an image (content type image/png, but its bytes are not a JPEG, PNG, GIF or WebP picture)',
		);
		expect(result.error?.description).toContain('It returned 26 bytes beginning "<html>Please log"');
		expect(result.items).toEqual([]);
		expect(result.serialized).not.toContain('"mimeType"');
	});

	test('an SVG (an image type that can carry scripts) is refused', async () => {
		const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
		const pictures = await host(picture(svg, 'image/svg+xml'));
		const result = await download(`${pictures.origin}/p.svg`);
		expect(result.error?.message).toContain('(content type image/svg+xml, but its bytes are not a JPEG, PNG, GIF or WebP picture)');
		expect(result.items).toEqual([]);
	});

	test('binary bytes are shown in hex', async () => {
		const pictures = await host(picture(Buffer.from([0x00, 0x01, 0xfe, 0xff]), 'application/octet-stream'));
		const result = await download(`${pictures.origin}/p`);
		expect(result.error?.message).toBe('The profile picture link did not return an image (content type application/octet-stream)');
		expect(result.error?.description).toContain('It returned 4 bytes beginning 00 01 fe ff');
	});
});

test('a body that stalls ends with the timeout, not a hang', async () => {
	const pictures = await host((_request, response) => {
		response.writeHead(200, { 'content-type': 'image/png', 'content-length': 1000 });
		response.write(PNG.subarray(0, 20));
	});
	const started = Date.now();
	const result = await download(`${pictures.origin}/slow.png`, { timeout: 500 });
	expect(result.error?.message).toBe('Could not download the profile picture: no response within 500 ms');
	expect(Date.now() - started).toBeLessThan(20_000);
});
