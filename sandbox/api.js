// @ts-check
'use strict';
// The API request pipeline, the same for every route (contacts, send-*, actions, queued
// requests): route and method, body, latency, the onRequest hook, auth (401), fault (phase
// before), unknown instance (404), the route's own reply (a queued route records the request
// here), and a fault in phase after replacing that reply once the work is done.
const { chatIdText } = require('./chat-ids');
const { sendFault } = require('./faults');
const { HttpError, parseBody, parseFields, readBody, sendJson, sendReply } = require('./http');
const { fileDigest } = require('./multipart');
const { ACTION_ROUTES } = require('./routes/actions');
const { CONTACT_ROUTES } = require('./routes/contacts');
const { SEND_ROUTES } = require('./routes/messages');
const { QUEUED_REQUEST_ROUTE } = require('./routes/queued');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./types').ApiRoute} ApiRoute */
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
 * @property {(instanceId: string) => import('./queue').MessageQueue} queueFor
 */

const API_BASE_PATH = '/api/whatsapp/v2';

/** @type {Record<string, ApiRoute>} */
const INSTANCE_ROUTES = { ...SEND_ROUTES, ...ACTION_ROUTES };

/**
 * The route of a path under an instance, with its parameters: `contacts/{action}`, one of the
 * queued actions (`send-text`, `react-to-message`, …) or `queued-requests/{uuid}`.
 * @param {string[]} segments the path after the instance segment
 * @returns {{ route: ApiRoute, params: Record<string, string> } | undefined}
 */
function findRoute(segments) {
	const [first, second] = segments;
	if (segments.length === 1 && Object.hasOwn(INSTANCE_ROUTES, first)) return { route: INSTANCE_ROUTES[first], params: {} };
	if (segments.length !== 2 || second === '') return undefined;
	if (first === 'contacts' && Object.hasOwn(CONTACT_ROUTES, second)) return { route: CONTACT_ROUTES[second], params: {} };
	if (first === 'queued-requests') return { route: QUEUED_REQUEST_ROUTE, params: { uuid: decodeSegment(second) } };
	return undefined;
}

/**
 * A path segment decoded; a malformed escape is kept raw, so it simply names nothing.
 * @param {string} segment
 */
function decodeSegment(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * The instance, route and path parameters of an API path, or undefined for other paths.
 * @param {string} pathname
 */
function matchRoute(pathname) {
	if (!pathname.startsWith(`${API_BASE_PATH}/`)) return undefined;
	const [instanceSegment, ...rest] = pathname.slice(API_BASE_PATH.length + 1).split('/');
	if (instanceSegment === '') return undefined;
	const found = findRoute(rest);
	if (!found) return undefined;
	return { instanceId: decodeSegment(instanceSegment), ...found };
}

/**
 * Reads the body of a route that takes one: its fields, and for routes with `files` its file parts.
 * @param {IncomingMessage} req
 * @param {RequestLogEntry} entry
 * @param {ApiRoute} route
 * @returns {Promise<{ fields: Record<string, unknown>, files: Record<string, import('./multipart').UploadedFile> }>}
 */
async function readRouteBody(req, entry, route) {
	const body = await readBody(req, route.bodyLimit);
	if (!route.files) {
		entry.body = parseFields(body, req.headers['content-type']);
		return { fields: entry.body, files: {} };
	}
	const { fields, files } = parseBody(body, req.headers['content-type']);
	/** @type {Record<string, unknown>} */
	const logged = { ...fields };
	for (const [name, file] of Object.entries(files)) logged[name] = fileDigest(file);
	entry.body = logged;
	return { fields, files };
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
	const { instanceId, route, params } = match;
	const method = req.method ?? 'GET';
	if (!route.methods.includes(method)) {
		const allowed = route.methods.join(', ');
		const message = `The ${method} method is not supported for route ${pathname.replace(/^\//, '')}. Supported methods: ${allowed}.`;
		return sendJson(res, 405, { message }, { Allow: allowed });
	}

	/** @type {Record<string, unknown>} */
	let input = Object.fromEntries(new URLSearchParams(search));
	/** @type {Record<string, import('./multipart').UploadedFile>} */
	let files = {};
	if (route.readsBody) {
		try {
			const body = await readRouteBody(req, entry, route);
			input = { ...input, ...body.fields };
			files = body.files;
		} catch (error) {
			if (!(error instanceof HttpError)) throw error;
			if (!res.destroyed) sendJson(res, error.status, { message: 'The request body is too large.' });
			return;
		}
		entry.chat_id = chatIdText(input[route.chatIdField ?? 'chat_id']);
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
				method,
				params,
				files,
				queue: context.queueFor(instanceId),
				instanceUrl: `${context.origin()}${API_BASE_PATH}/${encodeURIComponent(instanceId)}`,
			})
		: { status: 404, json: { message: 'Instance not found.' } };
	if (fault !== null) return answerWithFault(context, req, res, entry, fault);
	if (reply.fault) entry.fault = reply.fault;
	sendReply(res, reply);
}

module.exports = { API_BASE_PATH, handleApi, matchRoute };
