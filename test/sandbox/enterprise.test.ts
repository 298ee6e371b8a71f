/** The enterprise routes: health, list and create instances, restart, new QR codes, their rate limits and controls. */
import { readPng } from './image-format';
import type { Answer, Sandbox } from './helpers';
import { apiRequest, control, DEFAULT_INSTANCE, postJson, readJson, sleep, useSandbox } from './helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

interface InstanceView {
	id: string;
	name: string;
	phone: string;
	service_type: string;
	status: string;
	access_token: string | null;
	created_at: string;
	webhook_url?: string | null;
	qr_code?: string;
}

interface Health {
	instance_id: string;
	connected_at: string | null;
	status: string;
}

const LARAVEL_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/;
let names = 0;

function health(instance = DEFAULT_INSTANCE, authorization?: string): Promise<Answer<Health>> {
	return apiRequest<Health>(sandbox, 'whatsapp', 'GET', `${instance}/health`, authorization === undefined ? {} : { authorization });
}

function create(fields: Record<string, unknown>): Promise<Answer<InstanceView & { errors?: Record<string, string[]>; message?: string }>> {
	return apiRequest(sandbox, 'whatsapp', 'POST', 'create-instance', { json: fields });
}

/** A new instance with a name no other test uses. */
async function createOne(extra: Record<string, unknown> = {}) {
	const answer = await create({ phone: '+4915123456789', name: `Shop ${++names} ${Date.now()}`, ...extra });
	expect(answer.status).toBe(200);
	return answer.body;
}

/** The modules of a QR PNG: dark (true) or light, read at each module's centre (8 px a module, 4 of quiet zone). */
function qrModules(base64: string): boolean[][] {
	const png = readPng(Buffer.from(base64, 'base64'));
	const modules = png.width / 8 - 8;
	return Array.from({ length: modules }, (_, row) =>
		Array.from({ length: modules }, (_, col) => png.rgb[(((row + 4) * 8 + 4) * png.width + (col + 4) * 8 + 4) * 3] === 0),
	);
}

function expectQrCode(base64: string) {
	expect(base64).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
	expect(base64.startsWith('data:')).toBe(false);
	const modules = qrModules(base64);
	expect(modules).toHaveLength(29);
	// The three finder patterns: a dark 7x7 ring, a light ring, a dark 3x3 centre.
	for (const [top, left] of [
		[0, 0],
		[0, 22],
		[22, 0],
	]) {
		expect(modules[top][left] && modules[top + 6][left + 6] && !modules[top + 1][left + 1] && modules[top + 3][left + 3]).toBe(true);
	}
	return modules;
}

describe('health', () => {
	test('answers instance_id, connected_at and status; WORKING by default, with the rate-limit headers', async () => {
		const answer = await health();
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ instance_id: DEFAULT_INSTANCE, connected_at: expect.stringMatching(LARAVEL_DATE), status: 'WORKING' });
		expect(answer.headers.get('x-ratelimit-limit')).toBe('10');
		expect(answer.headers.get('x-ratelimit-remaining')).toBe('9');
	});

	test.each(['STOPPED', 'STARTING', 'SCAN_QR_CODE', 'FAILED', 'PENDING'])('shows %s, connected_at null, once the control sets it', async (status) => {
		expect(sandbox.setInstanceStatus(DEFAULT_INSTANCE, status)).toEqual({ instance_id: DEFAULT_INSTANCE, connected_at: null, status });
		expect((await health()).body).toEqual({ instance_id: DEFAULT_INSTANCE, connected_at: null, status });
		sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'WORKING');
		expect((await health()).body.connected_at).toMatch(LARAVEL_DATE);
	});

	test('the control refuses an unknown status or instance', async () => {
		expect(() => sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'ONLINE')).toThrow(/status must be one of/);
		expect((await control(sandbox, '/instance-status/nope', { method: 'PUT', body: '{"status":"FAILED"}' })).status).toBe(404);
		expect((await control(sandbox, `/instance-status/${DEFAULT_INSTANCE}`, { method: 'PUT', body: '{"status":"ONLINE"}' })).status).toBe(400);
	});

	test('the control endpoint reads and sets the status', async () => {
		const set = await control(sandbox, `/instance-status/${DEFAULT_INSTANCE}`, { method: 'PUT', body: '{"status":"FAILED"}' });
		expect(await readJson(set)).toEqual({ ok: true, data: { instance_id: DEFAULT_INSTANCE, connected_at: null, status: 'FAILED' } });
		expect((await readJson(await control(sandbox, `/instance-status/${DEFAULT_INSTANCE}`))).data).toMatchObject({ status: 'FAILED' });
		sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'WORKING');
	});

	test('10 a minute per token and instance: the 11th is 429 with Retry-After and the X-RateLimit headers', async () => {
		for (let i = 0; i < 10; i++) expect((await health()).status).toBe(200);
		const refused = await health();
		expect(refused.status).toBe(429);
		expect(refused.body).toEqual({ message: 'Too Many Attempts.' });
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
		expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
		expect(refused.headers.get('x-ratelimit-limit')).toBe('10');
		expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
		// Another instance has its own count.
		sandbox.addInstance('second', { size: 1 });
		expect((await health('second')).status).toBe(200);
		// The control resets the counts.
		expect((await readJson(await control(sandbox, '/rate-limits'))).data).toEqual(expect.arrayContaining([expect.objectContaining({ hits: 10 })]));
		expect((await control(sandbox, '/rate-limits', { method: 'DELETE' })).status).toBe(200);
		expect((await health()).status).toBe(200);
	});

	test('a short window (rateLimitWindowMs) opens again after it; rateLimits false turns them off', async () => {
		sandbox.configure({ rateLimitWindowMs: 300 });
		for (let i = 0; i < 10; i++) await health();
		const refused = await health();
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('1');
		await sleep(320);
		expect((await health()).status).toBe(200);
		sandbox.configure({ rateLimits: false });
		for (let i = 0; i < 15; i++) expect((await health()).status).toBe(200);
		expect((await health()).headers.get('x-ratelimit-limit')).toBeNull();
	});

	test('401 without the token, 404 for an unknown instance', async () => {
		expect((await health(DEFAULT_INSTANCE, 'Bearer nope')).status).toBe(401);
		expect(await health('nope')).toMatchObject({ status: 404, body: { message: 'Instance not found.' } });
	});
});

describe('create-instance', () => {
	test('answers the instance, a QR PNG (base64, no data: prefix) and its access token; status SCAN_QR_CODE', async () => {
		const created = await createOne({ webhook_url: 'https://example.com/hooks/hypersender' });
		expect(created).toEqual({
			id: expect.stringMatching(/^[0-9a-f-]{36}$/),
			name: expect.stringMatching(/^Shop /),
			phone: '+4915123456789',
			service_type: 'whatsapp',
			status: 'SCAN_QR_CODE',
			access_token: expect.stringMatching(/^\d+\|[A-Za-z0-9]{40}$/),
			created_at: expect.stringMatching(LARAVEL_DATE),
			webhook_url: 'https://example.com/hooks/hypersender',
			qr_code: expect.any(String),
		});
		expectQrCode(created.qr_code as string);
		expect(sandbox.webhook(created.id)).toMatchObject({ url: 'https://example.com/hooks/hypersender', source: 'instance' });
		expect(sandbox.me(created.id).id).toBe('4915123456789@c.us');
		expect(sandbox.createdInstances()).toContainEqual({
			id: created.id,
			name: created.name,
			phone: '+4915123456789',
			status: 'SCAN_QR_CODE',
			webhook_url: 'https://example.com/hooks/hypersender',
			access_token: created.access_token,
			created_at: created.created_at,
		});
		expect((await readJson(await control(sandbox, '/created-instances'))).data).toContainEqual(expect.objectContaining({ id: created.id }));
	});

	test('every QR code differs', async () => {
		const [a, b] = [await createOne(), await createOne()];
		expect(a.qr_code).not.toBe(b.qr_code);
		expect(a.access_token).not.toBe(b.access_token);
	});

	test('the access token works for its own instance only (403 elsewhere and on the account routes)', async () => {
		const created = await createOne();
		const own = `Bearer ${created.access_token}`;
		expect((await health(created.id, own)).body).toEqual({ instance_id: created.id, connected_at: null, status: 'SCAN_QR_CODE' });
		expect(await health(DEFAULT_INSTANCE, own)).toMatchObject({ status: 403, body: { message: 'This action is unauthorized.' } });
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', 'instances', { authorization: own })).status).toBe(403);
		// The new instance serves the WhatsApp routes too: an empty address book.
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', `${created.id}/contacts/get-all`, { authorization: own })).body).toMatchObject({ data: [] });
		const entry = sandbox.requests.find((request) => request.path === `/api/whatsapp/v2/${created.id}/health`);
		expect(entry).toMatchObject({ authorization: 'present', instance: created.id });
		expect(JSON.stringify(sandbox.requests)).not.toContain(created.access_token as string);
	});

	test('validates like Laravel: 422 with message and errors', async () => {
		const taken = await createOne();
		const answer = await create({ phone: '4915123456789', name: taken.name.toUpperCase(), webhook_url: 'http://example.com/hook' });
		expect(answer.status).toBe(422);
		expect(answer.body).toEqual({
			message: 'The phone field format is invalid. (and 2 more errors)',
			errors: {
				phone: ['The phone field format is invalid.'],
				name: ['The name has already been taken.'],
				webhook_url: ['The webhook url field must start with one of the following: https://.'],
			},
		});
		expect((await create({ name: 'x'.repeat(51) })).body.errors).toEqual({
			phone: ['The phone field is required.'],
			name: ['The name field must not be greater than 50 characters.'],
		});
		expect((await create({ phone: '+4915123456789', name: 'ok', webhook_url: 'not a url' })).body.errors).toEqual({ webhook_url: ['The webhook url field must be a valid URL.'] });
	});

	test('5 a minute: the 6th is 429', async () => {
		for (let i = 0; i < 5; i++) expect((await create({})).status).toBe(422);
		const refused = await create({ phone: '+4915123456789', name: 'Sixth' });
		expect(refused.status).toBe(429);
		expect(refused.headers.get('x-ratelimit-limit')).toBe('5');
		expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
	});
});

describe('instances', () => {
	test('lists every instance as a plain array; access_token is null', async () => {
		const created = await createOne();
		const answer = await apiRequest<InstanceView[]>(sandbox, 'whatsapp', 'GET', 'instances');
		expect(answer.status).toBe(200);
		expect(Array.isArray(answer.body)).toBe(true);
		expect(answer.body[0]).toEqual({
			id: DEFAULT_INSTANCE,
			name: 'Sandbox',
			phone: `+${sandbox.me(DEFAULT_INSTANCE).id.replace('@c.us', '')}`,
			service_type: 'whatsapp',
			status: 'WORKING',
			access_token: null,
			created_at: expect.stringMatching(LARAVEL_DATE),
		});
		expect(answer.body.find((view) => view.id === created.id)).toMatchObject({ status: 'SCAN_QR_CODE', access_token: null });
	});

	test('filters: uuid exact, name partial and case-insensitive, phone exact, status; unknown filter 400', async () => {
		const created = await createOne({ phone: '+12025550123' });
		const list = async (query: Record<string, string>) => (await apiRequest<InstanceView[]>(sandbox, 'whatsapp', 'GET', 'instances', { query })).body;
		expect((await list({ 'filter[uuid]': created.id })).map((view) => view.id)).toEqual([created.id]);
		expect(await list({ 'filter[uuid]': created.id.slice(0, 8) })).toEqual([]);
		expect((await list({ 'filter[name]': created.name.slice(2, 8).toUpperCase() })).map((view) => view.id)).toContain(created.id);
		expect((await list({ 'filter[phone]': '+12025550123' })).map((view) => view.id)).toEqual([created.id]);
		expect(await list({ 'filter[phone]': '+1202555' })).toEqual([]);
		expect((await list({ 'filter[status]': 'SCAN_QR_CODE' })).every((view) => view.status === 'SCAN_QR_CODE')).toBe(true);
		expect((await list({ 'filter[status]': 'working' })).map((view) => view.id)).toContain(DEFAULT_INSTANCE);
		const refused = await apiRequest(sandbox, 'whatsapp', 'GET', 'instances', { query: { 'filter[colour]': 'red' } });
		expect(refused.status).toBe(400);
	});
});

describe('restart', () => {
	test('answers the message; STARTING for restartDelayMs, then WORKING again', async () => {
		sandbox.configure({ restartDelayMs: 200 });
		const answer = await apiRequest(sandbox, 'whatsapp', 'POST', `${DEFAULT_INSTANCE}/restart`);
		expect(answer).toMatchObject({ status: 200, body: { message: 'WhatsApp instance restarted successfully.' } });
		expect((await health()).body).toMatchObject({ status: 'STARTING', connected_at: null });
		await sleep(230);
		expect((await health()).body).toMatchObject({ status: 'WORKING', connected_at: expect.stringMatching(LARAVEL_DATE) });
	});

	test('a FAILED instance comes back WORKING; one waiting for its QR scan keeps waiting', async () => {
		sandbox.configure({ restartDelayMs: 0 });
		sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'FAILED');
		await apiRequest(sandbox, 'whatsapp', 'POST', `${DEFAULT_INSTANCE}/restart`);
		expect((await health()).body.status).toBe('WORKING');
		sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'SCAN_QR_CODE');
		sandbox.configure({ restartDelayMs: 100 });
		await apiRequest(sandbox, 'whatsapp', 'POST', `${DEFAULT_INSTANCE}/restart`);
		expect((await health()).body.status).toBe('STARTING');
		await sleep(130);
		expect((await health()).body.status).toBe('SCAN_QR_CODE');
		sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'WORKING');
	});

	test('5 a minute; only POST', async () => {
		sandbox.configure({ restartDelayMs: 0 });
		for (let i = 0; i < 5; i++) expect((await apiRequest(sandbox, 'whatsapp', 'POST', `${DEFAULT_INSTANCE}/restart`)).status).toBe(200);
		expect((await apiRequest(sandbox, 'whatsapp', 'POST', `${DEFAULT_INSTANCE}/restart`)).status).toBe(429);
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', `${DEFAULT_INSTANCE}/restart`)).status).toBe(405);
	});
});

describe('request-new-qr-code', () => {
	test('answers the instance with a new QR code; the instance then waits for the scan', async () => {
		const answer = await apiRequest<InstanceView>(sandbox, 'whatsapp', 'POST', `${DEFAULT_INSTANCE}/request-new-qr-code`);
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ id: DEFAULT_INSTANCE, name: 'Sandbox', service_type: 'whatsapp', status: 'SCAN_QR_CODE' });
		expectQrCode(answer.body.qr_code as string);
		expect((await health()).body).toEqual({ instance_id: DEFAULT_INSTANCE, connected_at: null, status: 'SCAN_QR_CODE' });
		sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'WORKING');
	});

	test('1 a minute: the second is 429 with Retry-After', async () => {
		expect((await apiRequest(sandbox, 'whatsapp', 'POST', `${DEFAULT_INSTANCE}/request-new-qr-code`)).status).toBe(200);
		const refused = await apiRequest(sandbox, 'whatsapp', 'POST', `${DEFAULT_INSTANCE}/request-new-qr-code`);
		expect(refused).toMatchObject({ status: 429, body: { message: 'Too Many Attempts.' } });
		expect(refused.headers.get('x-ratelimit-limit')).toBe('1');
		expect(refused.headers.get('retry-after')).toMatch(/^(59|60)$/);
		sandbox.setInstanceStatus(DEFAULT_INSTANCE, 'WORKING');
	});
});

describe('controls over HTTP', () => {
	test('config takes the plan, the rate limits and the restart delay, and refuses bad values', async () => {
		const answer = await postJson(sandbox, '/config', { plan: 'trial', rateLimits: false, rateLimitWindowMs: 1000, restartDelayMs: 0 });
		expect((await readJson(answer)).config).toMatchObject({ plan: 'trial', rateLimits: false, rateLimitWindowMs: 1000, restartDelayMs: 0 });
		for (const bad of [{ plan: 'gold' }, { rateLimits: 'no' }, { rateLimitWindowMs: 0 }, { restartDelayMs: -1 }]) {
			expect((await postJson(sandbox, '/config', bad)).status).toBe(400);
		}
	});
});
