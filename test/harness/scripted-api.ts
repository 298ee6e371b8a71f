/**
 * A scripted stand-in of the API for tests that need answers the sandbox does not give: each
 * test sets the handler that answers every request, and the node runs through n8n-core.
 */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import type http from 'node:http';

import type { IDataObject } from 'n8n-workflow';

import { runHypersenderNode } from './n8n-core';
import type { TestServer } from './http-server';
import { startTestServer } from './http-server';

export const TOKEN = 'contact-ops-secret-token';
export const INSTANCE = 'inst-1';

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse, body: string) => void;

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

// Every server a test started with serve() is closed after that test.
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

export async function serve(handler: Handler) {
	const server = await apiServer(handler);
	servers.push(server);
	return server;
}

export async function runContactOperation(
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

export function query(url: string) {
	return Object.fromEntries(new URL(url, 'http://x').searchParams);
}

