// @ts-check
'use strict';
// Loopback networking for the tools: free ports on 127.0.0.1 and a minimal JSON HTTP client.
const http = require('node:http');
const net = require('node:net');

/**
 * @typedef {object} HttpResponse
 * @property {number} status
 * @property {http.IncomingHttpHeaders} headers
 * @property {any} body the parsed JSON, when the answer was JSON
 * @property {string} text
 */

/**
 * @typedef {object} RequestOptions
 * @property {string} [method] default GET
 * @property {unknown} [body] sent as JSON (a string is sent as it is)
 * @property {Record<string, string>} [headers]
 * @property {number} [timeoutMs] default 30000
 */

/**
 * A free TCP port on 127.0.0.1: `preferred` when it is free, any free one otherwise.
 * @param {number} [preferred]
 * @returns {Promise<number>}
 */
function freePort(preferred = 0) {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', (/** @type {NodeJS.ErrnoException} */ error) => {
			if (preferred !== 0 && error.code === 'EADDRINUSE') resolve(freePort(0));
			else reject(error);
		});
		server.listen(preferred, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (server.address());
			server.close(() => resolve(port));
		});
	});
}

/** @param {number} port @returns {Promise<boolean>} */
function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * Minimal JSON HTTP client: resolves to { status, headers, body (parsed when JSON), text }.
 * @param {string} url
 * @param {RequestOptions} [options]
 * @returns {Promise<HttpResponse>}
 */
function request(url, { method = 'GET', body, headers = {}, timeoutMs = 30000 } = {}) {
	const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
	/** @param {boolean} retried @returns {Promise<HttpResponse>} */
	const attempt = (retried) => new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method,
				headers: {
					accept: 'application/json',
					...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
					...headers,
				},
				timeout: timeoutMs,
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed;
					try {
						parsed = text ? JSON.parse(text) : undefined;
					} catch {
						parsed = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
		req.on('error', (error) => {
			// Node's agent keeps sockets alive between requests; a server may close an idle one just as
			// a request is written to it ("socket hang up", ECONNRESET on a reused socket). The server
			// never read that request, so it is sent again once, on a new socket (as Node's docs advise).
			if (!retried && req.reusedSocket && /** @type {NodeJS.ErrnoException} */ (error).code === 'ECONNRESET') resolve(attempt(true));
			else reject(error);
		});
		if (payload) req.write(payload);
		req.end();
	});
	return attempt(false);
}

module.exports = { freePort, portIsFree, request };
