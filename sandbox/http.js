// @ts-check
'use strict';
// HTTP plumbing shared by the routes: sending replies, reading and parsing bodies, the raw query,
// Laravel-style validation bodies and the request-log entry of an incoming request.
const http = require('node:http');
const { parseMultipartBody } = require('./multipart');

/** @typedef {import('./types').Reply} Reply */
/** @typedef {import('./types').RawQuery} RawQuery */
/** @typedef {import('./types').RequestLogEntry} RequestLogEntry */
/** @typedef {import('./multipart').UploadedFile} UploadedFile */

const MAX_BODY_BYTES = 1024 * 1024;
/** The body limit of the routes that take a file upload. */
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const REDACTED = '[redacted]';
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** An error that maps to an HTTP status (used by the control endpoints). */
class HttpError extends Error {
	/**
	 * @param {number} status
	 * @param {string} message
	 */
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-cache, private',
		...headers,
	});
	res.end(text);
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string} html
 */
function sendHtml(res, status, html) {
	res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(html) });
	res.end(html);
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {string} text
 */
function sendText(res, status, text) {
	res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
	res.end(text);
}

/**
 * @param {http.ServerResponse} res
 * @param {Reply} reply
 */
function sendReply(res, reply) {
	if (reply.html !== undefined) return sendHtml(res, reply.status, reply.html);
	if (reply.text !== undefined) return sendText(res, reply.status, reply.text);
	return sendJson(res, reply.status, reply.json, reply.headers);
}

/**
 * The whole body; rejects with HttpError 413 past `maxBytes`.
 * @param {http.IncomingMessage} req
 * @param {number} [maxBytes]
 * @returns {Promise<Buffer>}
 */
function readBody(req, maxBytes = MAX_BODY_BYTES) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > maxBytes) {
				reject(new HttpError(413, 'request body too large'));
				req.destroy();
			} else chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * The fields and uploaded files of a body the way Laravel reads them: JSON (an object),
 * form-urlencoded or multipart/form-data (binary-safe). Any other content type, or a body that
 * does not parse, gives no fields.
 * @param {Buffer} body
 * @param {string | undefined} contentType
 * @returns {{ fields: Record<string, unknown>, files: Record<string, UploadedFile> }}
 */
function parseBody(body, contentType = '') {
	const type = contentType.split(';')[0].trim().toLowerCase();
	if (type === 'multipart/form-data') return parseMultipartBody(body, contentType);
	const text = body.toString('utf8');
	if (type === 'application/json' || type.endsWith('+json')) {
		try {
			const value = JSON.parse(text);
			return { fields: typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}, files: {} };
		} catch {
			return { fields: {}, files: {} };
		}
	}
	if (type === 'application/x-www-form-urlencoded') return { fields: Object.fromEntries(new URLSearchParams(text)), files: {} };
	return { fields: {}, files: {} };
}

/**
 * The fields of a body as parseBody() reads them, a multipart file part kept as its UTF-8 text
 * (what the contacts routes see).
 * @param {Buffer} body
 * @param {string | undefined} contentType
 * @returns {Record<string, unknown>}
 */
function parseFields(body, contentType = '') {
	const { fields, files } = parseBody(body, contentType);
	const out = { ...fields };
	for (const [name, file] of Object.entries(files)) out[name] = file.data.toString('utf8');
	return out;
}

/**
 * Whether a path is `prefix` or under it.
 * @param {string} path
 * @param {string} prefix
 */
function isUnder(path, prefix) {
	return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Starts listening; resolves with the port once it does.
 * @param {http.Server} server
 * @param {number} port
 * @param {string} host
 * @returns {Promise<number>}
 */
function listen(server, port, host) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
		});
	});
}

/**
 * Splits a request URL into path and query string (without the `?`).
 * @param {string | undefined} url
 */
function splitUrl(url = '/') {
	const queryStart = url.indexOf('?');
	return {
		pathname: queryStart === -1 ? url : url.slice(0, queryStart),
		search: queryStart === -1 ? '' : url.slice(queryStart + 1),
	};
}

/**
 * Query values as sent (last one wins for repeated keys, as in PHP), or null when absent.
 * @param {string} search
 * @returns {RawQuery}
 */
function rawQuery(search) {
	const params = new URLSearchParams(search);
	/** @param {string} key */
	const last = (key) => {
		const values = params.getAll(key);
		return values.length === 0 ? null : values[values.length - 1];
	};
	return { limit: last('limit'), offset: last('offset'), sort_by: last('sort_by'), sort_order: last('sort_order'), chat_id: last('chat_id') };
}

/**
 * @param {string | undefined} header
 * @param {string} token
 * @returns {'present' | 'missing' | 'wrong'}
 */
function authorizationState(header, token) {
	if (!header) return 'missing';
	const match = /^Bearer\s+(.+)$/i.exec(header.trim());
	return match && match[1] === token ? 'present' : 'wrong';
}

/**
 * Request headers for the log: credential headers redacted, the sandbox token masked anywhere else.
 * @param {http.IncomingHttpHeaders} headers
 * @param {string} token
 * @returns {Record<string, string>}
 */
function loggedHeaders(headers, token) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const [name, raw] of Object.entries(headers)) {
		if (raw === undefined) continue;
		const value = Array.isArray(raw) ? raw.join(', ') : raw;
		out[name] = CREDENTIAL_HEADERS.has(name) ? REDACTED : value.split(token).join(REDACTED);
	}
	return out;
}

/**
 * A new request-log entry for an incoming request.
 * @param {'api' | 'picture'} kind
 * @param {http.IncomingMessage} req
 * @param {string} pathname
 * @param {string} search
 * @param {string} token
 * @returns {RequestLogEntry}
 */
function logEntry(kind, req, pathname, search, token) {
	const query = rawQuery(search);
	// chat_id shows in the logged query only when it was sent: a get-all request logs exactly its four paging keys.
	const { chat_id: chatId, ...paging } = query;
	return {
		kind,
		method: req.method ?? 'GET',
		path: pathname,
		instance: null,
		query: chatId === null ? paging : query,
		chat_id: chatId,
		body: null,
		authorization: authorizationState(req.headers.authorization, token),
		accept: req.headers.accept ?? null,
		headers: loggedHeaders(req.headers, token),
		status: null,
		fault: null,
		at: Date.now(),
	};
}

/**
 * Laravel's 422 body: the first message, "(and N more errors)", and every message by field; or
 * the given message instead (the queued routes answer "The given data was invalid.", as their docs show).
 * @param {Record<string, string[]>} errors
 * @param {string} [message]
 */
function validationFailure(errors, message) {
	if (message !== undefined) return { message, errors };
	const messages = Object.values(errors).flat();
	const more = messages.length - 1;
	const suffix = more === 0 ? '' : ` (and ${more} more error${more === 1 ? '' : 's'})`;
	return { message: `${messages[0]}${suffix}`, errors };
}

/**
 * A JSON error status as the app answers it (the message Laravel uses, or the HTTP reason phrase).
 * @param {number} status
 * @param {string} [message]
 * @returns {Reply}
 */
function jsonStatus(status, message) {
	return { status, json: { message: message ?? http.STATUS_CODES[status] ?? 'Error' } };
}

module.exports = {
	HttpError,
	MAX_BODY_BYTES,
	MAX_UPLOAD_BYTES,
	authorizationState,
	isUnder,
	jsonStatus,
	listen,
	logEntry,
	loggedHeaders,
	parseBody,
	parseFields,
	rawQuery,
	readBody,
	sendHtml,
	sendJson,
	sendReply,
	sendText,
	splitUrl,
	validationFailure,
};
