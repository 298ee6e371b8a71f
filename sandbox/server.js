// @ts-check
'use strict';
// Local stand-in for the Hypersender WhatsApp API: the contacts endpoints (get-all, get, upsert,
// profile-picture), the queued messages (send-text, -safe, -image, -video, -file, -voice,
// -location, -contact-card, -poll) and actions (forward, react, star, delete, read-chat, send-seen,
// typing) with GET queued-requests/{uuid}, WhatsApp's picture CDN, and webhook delivery with
// simulated customers, with seeded faults for testing clients; plus a scripted OpenAI-compatible
// chat model under /openai/v1 (llm.js) for AI Agent workflows. Only Node built-ins, so it runs
// anywhere Node 20+ runs. This file wires the parts together; the command line is in cli.js
// (`node sandbox/cli.js --help`).
const http = require('node:http');
const { API_BASE_PATH, handleApi } = require('./api');
const { FAMILIES } = require('./routes');
const { DEFAULT_PICTURE_TTL_MS, DEFAULT_PROCESSING_DELAY_MS, applyChanges, configOptions, copyConfig, defaultConfig } = require('./config');
const { generateContacts, sortContacts } = require('./contacts');
const { CONTROL_PATH, handleControl } = require('./control');
const { FAULT_KINDS, FAULT_PHASES, createFaultChooser } = require('./faults');
const { createGateway } = require('./gateway');
const { instanceControls, otpControls } = require('./gateway-controls');
const { smsControls } = require('./sms-controls');
const { isUnder, listen, logEntry, sendJson, splitUrl } = require('./http');
const { instanceFromOptions } = require('./instances');
const { LLM_PATH, TRANSCRIPTION_MODEL_ID, createScriptedModel } = require('./llm');
const { DEFAULT_MEDIA_TTL_MS, DEFAULT_TRANSCRIPT, MEDIA_KINDS, MEDIA_PATH, createMediaStore, mediaControls } = require('./media');
const { mediaBytes } = require('./media-bytes');
const { createMediaServer } = require('./media-serve');
const { NOT_ON_WHATSAPP_SUFFIX } = require('./messages');
const { Outbox } = require('./outbox');
const { PICTURE_PATH, createPictureSigner, servePicture } = require('./pictures');
const { MessageQueues } = require('./queue');
const { SIMULATION_KINDS, createSimulator } = require('./simulate');
const { Timers } = require('./timers');
const { webhookControls } = require('./webhook-controls');
const { bookControls, contactControls, queueControls } = require('./book-controls');
const { Webhooks } = require('./webhooks');

/** @typedef {import('./types').Contact} Contact */
/** @typedef {import('./instances').Instance} Instance */
/** @typedef {import('./types').InstanceOptions} InstanceOptions */
/** @typedef {import('./types').RequestHook} RequestHook */
/** @typedef {import('./types').RequestLogEntry} RequestLogEntry */
/** @typedef {import('./types').SandboxConfig} SandboxConfig */
/** @typedef {import('./types').SandboxConfigChanges} SandboxConfigChanges */
/** @typedef {import('./types').SandboxOptions} SandboxOptions */
/** @typedef {Awaited<ReturnType<typeof startSandbox>>} Sandbox */

/** The base path of each API family, all on the sandbox's origin. */
const API_PATHS = Object.freeze(Object.fromEntries(Object.entries(FAMILIES).map(([family, { base }]) => [family, base])));

const DEFAULT_TOKEN = 'sandbox-token';
const DEFAULT_INSTANCE = '9d6a2c1e-5b7f-4e3a-8c2d-1f0e9b8a7c65';
const LOOPBACK = '127.0.0.1';

/**
 * Starts the sandbox on 127.0.0.1 and resolves once it listens.
 * @param {SandboxOptions} [options]
 */
async function startSandbox(options = {}) {
	const host = options.host ?? LOOPBACK;
	if (host !== LOOPBACK && host !== 'localhost') throw new Error(`the sandbox only binds to ${LOOPBACK}, refusing host "${host}"`);
	const port = options.port ?? 0;
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer from 0 to 65535, got ${port}`);
	const token = options.token ?? DEFAULT_TOKEN;
	if (typeof token !== 'string' || token === '') throw new Error('token must be a non-empty string');
	const quiet = options.quiet ?? true;
	const mediaPort = options.mediaPort ?? 0;
	if (!Number.isInteger(mediaPort) || mediaPort < 0 || mediaPort > 65535) throw new Error(`mediaPort must be an integer from 0 to 65535, got ${mediaPort}`);

	/** @type {Map<string, Instance>} */
	const instances = new Map();
	const config = defaultConfig();
	const faults = createFaultChooser(config.faults.seed);
	/** @type {RequestLogEntry[]} */
	const requests = [];
	const timers = new Timers();
	const pictures = createPictureSigner();
	const webhooks = new Webhooks({ config, timers, log });
	/** @type {(id: string) => import('./queue').MessageQueue} */
	const queueFor = (id) => queues.of(id);
	const outbox = new Outbox({ timers, webhooks, queueFor });
	const queues = new MessageQueues(outbox);
	/**
	 * @param {string} id
	 * @param {InstanceOptions} instanceOptions
	 */
	const createInstance = (id, instanceOptions) => {
		const instance = instanceFromOptions(instanceOptions);
		if (instanceOptions.webhookUrl !== undefined) webhooks.setInstance(id, { url: instanceOptions.webhookUrl, secret: instanceOptions.webhookSecret });
		instances.set(id, instance);
	};
	for (const [id, instanceOptions] of Object.entries(options.instances ?? { [DEFAULT_INSTANCE]: {} })) createInstance(id, instanceOptions);
	let origin = '';
	let mediaOrigin = '';
	const media = createMediaStore({ apiOrigin: () => origin, mediaOrigin: () => mediaOrigin, apiBasePath: API_BASE_PATH });
	const mediaServer = createMediaServer({ store: media, token, timers, apiBasePath: API_BASE_PATH });

	/** @param {string} id */
	function getInstance(id) {
		const instance = instances.get(id);
		if (!instance) throw new Error(`unknown instance "${id}"`);
		return instance;
	}

	/**
	 * Changes the settings at run time; checks everything first, so a bad call changes nothing.
	 * @param {SandboxConfigChanges} [changes]
	 * @returns {SandboxConfig} a copy of the settings now in force
	 */
	function configure(changes = {}) {
		Object.assign(config, applyChanges(config, changes));
		if (changes.faults !== undefined) faults.reseed(config.faults.seed);
		return copyConfig(config);
	}

	/** @param {string} line */
	function log(line) {
		if (!quiet) process.stdout.write(`${line}\n`);
	}

	configure(configOptions(options));

	const llm = createScriptedModel({ transcriptOf: media.transcriptOf });

	const gateway = createGateway({ instanceIds: () => [...instances.keys()], addInstance: createInstance, webhooks, startedAt: Date.now(), config, timers });
	const simulate = createSimulator({ getInstance, queueFor, webhooks, media, smsOf: (id) => gateway.sms.of(id) });
	const apiContext = { instances, config, faults, pictures, origin: () => origin, delay: (/** @type {number} */ ms) => timers.delay(ms), hook: () => sandbox.onRequest, log, queueFor, gateway };
	const server = createServer({ token, requests, log, llm, pictures, apiContext, mediaServer, sandbox: () => sandbox });
	const mediaHost = mediaServer.createHostServer();

	const actualPort = await listen(server, port, LOOPBACK);
	const url = `http://${LOOPBACK}:${actualPort}`;
	origin = url;
	const actualMediaPort = await listen(mediaHost, mediaPort, LOOPBACK).catch((error) => closeServers([server]).then(() => Promise.reject(error)));
	mediaOrigin = `http://${LOOPBACK}:${actualMediaPort}`;
	/** @type {Promise<void> | undefined} */
	let closing;

	const sandbox = {
		url,
		baseUrl: `${url}${API_BASE_PATH}`,
		token,
		port: actualPort,
		/** The media host's origin (`http://127.0.0.1:<mediaPort>`): simulated media served without auth, under /media. */
		mediaUrl: mediaOrigin,
		mediaPort: actualMediaPort,
		/** Every request in arrival order: API calls (`kind: 'api'`) and picture downloads (`kind: 'picture'`). */
		requests,
		/** The scripted chat model's completion requests (/openai/v1/chat/completions), oldest first; never the API key. */
		llmRequests: llm.completions,
		/** The scripted model's transcription requests (/openai/v1/audio/transcriptions), oldest first; never the API key. */
		transcriptionRequests: llm.transcriptions,
		/** @type {RequestHook | undefined} called for each API request after its latency, before it is answered */
		onRequest: undefined,
		/** The picture downloads in the request log (a new array each time). */
		get pictureRequests() {
			return requests.filter((entry) => entry.kind === 'picture');
		},
		/** Clears the request log, the chat model's recorded completions and transcriptions, and the media downloads. */
		resetRequests() {
			requests.length = 0;
			llm.completions.length = 0;
			llm.transcriptions.length = 0;
			media.requests.length = 0;
		},
		...mediaControls(media),
		...bookControls(instances, getInstance, createInstance),
		configure,
		...contactControls(getInstance),
		...queueControls(getInstance, queues),
		...webhookControls(getInstance, webhooks, simulate),
		...instanceControls(getInstance, gateway),
		...otpControls(getInstance, gateway),
		...smsControls(getInstance, gateway, simulate),
		/** @returns {Promise<void>} */
		close() {
			if (!closing) {
				timers.clearAll();
				webhooks.close();
				closing = closeServers([server, mediaHost]);
			}
			return closing;
		},
	};

	return sandbox;
}

/**
 * Closes servers, their hanging requests and idle keep-alive sockets too (which would otherwise
 * hold close() open).
 * @param {http.Server[]} servers
 * @returns {Promise<void>}
 */
function closeServers(servers) {
	return Promise.all(
		servers.map(
			(server) =>
				new Promise((resolve) => {
					server.close(() => resolve(undefined));
					server.closeAllConnections();
				}),
		),
	).then(() => undefined);
}

/**
 * The sandbox's HTTP server: each request logged (but the control API's, the chat model's and
 * media downloads, which have logs of their own), then answered by the chat model, the control
 * API, the media links, the picture CDN or the API.
 * @param {{ token: string, requests: RequestLogEntry[], log: (line: string) => void, llm: ReturnType<typeof createScriptedModel>, pictures: ReturnType<typeof createPictureSigner>, apiContext: Parameters<typeof handleApi>[0], mediaServer: ReturnType<typeof createMediaServer>, sandbox: () => Sandbox }} parts
 */
function createServer({ token, requests, log, llm, pictures, apiContext, mediaServer, sandbox }) {
	return http.createServer((req, res) => {
	const { pathname, search } = splitUrl(req.url);
	const startedAt = Date.now();
	const isControl = isUnder(pathname, CONTROL_PATH);
	// The scripted chat model keeps its own record (llmRequests), without the API key.
	const isLlm = isUnder(pathname, LLM_PATH);
	const mediaMatch = isControl || isLlm ? undefined : mediaServer.matchApi(pathname);
	const entry = isControl || isLlm || mediaMatch ? null : logEntry(isUnder(pathname, PICTURE_PATH) ? 'picture' : 'api', req, pathname, search, token);
	if (entry) requests.push(entry);
	res.on('finish', () => {
		if (entry) entry.status = res.statusCode;
		log(`${req.method} ${req.url} -> ${res.statusCode}${entry?.fault ? ` (fault ${entry.fault})` : ''} ${Date.now() - startedAt}ms`);
	});
	const handling = (async () => {
		if (isLlm) await llm.handle(req, res, pathname);
		else if (mediaMatch) await mediaServer.serveApi(req, res, mediaMatch, apiContext.instances.has(mediaMatch.instanceId));
		else if (!entry) await handleControl(sandbox(), req, res, pathname, search);
		else if (entry.kind === 'picture') servePicture(pictures, req, res, entry, search);
		else await handleApi(apiContext, req, res, entry, search);
	})();
	handling.catch((error) => {
		if (!res.headersSent && !res.destroyed) sendJson(res, 500, { message: `Sandbox error: ${error.message}` });
		log(`sandbox error: ${error.stack}`);
	});
	});
}

module.exports = {
	startSandbox,
	generateContacts,
	sortContacts,
	DEFAULT_TOKEN,
	DEFAULT_INSTANCE,
	DEFAULT_PICTURE_TTL_MS,
	DEFAULT_PROCESSING_DELAY_MS,
	NOT_ON_WHATSAPP_SUFFIX,
	API_BASE_PATH,
	API_PATHS,
	CONTROL_PATH,
	PICTURE_PATH,
	LLM_PATH,
	MEDIA_PATH,
	MEDIA_KINDS,
	DEFAULT_MEDIA_TTL_MS,
	DEFAULT_TRANSCRIPT,
	TRANSCRIPTION_MODEL_ID,
	mediaBytes,
	FAULT_KINDS,
	FAULT_PHASES,
	SIMULATION_KINDS,
};

