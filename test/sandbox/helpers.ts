/** Shared by the sandbox tests: one sandbox per test file, reset before each test, and small HTTP helpers. */
import { defaultConfig } from '../../sandbox/config';
import { DEFAULT_INSTANCE, DEFAULT_TOKEN, generateContacts, startSandbox } from '../../sandbox/server';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface Contact {
	id: string;
	name?: string;
	pushname?: string;
}

/** Every JSON body the sandbox answers with, loosely: API answers, errors and control endpoints. */
export interface Body {
	message?: string;
	data?: unknown;
	errors?: Record<string, string[]>;
	statusCode?: number;
	ok?: boolean;
	count?: number;
	requests?: Array<Record<string, unknown> & { query: Record<string, string | null> }>;
	calls?: number;
	chat_id?: string;
	config?: Record<string, unknown>;
}

export const SIZE = 250;
export const SEED = 42;

export async function readJson(response: Response): Promise<Body> {
	return (await response.json()) as Body;
}

/**
 * Starts one sandbox for the file (SIZE contacts, seed 42) and gives every test a fresh one:
 * default settings, a new address book, no hook and an empty request log.
 */
export function useSandbox(options: Parameters<typeof startSandbox>[0] = {}): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: SIZE, seed: SEED } }, ...options });
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	beforeEach(async () => {
		const current = sandbox as Sandbox;
		// Every setting back to the sandbox's own defaults, whatever the previous test changed.
		current.configure(defaultConfig());
		current.onRequest = undefined;
		current.setContacts(DEFAULT_INSTANCE, generateContacts(SIZE, SEED));
		current.clearMessages(DEFAULT_INSTANCE);
		current.resetRequests();
		current.resetRateLimits();
		current.setInstanceStatus(DEFAULT_INSTANCE, 'WORKING');
		current.clearOtpCodes(DEFAULT_INSTANCE);
		current.clearSms(DEFAULT_INSTANCE);
		// No webhook delivery of the previous test reaches this one's log.
		current.setWebhook(DEFAULT_INSTANCE, null);
		await current.webhooksIdle();
		current.clearWebhookDeliveries();
	});
	return () => sandbox as Sandbox;
}

export interface CallOptions {
	instance?: string;
	/** The Authorization header; null sends none. Default: the sandbox token. */
	authorization?: string | null;
	method?: string;
	signal?: AbortSignal;
	/** Sent as a JSON body (POST). */
	json?: unknown;
	/** A raw body and its content type (POST). */
	body?: string;
	contentType?: string;
}

/** A request to `/{instance}/contacts/{action}` with the query given. */
export function callApi(
	sandbox: Sandbox,
	action: string,
	query: Record<string, string> = {},
	options: CallOptions = {},
): Promise<Response> {
	const authorization = options.authorization === undefined ? `Bearer ${DEFAULT_TOKEN}` : options.authorization;
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (authorization !== null) headers.Authorization = authorization;
	let body: string | undefined = options.body;
	if (options.json !== undefined) {
		body = JSON.stringify(options.json);
		headers['Content-Type'] = 'application/json';
	}
	if (options.contentType) headers['Content-Type'] = options.contentType;
	const search = new URLSearchParams(query).toString();
	const instance = encodeURIComponent(options.instance ?? DEFAULT_INSTANCE);
	const url = `${sandbox.baseUrl}/${instance}/contacts/${action}${search ? `?${search}` : ''}`;
	return fetch(url, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: options.signal });
}

/** POST /contacts/upsert with a JSON body. */
export function upsert(sandbox: Sandbox, fields: Record<string, unknown>, options: CallOptions = {}): Promise<Response> {
	return callApi(sandbox, 'upsert', {}, { json: fields, ...options });
}

/** GET /contacts/get and the contact it returns, or undefined on 404. */
export async function getContact(sandbox: Sandbox, chatId: string): Promise<Contact | undefined> {
	const response = await callApi(sandbox, 'get', { chat_id: chatId });
	if (response.status === 404) return undefined;
	expect(response.status).toBe(200);
	return (await readJson(response)).data as Contact;
}

/** Every contact get-all serves, in one page. */
export async function getAllContacts(sandbox: Sandbox): Promise<Contact[]> {
	const response = await callApi(sandbox, 'get-all', { limit: '1000' });
	expect(response.status).toBe(200);
	return (await readJson(response)).data as Contact[];
}

/** The base path of each API family on the sandbox's origin. */
export const API_BASES = { whatsapp: '/api/whatsapp/v2', otp: '/api/otp/v2', sms: '/api/sms/v2' } as const;

export interface Answer<T = Record<string, unknown>> {
	status: number;
	headers: Headers;
	body: T;
}

/**
 * A request to any API family: `path` is under the family's base (`{instance}/health`, `instances`);
 * `json` is sent as the body, `query` as the query string (`filter[status]` keys as they are).
 */
export async function apiRequest<T = Record<string, unknown>>(
	sandbox: Sandbox,
	family: keyof typeof API_BASES,
	method: string,
	path: string,
	options: { json?: unknown; query?: Record<string, string>; authorization?: string | null; body?: RequestInit['body']; contentType?: string } = {},
): Promise<Answer<T>> {
	const authorization = options.authorization === undefined ? `Bearer ${DEFAULT_TOKEN}` : options.authorization;
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (authorization !== null) headers.Authorization = authorization;
	let body = options.body;
	if (options.json !== undefined) {
		body = JSON.stringify(options.json);
		headers['Content-Type'] = 'application/json';
	}
	if (options.contentType) headers['Content-Type'] = options.contentType;
	const search = new URLSearchParams(options.query ?? {}).toString();
	const response = await fetch(`${sandbox.url}${API_BASES[family]}/${path}${search ? `?${search}` : ''}`, { method, headers, body });
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: the text itself
	}
	return { status: response.status, headers: response.headers, body: parsed as T };
}

export function control(sandbox: Sandbox, route: string, init?: RequestInit): Promise<Response> {
	return fetch(`${sandbox.url}/__sandbox${route}`, init);
}

export function postJson(sandbox: Sandbox, route: string, body: unknown): Promise<Response> {
	return control(sandbox, route, { method: 'POST', body: JSON.stringify(body) });
}

export function sleep(ms: number): Promise<void> {
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud; n8n-workflow's sleep would load all of n8n-workflow into every sandbox test
	return new Promise((resolve) => setTimeout(resolve, ms));
}

export { DEFAULT_INSTANCE, DEFAULT_TOKEN };
