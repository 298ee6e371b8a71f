// @ts-check
'use strict';
// The API request pipeline, the same for every route: route and method, body, latency,
// the onRequest hook, auth (401), fault (phase before), unknown instance (404), the route's own
// reply, and a fault in phase after replacing that reply once the work is done.
const { chatIdText } = require('./chat-ids');
const { sendFault } = require('./faults');
const { HttpError, parseFields, readBody, sendJson, sendReply } = require('./http');
const { CONTACT_ROUTES } = require('./routes/contacts');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./types').Reply} Reply */
/** @typedef {import('./types').RequestHook} RequestHook */
/** @typedef {import('./types').RequestLogEntry} RequestLogEntry */
/** @typedef {import('./types').SandboxConfig} SandboxConfig */

/**
 * What the pipeline needs from the running sandbox.
 * @typedef {object} ApiContext
 * @property {Map<string, import('./instances').Instance>} instances
 * @property {SandboxConfig} config the live settings
 * @property {{ choose(faults: import('./types').FaultSettings): string | null }} faults
 * @property {import('./pictures').PictureSigner} pictures
 * @property {() => string} origin
 * @property {(ms: number) => Promise<void> | undefined} delay
 * @property {() => RequestHook | undefined} hook
 * @property {(line: string) => void} log
 */

const API_BASE_PATH = '/api/whatsapp/v2';

/**
 * The instance segment and action of `/{instance}/contacts/{action}`, or undefined for other paths.
 * @param {string} pathname
 */
function matchRoute(pathname) {
	if (!pathname.startsWith(`${API_BASE_PATH}/`)) return undefined;
	const segments = pathname.slice(API_BASE_PATH.length + 1).split('/');
	if (segments.length !== 3 || segments[0] === '' || segments[1] !== 'contacts' || !Object.hasOwn(CONTACT_ROUTES, segments[2])) {
		return undefined;
	}
	let instanceId;
	try {
		instanceId = decodeURIComponent(segments[0]);
	} catch {
		// A malformed escape cannot name any instance; keep it raw so it simply is not found.
		instanceId = segments[0];
	}
	return { instanceId, route: CONTACT_ROUTES[segments[2]] };
}

/**
 * @param {ApiContext} context
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {RequestLogEntry} entry
 * @param {string} fault
 */
function answerWithFault(context, req, res, entry, fault) {
	if (!sendFault(req, res, fault, context.config.faults.retryAfter)) {
		context.log(`${req.method} ${req.url} -> no response (fault ${entry.fault})`);
	}
}

/**
 * Answers one API request; `entry` is its log entry, already in the request log.
 * @param {ApiContext} context
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {RequestLogEntry} entry
 * @param {string} search
 * @returns {Promise<void>}
 */
async function handleApi(context, req, res, entry, search) {
	const pathname = entry.path;
	const match = matchRoute(pathname);
	entry.instance = match?.instanceId ?? null;

	if (!match) return sendJson(res, 404, { message: `The route ${pathname.replace(/^\//, '')} could not be found.` });
	const { instanceId, route } = match;
	const method = req.method ?? 'GET';
	if (!route.methods.includes(method)) {
		const allowed = route.methods.join(', ');
		const message = `The ${method} method is not supported for route ${pathname.replace(/^\//, '')}. Supported methods: ${allowed}.`;
		return sendJson(res, 405, { message }, { Allow: allowed });
	}

	/** @type {Record<string, unknown>} */
	let input = Object.fromEntries(new URLSearchParams(search));
	if (route.readsBody) {
		try {
			entry.body = parseFields(await readBody(req), req.headers['content-type']);
		} catch (error) {
			if (!(error instanceof HttpError)) throw error;
			if (!res.destroyed) sendJson(res, error.status, { message: 'The request body is too large.' });
			return;
		}
		input = { ...input, ...entry.body };
		entry.chat_id = chatIdText(input.chat_id);
	}

	await context.delay(context.config.latencyMs);
	const hook = context.hook();
	if (hook) await hook(entry);
	if (res.destroyed || req.socket.destroyed) return;

	if (entry.authorization !== 'present') return sendJson(res, 401, { message: 'Unauthenticated.' });
	const fault = context.faults.choose(context.config.faults);
	entry.fault = fault;
	if (fault !== null && context.config.faults.phase === 'before') return answerWithFault(context, req, res, entry, fault);

	const instance = context.instances.get(instanceId);
	/** @type {Reply} */
	const reply = instance
		? route.handle({
				instanceId,
				instance,
				entry,
				input,
				config: context.config,
				pictures: context.pictures,
				origin: context.origin(),
				now: Date.now(),
			})
		: { status: 404, json: { message: 'Instance not found.' } };
	if (fault !== null) return answerWithFault(context, req, res, entry, fault);
	if (reply.fault) entry.fault = reply.fault;
	sendReply(res, reply);
}

module.exports = { API_BASE_PATH, handleApi, matchRoute };
