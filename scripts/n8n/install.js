// @ts-check
'use strict';
// Installing the pinned n8n into .n8n-runtime (git-ignored), never into the project's own
// node_modules: it is ~3 GB and needs Node 24. The install is stamped with the hash of
// ./package.json + ./package-lock.json and the Node version, and reused while they match.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { NODE_VERSION, ensureNode24, node24Env, run, log } = require('../toolchain');
const { lockHash, readStamp, withInstallLock, writeStamp } = require('./locked-install');
const { SOURCE_DIR, RUNTIME_DIR, RUNTIME_LABEL, N8N_VERSION, N8N_BIN, NODE_BIN } = require('./paths');

const STAMP_FILE = path.join(RUNTIME_DIR, '.installed.json');
const LOCK_DIR = path.join(RUNTIME_DIR, '.installing');

// Native modules n8n needs at run time that `npm ci --ignore-scripts` leaves unbuilt.
// sqlite3: the database. isolated-vm: the sandbox of n8n-workflow's expression runtime.
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];

/**
 * @typedef {object} EnsureN8nResult
 * @property {string} n8nBin
 * @property {string} version
 * @property {boolean} cached true when an existing install was reused
 * @property {number} seconds
 */

/**
 * @typedef {object} EnsureN8nOptions
 * @property {boolean} [force] install again even when the stamp matches
 * @property {boolean} [verbose] show the compilers' output of the native rebuilds
 */

/** @typedef {{ n8n: string, node: string, lockHash: string, nativeModules: string[] }} Stamp */

/** @returns {Stamp} */
function wantedStamp() {
	return { n8n: N8N_VERSION, node: NODE_VERSION, lockHash: lockHash(SOURCE_DIR), nativeModules: NATIVE_MODULES };
}

/** @param {Stamp | undefined} stamp @param {Stamp} wanted */
function stampMatches(stamp, wanted) {
	return (
		!!stamp &&
		stamp.lockHash === wanted.lockHash &&
		stamp.node === wanted.node &&
		JSON.stringify(stamp.nativeModules) === JSON.stringify(wanted.nativeModules) &&
		fs.existsSync(N8N_BIN)
	);
}

/**
 * Prints a line every `everyMs` while a long step runs (npm prints nothing when not on a terminal).
 * @param {string} label
 * @returns {() => number} stops it and returns the seconds elapsed
 */
function heartbeat(label, everyMs = 30000) {
	const started = Date.now();
	const timer = setInterval(() => {
		log(`  ... ${label}: ${Math.round((Date.now() - started) / 1000)} s so far`);
	}, everyMs);
	timer.unref();
	return () => {
		clearInterval(timer);
		return (Date.now() - started) / 1000;
	};
}

/**
 * Installs n8n into .n8n-runtime unless the installed copy was made from the same
 * package.json + lockfile on the same Node (then it returns in milliseconds).
 * @param {EnsureN8nOptions} [options]
 * @returns {Promise<EnsureN8nResult>}
 */
async function ensureN8n(options = {}) {
	ensureNode24();
	const wanted = wantedStamp();
	if (!options.force && stampMatches(readStamp(STAMP_FILE), wanted)) {
		return { n8nBin: N8N_BIN, version: N8N_VERSION, cached: true, seconds: 0 };
	}
	// A cross-process lock so `npm start` and the tests never install into the same folder at once.
	return withInstallLock(LOCK_DIR, `installing n8n into ${RUNTIME_LABEL}`, async () => {
		// Another process may have finished the install while we waited for the lock.
		if (!options.force && stampMatches(readStamp(STAMP_FILE), wanted)) {
			return { n8nBin: N8N_BIN, version: N8N_VERSION, cached: true, seconds: 0 };
		}
		const started = Date.now();
		log(`Installing n8n ${N8N_VERSION} into ${RUNTIME_LABEL} (first time only, takes 3–5 minutes)...`);
		warnIfLowDiskSpace();
		try {
			return await install(wanted, started, options);
		} catch (error) {
			throw new Error(
				`Installing n8n ${N8N_VERSION} into ${RUNTIME_DIR} failed: ${error.message}\n` +
					'Nothing is marked as installed, so the next run starts the install again. It needs the npm registry, ' +
					'about 3 GB of disk and a C++ compiler (make, g++, python3) for sqlite3.',
			);
		}
	});
}

function warnIfLowDiskSpace() {
	try {
		const stats = fs.statfsSync(RUNTIME_DIR);
		const freeGb = (stats.bavail * stats.bsize) / 1024 ** 3;
		if (freeGb < 4) log(`Warning: only ${freeGb.toFixed(1)} GB free where .n8n-runtime lives; n8n needs about 3 GB.`);
	} catch {
		// statfs is not available everywhere; the install reports a full disk itself
	}
}

/**
 * npm ci + native rebuilds; writes the stamp last, so an interrupted install is redone.
 * @param {Stamp} wanted @param {number} started @param {EnsureN8nOptions} options
 * @returns {Promise<EnsureN8nResult>}
 */
async function install(wanted, started, options) {
	fs.rmSync(STAMP_FILE, { force: true });
	fs.copyFileSync(path.join(SOURCE_DIR, 'package.json'), path.join(RUNTIME_DIR, 'package.json'));
	fs.copyFileSync(path.join(SOURCE_DIR, 'package-lock.json'), path.join(RUNTIME_DIR, 'package-lock.json'));
	const env = node24Env();
	// npm draws its own progress bar on a terminal and prints "added N packages in T" at the end.
	// (--loglevel=error: n8n's tree makes npm print hundreds of harmless peer-dependency warnings.)
	const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error', process.stderr.isTTY ? '--progress' : '--no-progress'];

	// Install scripts are skipped: a Kafka client n8n bundles fails to compile here and
	// nothing in n8n's start/execute path needs it. The native modules n8n does need are
	// rebuilt explicitly below.
	log(`[1/2] npm ci --ignore-scripts (downloads ~2,400 packages; ~3 GB on disk)`);
	let stop = heartbeat('npm ci');
	await run('npm', ['ci', '--ignore-scripts', ...npmFlags], {
		cwd: RUNTIME_DIR,
		env,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	log(`      done in ${stop().toFixed(0)} s`);

	log(`[2/2] npm rebuild ${NATIVE_MODULES.join(' ')} (compiles native code against Node ${NODE_VERSION}, ~1–2 minutes)`);
	stop = heartbeat('npm rebuild');
	// The compilers' output (thousands of warnings) is shown only with --verbose or on failure.
	await runCaptured('npm', ['rebuild', ...NATIVE_MODULES, '--foreground-scripts', ...npmFlags], {
		cwd: RUNTIME_DIR,
		env,
		echo: options.verbose,
	});
	log(`      done in ${stop().toFixed(0)} s`);

	await checkNativeModules(env);
	const seconds = (Date.now() - started) / 1000;
	writeStamp(STAMP_FILE, wanted, seconds);
	log(`n8n ${N8N_VERSION} installed in ${seconds.toFixed(0)} s (reused from now on).`);
	return { n8nBin: N8N_BIN, version: N8N_VERSION, cached: false, seconds };
}

/**
 * Runs a command with its output kept in memory; on failure the error carries the output's last lines.
 * @param {string} command @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, echo?: boolean }} options
 * @returns {Promise<void>}
 */
function runCaptured(command, args, { cwd, env, echo }) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		/** @type {string[]} */
		const lines = [];
		/** @param {Buffer} chunk */
		const keep = (chunk) => {
			if (echo) process.stderr.write(chunk);
			lines.push(...chunk.toString('utf8').split('\n'));
			if (lines.length > 400) lines.splice(0, lines.length - 400);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			if (code === 0) resolve();
			else {
				const tail = lines.filter((line) => line.trim()).slice(-60).join('\n');
				reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail}`));
			}
		});
	});
}

/**
 * Loads every rebuilt native module once under Node 24, so a broken build fails here and not inside n8n.
 * @param {NodeJS.ProcessEnv} env
 */
async function checkNativeModules(env) {
	const script = NATIVE_MODULES.map((name) => `require(${JSON.stringify(name)});`).join('');
	await run(NODE_BIN, ['-e', script], { cwd: RUNTIME_DIR, env, stdio: ['ignore', 'inherit', 'inherit'] }).catch(
		(error) => {
			throw new Error(`n8n's native modules (${NATIVE_MODULES.join(', ')}) do not load: ${error.message}`);
		},
	);
}

module.exports = { ensureN8n, NATIVE_MODULES };
