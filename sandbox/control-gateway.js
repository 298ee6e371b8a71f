// @ts-check
'use strict';
// The /__sandbox control endpoints of the account's instances (health status, created instances)
// and the rate limits.
const { attempt, readObject } = require('./control-helpers');
const { HttpError } = require('./http');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('./server').Sandbox} Sandbox */

/**
 * A decoded path segment; 404 for a malformed escape (it names no instance).
 * @param {string} segment
 */
function instanceSegment(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		throw new HttpError(404, 'Instance not found.');
	}
}

/**
 * Answers an instance or rate-limit control request, or gives undefined for other routes.
 * @param {Sandbox} sandbox
 * @param {IncomingMessage} req
 * @param {string} route the path after /__sandbox
 * @returns {Promise<unknown> | undefined}
 */
function dispatchGatewayControl(sandbox, req, route) {
	const method = req.method ?? 'GET';
	if (route === '/rate-limits') {
		if (method === 'GET') return Promise.resolve({ data: sandbox.rateLimitWindows() });
		if (method !== 'DELETE') return undefined;
		sandbox.resetRateLimits();
		return Promise.resolve({ ok: true });
	}
	if (route === '/created-instances' && method === 'GET') return Promise.resolve({ data: sandbox.createdInstances() });
	const status = /^\/instance-status\/([^/]+)$/.exec(route);
	if (status) {
		const id = instanceSegment(status[1]);
		if (method === 'GET') return Promise.resolve({ data: attempt(() => sandbox.instanceHealth(id)) });
		if (method !== 'PUT' && method !== 'POST') return undefined;
		return (async () => {
			const body = await readObject(req, 'like {"status":"FAILED"}');
			return { ok: true, data: attempt(() => sandbox.setInstanceStatus(id, String(body.status))) };
		})();
	}
	return undefined;
}

module.exports = { dispatchGatewayControl, instanceSegment };
