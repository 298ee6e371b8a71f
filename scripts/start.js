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
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { CREDENTIAL_TYPE, SANDBOX_CREDENTIAL } = require('./fixtures');
const { ROOT, log } = require('./toolchain');
const runtime = require('./n8n/runtime');

const DEFAULT_HOME = path.join(runtime.RUNTIME_DIR, 'home');
// The examples imported into the home, in this order; the first is the one the ready message
// points at. All of them run on the sandbox as they are (no account needed).
const EXAMPLE_FILES = ['enrich-contacts.json', 'export-all-contacts.json', 'send-text-to-contacts.json'].map((file) =>
	path.join(ROOT, 'examples', file),
);
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
/** @typedef {{ packageHash?: string, credentialHash?: string, workflowHash?: string }} StartState */

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
 * @property {{ apiToken: string, instanceId: string, baseUrl: string }} data
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
 * @property {() => Promise<void>} stop
 */

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
		try {
			const session = await runtime.setupOwner(editor.url, owner);
			loginNote = session.created ? 'account created now' : 'existing account';
		} catch (error) {
			loginNote = `could not sign in with it (${error.message.split('\n')[0]}); use the password you set, or --fresh`;
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
