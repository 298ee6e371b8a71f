// @ts-check
'use strict';
// One process of a queue cluster (PostgreSQL, Redis, an n8n process): started in a process group
// of its own, its output kept (the last 2000 lines) and written to its log file, waited for until
// ready, stopped gracefully or killed with its whole group. The groups still running when the host
// process exits without close() are ended by the exit hook.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

/** @typedef {import('./types').Role} Role */
/** @typedef {import('./types').ClusterProcess} ClusterProcess */

/**
 * What the cluster gives each of its processes.
 * @typedef {{ logDir: string, readyTimeoutMs: number, onLine: (name: string, line: string) => void, onStarted: () => void, onUnexpectedExit: (name: string, reason: string) => void }} ProcessContext
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
	 * @param {ProcessContext} context
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
module.exports = { ManagedProcess, installExitHook };
