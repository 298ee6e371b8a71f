// @ts-check
'use strict';
// The /__sandbox control endpoints of the account's instances (health status, created instances),
// the rate limits, the OTP codes and the SMS gateways.
const { attempt, attemptAsync, readObject } = require('./control-helpers');
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
 * @param {URLSearchParams} params
 * @returns {Promise<unknown> | undefined}
 */
function dispatchGatewayControl(sandbox, req, route, params) {
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
	const otp = /^\/otp\/([^/]+)(\/last|\/expire)?$/.exec(route);
	if (otp) return otpControl(sandbox, req, instanceSegment(otp[1]), otp[2] ?? '', params);
	const sms = /^\/sms\/([^/]+)(?:\/([a-z]+))?$/.exec(route);
	if (sms) return smsControl(sandbox, req, instanceSegment(sms[1]), sms[2] ?? '', params);
	return undefined;
}

/**
 * `GET /sms/{instance}` (the phone and counts), `GET …/messages[?request_id=]` (with the count per
 * request_id and the ones recorded more than once), `GET …/threads`, `GET …/heartbeats`,
 * `POST …/seed`, `POST …/receive`, `POST …/heartbeat`, `DELETE /sms/{instance}`.
 * @param {Sandbox} sandbox
 * @param {IncomingMessage} req
 * @param {string} id
 * @param {string} action
 * @param {URLSearchParams} params
 * @returns {Promise<unknown> | undefined}
 */
function smsControl(sandbox, req, id, action, params) {
	const method = req.method ?? 'GET';
	if (method === 'GET' && action === '') {
		const counts = attempt(() => ({ messages: sandbox.smsMessages(id).length, threads: sandbox.smsThreads(id).length, heartbeats: sandbox.smsHeartbeats(id).length }));
		return Promise.resolve({ data: { phone: sandbox.smsPhone(id), counts } });
	}
	if (method === 'DELETE' && action === '') {
		attempt(() => sandbox.clearSms(id));
		return Promise.resolve({ ok: true });
	}
	if (method === 'GET' && action === 'messages') {
		const requestId = params.get('request_id') ?? undefined;
		const data = attempt(() => sandbox.smsMessages(id, { requestId }));
		const requestIds = sandbox.smsRequestIdCounts(id);
		const duplicates = Object.entries(requestIds).filter(([, count]) => count > 1).map(([key]) => key);
		return Promise.resolve({ count: data.length, requestIds, duplicates, data });
	}
	if (method === 'GET' && action === 'threads') return Promise.resolve({ data: attempt(() => sandbox.smsThreads(id)) });
	if (method === 'GET' && action === 'heartbeats') return Promise.resolve({ data: attempt(() => sandbox.smsHeartbeats(id)) });
	if (method !== 'POST' || !['seed', 'receive', 'heartbeat'].includes(action)) return undefined;
	return (async () => {
		const body = await readObject(req, action === 'seed' ? 'like {"messages":20,"threads":5,"heartbeats":10}' : 'the simulation input, e.g. {"from":"+4915123456789","content":"Hi"}');
		if (action === 'seed') return { ok: true, data: attempt(() => sandbox.seedSms(id, /** @type {{ messages?: number }} */ (body))) };
		return attemptAsync(() => (action === 'receive' ? sandbox.receiveSms(id, body) : sandbox.smsHeartbeat(id, body)));
	})();
}

/**
 * `GET /otp/{instance}[?chat_id=]`, `GET /otp/{instance}/last?chat_id=`, `POST /otp/{instance}/expire`
 * (body `{"uuid":…}` or `{"chatId":…}`), `DELETE /otp/{instance}`.
 * @param {Sandbox} sandbox
 * @param {IncomingMessage} req
 * @param {string} id
 * @param {string} action
 * @param {URLSearchParams} params
 * @returns {Promise<unknown> | undefined}
 */
function otpControl(sandbox, req, id, action, params) {
	const method = req.method ?? 'GET';
	const chatId = params.get('chat_id') ?? params.get('chatId') ?? undefined;
	if (action === '' && method === 'GET') return Promise.resolve({ data: attempt(() => sandbox.otpCodes(id, chatId)) });
	if (action === '' && method === 'DELETE') {
		attempt(() => sandbox.clearOtpCodes(id));
		return Promise.resolve({ ok: true });
	}
	if (action === '/last' && method === 'GET') {
		if (chatId === undefined) throw new HttpError(400, 'give chat_id: the chat whose newest code you want');
		return Promise.resolve({ data: attempt(() => sandbox.lastOtpCode(id, chatId)) });
	}
	if (action !== '/expire' || method !== 'POST') return undefined;
	return (async () => {
		const body = await readObject(req, 'like {"uuid":"…"} or {"chatId":"4915123456789"}');
		const which = { ...(typeof body.uuid === 'string' ? { uuid: body.uuid } : {}), ...(typeof body.chatId === 'string' ? { chatId: body.chatId } : {}) };
		if (which.uuid === undefined && which.chatId === undefined) throw new HttpError(400, 'give uuid or chatId: the code to expire');
		return { ok: true, data: attempt(() => sandbox.expireOtpCode(id, which)) };
	})();
}

module.exports = { dispatchGatewayControl, instanceSegment };
