// @ts-check
'use strict';
// The /__sandbox control endpoints (no auth): the same controls as the object startSandbox()
// returns, for tests that run the sandbox in another process (webhooks and simulation: in
// control-webhooks.js; media and transcriptions: in control-media.js; instances, rate limits, OTP
// and SMS: in control-gateway.js).
const { attempt, readObject } = require('./control-helpers');
const { dispatchGatewayControl } = require('./control-gateway');
const { RawBody, dispatchMediaControl } = require('./control-media');
const { dispatchWebhookControl } = require('./control-webhooks');
const { HttpError, sendJson } = require('./http');
const { SORT_KEYS, SORT_ORDERS } = require('./sorting');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./server').Sandbox} Sandbox */

const CONTROL_PATH = '/__sandbox';

/**
 * Control routes with an instance: `/{name}/{instance}`.
 * @type {Record<string, (sandbox: Sandbox, req: IncomingMessage, id: string, params: URLSearchParams) => Promise<unknown> | unknown>}
 */
const INSTANCE_ROUTES = {
	'GET contacts': (sandbox, _req, id, params) => {
		const sortBy = params.get('sort_by') || 'name';
		const sortOrder = params.get('sort_order') || 'asc';
		attempt(() => sandbox.contacts(id));
		if (!SORT_KEYS.includes(sortBy) || !SORT_ORDERS.includes(sortOrder)) {
			throw new HttpError(422, 'sort_by must be id or name and sort_order asc or desc.');
		}
		return { data: sandbox.expected(id, sortBy, sortOrder) };
	},
	'GET contact': (sandbox, _req, id, params) => ({ data: attempt(() => sandbox.contact(id, params.get('chat_id') ?? '')) }),
	'GET upsert-calls': (sandbox, _req, id, params) => {
		const chatId = params.get('chat_id');
		if (chatId === null) return { data: attempt(() => sandbox.upsertCallCounts(id)) };
		return { chat_id: chatId, calls: attempt(() => sandbox.upsertCalls(id, chatId)) };
	},
	'GET hidden-pictures': (sandbox, _req, id) => ({ data: attempt(() => sandbox.hiddenPictures(id)) }),
	'POST hidden-pictures': async (sandbox, req, id) => {
		const body = await readObject(req, 'like {"ids":["1@c.us"],"seeded":true}');
		const seeded = body.seeded === undefined ? undefined : Boolean(body.seeded);
		attempt(() => sandbox.setHiddenPictures(id, /** @type {string[]} */ (body.ids), { seeded }));
		return { ok: true, data: sandbox.hiddenPictures(id) };
	},
	'GET linked-phones': (sandbox, _req, id) => ({ data: attempt(() => sandbox.linkedPhones(id)) }),
	'GET messages': (sandbox, _req, id) => ({ data: attempt(() => sandbox.messages(id)) }),
	'DELETE messages': (sandbox, _req, id) => {
		attempt(() => sandbox.clearMessages(id));
		return { ok: true };
	},
	'POST linked-phones': async (sandbox, req, id) => {
		const body = await readObject(req, 'like {"id":"123@lid","phone":"15551234567"}');
		attempt(() => sandbox.setLinkedPhone(id, String(body.id), body.phone === null ? null : String(body.phone)));
		return { ok: true };
	},
};

/**
 * @param {Sandbox} sandbox
 * @param {IncomingMessage} req
 * @param {string} route the path after /__sandbox
 * @param {URLSearchParams} params
 * @returns {Promise<unknown>} the JSON to answer with
 */
async function dispatch(sandbox, req, route, params) {
	const method = req.method ?? 'GET';
	if (method === 'GET' && route === '/health') return { ok: true };
	if (method === 'GET' && route === '/requests') {
		const kind = params.get('kind');
		const requests = kind ? sandbox.requests.filter((entry) => entry.kind === kind) : sandbox.requests;
		return { count: requests.length, requests };
	}
	if (method === 'GET' && route === '/llm') return { count: sandbox.llmRequests.length, completions: sandbox.llmRequests };
	if (method === 'POST' && route === '/reset') {
		sandbox.resetRequests();
		return { ok: true };
	}
	if (method === 'POST' && route === '/config') {
		const changes = await readObject(req, 'the same as configure() takes');
		return { ok: true, config: attempt(() => sandbox.configure(changes)) };
	}
	const mediaAnswer = dispatchMediaControl(sandbox, req, route);
	if (mediaAnswer !== undefined) return mediaAnswer;
	const webhookAnswer = dispatchWebhookControl(sandbox, req, route, params);
	if (webhookAnswer !== undefined) return webhookAnswer;
	const gatewayAnswer = dispatchGatewayControl(sandbox, req, route, params);
	if (gatewayAnswer !== undefined) return gatewayAnswer;
	const match = /^\/([a-z-]+)\/(.+)$/.exec(route);
	const handler = match ? INSTANCE_ROUTES[`${method} ${match[1]}`] : undefined;
	if (!match || !handler) throw new HttpError(404, `No sandbox control endpoint ${method} ${CONTROL_PATH}${route}.`);
	let id;
	try {
		id = decodeURIComponent(match[2]);
	} catch {
		throw new HttpError(404, 'Instance not found.');
	}
	return handler(sandbox, req, id, params);
}

/**
 * @param {Sandbox} sandbox
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {string} pathname
 * @param {string} search
 */
async function handleControl(sandbox, req, res, pathname, search) {
	try {
		const answer = await dispatch(sandbox, req, pathname.slice(CONTROL_PATH.length), new URLSearchParams(search));
		if (!(answer instanceof RawBody)) return sendJson(res, 200, answer);
		res.writeHead(200, { 'Content-Type': answer.contentType, 'Content-Length': answer.bytes.length });
		res.end(answer.bytes);
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		const message = error.status === 404 && /^unknown instance/.test(error.message) ? 'Instance not found.' : error.message;
		sendJson(res, error.status, { message });
	}
}

module.exports = { CONTROL_PATH, handleControl };
