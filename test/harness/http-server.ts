// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import http from 'node:http';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** The raw request target, exactly as it arrived (path encoding included). */
	url: string;
	headers: http.IncomingHttpHeaders;
}

export interface TestServer {
	baseUrl: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 for the answers the sandbox does not give (a 422, a body
 * of the wrong shape, a server echoing the token): the node's HTTP client is never patched.
 */
export async function startTestServer(
	handler: (request: http.IncomingMessage, response: http.ServerResponse) => void,
): Promise<TestServer> {
	const requests: RecordedRequest[] = [];
	const server = http.createServer((request, response) => {
		requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
		handler(request, response);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/api/whatsapp/v2`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown) {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}
