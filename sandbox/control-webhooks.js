// @ts-check
'use strict';
// The /__sandbox control endpoints for webhooks and simulation: the delivery log, an instance's
// own webhook URL, the instances, and POST /__sandbox/simulate/{instance}/{kind}.
const { attempt, attemptAsync, readObject } = require('./control-helpers');
const { HttpError } = require('./http');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('./server').Sandbox} Sandbox */

/** How long `GET /__sandbox/webhooks?wait=1` waits for the deliveries to finish, at most. */
const MAX_WAIT_MS = 30000;

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
 * Waits until the deliveries are done, or `MAX_WAIT_MS`; true when they are.
 * @param {Sandbox} sandbox
 */
async function waitIdle(sandbox) {
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	const timedOut = new Promise((/** @type {(value: boolean) => void} */ resolve) => {
		timer = setTimeout(() => resolve(false), MAX_WAIT_MS);
	});
	try {
		return await Promise.race([sandbox.webhooksIdle().then(() => true), timedOut]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Answers a webhook or simulation control request, or gives undefined for other routes.
 * @param {Sandbox} sandbox
 * @param {IncomingMessage} req
 * @param {string} route the path after /__sandbox
 * @param {URLSearchParams} params
 * @returns {Promise<unknown> | undefined}
 */
function dispatchWebhookControl(sandbox, req, route, params) {
	const method = req.method ?? 'GET';
	if (method === 'GET' && route === '/instances') return Promise.resolve({ data: sandbox.instanceIds() });
	if (route === '/webhooks') {
		if (method === 'DELETE') {
			sandbox.clearWebhookDeliveries();
			return Promise.resolve({ ok: true });
		}
		if (method !== 'GET') return undefined;
		return (async () => {
			const wait = params.get('wait');
			const idle = wait !== null && wait !== '0' && wait !== 'false' ? await waitIdle(sandbox) : sandbox.webhooksIdleNow();
			const deliveries = sandbox.webhookDeliveries();
			return { count: deliveries.length, idle, deliveries };
		})();
	}
	const webhook = /^\/webhook\/([^/]+)$/.exec(route);
	if (webhook) {
		const id = instanceSegment(webhook[1]);
		if (method === 'GET') return Promise.resolve({ data: attempt(() => sandbox.webhook(id)) });
		if (method === 'DELETE') return Promise.resolve({ ok: true, data: attempt(() => sandbox.setWebhook(id, null)) });
		if (method !== 'PUT') return undefined;
		return (async () => {
			const body = await readObject(req, 'like {"url":"http://127.0.0.1:5678/webhook/…","secret":"…"} (url null: back to the global URL)');
			// setWebhook() checks the values (400 for a bad URL or secret).
			const setting = /** @type {{ url: string | null, secret?: string | null }} */ ({ url: body.url ?? null, ...(Object.hasOwn(body, 'secret') ? { secret: body.secret } : {}) });
			return { ok: true, data: attempt(() => sandbox.setWebhook(id, setting)) };
		})();
	}
	const simulate = /^\/simulate\/([^/]+)\/([^/]+)$/.exec(route);
	if (simulate && method === 'POST') {
		const id = instanceSegment(simulate[1]);
		return (async () => {
			const body = await readObject(req, 'the simulation input, e.g. {"from":"+4915123456789","text":"Hi"}');
			return attemptAsync(() => sandbox.simulate(id, simulate[2], body));
		})();
	}
	return undefined;
}

module.exports = { dispatchWebhookControl };
