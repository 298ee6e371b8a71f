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
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { log } = require('../toolchain');
const { RUNTIME_DIR, N8N_BIN, NODE_BIN, N8N_VERSION } = require('./paths');
const { n8nEnv } = require('./homes');
const { n8nCommand } = require('./cli');
const { freePort, portIsFree, request } = require('./net');
const { parseExecutionData } = require('./editor');
const { runItems } = require('./run-data');

/** @typedef {import('./homes').EnvExtra} EnvExtra */
/** @typedef {import('./cli').PlainCredential} PlainCredential */
/** @typedef {import('./cli').Workflow} Workflow */
/** @typedef {import('./run-data').N8nRunData} N8nRunData */
/** @typedef {import('./run-data').RunItem} RunItem */

/** Where every queue cluster keeps its data. */
const QUEUE_DIR = path.join(RUNTIME_DIR, 'queue');

/** @typedef {'main' | 'webhook' | 'worker' | 'postgres' | 'redis'} Role */

/**
 * One process of the cluster.
 * @typedef {object} ClusterProcess
 * @property {string} name main, webhook, worker-1, worker-2, ..., postgres, redis
 * @property {Role} role
 * @property {number | undefined} pid undefined while stopped
 * @property {number} port the port it listens on (a worker: its health-check port)
 * @property {boolean} running
 * @property {() => string} output its last 2000 output lines
 * @property {(signal?: NodeJS.Signals) => Promise<void>} kill sends `signal` (default SIGKILL) to its whole process group (an n8n process and its task runner, as when a container dies) and waits for the exit
 * @property {(graceMs?: number) => Promise<void>} stop SIGTERM (a graceful shutdown), its group SIGKILLed after `graceMs` (default 30000)
 * @property {() => Promise<void>} start starts it again (same ports) and waits until it is ready
 * @property {() => void} pause SIGSTOP to its process group: it keeps its connections and does nothing (a worker takes no job; jobs wait in Redis)
 * @property {() => void} resume SIGCONT to its process group
 * @property {() => Promise<void>} restart stop() then start()
 */

/**
 * What the processes' logs say about one execution.
 * @typedef {object} ExecutionTrace
 * @property {string | undefined} enqueuedBy the process that enqueued it (main, webhook)
 * @property {string[]} startedBy the workers that started it, in order (more than one: it was picked up again)
 * @property {string[]} finishedBy the workers that finished it
 */

/**
 * One execution as Postgres has it, with its trace.
 * @typedef {object} QueueExecution
 * @property {number} id
 * @property {string} workflowId
 * @property {string} status new, running, success, error, crashed, canceled, waiting
 * @property {string} mode manual, trigger, webhook, ...
 * @property {boolean} done whether it has ended
 * @property {Date | null} createdAt
 * @property {Date | null} startedAt
 * @property {Date | null} stoppedAt
 * @property {string | null} retryOf
 * @property {string | undefined} worker the worker that ran it (the last that started it), when one did
 * @property {ExecutionTrace} trace
 * @property {N8nRunData} [data] its run data, with `withData` and once done
 */

/**
 * @typedef {object} ExecutionFilter
 * @property {string} [workflowId]
 * @property {number} [afterId] only executions with a larger id
 * @property {boolean} [withData] also parse the run data of the executions that have ended
 */

/**
 * @typedef {object} QueueClusterOptions
 * @property {string} home the N8N_USER_FOLDER every n8n process shares (createN8nHome() with the package)
 * @property {string} [name] the folder under .n8n-runtime/queue/ (default "default")
 * @property {number} [workers] how many workers (default 2)
 * @property {number} [concurrency] jobs each worker runs at once (`n8n worker --concurrency`, default 10, n8n's)
 * @property {number} [poolSize] Postgres connections per n8n process (DB_POSTGRESDB_POOL_SIZE, default 10; n8n's own default of 2 lets a burst of webhooks starve the webhook processor's database pool: its health ping times out and it answers 503)
 * @property {number} [mainPort] default: a free port
 * @property {number} [webhookPort] default: a free port
 * @property {number} [postgresPort] default: a free port
 * @property {number} [redisPort] default: a free port
 * @property {boolean} [fresh] empty the cluster's folder first: a new database (default false: reuse it)
 * @property {EnvExtra} [extraEnv] more environment for every n8n process (wins over the cluster's)
 * @property {(name: string, line: string) => void} [onLine] every output line of every process
 * @property {(name: string, reason: string) => void} [onUnexpectedExit] a process exited that no stop(), kill(), restart or close() ended (it crashed, or was killed from outside)
 * @property {number} [readyTimeoutMs] how long a process may take to be ready (default 240000)
 * @property {boolean} [installMissing] apt-get install PostgreSQL/Redis when missing (default true)
 */

/**
 * A running queue-mode cluster.
 * @typedef {object} QueueCluster
 * @property {string} name
 * @property {string} dir its data folder (.n8n-runtime/queue/<name>)
 * @property {string} home the shared N8N_USER_FOLDER
 * @property {string} mainUrl http://127.0.0.1:<port> of `n8n start` (editor, REST API)
 * @property {string} webhookUrl http://127.0.0.1:<port> of `n8n webhook` (production webhooks: <webhookUrl>/webhook/...)
 * @property {{ host: string, port: number, database: string, user: string, password: string }} postgres how n8n connects to Postgres
 * @property {{ host: string, port: number }} redis
 * @property {ClusterProcess[]} processes main, webhook, the workers, postgres, redis
 * @property {ClusterProcess} main
 * @property {ClusterProcess} webhook
 * @property {ClusterProcess[]} workers
 * @property {(index: number) => ClusterProcess} worker the index-th worker (0-based)
 * @property {(extra?: EnvExtra) => NodeJS.ProcessEnv} env the environment of an n8n process of this cluster (e.g. for `n8n` commands)
 * @property {(creds: PlainCredential[]) => Promise<string[]>} importCredentials `n8n import:credentials` into the cluster's database
 * @property {(workflows: Workflow[]) => Promise<string[]>} importWorkflows `n8n import:workflow` (one process for all)
 * @property {(options?: { services?: boolean, whileStopped?: () => Promise<void> }) => Promise<void>} restartAll stops every n8n process (and with `services`, Redis and Postgres too), runs `whileStopped`, then starts them all again
 * @property {(filter?: ExecutionFilter) => Promise<QueueExecution[]>} executions oldest first
 * @property {(sql: string, params?: unknown[]) => Promise<any[]>} query any SQL on n8n's database (rows)
 * @property {(executionId: number | string) => ExecutionTrace} trace what the logs say about one execution
 * @property {() => Promise<void>} close stops everything (n8n first, then Redis and Postgres)
 */

// ---- processes this module started, stopped when the host process exits without close() ----

/** @type {Set<{ pid: number, signal: NodeJS.Signals }>} */
const liveGroups = new Set();
let exitHookInstalled = false;

function installExitHook() {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const group of liveGroups) {
			try {
				process.kill(-group.pid, group.signal);
			} catch {
				// gone already
			}
		}
	});
}

/** @param {string} file @param {unknown} value */
function writeJson(file, value) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(value, null, '\t'), { mode: 0o600 });
}

/** @param {number} pid @returns {string} its command line ('' when it is gone) */
function commandLineOf(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
	} catch {
		return '';
	}
}

/**
 * Stops what an earlier run of the same cluster left running (its pids.json), when the process
 * with that pid is still ours: its command line names this cluster's folder or home.
 * @param {string} dir @param {string} home
 */
async function stopLeftovers(dir, home) {
	const file = path.join(dir, 'pids.json');
	/** @type {Record<string, number>} */
	let pids = {};
	try {
		pids = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return;
	}
	for (const [name, pid] of Object.entries(pids)) {
		const line = commandLineOf(pid);
		let cwd = '';
		try {
			cwd = fs.realpathSync(`/proc/${pid}/cwd`);
		} catch {
			// gone, or not ours to read
		}
		// Postgres and Redis work in the cluster's folder (Redis rewrites its command line; Postgres's
		// folder may be outside it, see postgresFolder()), n8n in the home.
		const within = (/** @type {string | undefined} */ folder) => !!folder && (cwd === folder || cwd.startsWith(`${folder}${path.sep}`));
		const ours = line !== '' && (within(dir) || within(externalPostgresFolder(dir)) || (line.includes(N8N_BIN) && cwd === path.resolve(home)));
		if (!ours) continue;
		log(`queue: stopping ${name} (pid ${pid}) left running by an earlier run`);
		try {
			process.kill(-pid, name === 'postgres' ? 'SIGQUIT' : 'SIGKILL');
		} catch {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
		for (let i = 0; i < 50 && commandLineOf(pid) !== ''; i++) await sleep(100);
	}
	fs.rmSync(file, { force: true });
}

/**
 * Where PostgreSQL keeps a cluster's data when the OS user postgres cannot reach the cluster's
 * folder (see postgresFolder()): written into the cluster's folder as postgres.path.
 * @param {string} dir
 * @returns {string | undefined}
 */
function externalPostgresFolder(dir) {
	try {
		return fs.readFileSync(path.join(dir, 'postgres.path'), 'utf8').trim() || undefined;
	} catch {
		return undefined;
	}
}

/** Deletes a cluster's folder, and PostgreSQL's data where it lives outside it. @param {string} dir */
function removeClusterFolder(dir) {
	const external = externalPostgresFolder(dir);
	if (external) fs.rmSync(path.dirname(external), { recursive: true, force: true });
	fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * PostgreSQL's folder (data/, run/): <dir>/postgres, owned by the OS user postgres when this runs
 * as root. That user must reach it: every folder above it searchable by others (o+x). When one is
 * not (a checkout under /root, mode 700), the data goes to /var/tmp/hypersender-n8n-queue/<name>-<id>/
 * instead (world-searchable, kept across reboots), recorded in <dir>/postgres.path so that later
 * starts, --fresh and discardCluster() find it.
 * @param {string} dir @param {string} name @param {{ uid: number, gid: number, name: string } | undefined} pgUser
 * @returns {Promise<string>}
 */
async function postgresFolder(dir, name, pgUser) {
	const inside = path.join(dir, 'postgres');
	/** @param {string} folder */
	const prepare = async (folder) => {
		fs.mkdirSync(folder, { recursive: true });
		if (!pgUser) return true;
		fs.chmodSync(folder, 0o700);
		execFileSync('chown', ['-R', `${pgUser.uid}:${pgUser.gid}`, folder]);
		return await runAs('/usr/bin/test', ['-w', folder], pgUser, '/').then(
			() => true,
			() => false,
		);
	};
	const external = externalPostgresFolder(dir);
	if (external) {
		if (await prepare(external)) return external;
		throw new Error(`the OS user postgres cannot reach ${external} (recorded in ${path.join(dir, 'postgres.path')}); delete that file to start over`);
	}
	if (await prepare(inside)) return inside;
	const base = path.join('/var/tmp', 'hypersender-n8n-queue');
	const outside = path.join(base, `${name}-${crypto.createHash('sha256').update(dir).digest('hex').slice(0, 8)}`, 'postgres');
	fs.mkdirSync(path.dirname(outside), { recursive: true, mode: 0o755 });
	fs.chmodSync(base, 0o755);
	fs.chmodSync(path.dirname(outside), 0o755);
	fs.rmSync(inside, { recursive: true, force: true });
	if (!(await prepare(outside))) {
		throw new Error(`the OS user postgres can reach neither ${inside} nor ${outside}: make every folder above one of them searchable by others (chmod o+x), or set HYPERSENDER_N8N_RUNTIME_DIR`);
	}
	fs.writeFileSync(path.join(dir, 'postgres.path'), `${outside}\n`);
	log(`queue: the OS user postgres cannot reach ${dir} (a folder above it is not searchable by others): PostgreSQL's data is in ${outside}`);
	return outside;
}

// ---- PostgreSQL and Redis from Debian's packages ----

/** The bin folder of the newest PostgreSQL Debian installed (/usr/lib/postgresql/<version>/bin), or undefined. */
function findPostgresBin() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((version) => fs.existsSync(path.join(base, version, 'bin', 'postgres')) && fs.existsSync(path.join(base, version, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

/** redis-server's path, or undefined. */
function findRedisServer() {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/usr/sbin', '/usr/local/bin'])) {
		const candidate = path.join(dir, 'redis-server');
		if (dir && fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

/**
 * PostgreSQL and redis-server, installed with apt-get when missing (as root, non-interactively).
 * @param {boolean} installMissing
 * @returns {{ postgresBin: string, redisServer: string }}
 */
function ensureServices(installMissing) {
	let postgresBin = findPostgresBin();
	let redisServer = findRedisServer();
	const missing = [...(postgresBin ? [] : ['postgresql']), ...(redisServer ? [] : ['redis-server'])];
	if (missing.length) {
		const isRoot = process.getuid?.() === 0;
		if (!installMissing || !isRoot || !fs.existsSync('/usr/bin/apt-get')) {
			throw new Error(
				`queue mode needs ${missing.join(' and ')} (Debian packages); install ${missing.length > 1 ? 'them' : 'it'}: sudo apt-get install -y ${missing.join(' ')}`,
			);
		}
		log(`queue: ${missing.join(' and ')} missing: installing Debian's ${missing.join(' ')} with apt-get (one time, about a minute)...`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
		execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, stdio: ['ignore', 'ignore', 'inherit'] });
		postgresBin = findPostgresBin();
		redisServer = findRedisServer();
		if (!postgresBin || !redisServer) throw new Error(`apt-get install ${missing.join(' ')} did not provide ${postgresBin ? 'redis-server' : 'PostgreSQL'}`);
		log('queue: PostgreSQL and Redis installed');
	}
	return { postgresBin: /** @type {string} */ (postgresBin), redisServer: /** @type {string} */ (redisServer) };
}

/**
 * The OS user PostgreSQL runs as: the current one, or, as root, `postgres` (Debian's package makes it).
 * @returns {{ name: string, uid: number, gid: number } | undefined} undefined: the current user
 */
function postgresOsUser() {
	if (process.getuid?.() !== 0) return undefined;
	/** @param {string} flag */
	const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
	try {
		return { name: 'postgres', uid: id('-u'), gid: id('-g') };
	} catch {
		throw new Error('running as root, PostgreSQL needs the OS user "postgres" (Debian\'s postgresql package creates it): apt-get install -y postgresql');
	}
}

/**
 * Runs a PostgreSQL tool as the PostgreSQL OS user; resolves to its stdout, rejects on a non-zero exit.
 * @param {string} bin @param {string[]} args @param {{ name: string, uid: number, gid: number } | undefined} user @param {string} cwd
 * @returns {Promise<string>}
 */
function runAs(bin, args, user, cwd) {
	return new Promise((resolve, reject) => {
		const child = spawn(bin, args, {
			cwd,
			env: { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...(user ? { HOME: cwd, USER: user.name } : { HOME: process.env.HOME }) },
			stdio: ['ignore', 'pipe', 'pipe'],
			...(user ? { uid: user.uid, gid: user.gid } : {}),
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code === 0) resolve(stdout);
			else reject(new Error(`${path.basename(bin)} ${args.join(' ')} failed (exit ${code}): ${(stderr || stdout).trim().slice(-1500)}`));
		});
	});
}

/** @param {number} port @returns {Promise<boolean>} whether Redis answers PING on 127.0.0.1:port */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (/** @type {boolean} */ ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

// ---- one managed process ----

/**
 * @typedef {object} ProcessSpec
 * @property {string} name
 * @property {Role} role
 * @property {number} port
 * @property {() => { command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, uid?: number, gid?: number }} command built at each start
 * @property {(proc: ManagedProcess) => Promise<boolean>} ready
 * @property {NodeJS.Signals} stopSignal graceful stop
 * @property {NodeJS.Signals} exitSignal sent to the group when the host exits without close()
 * @property {() => void} [beforeStart]
 */

class ManagedProcess {
	/**
	 * @param {ProcessSpec} spec
	 * @param {{ logDir: string, readyTimeoutMs: number, onLine: (name: string, line: string) => void, onStarted: () => void, onUnexpectedExit: (name: string, reason: string) => void }} context
	 */
	constructor(spec, context) {
		this.spec = spec;
		this.context = context;
		this.name = spec.name;
		this.role = spec.role;
		this.port = spec.port;
		/** @type {import('node:child_process').ChildProcess | undefined} */
		this.child = undefined;
		/** @type {Promise<void> | undefined} */
		this.exited = undefined;
		/** @type {string[]} */
		this.lines = [];
		this.running = false;
		/** @type {{ pid: number, signal: NodeJS.Signals } | undefined} */
		this.group = undefined;
		/** Set while stop() or kill() ends it: its exit is then expected. */
		this.ending = false;
	}

	get pid() {
		return this.running ? this.child?.pid : undefined;
	}

	output() {
		return this.lines.join('\n');
	}

	async start() {
		if (this.running) return;
		this.ending = false;
		this.spec.beforeStart?.();
		const { command, args, env, cwd, uid, gid } = this.spec.command();
		const logFile = fs.createWriteStream(path.join(this.context.logDir, `${this.name}.log`), { flags: 'a' });
		logFile.write(`---- ${new Date().toISOString()} start: ${path.basename(command)} ${args.join(' ')}\n`);
		const child = spawn(command, args, {
			cwd,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
			...(uid === undefined ? {} : { uid, gid }),
		});
		this.child = child;
		this.running = true;
		const pid = /** @type {number} */ (child.pid);
		this.group = { pid, signal: this.spec.exitSignal };
		liveGroups.add(this.group);
		this.context.onStarted();
		for (const stream of [child.stdout, child.stderr]) {
			let partial = '';
			stream?.on('data', (chunk) => {
				partial += chunk.toString('utf8');
				const parts = partial.split('\n');
				partial = parts.pop() ?? '';
				for (const line of parts) {
					this.lines.push(line);
					if (this.lines.length > 2000) this.lines.shift();
					logFile.write(`${new Date().toISOString()} ${line}\n`);
					this.context.onLine(this.name, line);
				}
			});
		}
		/** @type {string | undefined} */
		let exitReason;
		this.exited = new Promise((resolve) => {
			child.on('error', (error) => {
				exitReason = error.message;
			});
			child.on('exit', (code, signal) => {
				exitReason = exitReason ?? `exit ${signal ?? code}`;
				this.running = false;
				if (this.group) liveGroups.delete(this.group);
				logFile.end(`---- ${new Date().toISOString()} ${exitReason}\n`);
				if (!this.ending) this.context.onUnexpectedExit(this.name, exitReason);
				resolve();
			});
		});
		const deadline = Date.now() + this.context.readyTimeoutMs;
		for (;;) {
			if (!this.running) {
				throw new Error(`${this.name} exited before it was ready (${exitReason}):\n${this.lines.slice(-30).join('\n')}`);
			}
			if (await this.spec.ready(this).catch(() => false)) return;
			if (Date.now() > deadline) {
				await this.kill('SIGKILL');
				throw new Error(`${this.name} was not ready after ${this.context.readyTimeoutMs} ms:\n${this.lines.slice(-30).join('\n')}`);
			}
			await sleep(250);
		}
	}

	/** @param {NodeJS.Signals} [signal] */
	async kill(signal = 'SIGKILL') {
		if (!this.running || !this.child?.pid) return;
		this.ending = true;
		try {
			process.kill(-this.child.pid, signal);
		} catch {
			this.child.kill(signal);
		}
		await this.exited;
		// What else was in its group (a task runner) goes with it.
		try {
			process.kill(-this.child.pid, 'SIGKILL');
		} catch {
			// the group is gone
		}
	}

	/** @param {'SIGSTOP' | 'SIGCONT'} signal */
	signalGroup(signal) {
		if (!this.running || !this.child?.pid) throw new Error(`${this.name} is not running`);
		process.kill(-this.child.pid, signal);
	}

	/** @param {number} [graceMs] */
	async stop(graceMs = 30000) {
		if (!this.running || !this.child) return;
		this.ending = true;
		const child = this.child;
		child.kill(this.spec.stopSignal);
		try {
			if (child.pid) process.kill(-child.pid, 'SIGCONT');
		} catch {
			// not paused, or gone
		}
		const timer = setTimeout(() => {
			try {
				if (child.pid) process.kill(-child.pid, 'SIGKILL');
			} catch {
				child.kill('SIGKILL');
			}
		}, graceMs);
		await this.exited;
		clearTimeout(timer);
		try {
			if (child.pid) process.kill(-child.pid, 'SIGKILL');
		} catch {
			// the group is gone
		}
	}

	async restart() {
		await this.stop();
		await this.start();
	}

	/** @returns {ClusterProcess} */
	view() {
		const self = this;
		return {
			name: this.name,
			role: this.role,
			port: this.port,
			get pid() {
				return self.pid;
			},
			get running() {
				return self.running;
			},
			output: () => self.output(),
			kill: (signal) => self.kill(signal),
			stop: (graceMs) => self.stop(graceMs),
			start: () => self.start(),
			restart: () => self.restart(),
			pause: () => self.signalGroup('SIGSTOP'),
			resume: () => self.signalGroup('SIGCONT'),
		};
	}
}

/** @param {string} url @returns {Promise<boolean>} */
async function answers200(url) {
	const res = await request(url, { timeoutMs: 2000 });
	return res.status === 200;
}

// ---- the cluster ----

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
	const readyTimeoutMs = options.readyTimeoutMs ?? 240000;
	const onLine = options.onLine ?? (() => {});
	if (!fs.existsSync(N8N_BIN)) throw new Error(`n8n is not installed in ${RUNTIME_DIR}; call ensureN8n() first`);
	if (!fs.existsSync(path.join(home, '.n8n', 'nodes'))) throw new Error(`${home} is no n8n home (no .n8n/nodes): make it with createN8nHome()`);

	const { postgresBin, redisServer } = ensureServices(options.installMissing ?? true);
	installExitHook();

	const dir = path.join(QUEUE_DIR, name);
	await stopLeftovers(dir, home);
	if (options.fresh) removeClusterFolder(dir);
	const pgUser = postgresOsUser();
	const pgDir = await postgresFolder(dir, name, pgUser);
	const pgData = path.join(pgDir, 'data');
	const pgRun = path.join(pgDir, 'run');
	const redisDir = path.join(dir, 'redis');
	const logDir = path.join(dir, 'logs');
	for (const folder of [pgRun, redisDir, logDir]) fs.mkdirSync(folder, { recursive: true });

	// The n8n database user's password: made once per cluster folder.
	const credentialsFile = path.join(dir, 'credentials.json');
	/** @type {{ postgresPassword?: string }} */
	let stored = {};
	try {
		stored = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
	} catch {
		// made below
	}
	const postgresPassword = stored.postgresPassword ?? crypto.randomBytes(18).toString('hex');
	if (!stored.postgresPassword) writeJson(credentialsFile, { postgresPassword });

	if (pgUser) execFileSync('chown', ['-R', `${pgUser.uid}:${pgUser.gid}`, pgDir]);
	if (!fs.existsSync(path.join(pgData, 'PG_VERSION'))) {
		log(`queue: initdb ${pgData.startsWith(`${RUNTIME_DIR}${path.sep}`) ? path.relative(RUNTIME_DIR, pgData) : pgData} (PostgreSQL ${path.basename(path.dirname(postgresBin))}${pgUser ? ', as the OS user postgres' : ''})`);
		await runAs(
			path.join(postgresBin, 'initdb'),
			['-D', pgData, '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-instructions'],
			pgUser,
			pgDir,
		);
	}

	// Every port of the cluster distinct (two free ports asked one after the other may be the same).
	/** @type {Set<number>} */
	const taken = new Set();
	/** @param {number | undefined} chosen @param {string} what */
	const portFor = async (chosen, what) => {
		if (chosen !== undefined) {
			if (taken.has(chosen) || !(await portIsFree(chosen))) throw new Error(`port ${chosen} (${what}) on 127.0.0.1 is already in use; choose another`);
			taken.add(chosen);
			return chosen;
		}
		for (;;) {
			const port = await freePort();
			if (!taken.has(port)) {
				taken.add(port);
				return port;
			}
		}
	};
	const postgresPort = await portFor(options.postgresPort, 'PostgreSQL');
	const redisPort = await portFor(options.redisPort, 'Redis');
	const mainPort = await portFor(options.mainPort, 'n8n main');
	const webhookPort = await portFor(options.webhookPort, 'n8n webhook processor');
	const mainUrl = `http://127.0.0.1:${mainPort}`;
	const webhookUrl = `http://127.0.0.1:${webhookPort}`;
	const postgres = { host: '127.0.0.1', port: postgresPort, database: 'n8n', user: 'n8n', password: postgresPassword };
	const redis = { host: '127.0.0.1', port: redisPort };

	/** @type {Record<string, number>} */
	const pids = {};
	/** @type {ManagedProcess[]} */
	const all = [];
	const context = {
		logDir,
		readyTimeoutMs,
		onLine: (/** @type {string} */ processName, /** @type {string} */ line) => {
			traceLine(processName, line);
			onLine(processName, line);
		},
		onUnexpectedExit: (/** @type {string} */ processName, /** @type {string} */ reason) => options.onUnexpectedExit?.(processName, reason),
		onStarted: () => {
			for (const proc of all) if (proc.pid) pids[proc.name] = proc.pid;
			writeJson(path.join(dir, 'pids.json'), pids);
		},
	};

	// ---- execution traces from the logs ----
	/** @type {Map<string, ExecutionTrace>} */
	const traces = new Map();
	/** @param {string} id */
	const traceOf = (id) => {
		let trace = traces.get(id);
		if (!trace) {
			trace = { enqueuedBy: undefined, startedBy: [], finishedBy: [] };
			traces.set(id, trace);
		}
		return trace;
	};
	/** @param {string} processName @param {string} line */
	function traceLine(processName, line) {
		let match = /Enqueued execution (\d+) \(job /.exec(line);
		if (match) traceOf(match[1]).enqueuedBy = processName;
		match = /Worker started execution (\d+) \(job /.exec(line);
		if (match) traceOf(match[1]).startedBy.push(processName);
		match = /Worker finished execution (\d+) \(job /.exec(line);
		if (match) traceOf(match[1]).finishedBy.push(processName);
	}

	// ---- PostgreSQL ----
	const postgresProcess = new ManagedProcess(
		{
			name: 'postgres',
			role: 'postgres',
			port: postgresPort,
			stopSignal: 'SIGINT', // "fast" shutdown
			exitSignal: 'SIGQUIT', // "immediate" shutdown
			command: () => ({
				command: path.join(postgresBin, 'postgres'),
				args: ['-D', pgData, '-p', String(postgresPort), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${pgRun}`, '-c', 'max_connections=200'],
				env: { PATH: process.env.PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...(pgUser ? { HOME: pgDir, USER: pgUser.name } : { HOME: process.env.HOME }) },
				cwd: pgDir,
				...(pgUser ? { uid: pgUser.uid, gid: pgUser.gid } : {}),
			}),
			ready: async () => {
				await runAs(path.join(postgresBin, 'pg_isready'), ['-q', '-h', pgRun, '-p', String(postgresPort), '-U', 'postgres'], pgUser, pgDir);
				return true;
			},
		},
		context,
	);

	// ---- Redis ----
	const redisProcess = new ManagedProcess(
		{
			name: 'redis',
			role: 'redis',
			port: redisPort,
			stopSignal: 'SIGTERM',
			exitSignal: 'SIGKILL',
			command: () => ({
				command: redisServer,
				// The append-only file keeps the queue across a Redis restart; no RDB snapshots.
				args: ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', redisDir, '--save', '', '--appendonly', 'yes', '--daemonize', 'no', '--protected-mode', 'yes', '--logfile', ''],
				env: { PATH: process.env.PATH, HOME: process.env.HOME },
				cwd: redisDir,
			}),
			ready: () => redisPing(redisPort),
		},
		context,
	);

	// ---- n8n ----
	const brokerPorts = new Map();
	/** @param {string} processName */
	const brokerPortOf = async (processName) => {
		if (!brokerPorts.has(processName)) brokerPorts.set(processName, await portFor(undefined, `${processName}'s task broker`));
		return /** @type {number} */ (brokerPorts.get(processName));
	};

	/** @param {EnvExtra} [extra] */
	const env = (extra = {}) =>
		n8nEnv(home, {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: redis.port,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: postgres.port,
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			DB_POSTGRESDB_POOL_SIZE: options.poolSize ?? 10,
			// Binary data every process can read: a file one worker wrote is an upload on another.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// Manual runs (the editor's Execute workflow) go to the workers too.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// The production webhook URLs the editor shows: the webhook processor's. WEBHOOK_URL, not
			// N8N_WEBHOOK_URL (which 2.41 prefers, and reports WEBHOOK_URL deprecated): that one also sets
			// the test URLs (/webhook-test/), which only main serves; it suits one public URL with a proxy
			// sending /webhook/ to the webhook processors and the rest to main, not two local ports.
			WEBHOOK_URL: `${webhookUrl}/`,
			N8N_EDITOR_BASE_URL: `${mainUrl}/`,
			N8N_PORT: mainPort,
			...options.extraEnv,
			...extra,
		});

	const journal = path.join(home, '.n8n', 'crash.journal');
	/**
	 * @param {string} processName @param {Role} role @param {number} port @param {string[]} args
	 * @param {(proc: ManagedProcess) => Promise<boolean>} ready @param {EnvExtra} [ownEnv]
	 */
	const n8nProcess = (processName, role, port, args, ready, ownEnv = {}) =>
		new ManagedProcess(
			{
				name: processName,
				role,
				port,
				stopSignal: 'SIGTERM',
				exitSignal: 'SIGKILL',
				beforeStart: () => fs.rmSync(journal, { force: true }),
				command: () => ({
					command: NODE_BIN,
					args: [N8N_BIN, ...args],
					env: env({
						N8N_RUNNERS_BROKER_PORT: /** @type {number} */ (brokerPorts.get(processName)),
						N8N_EVENTBUS_LOGWRITER_LOGFULLPATH: path.join(home, '.n8n', `n8nEventLog-${processName}.log`),
						...ownEnv,
					}),
					cwd: home,
				}),
				ready,
			},
			context,
		);

	for (const processName of ['main', 'webhook', ...Array.from({ length: workerCount }, (_, i) => `worker-${i + 1}`)]) await brokerPortOf(processName);

	const mainProcess = n8nProcess('main', 'main', mainPort, ['start'], async () => {
		if (!(await answers200(`${mainUrl}/healthz/readiness`))) return false;
		const res = await request(`${mainUrl}/rest/settings`, { timeoutMs: 2000 });
		return res.status === 200 && !!res.body?.data;
	});
	const webhookProcess = n8nProcess('webhook', 'webhook', webhookPort, ['webhook'], () => answers200(`${webhookUrl}/healthz/readiness`), {
		N8N_PORT: webhookPort,
	});
	/** @type {ManagedProcess[]} */
	const workerProcesses = [];
	for (let i = 0; i < workerCount; i++) {
		const healthPort = await portFor(undefined, `worker-${i + 1}'s health check`);
		workerProcesses.push(
			n8nProcess(`worker-${i + 1}`, 'worker', healthPort, ['worker', `--concurrency=${concurrency}`], () => answers200(`http://127.0.0.1:${healthPort}/healthz/readiness`), {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: healthPort,
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			}),
		);
	}
	all.push(mainProcess, webhookProcess, ...workerProcesses, postgresProcess, redisProcess);

	/** @type {any} */
	let pool;
	const getPool = () => {
		if (!pool) {
			const { Pool } = require(path.join(RUNTIME_DIR, 'node_modules', 'pg'));
			pool = new Pool({ ...postgres, max: 2 });
			pool.on('error', () => {
				// a restart of Postgres ends idle connections; the next query makes new ones
			});
		}
		return pool;
	};

	async function ensureDatabase() {
		const psql = path.join(postgresBin, 'psql');
		/** @param {string} sql */
		const run = (sql) => runAs(psql, ['-h', pgRun, '-p', String(postgresPort), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-tAc', sql], pgUser, pgDir);
		const role = await run("SELECT 1 FROM pg_roles WHERE rolname = 'n8n'");
		if (role.trim() !== '1') await run(`CREATE ROLE n8n LOGIN PASSWORD '${postgresPassword}'`);
		else await run(`ALTER ROLE n8n PASSWORD '${postgresPassword}'`);
		const database = await run("SELECT 1 FROM pg_database WHERE datname = 'n8n'");
		if (database.trim() !== '1') await run('CREATE DATABASE n8n OWNER n8n');
	}

	async function startServices() {
		await Promise.all([postgresProcess.start(), redisProcess.start()]);
	}

	async function startN8n() {
		await mainProcess.start();
		await Promise.all([webhookProcess.start(), ...workerProcesses.map((worker) => worker.start())]);
	}

	/** @param {number} [graceMs] */
	async function stopN8n(graceMs) {
		// Workers first, so none is left waiting for a main that is gone, then webhook and main.
		await Promise.all(workerProcesses.map((worker) => worker.stop(graceMs)));
		await Promise.all([webhookProcess.stop(graceMs), mainProcess.stop(graceMs)]);
	}

	async function closeAll() {
		await stopN8n(20000).catch(() => {});
		if (pool) {
			const closing = pool;
			pool = undefined;
			await closing.end().catch(() => {});
		}
		await Promise.all([redisProcess.stop(10000), postgresProcess.stop(20000)]).catch(() => {});
		fs.rmSync(path.join(dir, 'pids.json'), { force: true });
	}

	const started = Date.now();
	try {
		await startServices();
		await ensureDatabase();
		await startN8n();
	} catch (error) {
		await closeAll();
		throw error;
	}
	log(
		`queue: n8n ${N8N_VERSION} in queue mode in ${((Date.now() - started) / 1000).toFixed(0)} s: main ${mainUrl}, webhook ${webhookUrl}, ` +
			`${workerCount} worker${workerCount === 1 ? '' : 's'} (concurrency ${concurrency}), Postgres 127.0.0.1:${postgresPort}, Redis 127.0.0.1:${redisPort}`,
	);

	/** @param {string} prefix @param {unknown} content */
	const tempFile = (prefix, content) => {
		const folder = path.join(home, 'tmp');
		fs.mkdirSync(folder, { recursive: true });
		const file = path.join(folder, `${prefix}-${process.pid}-${crypto.randomBytes(6).toString('hex')}.json`);
		fs.writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
		return file;
	};
	/** @param {string} what @param {string[]} args */
	const importFile = async (what, args) => {
		const result = await n8nCommand(home, args, { env: env({ N8N_RUNNERS_BROKER_PORT: await freePort() }) });
		if (result.exitCode !== 0) {
			throw new Error(`n8n ${what} failed (exit ${result.exitCode ?? result.signal}):\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n')}`);
		}
	};

	/** @type {QueueCluster} */
	const cluster = {
		name,
		dir,
		home,
		mainUrl,
		webhookUrl,
		postgres,
		redis,
		processes: all.map((proc) => proc.view()),
		main: mainProcess.view(),
		webhook: webhookProcess.view(),
		workers: workerProcesses.map((proc) => proc.view()),
		worker(index) {
			const proc = workerProcesses[index];
			if (!proc) throw new Error(`no worker ${index} (the cluster has ${workerProcesses.length}, 0-based)`);
			return proc.view();
		},
		env,
		async importCredentials(creds) {
			const list = creds.map((cred) => ({ ...cred, id: cred.id ?? crypto.randomBytes(8).toString('hex') }));
			const file = tempFile('credentials', list);
			try {
				await importFile('import:credentials', ['import:credentials', `--input=${file}`]);
			} finally {
				fs.rmSync(file, { force: true });
			}
			return list.map((cred) => cred.id);
		},
		async importWorkflows(workflows) {
			const list = workflows.map((wf) => ({
				active: false,
				connections: {},
				settings: { executionOrder: 'v1' },
				...wf,
				id: wf.id ?? crypto.randomBytes(8).toString('hex'),
			}));
			const file = tempFile('workflows', list);
			try {
				await importFile('import:workflow', ['import:workflow', `--input=${file}`]);
			} finally {
				fs.rmSync(file, { force: true });
			}
			return list.map((wf) => wf.id);
		},
		async restartAll({ services = false, whileStopped } = {}) {
			await stopN8n();
			if (services) {
				if (pool) {
					const closing = pool;
					pool = undefined;
					await closing.end().catch(() => {});
				}
				await Promise.all([redisProcess.stop(10000), postgresProcess.stop(20000)]);
			}
			await whileStopped?.();
			if (services) await startServices();
			await startN8n();
		},
		async query(sql, params = []) {
			const result = await getPool().query(sql, params);
			return result.rows;
		},
		trace(executionId) {
			return traceOf(String(executionId));
		},
		async executions(filter = {}) {
			const where = ['e.id > $1'];
			/** @type {unknown[]} */
			const params = [filter.afterId ?? 0];
			if (filter.workflowId !== undefined) {
				params.push(filter.workflowId);
				where.push(`e."workflowId" = $${params.length}`);
			}
			const columns = 'e.id, e."workflowId", e.status, e.mode, e."createdAt", e."startedAt", e."stoppedAt", e."retryOf"';
			const rows = await cluster.query(
				filter.withData
					? `SELECT ${columns}, d.data FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE ${where.join(' AND ')} ORDER BY e.id`
					: `SELECT ${columns} FROM execution_entity e WHERE ${where.join(' AND ')} ORDER BY e.id`,
				params,
			);
			return rows.map((row) => {
				const id = Number(row.id);
				const trace = traceOf(String(id));
				const done = !['new', 'running', 'waiting', 'unknown'].includes(row.status);
				/** @type {QueueExecution} */
				const execution = {
					id,
					workflowId: row.workflowId,
					status: row.status,
					mode: row.mode,
					done,
					createdAt: row.createdAt,
					startedAt: row.startedAt,
					stoppedAt: row.stoppedAt,
					retryOf: row.retryOf,
					worker: trace.startedBy[trace.startedBy.length - 1],
					trace: { ...trace, startedBy: [...trace.startedBy], finishedBy: [...trace.finishedBy] },
				};
				if (filter.withData && done && typeof row.data === 'string') execution.data = parseExecutionData(row.data);
				return execution;
			});
		},
		close: closeAll,
	};
	return cluster;
}

/**
 * The items `nodeName` output in an execution read with `withData` (its first output), or undefined.
 * @param {QueueExecution} execution
 * @param {string} nodeName
 * @returns {RunItem[] | undefined}
 */
function executionItems(execution, nodeName) {
	return execution.data ? runItems({ data: execution.data }, nodeName) : undefined;
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
