// @ts-check
'use strict';
// n8n in queue mode ("scaling mode") from real parts, on this machine:
//
//   PostgreSQL   Debian's `postgresql` package, our own cluster (initdb once) on a free 127.0.0.1 port
//   Redis        Debian's `redis-server`, on a free 127.0.0.1 port
//   n8n main     `n8n start`   the editor and REST API, activates workflows, runs the polls, enqueues
//   webhook      `n8n webhook` a webhook processor: production webhooks (WEBHOOK_URL points at it)
//   workers      `n8n worker`  N of them: they run every execution (manual runs too)
//
// every n8n process with EXECUTIONS_MODE=queue, the same N8N_USER_FOLDER (the home with the
// package installed in .n8n/nodes, see homes.js) and so the same N8N_ENCRYPTION_KEY, binary data
// in the database (N8N_DEFAULT_BINARY_DATA_MODE=database: the filesystem mode keeps files on the
// machine that made them), and OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true.
//
//   const cluster = await startQueueCluster({ home, workers: 2 });
//   cluster.mainUrl, cluster.webhookUrl, cluster.processes
//   await cluster.importCredentials([...]); await cluster.importWorkflows([...]);
//   await cluster.worker(0).kill('SIGKILL'); await cluster.worker(0).restart();
//   await cluster.executions({ workflowId })   // from Postgres, with the worker that ran each
//   await cluster.close();
//
// Data lives in <RUNTIME_DIR>/queue/<name>/ (git-ignored): postgres/ (data, run; elsewhere when the
// OS user postgres cannot reach this folder, see postgresFolder()), redis/, logs/
// (one file per process), credentials.json (the n8n database user's password) and pids.json (what
// to stop if a previous run of the same name died without closing).
//
// PostgreSQL and root: postgres refuses to run as root. When this runs as root (CI containers,
// this machine), postgres, initdb, pg_isready and psql run as the OS user `postgres` that
// Debian's package creates (Node's spawn() with that uid/gid: no su, no sudo, no PAM), and
// postgres/ is owned by it. Run as any other user, they run as that user.
// Missing packages: when PostgreSQL or redis-server is not installed, `apt-get install -y
// postgresql redis-server` runs (as root, non-interactively); elsewhere the error says what to install.
//
// A shared N8N_USER_FOLDER and n8n's own files in it: each process gets its own event log
// (N8N_EVENTBUS_LOGWRITER_LOGFULLPATH=.n8n/n8nEventLog-<name>.log; two workers would otherwise
// write one file). n8n's .n8n/crash.journal ("did the last session crash", one per folder) is
// removed before each process starts, so one started while the others run (a restarted worker)
// does not take their marker for a crash; processes started together (webhook and workers) still
// see each other's: they log "Last session crashed" and wait 10 s, as containers sharing one
// volume do.
//
// Which worker ran an execution: n8n does not store it in the database. Each worker logs
// "Worker started execution <id> (job <job>)" and "Worker finished execution <id>", and whichever
// process enqueued it logs "Enqueued execution <id> (job <job>)"; these lines are read from each
// process's output and joined to the executions read from Postgres.
//
// This file puts the cluster together; its parts are in queue/: types.js (the types, re-exported
// here), process.js (one process: start, readiness, stop, kill), services.js (PostgreSQL and
// Redis), folders.js (the cluster's folder, leftovers, initdb), addresses.js (ports), n8n.js (the
// n8n processes and their environment), lifecycle.js (start and stop in order), imports.js,
// executions.js and traces.js.
const fs = require('node:fs');
const path = require('node:path');

const { log } = require('../toolchain');
const { RUNTIME_DIR, N8N_BIN, N8N_VERSION } = require('./paths');
const { installExitHook } = require('./queue/process');
const { ensureServices, postgresProcess, redisProcess, ensureDatabase } = require('./queue/services');
const { prepareClusterFolders, stopLeftovers, removeClusterFolder, writeJson } = require('./queue/folders');
const { clusterAddresses } = require('./queue/addresses');
const { createTraces } = require('./queue/traces');
const { queueEnv, n8nProcesses } = require('./queue/n8n');
const { clusterLifecycle } = require('./queue/lifecycle');
const { clusterImports } = require('./queue/imports');
const { readExecutions, executionItems } = require('./queue/executions');

/** @typedef {import('./queue/types').Role} Role */
/** @typedef {import('./queue/types').ClusterProcess} ClusterProcess */
/** @typedef {import('./queue/types').ExecutionTrace} ExecutionTrace */
/** @typedef {import('./queue/types').QueueExecution} QueueExecution */
/** @typedef {import('./queue/types').ExecutionFilter} ExecutionFilter */
/** @typedef {import('./queue/types').QueueClusterOptions} QueueClusterOptions */
/** @typedef {import('./queue/types').QueueCluster} QueueCluster */
/** @typedef {import('./queue/process').ManagedProcess} ManagedProcess */
/** @typedef {import('./queue/process').ProcessContext} ProcessContext */

/** Where every queue cluster keeps its data. */
const QUEUE_DIR = path.join(RUNTIME_DIR, 'queue');

/**
 * Starts PostgreSQL, Redis, n8n main, one webhook processor and `workers` workers, in that order
 * (main first: it migrates the database), each waited for until ready.
 * @param {QueueClusterOptions} options
 * @returns {Promise<QueueCluster>}
 */
async function startQueueCluster(options) {
	const home = path.resolve(options.home);
	const name = options.name ?? 'default';
	if (!/^[\w.-]+$/.test(name)) throw new Error(`cluster name "${name}": letters, digits, ".", "_" and "-" only`);
	const workerCount = options.workers ?? 2;
	const concurrency = options.concurrency ?? 10;
	if (!fs.existsSync(N8N_BIN)) throw new Error(`n8n is not installed in ${RUNTIME_DIR}; call ensureN8n() first`);
	if (!fs.existsSync(path.join(home, '.n8n', 'nodes'))) throw new Error(`${home} is no n8n home (no .n8n/nodes): make it with createN8nHome()`);

	const { postgresBin, redisServer } = ensureServices(options.installMissing ?? true);
	installExitHook();

	const dir = path.join(QUEUE_DIR, name);
	const folders = await prepareClusterFolders({ dir, name, home, fresh: !!options.fresh, postgresBin });
	const addresses = await clusterAddresses(options, folders.postgresPassword);
	const { traceOf, traceLine } = createTraces();
	/** @type {ManagedProcess[]} */
	const all = [];
	const context = processContext(options, { dir, logDir: folders.logDir, all, traceLine });

	const pg = { ...folders, postgresBin, postgresPort: addresses.postgresPort };
	const services = { postgresProcess: postgresProcess(pg, context), redisProcess: redisProcess(redisServer, folders.redisDir, addresses.redisPort, context) };
	const env = queueEnv({ home, addresses, poolSize: options.poolSize, extraEnv: options.extraEnv });
	const n8n = await n8nProcesses({ home, env, addresses, workerCount, concurrency, context });
	all.push(n8n.mainProcess, n8n.webhookProcess, ...n8n.workerProcesses, services.postgresProcess, services.redisProcess);
	const lifecycle = clusterLifecycle({ ...services, ...n8n, dir, postgres: addresses.postgres, ensureDatabase: () => ensureDatabase(pg, folders.postgresPassword) });

	const started = Date.now();
	await lifecycle.start();
	log(
		`queue: n8n ${N8N_VERSION} in queue mode in ${((Date.now() - started) / 1000).toFixed(0)} s: main ${addresses.mainUrl}, webhook ${addresses.webhookUrl}, ` +
			`${workerCount} worker${workerCount === 1 ? '' : 's'} (concurrency ${concurrency}), Postgres 127.0.0.1:${addresses.postgresPort}, Redis 127.0.0.1:${addresses.redisPort}`,
	);

	/** @type {QueueCluster} */
	const cluster = {
		name,
		dir,
		home,
		mainUrl: addresses.mainUrl,
		webhookUrl: addresses.webhookUrl,
		postgres: addresses.postgres,
		redis: addresses.redis,
		processes: all.map((proc) => proc.view()),
		main: n8n.mainProcess.view(),
		webhook: n8n.webhookProcess.view(),
		workers: n8n.workerProcesses.map((proc) => proc.view()),
		worker(index) {
			const proc = n8n.workerProcesses[index];
			if (!proc) throw new Error(`no worker ${index} (the cluster has ${n8n.workerProcesses.length}, 0-based)`);
			return proc.view();
		},
		env,
		...clusterImports(home, env),
		restartAll: lifecycle.restartAll,
		query: lifecycle.query,
		trace(executionId) {
			return traceOf(String(executionId));
		},
		executions: (filter = {}) => readExecutions((sql, params) => cluster.query(sql, params), traceOf, filter),
		close: lifecycle.closeAll,
	};
	return cluster;
}

/**
 * What the cluster's processes report to: every output line (traced, then to options.onLine), a
 * start (the pids written to pids.json, for stopLeftovers()), an exit nothing asked for.
 * @param {QueueClusterOptions} options
 * @param {{ dir: string, logDir: string, all: ManagedProcess[], traceLine: (processName: string, line: string) => void }} params
 * @returns {ProcessContext}
 */
function processContext(options, { dir, logDir, all, traceLine }) {
	const onLine = options.onLine ?? (() => {});
	/** @type {Record<string, number>} */
	const pids = {};
	return {
		logDir,
		readyTimeoutMs: options.readyTimeoutMs ?? 240000,
		onLine: (processName, line) => {
			traceLine(processName, line);
			onLine(processName, line);
		},
		onUnexpectedExit: (processName, reason) => options.onUnexpectedExit?.(processName, reason),
		onStarted: () => {
			for (const proc of all) if (proc.pid) pids[proc.name] = proc.pid;
			writeJson(path.join(dir, 'pids.json'), pids);
		},
	};
}

/**
 * Stops what a cluster left running (its pids.json, checked against each process's command line
 * and folder) and deletes its folder: for a run that died without close().
 * @param {string} name the cluster's name (its folder under .n8n-runtime/queue/)
 * @param {string} home its N8N_USER_FOLDER (how its n8n processes are recognised)
 */
async function discardCluster(name, home) {
	const dir = path.join(QUEUE_DIR, name);
	await stopLeftovers(dir, path.resolve(home));
	removeClusterFolder(dir);
}

module.exports = { startQueueCluster, discardCluster, executionItems, ensureServices, QUEUE_DIR };

// Command line (for trying the cluster by hand; `npm start -- --queue` is the usual way):
//   node scripts/n8n/queue.js --home DIR [--workers N] [--name NAME] [--fresh]
// starts the cluster on that home (which must have the package installed) and stops it on Ctrl-C.
if (require.main === module) {
	const argv = process.argv.slice(2);
	/** @param {string} flag */
	const value = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
	const home = value('--home');
	if (!home) {
		process.stderr.write('usage: node scripts/n8n/queue.js --home DIR [--workers N] [--name NAME] [--fresh]\n');
		process.exit(2);
	}
	startQueueCluster({ home, workers: Number(value('--workers') ?? 2), name: value('--name'), fresh: argv.includes('--fresh') }).then(
		(cluster) => {
			log(`queue: running; logs in ${path.join(cluster.dir, 'logs')}; Ctrl-C stops everything`);
			let closing = false;
			const stop = () => {
				if (closing) return;
				closing = true;
				log('queue: stopping...');
				cluster.close().then(() => process.exit(0), () => process.exit(1));
			};
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		},
		(error) => {
			log(error.stack || String(error));
			process.exit(1);
		},
	);
}
