/** The media links: bytes and headers from the media host and the API origin, the token, expiry, variants and the download log. */
import type { Sandbox } from './helpers';
import { DEFAULT_INSTANCE, DEFAULT_TOKEN, control, readJson, sleep, useSandbox } from './helpers';
import { download, simulateMedia } from './media-helpers';
import { MEDIA_KINDS } from '../../sandbox/server';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

const TYPES = { voice: 'audio/ogg; codecs=opus', image: 'image/jpeg', document: 'application/pdf', video: 'video/mp4', sticker: 'image/webp' };
const MAGIC = { voice: 'OggS', image: '\xff\xd8\xff\xe0', document: '%PDF-', video: '\x00\x00\x00\x20ftypisom', sticker: 'RIFF' };

describe('bytes and headers', () => {
	test.each(MEDIA_KINDS)('%s from the media host: the bytes, byte for byte, with type and length, no token needed', async (kind) => {
		const { media } = await simulateMedia(sandbox, { kind });
		const got = await download(media.url as string);
		expect(got.status).toBe(200);
		expect(got.bytes.equals(sandbox.mediaBytes(media.id))).toBe(true);
		expect(got.bytes.subarray(0, MAGIC[kind].length).toString('latin1')).toBe(MAGIC[kind]);
		expect(got.headers.get('content-type')).toBe(TYPES[kind]);
		expect(got.headers.get('content-length')).toBe(String(media.size));
		expect(got.headers.get('content-disposition')).toBe(kind === 'document' ? `attachment; filename="order-confirmation.pdf"; filename*=UTF-8''order-confirmation.pdf` : null);
		if (kind === 'image') expect(got.bytes.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(true);
		if (kind === 'document') expect(got.bytes.subarray(-6).toString('latin1')).toBe('%%EOF\n');
	});

	test('from the API origin with the token; a non-ASCII document name in Content-Disposition; HEAD has the headers only', async () => {
		const { media } = await simulateMedia(sandbox, { kind: 'document', origin: 'api', filename: 'Rechnung März.pdf' });
		const got = await download(media.url as string, true);
		expect(got.status).toBe(200);
		expect(got.bytes.equals(sandbox.mediaBytes(media.id))).toBe(true);
		expect(got.headers.get('content-disposition')).toBe(`attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`);
		const head = await download(media.url as string, true, 'HEAD');
		expect(head).toMatchObject({ status: 200, bytes: Buffer.alloc(0) });
		expect(head.headers.get('content-length')).toBe(String(media.size));
		expect(sandbox.requests).toHaveLength(0);
	});

	test('5 MB media, downloaded again and again, are the same bytes (and fetchable from the control API)', async () => {
		const size = 5 * 1024 * 1024;
		const { media } = await simulateMedia(sandbox, { kind: 'video', size });
		const expected = sandbox.mediaBytes(media.id);
		expect(expected).toHaveLength(size);
		for (let i = 0; i < 5; i++) expect((await download(media.url as string)).bytes.equals(expected)).toBe(true);
		const viaControl = await control(sandbox, `/media/${media.id}/bytes`);
		expect(viaControl.headers.get('content-type')).toBe('video/mp4');
		expect(Buffer.from(await viaControl.arrayBuffer()).equals(expected)).toBe(true);
	});
});

describe('the token', () => {
	test('the API origin wants the token: 401 without it or with another, logged as missing / wrong', async () => {
		const { media } = await simulateMedia(sandbox, { kind: 'voice', origin: 'api' });
		expect(await download(media.url as string)).toMatchObject({ status: 401, json: { message: 'Unauthenticated.' } });
		expect(await download(media.url as string, 'Bearer nope')).toMatchObject({ status: 401, json: { message: 'Unauthenticated.' } });
		expect((await download(media.url as string, true)).status).toBe(200);
		expect(sandbox.mediaRequests().map(({ origin, authorization, tokenSent, status, mediaId }) => ({ origin, authorization, tokenSent, status, mediaId }))).toEqual([
			{ origin: 'api', authorization: 'missing', tokenSent: false, status: 401, mediaId: media.id },
			{ origin: 'api', authorization: 'wrong', tokenSent: false, status: 401, mediaId: media.id },
			{ origin: 'api', authorization: 'present', tokenSent: true, status: 200, mediaId: media.id },
		]);
	});

	test('the media host serves without a token, and logs when one came anyway (header or URL), never the token itself', async () => {
		const { media } = await simulateMedia(sandbox, { kind: 'image' });
		await download(media.url as string);
		await download(media.url as string, true);
		await download(`${media.url}&token=${DEFAULT_TOKEN}`);
		const log = sandbox.mediaRequests();
		expect(log.map(({ origin, authorization, tokenSent, status }) => ({ origin, authorization, tokenSent, status }))).toEqual([
			{ origin: 'media-host', authorization: 'missing', tokenSent: false, status: 200 },
			{ origin: 'media-host', authorization: 'present', tokenSent: true, status: 200 },
			{ origin: 'media-host', authorization: 'missing', tokenSent: true, status: 200 },
		]);
		expect(log[1].headers.authorization).toBe('[redacted]');
		expect(JSON.stringify(log)).not.toContain(DEFAULT_TOKEN);
		expect(log[0]).toMatchObject({ method: 'GET', path: `/media/${media.id}`, instance: DEFAULT_INSTANCE, bytes: media.size, aborted: false, durationMs: expect.any(Number) });
	});

	test('an API-origin link of an unknown instance: 404 Instance not found. after the token', async () => {
		const { media } = await simulateMedia(sandbox, { kind: 'image', origin: 'api' });
		const other = (media.url as string).replace(`/${DEFAULT_INSTANCE}/`, '/no-such-instance/');
		expect(await download(other, true)).toMatchObject({ status: 404, json: { message: 'Instance not found.' } });
		expect(await download(other)).toMatchObject({ status: 401 });
	});
});

describe('expiry and refusals', () => {
	test('a link expires after expiresInMs (403), and expireMedia() ends it at once', async () => {
		const short = await simulateMedia(sandbox, { kind: 'sticker', expiresInMs: 150 });
		expect((await download(short.media.url as string)).status).toBe(200);
		await sleep(200);
		expect(await download(short.media.url as string)).toMatchObject({ status: 403, json: { message: 'URL signature expired.' } });
		const api = await simulateMedia(sandbox, { kind: 'image', origin: 'api' });
		expect(sandbox.expireMedia(api.media.id).expiresAt).toBeLessThanOrEqual(Date.now());
		expect(await download(api.media.url as string, true)).toMatchObject({ status: 403, json: { message: 'URL signature expired.' } });
		const zero = await simulateMedia(sandbox, { kind: 'image', expiresInMs: 0 });
		expect((await download(zero.media.url as string)).status).toBe(403);
	});

	test('the default link lives 10 minutes', async () => {
		const before = Date.now();
		const { media } = await simulateMedia(sandbox, { kind: 'image' });
		expect(media.expiresAt - before).toBeGreaterThanOrEqual(10 * 60 * 1000);
		expect(media.expiresAt - Date.now()).toBeLessThanOrEqual(10 * 60 * 1000);
	});

	test('a changed exp, sig or id is 403 Invalid URL signature.; notFound and a path of no media are 404', async () => {
		const { media } = await simulateMedia(sandbox, { kind: 'image' });
		const url = media.url as string;
		expect(await download(url.replace(/exp=\d+/, `exp=${media.expiresAt + 1000}`))).toMatchObject({ status: 403, json: { message: 'Invalid URL signature.' } });
		expect(await download(url.replace(/sig=[0-9a-f]{4}/, 'sig=0000'))).toMatchObject({ status: 403 });
		expect(await download(url.replace(media.id, 'f'.repeat(24)))).toMatchObject({ status: 403 });
		expect(await download(`${sandbox.mediaUrl}/elsewhere`)).toMatchObject({ status: 404 });
		const gone = await simulateMedia(sandbox, { kind: 'voice', notFound: true });
		expect(await download(gone.media.url as string)).toMatchObject({ status: 404, json: { message: 'Media not found.' } });
		expect((await download(url, false, 'POST')).status).toBe(405);
	});
});

describe('slow links', () => {
	test('a throttled link takes its time, the webhook delivery does not wait for it', async () => {
		const started = Date.now();
		const { media } = await simulateMedia(sandbox, { kind: 'voice', size: 6000, throttleBytesPerSecond: 20000 });
		expect(Date.now() - started).toBeLessThan(200);
		const got = await download(media.url as string);
		expect(got.bytes.equals(sandbox.mediaBytes(media.id))).toBe(true);
		expect(sandbox.mediaRequests()[0].durationMs).toBeGreaterThanOrEqual(200);
	});

	test('a delayed link answers after delayMs; a client that gives up is logged as aborted', async () => {
		const delayed = await simulateMedia(sandbox, { kind: 'image', delayMs: 300 });
		const started = Date.now();
		expect((await download(delayed.media.url as string)).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(280);
		const slow = await simulateMedia(sandbox, { kind: 'video', size: 100000, throttleBytesPerSecond: 10000 });
		const controller = new AbortController();
		const response = await fetch(slow.media.url as string, { signal: controller.signal });
		expect(response.status).toBe(200);
		controller.abort();
		await sleep(150);
		expect(sandbox.mediaRequests()[1]).toMatchObject({ aborted: true, status: 200 });
		expect(sandbox.mediaRequests()[1].bytes).toBeLessThan(100000);
	});
});

describe('control', () => {
	test('media-requests, media/{id}, expire, media-host; reset clears the download log', async () => {
		const { media } = await simulateMedia(sandbox, { kind: 'image' });
		await download(media.url as string);
		const log = await readJson(await control(sandbox, '/media-requests'));
		expect(log).toMatchObject({ count: 1, requests: [{ origin: 'media-host', mediaId: media.id, authorization: 'missing', tokenSent: false }] });
		expect(await readJson(await control(sandbox, `/media/${media.id}`))).toEqual({ data: media });
		expect((await control(sandbox, '/media/abc123')).status).toBe(404);
		expect(await readJson(await control(sandbox, '/media-host'))).toEqual({ url: sandbox.mediaUrl, port: sandbox.mediaPort });
		expect(await readJson(await control(sandbox, '/media-requests', { method: 'DELETE' }))).toEqual({ ok: true });
		expect(sandbox.mediaRequests()).toEqual([]);
		const expired = await readJson(await control(sandbox, `/media/${media.id}/expire`, { method: 'POST' }));
		expect(expired).toMatchObject({ ok: true, data: { id: media.id } });
		expect((await download(media.url as string)).status).toBe(403);
		sandbox.resetRequests();
		expect(sandbox.mediaRequests()).toEqual([]);
		expect(sandbox.mediaUrl).toBe(`http://127.0.0.1:${sandbox.mediaPort}`);
		expect(sandbox.mediaPort).not.toBe(sandbox.port);
	});

	test('simulate media through the control API', async () => {
		const response = await control(sandbox, `/simulate/${DEFAULT_INSTANCE}/media`, { method: 'POST', body: JSON.stringify({ kind: 'voice', origin: 'api', size: '2048', expiresInMs: '60000' }) });
		expect(response.status).toBe(200);
		const body = (await response.json()) as { media: { size: number; origin: string }; payload: { hasMedia: boolean } };
		expect(body).toMatchObject({ kind: 'media', media: { size: 2048, origin: 'api' }, payload: { hasMedia: true } });
		const bad = await control(sandbox, `/simulate/${DEFAULT_INSTANCE}/media`, { method: 'POST', body: '{"kind":"gif"}' });
		expect(bad.status).toBe(400);
	});
});
