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
//          --home DIR (n8n home, default .n8n-runtime/home)
// Real account instead of the sandbox: HYPERSENDER_TOKEN, HYPERSENDER_INSTANCE and optionally
// HYPERSENDER_BASE_URL (default https://app.hypersender.com/api/whatsapp/v2).
// Login: HYPERSENDER_N8N_EMAIL / HYPERSENDER_N8N_PASSWORD (defaults printed at start).
//
// The n8n home (.n8n-runtime/home) is kept between starts: workflows and executions you make
// stay; --fresh starts over. Ctrl-C stops n8n and the sandbox.
//
// With the sandbox, the example "Auto-reply to WhatsApp messages" (Hypersender Trigger → Send
// Text) is activated, and the sandbox's webhook points at its production URL with a secret made
// once per home (kept in hypersender-start.json and in the credential's Webhook Secret); the
// ready message prints the command that simulates a customer's message.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { CREDENTIAL_TYPE, PACKAGE_NAME, SANDBOX_CREDENTIAL } = require('./fixtures');
const { ROOT, log } = require('./toolchain');
const runtime = require('./n8n/runtime');

const DEFAULT_HOME = path.join(runtime.RUNTIME_DIR, 'home');
// The examples imported into the home, in this order; the first is the one the ready message
// points at. All of them run on the sandbox as they are (no account needed).
const EXAMPLE_FILES = ['enrich-contacts.json', 'export-all-contacts.json', 'send-text-to-contacts.json', 'auto-reply.json'].map(
	(file) => path.join(ROOT, 'examples', file),
);
/** The example with the Hypersender Trigger, activated on the sandbox. */
const AUTO_REPLY_ID = 'hsAutoReply';
const TRIGGER_TYPE = `${PACKAGE_NAME}.hypersenderTrigger`;
/** The customer the printed simulate command pretends to be, and what they write. */
const SIMULATED_CUSTOMER = { from: '+4915123456789', text: 'Hi, is my order on its way?' };
// The credential keeps the sandbox credential's id with a real account too: the example
// workflow points at that id.
const CREDENTIAL_ID = SANDBOX_CREDENTIAL.id;
const ACCOUNT_CREDENTIAL_NAME = 'Hypersender (my account)';
const OFFICIAL_BASE_URL = 'https://app.hypersender.com/api/whatsapp/v2';
const DEFAULT_OWNER = { email: 'admin@example.com', password: 'Hypersender123' };

function usage() {
	return [
		'usage: node scripts/start.js [--package <tgz>] [--port 5678] [--sandbox-port 8787] [--sandbox-size 2500]',
		'                             [--sandbox-latency <ms>] [--home <dir>] [--fresh] [--quiet]',
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
 * @property {string} [packageTgz]
 */

/**
 * @param {string[]} args
 * @returns {StartOptions}
 */
function parseArgs(args) {
	/** @type {StartOptions} */
	const options = { port: undefined, sandboxPort: 8787, sandboxSize: 2500, sandboxLatency: 0, fresh: false, quiet: false, home: undefined };
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
	return options;
}

// What this script put into the home last time, so a warm start skips what has not changed.
// webhookSecret: the auto-reply's secret (sandbox only), made once per home; activatedHash: the
// workflowHash for which the auto-reply was activated (a user who deactivates it keeps it so).
/** @typedef {{ packageHash?: string, credentialHash?: string, workflowHash?: string, webhookSecret?: string, activatedHash?: string }} StartState */

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
		instances: { [DEFAULT_INSTANCE]: { size: options.sandboxSize, seed: 42 } },
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
 * @property {() => Promise<void>} stop
 */

/**
 * The auto-reply example on the sandbox: its production webhook and how to simulate a customer.
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
 * The auto-reply example on the sandbox: activated (the first time it is imported; n8n keeps it
 * active after that), and the sandbox's webhook pointed at its production URL with the secret.
 * @param {{ url: string, session: import('./n8n/runtime').Session | undefined, workflow: any, sandbox: any, instanceId: string, secret: string, state: StartState, workflowHash: string }} params
 * @returns {Promise<AutoReplyInfo>}
 */
async function startAutoReply({ url, session, workflow, sandbox, instanceId, secret, state, workflowHash }) {
	const trigger = workflow.nodes.find((/** @type {{ type: string }} */ node) => node.type === TRIGGER_TYPE);
	if (!trigger?.webhookId) throw new Error(`the example "${workflow.name}" has no ${TRIGGER_TYPE} node with a webhookId`);
	// n8n's production URL of the trigger's webhook (its description's path is "webhook").
	const webhookUrl = `${url}/webhook/${trigger.webhookId}/webhook`;
	sandbox.configure({ webhookUrl, webhookSecret: secret });
	const simulateArgs = ['simulate', 'message', '--sandbox', sandbox.url, '--from', SIMULATED_CUSTOMER.from, '--text', SIMULATED_CUSTOMER.text];
	const simulateCommand = `npm run sandbox -- simulate message --sandbox ${sandbox.url} --from ${SIMULATED_CUSTOMER.from} --text "${SIMULATED_CUSTOMER.text}"`;
	const messagesUrl = `${sandbox.url}/__sandbox/messages/${encodeURIComponent(instanceId)}`;
	const info = { workflowId: workflow.id, active: false, webhookUrl, simulateArgs, simulateCommand, messagesUrl };
	if (!session) return { ...info, problem: 'not signed in, so it could not be activated' };
	try {
		const current = await runtime.request(`${url}/rest/workflows/${encodeURIComponent(workflow.id)}`, { headers: { cookie: session.cookie } });
		const isActive = !!current.body?.data?.activeVersionId;
		if (isActive) await runtime.waitForPublished(url, session, workflow.id, { timeoutMs: 30000 });
		else if (state.activatedHash === workflowHash) return { ...info, problem: 'you deactivated it; activate it in the editor to try it' };
		else await runtime.activateWorkflow(url, session, workflow.id, { timeoutMs: 30000 });
		return { ...info, active: true };
	} catch (error) {
		return { ...info, problem: `could not be activated: ${error.message.split('\n')[0]}` };
	}
}

/**
 * The ready message's lines about the auto-reply example.
 * @param {string} url
 * @param {AutoReplyInfo | undefined} autoReply
 * @param {Api['kind']} kind
 * @returns {string[]}
 */
function autoReplyLines(url, autoReply, kind) {
	if (!autoReply) {
		if (kind !== 'account') return [];
		return [
			'',
			`  Auto-reply ${url}/workflow/${AUTO_REPLY_ID}   inactive: it would answer your real customers. Paste its Production URL`,
			'             into the Hypersender dashboard (Hypersender must be able to reach it), then activate it.',
		];
	}
	const head = `  Auto-reply ${url}/workflow/${autoReply.workflowId}`;
	if (!autoReply.active) return ['', `${head}   inactive: ${autoReply.problem}`];
	return [
		'',
		`${head}   active; the sandbox sends its webhooks to ${autoReply.webhookUrl}`,
		'             Simulate a customer writing to you (in another terminal):',
		'',
		`    ${autoReply.simulateCommand}`,
		'',
		`             then see the run in ${url}/workflow/${autoReply.workflowId}/executions`,
		`             and the reply the sandbox received in ${autoReply.messagesUrl}`,
	];
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
	const userFolder = path.resolve(home ?? options.home ?? DEFAULT_HOME);
	const started = Date.now();
	/** @type {Api | undefined} */
	let api;
	/** @type {import('./n8n/runtime').Editor | undefined} */
	let editor;
	/** @type {Promise<void> | undefined} */
	let stopping;
	/** @param {string} [reason] */
	const stop = async (reason) => {
		stopping ??= (async () => {
			if (reason) log(reason);
			await editor?.stop().catch(() => {});
			await api?.close().catch(() => {});
		})();
		return stopping;
	};
	/** @param {NodeJS.Signals} signal */
	const onSignal = (signal) => {
		if (stopping) {
			log(`${signal} again: exiting now.`);
			editor?.child.kill('SIGKILL');
			process.exit(130);
		}
		stop(`${signal}: stopping n8n and the sandbox...`);
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
		if (api.kind === 'sandbox') {
			// The webhook secret the sandbox sends and the trigger checks: made once per home.
			if (!state.webhookSecret) {
				state = { ...state, webhookSecret: crypto.randomBytes(24).toString('base64url') };
				writeState(userFolder, state);
			}
			api.data.webhookSecret = state.webhookSecret;
		}
		const credential = { id: CREDENTIAL_ID, name: api.credentialName, type: CREDENTIAL_TYPE, data: api.data };
		const credentialHash = hash(credential);
		if (state.credentialHash !== credentialHash) {
			log(`Importing the credential "${credential.name}" (${api.data.baseUrl})...`);
			await runtime.importCredentials(userFolder, [credential]);
			state = { ...state, credentialHash };
			writeState(userFolder, state);
		}

		const workflows = EXAMPLE_FILES.map((file) => {
			const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
			for (const node of workflow.nodes) {
				if (node.credentials?.[CREDENTIAL_TYPE]) node.credentials[CREDENTIAL_TYPE] = { id: CREDENTIAL_ID, name: credential.name };
			}
			return workflow;
		});
		// Imported once: later starts keep the user's edits to them. Re-imported when an example
		// file itself changes (or the credential's name does).
		const workflowHash = hash(workflows);
		if (state.workflowHash !== workflowHash) {
			log(`Importing the example workflows ${workflows.map((workflow) => `"${workflow.name}"`).join(', ')}...`);
			await runtime.importWorkflow(userFolder, workflows);
			state = { ...state, workflowHash };
			writeState(userFolder, state);
		}
		const [workflow, ...otherWorkflows] = workflows;

		if (stopping) return;
		let port = options.port ?? 5678;
		if ((await runtime.freePort(port)) !== port) {
			if (options.port !== undefined) throw new Error(`port ${port} is in use (another n8n?); stop it or choose another --port`);
			const freePort = await runtime.freePort(0);
			log(`Port ${port} is in use (another n8n?); starting the editor on ${freePort} instead.`);
			port = freePort;
		}
		log(`Starting n8n ${runtime.N8N_VERSION} on http://127.0.0.1:${port} ...`);
		editor = await runtime.startEditor(userFolder, {
			port,
			onLine: options.quiet ? undefined : (line) => process.stdout.write(`[n8n] ${line}\n`),
		});
		const { child } = editor;
		/** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
		const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

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

		const autoReplyWorkflow = workflows.find((each) => each.id === AUTO_REPLY_ID);
		/** @type {AutoReplyInfo | undefined} */
		let autoReply;
		if (api.kind === 'sandbox' && api.sandbox && autoReplyWorkflow && !stopping) {
			autoReply = await startAutoReply({ url: editor.url, session, workflow: autoReplyWorkflow, sandbox: api.sandbox, instanceId: api.data.instanceId, secret: String(api.data.webhookSecret), state, workflowHash });
			if (autoReply.active && state.activatedHash !== workflowHash) {
				state = { ...state, activatedHash: workflowHash };
				writeState(userFolder, state);
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
			'',
			`  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl-C to stop n8n${api.kind === 'sandbox' ? ' and the sandbox' : ''}.`,
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
				stop: () => stop(),
			});
		}

		const { code, signal } = await exited;
		if (!stopping) {
			await stop();
			throw new Error(`n8n stopped by itself (${signal ?? `exit ${code}`}); its last lines:\n${editor.output().split('\n').slice(-20).join('\n')}`);
		}
		await stopping;
		log('n8n and the sandbox stopped.');
	} catch (error) {
		await stop();
		throw error;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}

module.exports = { main, parseArgs, DEFAULT_HOME };

if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error) => {
			log(`FAILED: ${error.message}`);
			process.exit(1);
		},
	);
}
