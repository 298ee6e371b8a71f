/** The API families on one origin (WhatsApp with its account routes, OTP, SMS): routing, auth, log, latency, and faults aimed at chosen routes. */
import type { Sandbox } from './helpers';
import { apiRequest, DEFAULT_INSTANCE, useSandbox } from './helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

describe('account routes', () => {
	test('GET /instances and POST /create-instance sit beside the instances, logged without an instance', async () => {
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', 'instances')).status).toBe(200);
		expect((await apiRequest(sandbox, 'whatsapp', 'POST', 'create-instance', { json: {} })).status).toBe(422);
		expect(sandbox.requests.map((entry) => [entry.method, entry.path, entry.instance, entry.status])).toEqual([
			['GET', '/api/whatsapp/v2/instances', null, 200],
			['POST', '/api/whatsapp/v2/create-instance', null, 422],
		]);
		expect(sandbox.requests[1].body).toEqual({});
	});

	test('401 without the token; 405 for another method; a deeper path is no route', async () => {
		expect(await apiRequest(sandbox, 'whatsapp', 'GET', 'instances', { authorization: null })).toMatchObject({ status: 401, body: { message: 'Unauthenticated.' } });
		const wrongMethod = await apiRequest(sandbox, 'whatsapp', 'DELETE', 'instances');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', 'instances/extra')).status).toBe(404);
	});

	test('latency and the onRequest hook apply as to every API route', async () => {
		sandbox.configure({ latencyMs: 80 });
		const seen: string[] = [];
		sandbox.onRequest = (entry) => {
			seen.push(entry.path);
		};
		const startedAt = Date.now();
		await apiRequest(sandbox, 'whatsapp', 'GET', 'instances');
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(75);
		expect(seen).toEqual(['/api/whatsapp/v2/instances']);
	});
});

describe('faults aimed at routes', () => {
	test('faults.routes limits faults to the named routes; the others never fail', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['503'], routes: ['whatsapp/health'] } });
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', `${DEFAULT_INSTANCE}/health`)).status).toBe(503);
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', `${DEFAULT_INSTANCE}/contacts/get-all`)).status).toBe(200);
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', 'instances')).status).toBe(200);
		expect(sandbox.requests.map((entry) => entry.fault)).toEqual(['503', null, null]);
	});

	test('a pattern ending in * takes every route it starts; a list may be comma-separated', async () => {
		sandbox.configure({ faults: { rate: 1, kinds: ['500'], routes: 'whatsapp/contacts/*, whatsapp/instances' as never } });
		expect(sandbox.configure({}).faults.routes).toEqual(['whatsapp/contacts/*', 'whatsapp/instances']);
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', `${DEFAULT_INSTANCE}/contacts/get-all`)).status).toBe(500);
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', `${DEFAULT_INSTANCE}/contacts/get`, { query: { chat_id: '1' } })).status).toBe(500);
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', 'instances')).status).toBe(500);
		expect((await apiRequest(sandbox, 'whatsapp', 'GET', `${DEFAULT_INSTANCE}/health`)).status).toBe(200);
	});

	test('routes left out draw nothing: the aimed-at routes see the same fault sequence whatever runs in between', async () => {
		const run = async (interleave: boolean) => {
			sandbox.configure({ faults: { rate: 0.5, kinds: ['503'], seed: 7, routes: ['whatsapp/contacts/get-all'] } });
			const statuses: number[] = [];
			for (let i = 0; i < 30; i++) {
				if (interleave) await apiRequest(sandbox, 'whatsapp', 'GET', 'instances');
				statuses.push((await apiRequest(sandbox, 'whatsapp', 'GET', `${DEFAULT_INSTANCE}/contacts/get-all`, { query: { limit: '1' } })).status);
			}
			return statuses;
		};
		const alone = await run(false);
		expect(alone).toContain(503);
		expect(alone).toContain(200);
		expect(await run(true)).toEqual(alone);
	});

	test('refuses route names of no family; null (the default) strikes every route', () => {
		expect(() => sandbox.configure({ faults: { routes: ['mail/send'] } })).toThrow(/faults.routes/);
		expect(() => sandbox.configure({ faults: { routes: [] } })).toThrow(/faults.routes/);
		expect(sandbox.configure({ faults: { rate: 0.1 } }).faults.routes).toBeNull();
	});
});
