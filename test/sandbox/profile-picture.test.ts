/** GET /contacts/profile-picture and the picture CDN under /pps: signed URLs, real images, expiry, hidden pictures. */
import { avatarFormat } from '../../sandbox/images';
import type { Contact, Sandbox } from './helpers';
import { callApi, DEFAULT_INSTANCE, readJson, sleep, useSandbox } from './helpers';
import { readImage, readJpeg, readPng } from './image-format';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

const NOT_AVAILABLE = { message: 'Profile picture not available.', data: { profilePictureURL: null } };

function visibleContacts(): Contact[] {
	const hidden = new Set(sandbox.hiddenPictures(DEFAULT_INSTANCE));
	return sandbox.expected(DEFAULT_INSTANCE, 'id').filter((contact) => !hidden.has(contact.id));
}

async function pictureUrl(chatId: string): Promise<string> {
	const response = await callApi(sandbox, 'profile-picture', { chat_id: chatId });
	expect(response.status).toBe(200);
	const body = await readJson(response);
	expect(body.message).toBe('Profile picture retrieved successfully.');
	return (body.data as { profilePictureURL: string }).profilePictureURL;
}

async function download(url: string, headers: Record<string, string> = {}) {
	const response = await fetch(url, { headers });
	return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe('the URL', () => {
	test('points at the sandbox picture CDN with an expiry and a signature', async () => {
		const url = new URL(await pictureUrl(visibleContacts()[0].id));
		expect(url.origin).toBe(sandbox.url);
		expect(url.pathname).toMatch(/^\/pps\/v\/t61\.24694-24\/[A-Za-z0-9_-]+_n\.(png|jpg)$/);
		expect(url.searchParams.get('oe')).toMatch(/^[0-9A-F]+$/);
		expect(url.searchParams.get('sig')).toMatch(/^[0-9a-f]{40}$/);
	});

	test('expires after 5 minutes by default: oe is that time in Unix seconds, in hex', async () => {
		const url = new URL(await pictureUrl(visibleContacts()[0].id));
		const expiresAt = parseInt(url.searchParams.get('oe') as string, 16) * 1000;
		expect(Math.abs(expiresAt - (Date.now() + 5 * 60 * 1000))).toBeLessThan(2000);
	});

	test('follows pictureTtlMs', async () => {
		sandbox.configure({ pictureTtlMs: 3_600_000 });
		const url = new URL(await pictureUrl(visibleContacts()[0].id));
		expect(Math.abs(parseInt(url.searchParams.get('oe') as string, 16) * 1000 - (Date.now() + 3_600_000))).toBeLessThan(2000);
	});

	test('is found through a linked phone number for the LID behind it', async () => {
		sandbox.setHiddenPictures(DEFAULT_INSTANCE, [], { seeded: false });
		const [{ id, phone }] = sandbox.linkedPhones(DEFAULT_INSTANCE);
		expect((await download(await pictureUrl(phone))).bytes).toEqual((await download(await pictureUrl(id))).bytes);
	});
});

describe('the picture', () => {
	test('is a valid 48x48 PNG with the right content type and length', async () => {
		const contact = visibleContacts().find((candidate) => avatarFormat(candidate.id) === 'png') as Contact;
		const { response, bytes } = await download(await pictureUrl(contact.id));
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/png');
		expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
		expect(readPng(bytes)).toMatchObject({ width: 48, height: 48 });
	});

	test('is a valid 48x48 baseline JPEG for some contacts', async () => {
		const contact = visibleContacts().find((candidate) => avatarFormat(candidate.id) === 'jpeg') as Contact;
		const url = await pictureUrl(contact.id);
		expect(url).toMatch(/_n\.jpg\?/);
		const { response, bytes } = await download(url);
		expect(response.headers.get('content-type')).toBe('image/jpeg');
		expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
		expect(readJpeg(bytes)).toMatchObject({ width: 48, height: 48, components: 3 });
	});

	test('is the same image for the same contact and another for another contact', async () => {
		const [first, second] = visibleContacts().filter((candidate) => avatarFormat(candidate.id) === 'png');
		const a = (await download(await pictureUrl(first.id))).bytes;
		expect((await download(await pictureUrl(first.id))).bytes).toEqual(a);
		expect((await download(await pictureUrl(second.id))).bytes).not.toEqual(a);
	});

	test('comes in both formats across the seeded contacts, each one valid', async () => {
		const formats = new Set<string>();
		for (const contact of visibleContacts().slice(0, 12)) {
			const { bytes } = await download(await pictureUrl(contact.id));
			formats.add(readImage(bytes).format);
		}
		expect([...formats].sort()).toEqual(['jpeg', 'png']);
	});

	test('answers HEAD with the headers only', async () => {
		const url = await pictureUrl(visibleContacts()[0].id);
		const response = await fetch(url, { method: 'HEAD' });
		expect(response.status).toBe(200);
		expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
		expect((await response.arrayBuffer()).byteLength).toBe(0);
	});
});

describe('downloads', () => {
	test('need no Authorization and are logged with their headers as kind picture', async () => {
		const contact = visibleContacts()[0];
		const url = await pictureUrl(contact.id);
		await download(url, { 'User-Agent': 'crm-sync/1.0' });
		expect(sandbox.pictureRequests).toHaveLength(1);
		const [entry] = sandbox.pictureRequests;
		expect(entry).toMatchObject({ kind: 'picture', method: 'GET', instance: DEFAULT_INSTANCE, chat_id: contact.id, authorization: 'missing', status: 200 });
		expect(entry.headers['user-agent']).toBe('crm-sync/1.0');
		expect(entry.headers).not.toHaveProperty('authorization');
		expect(sandbox.requests.map((request) => request.kind)).toEqual(['api', 'picture']);
	});

	test('show a leaked token as a redacted header, never the token itself', async () => {
		const url = await pictureUrl(visibleContacts()[0].id);
		await download(url, { Authorization: `Bearer ${sandbox.token}`, 'X-Api-Key': sandbox.token });
		const [entry] = sandbox.pictureRequests;
		expect(entry.authorization).toBe('present');
		expect(entry.headers.authorization).toBe('[redacted]');
		expect(entry.headers['x-api-key']).toBe('[redacted]');
		expect(JSON.stringify(sandbox.requests)).not.toContain(sandbox.token);
	});

	test('answer 403 "URL signature expired" once the URL has expired', async () => {
		sandbox.configure({ pictureTtlMs: 100 });
		const url = await pictureUrl(visibleContacts()[0].id);
		expect((await download(url)).response.status).toBe(200);
		await sleep(150);
		const { response, bytes } = await download(url);
		expect(response.status).toBe(403);
		expect(response.headers.get('content-type')).toBe('text/plain');
		expect(bytes.toString()).toBe('URL signature expired');
	});

	test.each([
		['a changed signature', (url: URL) => url.searchParams.set('sig', '0'.repeat(40))],
		['a later expiry', (url: URL) => url.searchParams.set('oe', 'FFFFFFFF')],
		['no signature', (url: URL) => url.searchParams.delete('sig')],
		['another file name', (url: URL) => (url.pathname = url.pathname.replace(/_n\./, 'x_n.'))],
	])('answer 403 for %s', async (_what, tamper) => {
		const url = new URL(await pictureUrl(visibleContacts()[0].id));
		tamper(url);
		const { response, bytes } = await download(url.toString());
		expect(response.status).toBe(403);
		expect(bytes.toString()).toBe('URL signature expired');
	});

	test('answer 404 for paths that are no picture', async () => {
		expect((await fetch(`${sandbox.url}/pps/other`)).status).toBe(404);
	});

	test('answer 405 for POST', async () => {
		const url = await pictureUrl(visibleContacts()[0].id);
		expect((await fetch(url, { method: 'POST' })).status).toBe(405);
	});
});

describe('hidden and unknown', () => {
	test('a fixed share of about a quarter of the contacts hide their picture', () => {
		const share = sandbox.hiddenPictures(DEFAULT_INSTANCE).length / sandbox.contacts(DEFAULT_INSTANCE).length;
		expect(share).toBeGreaterThan(0.15);
		expect(share).toBeLessThan(0.35);
	});

	test('a hidden picture answers 200 with a null URL', async () => {
		const [hidden] = sandbox.hiddenPictures(DEFAULT_INSTANCE);
		const response = await callApi(sandbox, 'profile-picture', { chat_id: hidden });
		expect(response.status).toBe(200);
		expect(await readJson(response)).toEqual(NOT_AVAILABLE);
	});

	test('an unknown chat answers 200 with a null URL', async () => {
		const response = await callApi(sandbox, 'profile-picture', { chat_id: '999000111222' });
		expect(response.status).toBe(200);
		expect(await readJson(response)).toEqual(NOT_AVAILABLE);
	});

	test('setHiddenPictures hides more pictures', async () => {
		const contact = visibleContacts()[0];
		sandbox.setHiddenPictures(DEFAULT_INSTANCE, [contact.id]);
		expect(await readJson(await callApi(sandbox, 'profile-picture', { chat_id: contact.id }))).toEqual(NOT_AVAILABLE);
		expect(sandbox.hiddenPictures(DEFAULT_INSTANCE)).toContain(contact.id);
	});

	test('setHiddenPictures with seeded: false shows the fixed share again', async () => {
		const [hidden] = sandbox.hiddenPictures(DEFAULT_INSTANCE);
		sandbox.setHiddenPictures(DEFAULT_INSTANCE, [], { seeded: false });
		expect(sandbox.hiddenPictures(DEFAULT_INSTANCE)).toEqual([]);
		expect(await pictureUrl(hidden)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pps\//);
	});
});

describe('errors', () => {
	test('answers 422 when chat_id is missing', async () => {
		const response = await callApi(sandbox, 'profile-picture');
		expect(response.status).toBe(422);
		expect(await readJson(response)).toEqual({
			message: 'The chat id field is required.',
			errors: { chat_id: ['The chat id field is required.'] },
		});
	});

	test('answers 401 without a token', async () => {
		const response = await callApi(sandbox, 'profile-picture', { chat_id: '1' }, { authorization: null });
		expect(response.status).toBe(401);
		expect(await readJson(response)).toEqual({ message: 'Unauthenticated.' });
	});

	test('answers 404 for an unknown instance', async () => {
		const response = await callApi(sandbox, 'profile-picture', { chat_id: '1' }, { instance: 'no-such-instance' });
		expect(response.status).toBe(404);
		expect(await readJson(response)).toEqual({ message: 'Instance not found.' });
	});
});
