// @ts-check
'use strict';
// The API request pipeline, the same for every route of every family (WhatsApp contacts, send-*,
// actions, queued requests, enterprise; OTP; SMS): route and method, body, latency, the onRequest
// hook, auth (401; an instance's own access token works for that instance only: 403 elsewhere),
// fault (phase before), unknown instance (404), the documented rate limits (429), the route's own
// reply (a queued route records the request here), and a fault in phase after replacing that
// reply once the work is done.
const { chatIdText } = require('./chat-ids');
const { sendFault } = require('./faults');
const { HttpError, parseBody, parseFields, readBody, sendJson, sendReply } = require('./http');
const { fileDigest } = require('./multipart');
const { API_BASE_PATH, matchRoute } = require('./routes');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./types').ApiRoute} ApiRoute */
/** @typedef {import('./types').AccountRoute} AccountRoute */
/** @typedef {import('./types').Reply} Reply */
/** @typedef {import('./types').RequestHook} RequestHook */
/** @typedef {import('./types').RequestLogEntry} RequestLogEntry */
/** @typedef {import('./types').SandboxConfig} SandboxConfig */
/** @typedef {NonNullable<ReturnType<typeof matchRoute>>} RouteMatch */

/**
 * What the pipeline needs from the running sandbox.
 * @typedef {object} ApiContext
 * @property {Map<string, import('./instances').Instance>} instances
 * @property {SandboxConfig} config the live settings
 * @property {{ choose(faults: import('./types').FaultSettings, routeName?: string): string | null, phaseOf(faults: import('./types').FaultSettings): 'before' | 'after' }} faults
 * @property {import('./pictures').PictureSigner} pictures
 * @property {() => string} origin
 * @property {(ms: number) => Promise<void> | undefined} delay
 * @property {() => RequestHook | undefined} hook
 * @property {(line: string) => void} log
 * @property {(instanceId: string) => import('./queue').MessageQueue} queueFor
 * @property {import('./gateway').Gateway} gateway
 */

/**
 * Reads the body of a route that takes one: its fields, and for routes with `files` its file parts.
 * @param {IncomingMessage} req
 * @param {RequestLogEntry} entry
 * @param {ApiRoute | AccountRoute} route
 * @returns {Promise<{ fields: Record<string, unknown>, files: Record<string, import('./multipart').UploadedFile> }>}
 */
async function readRouteBody(req, entry, route) {
	const body = await readBody(req, 'bodyLimit' in route ? route.bodyLimit : undefined);
	if (!('files' in route) || !route.files) {
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
 * Who the bearer token is: the sandbox's own token (the account, every instance), an instance's
 * access token (that instance only), or nobody. Answers the refusal, or null to go on; the
 * rate-limit key of the caller otherwise.
 * @param {ApiContext} context
 * @param {IncomingMessage} req
 * @param {RequestLogEntry} entry
 * @param {RouteMatch} match
 * @returns {{ refused: Reply } | { caller: string }}
 */
function authorize(context, req, entry, match) {
	if (entry.authorization === 'present') return { caller: 'account' };
	const token = /^Bearer\s+(.+)$/i.exec((req.headers.authorization ?? '').trim())?.[1];
	const owner = token === undefined ? undefined : context.gateway.registry.instanceOfToken(token);
	if (owner === undefined) return { refused: { status: 401, json: { message: 'Unauthenticated.' } } };
	if (match.kind === 'instance' && match.instanceId === owner) {
		entry.authorization = 'present';
		return { caller: `instance:${owner}` };
	}
	return { refused: { status: 403, json: { message: 'This action is unauthorized.' } } };
}

/**
 * The route's reply, behind the documented rate limit when it has one.
 * @param {ApiContext} context
 * @param {RouteMatch} match
 * @param {string} caller
 * @param {() => Reply} answer
 * @returns {Reply}
 */
function limited(context, match, caller, answer) {
	const { config, gateway } = context;
	const limit = match.route.rateLimit;
	if (limit === undefined || !config.rateLimits) return answer();
	const key = `${caller}|${match.kind === 'instance' ? match.instanceId : '-'}|${match.name}`;
	const counted = gateway.rateLimiter.hit(key, limit, config.rateLimitWindowMs, Date.now());
	if ('refused' in counted) return counted.refused;
	const reply = answer();
	return { ...reply, headers: { ...reply.headers, ...counted.headers } };
}

/**
 * The route's own reply (account routes have no instance; an unknown instance is 404).
 * @param {ApiContext} context
 * @param {RouteMatch} match
 * @param {{ entry: RequestLogEntry, input: Record<string, unknown>, files: Record<string, import('./multipart').UploadedFile>, method: string }} request
 * @returns {Reply}
 */
function routeReply(context, match, { entry, input, files, method }) {
	const common = { entry, input, config: context.config, origin: context.origin(), now: Date.now(), method, gateway: context.gateway };
	if (match.kind === 'account') return match.route.handle(common);
	const { instanceId, route, params } = match;
	const instance = context.instances.get(instanceId);
	if (!instance) return { status: 404, json: { message: 'Instance not found.' } };
	return route.handle({
		...common,
		instanceId,
		instance,
		pictures: context.pictures,
		params,
		files,
		queue: context.queueFor(instanceId),
		instanceUrl: `${context.origin()}${match.base}/${encodeURIComponent(instanceId)}`,
	});
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
	entry.instance = match?.kind === 'instance' ? match.instanceId : null;

	if (!match) return sendJson(res, 404, { message: `The route ${pathname.replace(/^\//, '')} could not be found.` });
	const { route } = match;
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
		entry.chat_id = chatIdText(input['chatIdField' in route && route.chatIdField ? route.chatIdField : 'chat_id']);
	}

	await context.delay(context.config.latencyMs);
	const hook = context.hook();
	if (hook) await hook(entry);
	if (res.destroyed || req.socket.destroyed) return;

	const auth = authorize(context, req, entry, match);
	if ('refused' in auth) return sendReply(res, auth.refused);
	const fault = context.faults.choose(context.config.faults, match.name);
	entry.fault = fault;
	if (fault !== null && context.faults.phaseOf(context.config.faults) === 'before') return answerWithFault(context, req, res, entry, fault);

	const known = match.kind === 'account' || context.instances.has(match.instanceId);
	const reply = known ? limited(context, match, auth.caller, () => routeReply(context, match, { entry, input, files, method })) : routeReply(context, match, { entry, input, files, method });
	if (fault !== null) return answerWithFault(context, req, res, entry, fault);
	if (reply.fault) entry.fault = reply.fault;
	sendReply(res, reply);
}

module.exports = { API_BASE_PATH, handleApi, matchRoute };
