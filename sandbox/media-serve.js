// @ts-check
'use strict';
// Serving the media of simulated incoming messages: from the media host (a second server of the
// sandbox, on its own port: no auth, like a CDN or a signed storage link) and from the API origin
// under the instance (`/api/whatsapp/v2/{instance}/media/{id}`, with the bearer token, like
// every API route). Signed links expire (403); an unknown id is 404. Every request is logged with
// whether the token came along, so tests can check that it reached the API origin only.
const http = require('node:http');
const { authorizationState, loggedHeaders, sendJson, splitUrl } = require('./http');
const { MEDIA_PATH } = require('./media');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./media').MediaRecord} MediaRecord */
/** @typedef {import('./media').MediaRequestEntry} MediaRequestEntry */
/** @typedef {import('./media').MediaStore} MediaStore */

/** How often a throttled link sends its next piece. */
const THROTTLE_TICK_MS = 50;
const REFUSALS = {
	forged: { status: 403, message: 'Invalid URL signature.' },
	expired: { status: 403, message: 'URL signature expired.' },
	'not-found': { status: 404, message: 'Media not found.' },
};

/**
 * A `Content-Disposition` naming the file (ASCII fallback and the UTF-8 name).
 * @param {string} filename
 */
function contentDisposition(filename) {
	const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Whether the token shows anywhere in the request: a header value or the URL.
 * @param {IncomingMessage} req
 * @param {string} token
 */
function carriesToken(req, token) {
	let url = req.url ?? '';
	try {
		url += ` ${decodeURIComponent(url)}`;
	} catch {
		// a malformed escape: the raw URL is searched
	}
	return url.includes(token) || req.rawHeaders.some((value) => value.includes(token));
}

/**
 * Sends the bytes: at once, or `rate` bytes a second, a piece every THROTTLE_TICK_MS.
 * @param {import('./timers').Timers} timers
 * @param {ServerResponse} res
 * @param {MediaRequestEntry} entry its `bytes` counts what was sent
 * @param {Buffer} bytes
 * @param {number | null} rate
 */
function sendBody(timers, res, entry, bytes, rate) {
	if (rate === null) {
		entry.bytes = bytes.length;
		res.end(bytes);
		return;
	}
	const piece = Math.max(1, Math.round((rate * THROTTLE_TICK_MS) / 1000));
	const next = () => {
		if (res.destroyed) return;
		const chunk = bytes.subarray(entry.bytes, entry.bytes + piece);
		entry.bytes += chunk.length;
		if (entry.bytes >= bytes.length) res.end(chunk);
		else {
			res.write(chunk);
			timers.set(next, THROTTLE_TICK_MS);
		}
	};
	next();
}

/**
 * The media download handlers of a sandbox.
 * @param {{ store: MediaStore, token: string, timers: import('./timers').Timers, apiBasePath: string }} parts
 */
function createMediaServer({ store, token, timers, apiBasePath }) {
	const apiPattern = new RegExp(`^${apiBasePath.replace(/[/.]/g, '\\$&')}/([^/]+)${MEDIA_PATH}/([^/]*)$`);

	/**
	 * A new log entry for a request, in the log.
	 * @param {'media-host' | 'api'} origin
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 * @param {string} path
	 */
	function logRequest(origin, req, res, path) {
		const startedAt = Date.now();
		/** @type {MediaRequestEntry} */
		const entry = {
			origin,
			method: req.method ?? 'GET',
			path,
			mediaId: null,
			instance: null,
			authorization: authorizationState(req.headers.authorization, token),
			tokenSent: carriesToken(req, token),
			headers: loggedHeaders(req.headers, token),
			status: null,
			bytes: 0,
			aborted: false,
			at: startedAt,
			durationMs: null,
		};
		store.requests.push(entry);
		res.on('finish', () => {
			entry.status = res.statusCode;
			entry.durationMs = Date.now() - startedAt;
		});
		res.on('close', () => {
			if (res.writableFinished) return;
			entry.aborted = true;
			if (res.headersSent) entry.status = res.statusCode;
			entry.durationMs = Date.now() - startedAt;
		});
		return entry;
	}

	/**
	 * Answers a checked link: after its delay, the bytes with their type, length and (documents) name.
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 * @param {MediaRequestEntry} entry
	 * @param {MediaRecord} record
	 */
	async function sendMedia(req, res, entry, record) {
		if (record.delayMs > 0) await timers.delay(record.delayMs);
		if (res.destroyed) return;
		const bytes = store.bytesOf(record);
		/** @type {Record<string, string | number>} */
		const headers = { 'Content-Type': record.mimetype, 'Content-Length': bytes.length, 'Cache-Control': 'private, max-age=600' };
		if (record.kind === 'document' && record.filename) headers['Content-Disposition'] = contentDisposition(record.filename);
		res.writeHead(200, headers);
		if (req.method === 'HEAD') res.end();
		else sendBody(timers, res, entry, bytes, record.throttleBytesPerSecond);
	}

	/**
	 * Checks the method and the link, then serves it.
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 * @param {MediaRequestEntry} entry
	 * @param {string} search
	 */
	async function serveLink(req, res, entry, search) {
		if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { message: 'Method Not Allowed' }, { Allow: 'GET, HEAD' });
		const checked = store.check(entry.path, search, entry.mediaId ?? '');
		if ('refused' in checked) {
			const { status, message } = REFUSALS[checked.refused];
			return sendJson(res, status, { message });
		}
		entry.instance = checked.record.instanceId;
		return sendMedia(req, res, entry, checked.record);
	}

	return {
		/**
		 * The media id and instance of an API-origin media path, or undefined for other paths.
		 * @param {string} pathname
		 */
		matchApi(pathname) {
			const match = apiPattern.exec(pathname);
			if (!match) return undefined;
			try {
				return { instanceId: decodeURIComponent(match[1]), mediaId: match[2] };
			} catch {
				return { instanceId: match[1], mediaId: match[2] };
			}
		},

		/**
		 * A download from the API origin: the token first (401), then the instance (404), then the link.
		 * @param {IncomingMessage} req
		 * @param {ServerResponse} res
		 * @param {{ instanceId: string, mediaId: string }} match
		 * @param {boolean} instanceExists
		 */
		async serveApi(req, res, match, instanceExists) {
			const { pathname, search } = splitUrl(req.url);
			const entry = logRequest('api', req, res, pathname);
			entry.mediaId = match.mediaId;
			entry.instance = match.instanceId;
			if (entry.authorization !== 'present') return sendJson(res, 401, { message: 'Unauthenticated.' });
			if (!instanceExists) return sendJson(res, 404, { message: 'Instance not found.' });
			return serveLink(req, res, entry, search);
		},

		/** The media host's server: `/media/{id}?exp=&sig=`, no auth. */
		createHostServer() {
			return http.createServer((req, res) => {
				const { pathname, search } = splitUrl(req.url);
				const entry = logRequest('media-host', req, res, pathname);
				const id = pathname.startsWith(`${MEDIA_PATH}/`) ? pathname.slice(MEDIA_PATH.length + 1) : null;
				if (id === null || id === '' || id.includes('/')) return sendJson(res, 404, { message: 'Not Found' });
				entry.mediaId = id;
				serveLink(req, res, entry, search).catch((error) => {
					if (!res.headersSent && !res.destroyed) sendJson(res, 500, { message: `Sandbox error: ${error.message}` });
				});
			});
		},
	};
}

module.exports = { createMediaServer };
