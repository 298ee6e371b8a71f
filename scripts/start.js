#!/usr/bin/env node
// @ts-check
'use strict';
// `npm start`: a real n8n with the Hypersender node installed, a ready credential and the example
// workflows of examples/, talking to the local sandbox API (or to a real Hypersender account).
//
//   npm start                                   build, pack, then this file's main({ packageTgz })
//   node scripts/start.js [--package x.tgz]     the same without building (packs dist/ if no tgz)
//
// Options: --port N (editor, default 5678)  --sandbox-port N (default 8787)
//          --sandbox-size N (contacts, default 2500)  --sandbox-latency MS  --quiet  --fresh
//          --home DIR (n8n home, default .n8n-runtime/home; with --queue .n8n-runtime/home-queue)
//          --queue [--workers N]: n8n in queue mode (see below)
// Real account instead of the sandbox: HYPERSENDER_TOKEN, HYPERSENDER_INSTANCE and optionally
// HYPERSENDER_BASE_URL (default https://app.hypersender.com/api/whatsapp/v2).
// Login: HYPERSENDER_N8N_EMAIL / HYPERSENDER_N8N_PASSWORD (defaults printed at start).
//
// The n8n home (.n8n-runtime/home) is kept between starts: workflows and executions you make
// stay; --fresh starts over. Ctrl-C stops n8n and the sandbox.
//
// With the sandbox, three examples are activated:
//   - "Auto-reply to WhatsApp messages" (Hypersender Trigger → Send Text): the sandbox's webhook
//     points at its production URL with a secret made once per home (kept in
//     hypersender-start.json and in the credential's Webhook Secret);
//   - "WhatsApp assistant (AI agent)" (Hypersender Trigger → AI Agent with Hypersender tools), on a
//     second sandbox instance (a WhatsApp number of its own, with its own credential and secret),
//     its chat model the sandbox's scripted OpenAI-compatible endpoint;
//   - "WhatsApp tools for MCP clients" (MCP Server Trigger with five Hypersender tools), behind a
//     bearer token made once per home.
// The ready message prints the commands that simulate a customer's message for the first two,
// and the MCP server's URL and token.
//
// --queue: the same in n8n's queue mode (scripts/n8n/queue.js): PostgreSQL and Redis from Debian's
// packages (apt-get installs them when missing, as root), n8n main (editor, REST API, polls; on
// --port) + a webhook processor (production webhooks and the MCP server; on --port + 1 when free)
// + --workers workers (default 2; they run every execution, manual runs too), one home with the
// package. Its own home (.n8n-runtime/home-queue), its database in .n8n-runtime/queue/<home's
// name>/ (kept between starts; a new home or --fresh starts both over), one log file per process
// there. The sandbox's webhooks go to the webhook processor. Ctrl-C stops the n8n processes,
// Redis, PostgreSQL and the sandbox.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { CREDENTIAL_TYPE, PACKAGE_NAME, SANDBOX_CREDENTIAL } = require('./fixtures');
const { ROOT, log } = require('./toolchain');
const runtime = require('./n8n/runtime');

const DEFAULT_HOME = path.join(runtime.RUNTIME_DIR, 'home');
/** The home of `--queue`: its own, as its workflows and credentials live in PostgreSQL, not in the home's SQLite. */
const DEFAULT_QUEUE_HOME = path.join(runtime.RUNTIME_DIR, 'home-queue');
// The examples imported into the home, in this order; the first is the one the ready message
// points at. All of them run on the sandbox as they are (no account needed).
const EXAMPLE_FILES = [
	'enrich-contacts.json',
	'export-all-contacts.json',
	'send-text-to-contacts.json',
	'auto-reply.json',
	'whatsapp-assistant.json',
	'mcp-server.json',
].map((file) => path.join(ROOT, 'examples', file));
/** The examples with a Hypersender Trigger, activated on the sandbox. */
const AUTO_REPLY_ID = 'hsAutoReply';
const ASSISTANT_ID = 'hsWhatsappAssistant';
/** The MCP server example, activated on the sandbox. */
const MCP_ID = 'hsMcpServer';
/**
 * The sandbox instance the assistant answers on: a WhatsApp number of its own, so the auto-reply
 * and the assistant each answer their own customers (Hypersender sets one webhook per instance).
 */
const ASSISTANT_INSTANCE = '5e0c8b7a-3d2f-4c1b-9a8e-7f6d5c4b3a21';
const ASSISTANT_CREDENTIAL = Object.freeze({ id: 'hsSandboxAssistant', name: 'Hypersender (sandbox, assistant number)' });
const MCP_CREDENTIAL = Object.freeze({ id: 'hsMcpBearer', name: 'MCP clients (bearer token)' });
const CHAT_MODEL_CREDENTIAL = Object.freeze({ id: 'hsSandboxChatModel', name: 'Sandbox chat model (OpenAI-compatible)' });
const TRIGGER_TYPE = `${PACKAGE_NAME}.hypersenderTrigger`;
/** The customer the printed simulate command pretends to be, and what they write. */
const SIMULATED_CUSTOMER = { from: '+4915123456789', text: 'Hi, is my order on its way?' };
/** What the assistant's customer writes (the customer is a named contact of its instance). */
const ASSISTANT_QUESTION = 'Hello! Can I change the delivery address of my order?';
// The credential keeps the sandbox credential's id with a real account too: the example
// workflow points at that id.
const CREDENTIAL_ID = SANDBOX_CREDENTIAL.id;
const ACCOUNT_CREDENTIAL_NAME = 'Hypersender (my account)';
const OFFICIAL_BASE_URL = 'https://app.hypersender.com/api/whatsapp/v2';
const DEFAULT_OWNER = { email: 'admin@example.com', password: 'Hypersender123' };

function usage() {
	return [
		'usage: node scripts/start.js [--package <tgz>] [--port 5678] [--sandbox-port 8787] [--sandbox-size 2500]',
		'                             [--sandbox-latency <ms>] [--home <dir>] [--fresh] [--quiet] [--queue [--workers 2]]',
		'env:   HYPERSENDER_TOKEN + HYPERSENDER_INSTANCE [+ HYPERSENDER_BASE_URL] to use a real account',
		'       HYPERSENDER_N8N_EMAIL / HYPERSENDER_N8N_PASSWORD for the n8n login',
	].join('\n');
}

/**
 * @typedef {object} StartOptions
 * @property {number | undefined} port
 * @property {number} sandboxPort
 * @property {number} sandboxSize
 * @property {number} sandboxLatency
 * @property {boolean} fresh
 * @property {boolean} quiet
 * @property {string | undefined} home
 * @property {boolean} queue n8n in queue mode: main, a webhook processor and workers on PostgreSQL and Redis
 * @property {number} workers with queue: how many workers
 * @property {string} [packageTgz]
 */

/**
 * @param {string[]} args
 * @returns {StartOptions}
 */
function parseArgs(args) {
	/** @type {StartOptions} */
	const options = { port: undefined, sandboxPort: 8787, sandboxSize: 2500, sandboxLatency: 0, fresh: false, quiet: false, home: undefined, queue: false, workers: 2 };
	let workersGiven = false;
	/** @param {string} name @param {string | undefined} value @param {number} min */
	const integer = (name, value, min) => {
		const number = Number(value);
		if (value === undefined || !Number.isInteger(number) || number < min) {
			throw new Error(`${name} needs a whole number >= ${min}, got ${value ?? 'nothing'}\n${usage()}`);
		}
		return number;
	};
	for (let i = 0; i < args.length; i++) {
		const [flag, inline] = args[i].split(/=(.*)/s, 2);
		const value = () => (inline !== undefined ? inline : args[++i]);
		switch (flag) {
			case '--port':
				options.port = integer('--port', value(), 1);
				break;
			case '--sandbox-port':
				options.sandboxPort = integer('--sandbox-port', value(), 0);
				break;
			case '--sandbox-size':
				options.sandboxSize = integer('--sandbox-size', value(), 0);
				break;
			case '--sandbox-latency':
				options.sandboxLatency = integer('--sandbox-latency', value(), 0);
				break;
			case '--package':
				options.packageTgz = value();
				break;
			case '--home':
				options.home = value();
				break;
			case '--fresh':
				options.fresh = true;
				break;
			case '--queue':
				options.queue = true;
				break;
			case '--workers':
				options.workers = integer('--workers', value(), 1);
				workersGiven = true;
				break;
			case '--quiet':
				options.quiet = true;
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${usage()}\n`);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown option ${args[i]}\n${usage()}`);
		}
	}
	if (workersGiven && !options.queue) throw new Error(`--workers needs --queue (workers exist only in queue mode)\n${usage()}`);
	return options;
}

// What this script put into the home last time, so a warm start skips what has not changed.
// webhookSecret / assistantSecret: the webhook secrets of the auto-reply and the assistant
// (sandbox only), mcpToken: the MCP server's bearer token, each made once per home; activated:
// per example, the workflowHash for which it was activated (a user who deactivates it keeps it
// so); activatedHash: the same for the auto-reply, as homes made before the map have it.
/**
 * @typedef {{ packageHash?: string, credentialHash?: string, workflowHash?: string, webhookSecret?: string,
 *   assistantSecret?: string, mcpToken?: string, activatedHash?: string, activated?: Record<string, string> }} StartState
 */

/** @param {string} home */
function stateFile(home) {
	return path.join(home, 'hypersender-start.json');
}

/** @param {string} home @returns {StartState} */
function readState(home) {
	try {
		return JSON.parse(fs.readFileSync(stateFile(home), 'utf8'));
	} catch {
		return {};
	}
}

/** @param {string} home @param {StartState} state */
function writeState(home, state) {
	fs.writeFileSync(stateFile(home), JSON.stringify(state, null, 2), { mode: 0o600 });
}

/** @param {unknown} value */
function hash(value) {
	return crypto.createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex');
}

/** @param {string} file */
function fileHash(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * @typedef {object} Api
 * @property {'account' | 'sandbox'} kind
 * @property {string} credentialName
 * @property {{ apiToken: string, instanceId: string, baseUrl: string, webhookSecret?: string }} data
 * @property {any} [sandbox] the running sandbox (sandbox/server.js)
 * @property {() => Promise<void>} close
 */

/**
 * The API the credential points at: a real account from the environment, or the sandbox.
 * @param {StartOptions} options
 * @returns {Promise<Api>}
 */
async function startApi(options) {
	const token = process.env.HYPERSENDER_TOKEN;
	const instance = process.env.HYPERSENDER_INSTANCE;
	if (token || instance || process.env.HYPERSENDER_BASE_URL) {
		if (!token || !instance) {
			throw new Error('to use a real account set both HYPERSENDER_TOKEN and HYPERSENDER_INSTANCE (and optionally HYPERSENDER_BASE_URL)');
		}
		return {
			kind: 'account',
			credentialName: ACCOUNT_CREDENTIAL_NAME,
			data: { apiToken: token, instanceId: instance, baseUrl: process.env.HYPERSENDER_BASE_URL || OFFICIAL_BASE_URL },
			close: async () => {},
		};
	}
	const { startSandbox, DEFAULT_INSTANCE, DEFAULT_TOKEN } = require('../sandbox/server');
	let port = options.sandboxPort;
	if (port !== 0 && (await runtime.freePort(port)) !== port) {
		log(`Port ${port} is busy; the sandbox uses a free port instead (the credential is updated to match).`);
		port = 0;
	}
	const sandbox = await startSandbox({
		port,
		token: DEFAULT_TOKEN,
		instances: { [DEFAULT_INSTANCE]: { size: options.sandboxSize, seed: 42 }, [ASSISTANT_INSTANCE]: { size: 200, seed: 7 } },
		latencyMs: options.sandboxLatency,
		quiet: options.quiet,
	});
	return {
		kind: 'sandbox',
		sandbox,
		credentialName: SANDBOX_CREDENTIAL.name,
		data: { apiToken: DEFAULT_TOKEN, instanceId: DEFAULT_INSTANCE, baseUrl: sandbox.baseUrl },
		close: () => sandbox.close(),
	};
}

/**
 * @typedef {object} ReadyInfo
 * @property {string} url
 * @property {{ email: string, password: string }} owner
 * @property {string} workflowId the example the ready message points at
 * @property {string[]} workflowIds every example imported
 * @property {{ id: string, name: string }} credential
 * @property {{ kind: Api['kind'], baseUrl: string, sandbox?: any }} api
 * @property {string} home
 * @property {AutoReplyInfo} [autoReply] the auto-reply example, when it runs on the sandbox
 * @property {AutoReplyInfo} [assistant] the AI assistant example, when it runs on the sandbox
 * @property {McpInfo} mcp the MCP server example
 * @property {import('./n8n/queue').QueueCluster} [queue] with --queue: the cluster (its processes, executions from PostgreSQL)
 * @property {() => Promise<void>} stop
 */

/**
 * The MCP server example: where MCP clients connect, with which token.
 * @typedef {object} McpInfo
 * @property {string} workflowId
 * @property {boolean} active
 * @property {string} url the MCP Server Trigger's production URL (Streamable HTTP)
 * @property {string} token the bearer token of the credential "MCP clients (bearer token)"
 * @property {string} [problem] why it is not active, when it is not
 */

/**
 * A trigger example on the sandbox (the auto-reply, the assistant): its production webhook and how
 * to simulate a customer.
 * @typedef {object} AutoReplyInfo
 * @property {string} workflowId
 * @property {boolean} active whether n8n reports its trigger live
 * @property {string} webhookUrl the trigger's production URL, the sandbox's webhook URL
 * @property {string[]} simulateArgs `node sandbox/cli.js` arguments that simulate a customer's message
 * @property {string} simulateCommand the same as the one-liner the ready message prints
 * @property {string} messagesUrl the sandbox's list of the messages sent (the replies)
 * @property {string} [problem] why it is not active, when it is not
 */

/**
 * Activates an example the first time it is imported; n8n keeps it active after that. One the
 * user deactivated stays so (until the example file changes).
 * @param {{ url: string, session: import('./n8n/runtime').Session | undefined, workflowId: string, state: StartState, workflowHash: string }} params
 * @returns {Promise<{ active: boolean, problem?: string }>}
 */
async function activateExample({ url, session, workflowId, state, workflowHash }) {
	if (!session) return { active: false, problem: 'not signed in, so it could not be activated' };
	try {
		const current = await runtime.request(`${url}/rest/workflows/${encodeURIComponent(workflowId)}`, { headers: { cookie: session.cookie } });
		const isActive = !!current.body?.data?.activeVersionId;
		if (isActive) await runtime.waitForPublished(url, session, workflowId, { timeoutMs: 30000 });
		else if (activatedHash(state, workflowId) === workflowHash) return { active: false, problem: 'you deactivated it; activate it in the editor to try it' };
		else await runtime.activateWorkflow(url, session, workflowId, { timeoutMs: 30000 });
		return { active: true };
	} catch (error) {
		return { active: false, problem: `could not be activated: ${error.message.split('\n')[0]}` };
	}
}

/** @param {StartState} state @param {string} workflowId */
function activatedHash(state, workflowId) {
	return state.activated?.[workflowId] ?? (workflowId === AUTO_REPLY_ID ? state.activatedHash : undefined);
}

/**
 * A trigger example on the sandbox: the sandbox's webhook pointed at its production URL with the
 * secret (the sandbox-wide webhook for the main instance, the instance's own for another), and
 * the example activated.
 * @param {{ url: string, webhookBase: string, session: import('./n8n/runtime').Session | undefined, workflow: any, sandbox: any, instanceId: string, main: boolean, secret: string, customer: { from: string, text: string }, state: StartState, workflowHash: string }} params
 * @returns {Promise<AutoReplyInfo>}
 */
async function startTriggerExample({ url, webhookBase, session, workflow, sandbox, instanceId, main, secret, customer, state, workflowHash }) {
	const trigger = workflow.nodes.find((/** @type {{ type: string }} */ node) => node.type === TRIGGER_TYPE);
	if (!trigger?.webhookId) throw new Error(`the example "${workflow.name}" has no ${TRIGGER_TYPE} node with a webhookId`);
	// n8n's production URL of the trigger's webhook (its description's path is "webhook").
	const webhookUrl = `${webhookBase}/webhook/${trigger.webhookId}/webhook`;
	if (main) sandbox.configure({ webhookUrl, webhookSecret: secret });
	else sandbox.setWebhook(instanceId, { url: webhookUrl, secret });
	const instanceArgs = main ? [] : ['--instance', instanceId];
	const simulateArgs = ['simulate', 'message', '--sandbox', sandbox.url, ...instanceArgs, '--from', customer.from, '--text', customer.text];
	const simulateCommand = `npm run sandbox -- ${simulateArgs.slice(0, -1).join(' ')} "${customer.text}"`;
	const messagesUrl = `${sandbox.url}/__sandbox/messages/${encodeURIComponent(instanceId)}`;
	const activation = await activateExample({ url, session, workflowId: workflow.id, state, workflowHash });
	return { workflowId: workflow.id, webhookUrl, simulateArgs, simulateCommand, messagesUrl, ...activation };
}

/**
 * The phone number of the first named phone contact of an instance: the assistant greets it by name.
 * @param {any} sandbox
 * @param {string} instanceId
 */
function namedCustomerPhone(sandbox, instanceId) {
	const contacts = /** @type {Array<{ id: string, name?: string | null }>} */ (sandbox.expected(instanceId, 'id', 'asc'));
	const named = contacts.find((contact) => contact.id.endsWith('@c.us') && typeof contact.name === 'string' && contact.name.trim() !== '');
	return `+${(named ?? contacts[0]).id.split('@')[0]}`;
}

/**
 * The ready message's lines about the auto-reply example.
 * @param {string} url
 * @param {AutoReplyInfo | undefined} autoReply
 * @param {Api['kind']} kind
 * @returns {string[]}
 */
function autoReplyLines(url, autoReply, kind) {
	return triggerExampleLines(url, 'Auto-reply', AUTO_REPLY_ID, autoReply, kind);
}

/**
 * The ready message's lines about a trigger example.
 * @param {string} url
 * @param {string} label
 * @param {string} workflowId
 * @param {AutoReplyInfo | undefined} info
 * @param {Api['kind']} kind
 * @returns {string[]}
 */
function triggerExampleLines(url, label, workflowId, info, kind) {
	const head = `  ${label.padEnd(10)} ${url}/workflow/${workflowId}`;
	if (!info) {
		if (kind !== 'account') return [];
		return [
			'',
			`${head}   inactive: it would answer your real customers. Paste its Production URL`,
			'             into the Hypersender dashboard (Hypersender must be able to reach it), then activate it.',
		];
	}
	if (!info.active) return ['', `${head}   inactive: ${info.problem}`];
	return [
		'',
		`${head}   active; the sandbox sends its webhooks to ${info.webhookUrl}`,
		'             Simulate a customer writing to you (in another terminal):',
		'',
		`    ${info.simulateCommand}`,
		'',
		`             then see the run in ${url}/workflow/${info.workflowId}/executions`,
		`             and the reply the sandbox received in ${info.messagesUrl}`,
	];
}

/**
 * The ready message's lines about the MCP server example.
 * @param {string} url
 * @param {McpInfo} mcp
 * @returns {string[]}
 */
function mcpLines(url, mcp) {
	const head = `  MCP server ${url}/workflow/${mcp.workflowId}`;
	if (!mcp.active) return ['', `${head}   inactive: ${mcp.problem}`];
	return [
		'',
		`${head}   active: five Hypersender tools for MCP clients (Claude Desktop, Cursor, …)`,
		`             URL   ${mcp.url}   (Streamable HTTP; docs/ai-agents-and-mcp.md shows a client config)`,
		`             Token ${mcp.token}   (header Authorization: Bearer <token>)`,
	];
}

/**
 * The n8n `npm start` runs: one process on SQLite, or (--queue) a queue-mode cluster.
 * @typedef {object} RunningN8n
 * @property {string} url the editor and REST API
 * @property {string} webhookBase where production webhooks (/webhook/…) and MCP servers (/mcp/…) are served
 * @property {Promise<string>} ended resolves, with what happened, when n8n (or a process of the cluster) stops by itself
 * @property {() => string} lastLines the last output lines of what stopped
 * @property {() => Promise<void>} stop
 * @property {() => void} killNow on a second Ctrl-C
 * @property {string[]} readyLines what the ready message says about it
 * @property {import('./n8n/queue').QueueCluster} [cluster] with --queue
 */

/**
 * One n8n process (`n8n start`) on the home's SQLite database.
 * @param {string} userFolder @param {number} port @param {boolean} quiet
 * @returns {Promise<RunningN8n>}
 */
async function startSingleN8n(userFolder, port, quiet) {
	log(`Starting n8n ${runtime.N8N_VERSION} on http://127.0.0.1:${port} ...`);
	const editor = await runtime.startEditor(userFolder, {
		port,
		onLine: quiet ? undefined : (line) => process.stdout.write(`[n8n] ${line}\n`),
	});
	/** @type {Promise<string>} */
	const ended = new Promise((resolve) => editor.child.once('exit', (code, signal) => resolve(`n8n stopped by itself (${signal ?? `exit ${code}`})`)));
	return {
		url: editor.url,
		webhookBase: editor.url,
		ended,
		lastLines: () => editor.output().split('\n').slice(-20).join('\n'),
		stop: () => editor.stop(),
		killNow: () => editor.child.kill('SIGKILL'),
		readyLines: [],
	};
}

/**
 * The queue-mode cluster of a home: its folder under .n8n-runtime/queue/ is named after the home.
 * @param {string} userFolder
 */
function queueClusterName(userFolder) {
	return `${path.basename(userFolder).replace(/[^\w.-]/g, '-')}-${hash(userFolder).slice(0, 6)}`;
}

/**
 * n8n in queue mode (scripts/n8n/queue.js): PostgreSQL, Redis, main on `port`, a webhook processor
 * (on port + 1 when that is free) and `workers` workers, all on `userFolder`.
 * @param {string} userFolder
 * @param {{ port: number, workers: number, quiet: boolean, freshDatabase: boolean }} options
 * @returns {Promise<RunningN8n>}
 */
async function startQueueN8n(userFolder, { port, workers, quiet, freshDatabase }) {
	const webhookPort = (await runtime.freePort(port + 1)) === port + 1 ? port + 1 : undefined;
	/** @type {(what: string) => void} */
	let endedBy = () => {};
	/** @type {Promise<string>} */
	const ended = new Promise((resolve) => {
		endedBy = resolve;
	});
	let stoppedProcess = 'main';
	log(
		`Starting n8n ${runtime.N8N_VERSION} in queue mode: PostgreSQL, Redis, main on http://127.0.0.1:${port}, a webhook processor and ` +
			`${workers} worker${workers === 1 ? '' : 's'}${freshDatabase ? ' (a new database)' : ''} ...`,
	);
	/** @type {import('./n8n/queue').QueueCluster} */
	const cluster = await runtime.startQueueCluster({
		home: userFolder,
		name: queueClusterName(userFolder),
		workers,
		mainPort: port,
		webhookPort,
		fresh: freshDatabase,
		onLine: quiet ? undefined : (name, line) => process.stdout.write(`[${name}] ${line}\n`),
		onUnexpectedExit: (name, reason) => {
			stoppedProcess = name;
			endedBy(`${name} stopped by itself (${reason}); n8n cannot go on without it`);
		},
	});
	const logs = path.relative(ROOT, path.join(cluster.dir, 'logs'));
	return {
		url: cluster.mainUrl,
		webhookBase: cluster.webhookUrl,
		ended,
		lastLines: () => (cluster.processes.find((proc) => proc.name === stoppedProcess) ?? cluster.main).output().split('\n').slice(-20).join('\n'),
		stop: () => cluster.close(),
		// process.exit() then ends every process group of the cluster (queue.js's exit hook).
		killNow: () => {},
		readyLines: [
			'',
			`  Queue mode main               ${cluster.mainUrl}   the editor, REST API, activations, polls`,
			`             webhook processor  ${cluster.webhookUrl}   production webhooks and the MCP server`,
			`             ${cluster.workers.length} worker${cluster.workers.length === 1 ? ' ' : 's'}          ${cluster.workers.map((worker) => worker.name).join(', ')}: they run every execution, manual runs too`,
			`             PostgreSQL ${cluster.postgres.host}:${cluster.postgres.port}, Redis ${cluster.redis.host}:${cluster.redis.port}; one log per process in ${logs}/`,
		],
		cluster,
	};
}

/**
 * Starts everything and resolves when n8n has stopped (Ctrl-C / SIGTERM, or n8n exiting).
 *   packageTgz  the packed package to install (default: --package, $HYPERSENDER_PACKAGE_TGZ, or a pack of dist/)
 *   args        command-line options (see usage())
 *   home        N8N_USER_FOLDER (default .n8n-runtime/home, or --home)
 *   onReady     called once everything is up with { url, owner, workflowId, workflowIds, credential, api, home, stop() }
 * @param {{ packageTgz?: string, args?: string[], home?: string, onReady?: (info: ReadyInfo) => unknown }} [params]
 */
async function main({ packageTgz, args = process.argv.slice(2), home, onReady } = {}) {
	const options = parseArgs(args);
	const userFolder = path.resolve(home ?? options.home ?? (options.queue ? DEFAULT_QUEUE_HOME : DEFAULT_HOME));
	const started = Date.now();
	/** @type {Api | undefined} */
	let api;
	/** @type {RunningN8n | undefined} */
	let n8n;
	/** @type {Promise<void> | undefined} */
	let stopping;
	/** @type {() => void} */
	let stopAsked = () => {};
	/** @type {Promise<void>} */
	const stopRequested = new Promise((resolve) => {
		stopAsked = resolve;
	});
	/** @param {string} [reason] */
	const stop = async (reason) => {
		stopAsked();
		stopping ??= (async () => {
			if (reason) log(reason);
			await n8n?.stop().catch(() => {});
			await api?.close().catch(() => {});
		})();
		return stopping;
	};
	/** @param {NodeJS.Signals} signal */
	const onSignal = (signal) => {
		if (stopping) {
			log(`${signal} again: exiting now.`);
			n8n?.killNow();
			process.exit(130);
		}
		stop(`${signal}: stopping n8n${options.queue ? ' (main, webhook processor, workers), Redis, PostgreSQL' : ''} and the sandbox...`);
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	try {
		const install = await runtime.ensureN8n();
		if (install.cached) log(`n8n ${install.version} (installed in .n8n-runtime, reused)`);

		const tgz = path.resolve(packageTgz ?? options.packageTgz ?? runtime.resolvePackageTgz(path.join(runtime.RUNTIME_DIR, 'pack')));
		if (options.fresh) {
			log(`--fresh: deleting the n8n home ${path.relative(ROOT, userFolder)} (workflows, credentials, executions, login)`);
			fs.rmSync(userFolder, { recursive: true, force: true });
		}
		// A home without this script's state is new: with --queue, its database starts over too (the
		// credentials in it were encrypted with another home's key).
		const newHome = !fs.existsSync(stateFile(userFolder));
		await runtime.createN8nHome(userFolder);
		let state = readState(userFolder);

		const packageHash = fileHash(tgz);
		if (state.packageHash !== packageHash) {
			log(`Installing ${path.basename(tgz)} into the n8n home (${path.relative(ROOT, path.join(userFolder, '.n8n', 'nodes'))})...`);
			await runtime.installPackage(userFolder, tgz);
			state = { ...state, packageHash };
			writeState(userFolder, state);
		}

		if (stopping) return;
		api = await startApi(options);
		// The webhook secrets the sandbox sends and the triggers check, and the MCP server's
		// bearer token: made once per home.
		const secret = () => crypto.randomBytes(24).toString('base64url');
		if (!state.mcpToken || (api.kind === 'sandbox' && (!state.webhookSecret || !state.assistantSecret))) {
			state = { ...state, webhookSecret: state.webhookSecret ?? secret(), assistantSecret: state.assistantSecret ?? secret(), mcpToken: state.mcpToken ?? secret() };
			writeState(userFolder, state);
		}
		if (api.kind === 'sandbox') api.data.webhookSecret = state.webhookSecret;
		const credential = { id: CREDENTIAL_ID, name: api.credentialName, type: CREDENTIAL_TYPE, data: api.data };
		/** @type {Array<{ id: string, name: string, type: string, data: Record<string, unknown> }>} */
		const credentials = [credential, { ...MCP_CREDENTIAL, type: 'httpBearerAuth', data: { token: String(state.mcpToken) } }];
		if (api.kind === 'sandbox') {
			credentials.push(
				{ ...ASSISTANT_CREDENTIAL, type: CREDENTIAL_TYPE, data: { ...api.data, instanceId: ASSISTANT_INSTANCE, webhookSecret: String(state.assistantSecret) } },
				// Any key does for the sandbox's scripted model; n8n wants one.
				{ ...CHAT_MODEL_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sandbox', url: `${api.sandbox.url}/openai/v1` } },
			);
		}
		const credentialHash = hash(credentials);

		const workflows = EXAMPLE_FILES.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
			// On the sandbox the assistant answers on its own instance; with an account, every
			// example uses the account's credential.
			const own = api?.kind === 'sandbox' && workflow.id === ASSISTANT_ID ? ASSISTANT_CREDENTIAL : { id: CREDENTIAL_ID, name: credential.name };
			for (const node of workflow.nodes) {
				if (node.credentials?.[CREDENTIAL_TYPE]) node.credentials[CREDENTIAL_TYPE] = { id: own.id, name: own.name };
			}
			return workflow;
		});
		// Imported once: later starts keep the user's edits to them. Re-imported when an example
		// file itself changes (or the credential's name does).
		const workflowHash = hash(workflows);
		const [workflow, ...otherWorkflows] = workflows;
		/**
		 * Imports what changed since the last start into n8n's database.
		 * @param {{ credentials: (list: typeof credentials) => Promise<unknown>, workflows: (list: any[]) => Promise<unknown> }} into
		 */
		const importChanged = async (into) => {
			if (state.credentialHash !== credentialHash) {
				log(`Importing the credentials ${credentials.map((each) => `"${each.name}"`).join(', ')} (${api?.data.baseUrl})...`);
				await into.credentials(credentials);
				state = { ...state, credentialHash };
				writeState(userFolder, state);
			}
			if (state.workflowHash !== workflowHash) {
				log(`Importing the example workflows ${workflows.map((each) => `"${each.name}"`).join(', ')}...`);
				await into.workflows(workflows);
				state = { ...state, workflowHash };
				writeState(userFolder, state);
			}
		};

		if (stopping) return;
		let port = options.port ?? 5678;
		if ((await runtime.freePort(port)) !== port) {
			if (options.port !== undefined) throw new Error(`port ${port} is in use (another n8n?); stop it or choose another --port`);
			const freePort = await runtime.freePort(0);
			log(`Port ${port} is in use (another n8n?); starting the editor on ${freePort} instead.`);
			port = freePort;
		}
		if (options.queue) {
			// The cluster first: the imports go into its PostgreSQL database.
			n8n = await startQueueN8n(userFolder, { port, workers: options.workers, quiet: options.quiet, freshDatabase: newHome });
			if (stopping) {
				await n8n.stop();
				return;
			}
			const { cluster } = n8n;
			if (!cluster) throw new Error('queue mode without a cluster');
			// A database made anew (its folder deleted) has none of what the state says was imported.
			const ours = await cluster.query('SELECT id FROM credentials_entity WHERE id = $1', [CREDENTIAL_ID]);
			if (ours.length === 0) state = { ...state, credentialHash: undefined, workflowHash: undefined, activated: undefined, activatedHash: undefined };
			await importChanged({ credentials: (list) => cluster.importCredentials(list), workflows: (list) => cluster.importWorkflows(list) });
		} else {
			await importChanged({ credentials: (list) => runtime.importCredentials(userFolder, list), workflows: (list) => runtime.importWorkflow(userFolder, list) });
			n8n = await startSingleN8n(userFolder, port, options.quiet);
		}
		const editor = n8n;

		const owner = {
			email: process.env.HYPERSENDER_N8N_EMAIL || DEFAULT_OWNER.email,
			password: process.env.HYPERSENDER_N8N_PASSWORD || DEFAULT_OWNER.password,
		};
		let loginNote;
		/** @type {import('./n8n/runtime').Session | undefined} */
		let session;
		try {
			const owned = await runtime.setupOwner(editor.url, owner);
			session = owned;
			loginNote = owned.created ? 'account created now' : 'existing account';
		} catch (error) {
			loginNote = `could not sign in with it (${error.message.split('\n')[0]}); use the password you set, or --fresh`;
		}

		/** @param {string} workflowId @param {boolean} active */
		const remember = (workflowId, active) => {
			if (!active || activatedHash(state, workflowId) === workflowHash) return;
			state = { ...state, activated: { ...state.activated, [workflowId]: workflowHash } };
			if (workflowId === AUTO_REPLY_ID) state.activatedHash = workflowHash;
			writeState(userFolder, state);
		};
		const byId = (/** @type {string} */ id) => workflows.find((each) => each.id === id);
		/** @type {AutoReplyInfo | undefined} */
		let autoReply;
		/** @type {AutoReplyInfo | undefined} */
		let assistant;
		const mcpWorkflow = byId(MCP_ID);
		const mcpTrigger = mcpWorkflow?.nodes.find((/** @type {{ type: string }} */ node) => node.type === '@n8n/n8n-nodes-langchain.mcpTrigger');
		/** @type {McpInfo} */
		let mcp = {
			workflowId: MCP_ID,
			active: false,
			url: `${editor.webhookBase}/mcp/${mcpTrigger?.parameters?.path ?? 'hypersender'}`,
			token: String(state.mcpToken),
			problem: 'its tools would act on your real account: activate it in the editor when you want MCP clients to',
		};
		if (api.kind === 'sandbox' && api.sandbox && !stopping) {
			const common = { url: editor.url, webhookBase: editor.webhookBase, session, sandbox: api.sandbox, state, workflowHash };
			const autoReplyWorkflow = byId(AUTO_REPLY_ID);
			if (autoReplyWorkflow) {
				autoReply = await startTriggerExample({ ...common, workflow: autoReplyWorkflow, instanceId: api.data.instanceId, main: true, secret: String(state.webhookSecret), customer: SIMULATED_CUSTOMER });
				remember(AUTO_REPLY_ID, autoReply.active);
			}
			const assistantWorkflow = byId(ASSISTANT_ID);
			if (assistantWorkflow && !stopping) {
				const customer = { from: namedCustomerPhone(api.sandbox, ASSISTANT_INSTANCE), text: ASSISTANT_QUESTION };
				assistant = await startTriggerExample({ ...common, workflow: assistantWorkflow, instanceId: ASSISTANT_INSTANCE, main: false, secret: String(state.assistantSecret), customer });
				remember(ASSISTANT_ID, assistant.active);
			}
			if (mcpWorkflow && !stopping) {
				const { problem, ...activation } = await activateExample({ url: editor.url, session, workflowId: MCP_ID, state, workflowHash });
				mcp = { ...mcp, ...activation, problem };
				if (!problem) delete mcp.problem;
				remember(MCP_ID, activation.active);
			}
		}

		const { url } = editor;
		const lines = [
			'',
			'  n8n with the Hypersender node is ready.',
			'',
			`  Editor     ${editor.url}`,
			`  Login      ${owner.email}  /  ${owner.password}   (${loginNote})`,
			`  Workflow   ${editor.url}/workflow/${workflow.id}   "${workflow.name}": click "Execute workflow"`,
			...otherWorkflows.map((other) => `  Also       ${url}/workflow/${other.id}   "${other.name}"`),
			api.kind === 'sandbox'
				? `  API        sandbox ${api.data.baseUrl} (${options.sandboxSize} contacts, token "${api.data.apiToken}", instance ${api.data.instanceId})`
				: `  API        ${api.data.baseUrl} (your account from HYPERSENDER_TOKEN / HYPERSENDER_INSTANCE)`,
			`  Credential "${credential.name}"`,
			...autoReplyLines(url, autoReply, api.kind),
			...triggerExampleLines(url, 'Assistant', ASSISTANT_ID, assistant, api.kind),
			...mcpLines(url, mcp),
			...editor.readyLines,
			'',
			`  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl-C to stop ${options.queue ? 'n8n (main, webhook processor, workers), Redis, PostgreSQL' : 'n8n'}${api.kind === 'sandbox' ? ' and the sandbox' : ''}.`,
			'',
		];
		process.stdout.write(`${lines.join('\n')}\n`);
		if (onReady) {
			await onReady({
				url: editor.url,
				owner,
				workflowId: workflow.id,
				workflowIds: workflows.map((each) => each.id),
				credential: { id: credential.id, name: credential.name },
				api: { kind: api.kind, baseUrl: api.data.baseUrl, sandbox: api.sandbox },
				home: userFolder,
				autoReply,
				assistant,
				mcp,
				queue: editor.cluster,
				stop: () => stop(),
			});
		}

		const ending = await Promise.race([editor.ended, stopRequested.then(() => undefined)]);
		if (ending !== undefined && !stopping) {
			await stop();
			throw new Error(`${ending}; its last lines:\n${editor.lastLines()}`);
		}
		await stopping;
		log(`n8n${options.queue ? ', Redis, PostgreSQL' : ''} and the sandbox stopped.`);
	} catch (error) {
		await stop();
		throw error;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}

module.exports = { main, parseArgs, DEFAULT_HOME, ASSISTANT_INSTANCE };

if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error) => {
			log(`FAILED: ${error.message}`);
			process.exit(1);
		},
	);
}
