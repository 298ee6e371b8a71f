// @ts-check
'use strict';
// Fault injection: settings (normalize), a seeded draw per request (choose) and the broken
// answer itself (send). Faults strike only API requests that passed authentication.
const http = require('node:http');
const { createRandom } = require('./contacts');
const { sendHtml, sendJson } = require('./http');

/** @typedef {import('./types').FaultSettings} FaultSettings */
/** @typedef {import('./types').Reply} Reply */

const FAULT_KINDS = ['429', '500', '502', '503', '504', 'reset', 'html', 'empty', 'hang'];
const FAULT_PHASES = ['before', 'after', 'both'];

/** @type {Record<number, string>} */
const HTML_BODIES = {
	502: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
	504: '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};
const CAPTIVE_PORTAL_HTML =
	'<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body><h1>Welcome</h1><p>Please accept the terms of use to continue.</p></body></html>';
/** @type {Record<number, string>} */
const JSON_ERROR_MESSAGES = {
	429: 'Too Many Attempts.',
	500: 'Server Error',
	503: 'Service Unavailable',
};

/**
 * Complete, checked fault settings from a partial one; throws on bad values.
 * @param {{ rate?: number, kinds?: string[] | string, seed?: number, retryAfter?: number, phase?: string, routes?: string[] | string | null }} [faults]
 * @returns {FaultSettings}
 */
function normalizeFaults(faults = {}) {
	const rate = faults.rate ?? 0;
	if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new Error(`faults.rate must be a number from 0 to 1, got ${rate}`);
	const rawKinds = faults.kinds ?? FAULT_KINDS;
	const kinds = (typeof rawKinds === 'string' ? rawKinds.split(',') : rawKinds).map((kind) => String(kind).trim());
	if (kinds.length === 0) throw new Error('faults.kinds must name at least one kind');
	for (const kind of kinds) {
		if (!FAULT_KINDS.includes(kind)) throw new Error(`unknown fault kind "${kind}"; known: ${FAULT_KINDS.join(', ')}`);
	}
	const seed = faults.seed ?? 1;
	if (!Number.isInteger(seed)) throw new Error(`faults.seed must be an integer, got ${seed}`);
	const retryAfter = faults.retryAfter ?? 1;
	if (typeof retryAfter !== 'number' || !(retryAfter >= 0)) throw new Error(`faults.retryAfter must be a number >= 0, got ${retryAfter}`);
	const phase = faults.phase ?? 'before';
	if (!FAULT_PHASES.includes(phase)) throw new Error(`faults.phase must be "before", "after" or "both", got ${JSON.stringify(phase)}`);
	return { rate, kinds, seed, retryAfter, phase: /** @type {'before' | 'after' | 'both'} */ (phase), routes: faultRoutes(faults.routes) };
}

/**
 * The routes faults may strike (`sms/send-message`, `whatsapp/send-*`, `otp/*`), or null for all.
 * @param {unknown} value a list, or the names comma-separated
 * @returns {string[] | null}
 */
function faultRoutes(value) {
	if (value === undefined || value === null) return null;
	const routes = (typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [null]).map((route) => (typeof route === 'string' ? route.trim() : ''));
	if (routes.length === 0 || routes.some((route) => !/^(whatsapp|otp|sms|\*)(\/[a-z0-9*/-]*)?$/.test(route))) {
		throw new Error(`faults.routes must be null or route names like "sms/send-message", "whatsapp/send-*" or "otp/*", got ${JSON.stringify(value)}`);
	}
	return routes;
}

/**
 * Whether a route name (`<family>/<route>`, e.g. `whatsapp/contacts/get-all`) is among the
 * patterns: an exact name, or a prefix ending in `*`.
 * @param {string[] | null} patterns null: every route
 * @param {string} name
 */
function routeMatches(patterns, name) {
	if (patterns === null) return true;
	return patterns.some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}

/**
 * The seeded fault sequence: the same seed gives the same faults in request order.
 * @param {number} seed
 */
function createFaultChooser(seed) {
	let random = createRandom(seed);
	return {
		/** @param {number} nextSeed */
		reseed(nextSeed) {
			random = createRandom(nextSeed);
		},
		/**
		 * The fault for the next request, or null. Requests on routes the settings leave out draw
		 * nothing, so the targeted ones see the same sequence whatever else runs in between.
		 * @param {FaultSettings} faults
		 * @param {string} [routeName] `<family>/<route>`
		 * @returns {string | null}
		 */
		choose(faults, routeName = '') {
			if (faults.rate === 0 || !routeMatches(faults.routes, routeName) || random() >= faults.rate) return null;
			return faults.kinds[Math.floor(random() * faults.kinds.length)];
		},
		/**
		 * When a chosen fault strikes: the settings' phase, or for `both` before or after, drawn
		 * (half each) from the same seeded sequence.
		 * @param {FaultSettings} faults
		 * @returns {'before' | 'after'}
		 */
		phaseOf(faults) {
			if (faults.phase !== 'both') return faults.phase;
			return random() < 0.5 ? 'before' : 'after';
		},
	};
}

/**
 * Error status as a gateway or the app would answer it: nginx HTML for 502/504, Laravel JSON otherwise.
 * @param {number} status
 * @param {number} retryAfter
 * @returns {Reply}
 */
function errorStatusReply(status, retryAfter) {
	if (HTML_BODIES[status]) return { status, html: HTML_BODIES[status] };
	/** @type {Record<string, string>} */
	const headers = status === 429 ? { 'Retry-After': String(retryAfter) } : {};
	return { status, json: { message: JSON_ERROR_MESSAGES[status] ?? http.STATUS_CODES[status] ?? 'Error' }, headers };
}

/**
 * Answers with the fault; returns false when the fault means "no response at all".
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {string} fault
 * @param {number} retryAfter
 * @returns {boolean}
 */
function sendFault(req, res, fault, retryAfter) {
	switch (fault) {
		case 'reset':
			// A TCP RST, so clients see ECONNRESET rather than a clean close.
			if (typeof req.socket.resetAndDestroy === 'function') req.socket.resetAndDestroy();
			else req.socket.destroy();
			return false;
		case 'hang':
			return false;
		case 'html':
			sendHtml(res, 200, CAPTIVE_PORTAL_HTML);
			return true;
		case 'empty':
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 0 });
			res.end();
			return true;
		default: {
			const reply = errorStatusReply(Number(fault), retryAfter);
			if (reply.html !== undefined) sendHtml(res, reply.status, reply.html);
			else sendJson(res, reply.status, reply.json, reply.headers);
			return true;
		}
	}
}

module.exports = { FAULT_KINDS, FAULT_PHASES, createFaultChooser, errorStatusReply, normalizeFaults, routeMatches, sendFault };
