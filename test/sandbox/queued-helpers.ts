/** Shared by the tests of the queued routes (send-*, actions, queued-requests): calls, results and waiting. */
import { DEFAULT_INSTANCE, DEFAULT_TOKEN } from '../../sandbox/server';
import type { Sandbox } from './helpers';
import { sleep } from './helpers';

/** The immediate answer of a queued route. */
export interface Queued {
	queued: boolean;
	message: string;
	queued_request_uuid: string;
	queued_request_link: string;
}

/** A WhatsApp message as a finished send shows it. */
export interface SentMessage {
	key: { remoteJid: string; fromMe: boolean; id: string };
	message: Record<string, Record<string, unknown>>;
	messageTimestamp: string;
	status: string;
}

/** GET /queued-requests/{uuid}. */
export interface QueuedResult {
	uuid: string;
	request: Record<string, unknown>;
	response_status: number | null;
	response_body: unknown;
	response_header: Record<string, string[]> | null;
}

export interface QueuedCall {
	instance?: string;
	/** Default: POST, or what the route takes. */
	method?: string;
	query?: Record<string, string>;
	/** A JSON body. */
	json?: unknown;
	/** A multipart body (fetch sets the content type). */
	form?: FormData;
	/** A raw body and its content type. */
	body?: Buffer;
	contentType?: string;
	authorization?: string | null;
	signal?: AbortSignal;
}

const METHODS: Record<string, string> = { 'react-to-message': 'PUT', 'star-message': 'PUT', 'delete-message': 'DELETE' };

/** A request to `/{instance}/{endpoint}`. */
export function callQueued(sandbox: Sandbox, endpoint: string, call: QueuedCall = {}): Promise<Response> {
	const headers: Record<string, string> = { Accept: 'application/json' };
	const authorization = call.authorization === undefined ? `Bearer ${DEFAULT_TOKEN}` : call.authorization;
	if (authorization !== null) headers.Authorization = authorization;
	let body: string | FormData | Uint8Array | undefined;
	if (call.json !== undefined) {
		body = JSON.stringify(call.json);
		headers['Content-Type'] = 'application/json';
	} else if (call.form) body = call.form;
	else if (call.body) body = new Uint8Array(call.body);
	if (call.contentType) headers['Content-Type'] = call.contentType;
	const search = new URLSearchParams(call.query ?? {}).toString();
	const url = `${sandbox.baseUrl}/${encodeURIComponent(call.instance ?? DEFAULT_INSTANCE)}/${endpoint}${search ? `?${search}` : ''}`;
	return fetch(url, { method: call.method ?? METHODS[endpoint] ?? 'POST', headers, body, signal: call.signal });
}

/** Sends a queued request that must be accepted, and gives the immediate answer. */
export async function queue(sandbox: Sandbox, endpoint: string, json: unknown, call: QueuedCall = {}): Promise<Queued> {
	const response = await callQueued(sandbox, endpoint, { json, ...call });
	const body = (await response.json()) as Queued;
	if (response.status !== 200) throw new Error(`${endpoint} answered ${response.status}: ${JSON.stringify(body)}`);
	return body;
}

/** GET /queued-requests/{uuid} (status and body). */
export async function fetchResult(sandbox: Sandbox, uuid: string, instance = DEFAULT_INSTANCE): Promise<{ status: number; body: QueuedResult }> {
	const response = await fetch(`${sandbox.baseUrl}/${encodeURIComponent(instance)}/queued-requests/${uuid}`, {
		headers: { Authorization: `Bearer ${DEFAULT_TOKEN}` },
	});
	return { status: response.status, body: (await response.json()) as QueuedResult };
}

/** Polls the queued request until it is done (every 10 ms, at most 5 s). */
export async function waitDone(sandbox: Sandbox, uuid: string, instance = DEFAULT_INSTANCE): Promise<QueuedResult> {
	const timeoutMs = 5000;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { status, body } = await fetchResult(sandbox, uuid, instance);
		if (status !== 200) throw new Error(`queued-requests/${uuid} answered ${status}`);
		if (body.response_status !== null) return body;
		if (Date.now() > deadline) throw new Error(`queued request ${uuid} not done after ${timeoutMs} ms`);
		await sleep(10);
	}
}

/** Sends and waits for the result. */
export async function sendAndWait(sandbox: Sandbox, endpoint: string, json: unknown, call: QueuedCall = {}): Promise<QueuedResult> {
	return waitDone(sandbox, (await queue(sandbox, endpoint, json, call)).queued_request_uuid, call.instance);
}

/** The serialized id (`true_<remoteJid>_<id>`) of a sent message, as react, star, forward and delete take it. */
export function serializedId(body: unknown): string {
	const { key } = body as SentMessage;
	return `${key.fromMe}_${key.remoteJid}_${key.id}`;
}

export { DEFAULT_INSTANCE };
