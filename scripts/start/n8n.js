// @ts-check
'use strict';
// The n8n `npm start` runs, on a free editor port: one process on the home's SQLite database, or
// (--queue) a queue-mode cluster (../n8n/queue.js) on PostgreSQL and Redis; the credentials and the
// example workflows that changed imported into its database.
const path = require('node:path');

const { ROOT, log } = require('../toolchain');
const runtime = require('../n8n/runtime');
const { hash } = require('./state');
const { importChanged, CREDENTIAL_ID } = require('./examples');

/** @typedef {import('./options').StartOptions} StartOptions */
/** @typedef {import('./state').HomeState} HomeState */
/** @typedef {import('./examples').Examples} Examples */

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
 * @property {import('../n8n/queue').QueueCluster} [cluster] with --queue
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
	/** @type {import('../n8n/queue').QueueCluster} */
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
 * The editor's port: --port (which must be free), else 5678, or a free one when 5678 is in use.
 * @param {StartOptions} options
 */
async function editorPort(options) {
	let port = options.port ?? 5678;
	if ((await runtime.freePort(port)) !== port) {
		if (options.port !== undefined) throw new Error(`port ${port} is in use (another n8n?); stop it or choose another --port`);
		const freePort = await runtime.freePort(0);
		log(`Port ${port} is in use (another n8n?); starting the editor on ${freePort} instead.`);
		port = freePort;
	}
	return port;
}

/**
 * Starts n8n with what changed imported: in queue mode the cluster first (the imports go into its
 * PostgreSQL database), else the imports first (into the home's SQLite), then n8n. `onStarted`
 * hears of n8n as soon as it runs (so that a stop stops it).
 * @param {{ userFolder: string, port: number, options: StartOptions, newHome: boolean, store: HomeState, examples: Examples, baseUrl: string, isStopping: () => boolean, onStarted: (n8n: RunningN8n) => void }} params
 * @returns {Promise<RunningN8n | undefined>} undefined: stopped while the cluster started
 */
async function startN8n({ userFolder, port, options, newHome, store, examples, baseUrl, isStopping, onStarted }) {
	if (options.queue) {
		// The cluster first: the imports go into its PostgreSQL database.
		const n8n = await startQueueN8n(userFolder, { port, workers: options.workers, quiet: options.quiet, freshDatabase: newHome });
		onStarted(n8n);
		if (isStopping()) {
			await n8n.stop();
			return undefined;
		}
		const { cluster } = n8n;
		if (!cluster) throw new Error('queue mode without a cluster');
		// A database made anew (its folder deleted) has none of what the state says was imported.
		const ours = await cluster.query('SELECT id FROM credentials_entity WHERE id = $1', [CREDENTIAL_ID]);
		if (ours.length === 0) store.assume({ credentialHash: undefined, workflowHash: undefined, activated: undefined, activatedHash: undefined });
		await importChanged(examples, store, baseUrl, { credentials: (list) => cluster.importCredentials(list), workflows: (list) => cluster.importWorkflows(list) });
		return n8n;
	}
	await importChanged(examples, store, baseUrl, { credentials: (list) => runtime.importCredentials(userFolder, list), workflows: (list) => runtime.importWorkflow(userFolder, list) });
	const n8n = await startSingleN8n(userFolder, port, options.quiet);
	onStarted(n8n);
	return n8n;
}

module.exports = { editorPort, startN8n };
