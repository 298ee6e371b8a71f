/**
 * A scripted queued API on 127.0.0.1 for the Message, Chat and Queued Request tests: every
 * action call is recorded and answered with a queued request; its record turns from pending to
 * the outcome the test scripted. Tests can also answer a call themselves (faults, odd bodies).
 */
import { randomUUID } from 'node:crypto';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import type http from 'node:http';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { TestServer } from './http-server';
import { sendJson, startTestServer } from './http-server';
import type { RunNodeOptions } from './n8n-core';
import { runHypersenderNode } from './n8n-core';

export const TOKEN = 'queued-api-secret-token';
export const INSTANCE = 'inst-q';

export interface ActionCall {
	method: string;
	/** Below the instance, e.g. `send-text`. */
	path: string;
	query: Record<string, string>;
	contentType: string;
	raw: Buffer;
	/** The JSON body, when it was JSON. */
	json: IDataObject | undefined;
	uuid?: string;
}

export interface Outcome {
	/** Time from the POST until the record is done. */
	delayMs?: number;
	status?: number;
	body?: unknown;
}

export interface QueuedApiScript {
	/** The outcome of an accepted call (default: 201 with a sent text message, at once). */
	outcome?: (call: ActionCall, index: number) => Outcome;
	/** Answers a call itself instead (return true), e.g. with a fault; `index` counts action calls. */
	intercept?: (call: ActionCall, response: http.ServerResponse, index: number) => boolean;
	/** Answers a record read itself instead (return true). */
	interceptRead?: (uuid: string, response: http.ServerResponse, read: number) => boolean;
}

export interface QueuedApi extends TestServer {
	calls: ActionCall[];
	/** Accepted calls, in order, with their uuid. */
	accepted: ActionCall[];
	reads: string[];
}

export function sentMessage(chatId: string, id = '3EB0C767D26A1C4D6A7B'): IDataObject {
	return {
		key: { remoteJid: chatId, fromMe: true, id },
		message: { extendedTextMessage: { text: 'hello' } },
		messageTimestamp: '1764230400',
		status: 'PENDING',
	};
}

const servers: TestServer[] = [];

afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

export async function queuedApi(script: QueuedApiScript = {}): Promise<QueuedApi> {
	const calls: ActionCall[] = [];
	const accepted: ActionCall[] = [];
	const reads: string[] = [];
	const records = new Map<string, { doneAt: number; status: number; body: unknown; request: IDataObject }>();
	const prefix = `/api/whatsapp/v2/${INSTANCE}/`;
	const server = await startTestServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '/', 'http://x');
			if (!url.pathname.startsWith(prefix)) return sendJson(response, 404, { message: 'Instance not found.' });
			const path = url.pathname.slice(prefix.length);
			if (request.headers.authorization !== `Bearer ${TOKEN}`) return sendJson(response, 401, { message: 'Unauthenticated.' });
			if (request.method === 'GET' && path.startsWith('queued-requests/')) {
				const uuid = decodeURIComponent(path.slice('queued-requests/'.length));
				reads.push(uuid);
				if (script.interceptRead?.(uuid, response, reads.length - 1)) return;
				const record = records.get(uuid);
				if (!record) return sendJson(response, 404, { message: 'Queued request not found.' });
				const done = Date.now() >= record.doneAt;
				return sendJson(response, 200, {
					uuid,
					request: record.request,
					response_status: done ? record.status : null,
					response_body: done ? record.body : null,
					response_header: done ? { 'content-type': ['application/json'] } : null,
				});
			}
			const raw = Buffer.concat(chunks);
			const contentType = String(request.headers['content-type'] ?? '');
			let json: IDataObject | undefined;
			if (contentType.startsWith('application/json')) json = JSON.parse(raw.toString('utf8')) as IDataObject;
			const call: ActionCall = {
				method: request.method ?? '',
				path,
				query: Object.fromEntries(url.searchParams),
				contentType,
				raw,
				json,
			};
			calls.push(call);
			if (script.intercept?.(call, response, calls.length - 1)) return;
			const uuid = randomUUID();
			call.uuid = uuid;
			accepted.push(call);
			const chatId = String(json?.chatId ?? call.query.chatId ?? '');
			const outcome = script.outcome?.(call, accepted.length - 1) ?? {};
			records.set(uuid, {
				doneAt: Date.now() + (outcome.delayMs ?? 0),
				status: outcome.status ?? 201,
				body: outcome.body === undefined ? sentMessage(chatId) : outcome.body,
				request: json ?? {},
			});
			sendJson(response, 200, {
				queued: true,
				message: 'Processing your request...',
				queued_request_uuid: uuid,
				queued_request_link: `http://127.0.0.1/api/whatsapp/v2/${INSTANCE}/queued-requests/${uuid}`,
			});
		});
	});
	servers.push(server);
	return Object.assign(server, { calls, accepted, reads });
}

export async function runOperation(
	api: TestServer,
	parameters: Record<string, unknown>,
	extra: {
		inputItems?: IDataObject[];
		inputData?: INodeExecutionData[];
		continueOnFail?: boolean;
		retryOnFail?: RunNodeOptions['retryOnFail'];
		nodeSettings?: RunNodeOptions['nodeSettings'];
	} = {},
) {
	return await runHypersenderNode({
		parameters: { resource: 'message', ...parameters } as never,
		credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: api.baseUrl },
		...extra,
	});
}
