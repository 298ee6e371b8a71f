// @ts-check
'use strict';
// A queue cluster's folder (<RUNTIME_DIR>/queue/<name>/): what an earlier run of it left running,
// stopped; PostgreSQL's data folder (inside it, or elsewhere when the OS user postgres cannot reach
// it); the n8n database user's password; initdb the first time.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { log } = require('../../toolchain');
const { RUNTIME_DIR, N8N_BIN } = require('../paths');
const { postgresOsUser, runAs } = require('./services');

/** @typedef {import('./services').OsUser} OsUser */

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
/**
 * What a cluster's processes need of its folder.
 * @typedef {object} ClusterFolders
 * @property {OsUser | undefined} pgUser the OS user PostgreSQL runs as (undefined: the current user)
 * @property {string} pgDir PostgreSQL's folder (see postgresFolder())
 * @property {string} pgData
 * @property {string} pgRun
 * @property {string} redisDir
 * @property {string} logDir one log file per process
 * @property {string} postgresPassword the n8n database user's password
 */

/**
 * Makes the cluster's folder ready: stops what an earlier run left running, empties it first with
 * `fresh`, makes PostgreSQL's, Redis's and the logs' folders and the password (once per folder),
 * and runs initdb when PostgreSQL has no data yet.
 * @param {{ dir: string, name: string, home: string, fresh: boolean, postgresBin: string }} params
 * @returns {Promise<ClusterFolders>}
 */
async function prepareClusterFolders({ dir, name, home, fresh, postgresBin }) {
	await stopLeftovers(dir, home);
	if (fresh) removeClusterFolder(dir);
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
	return { pgUser, pgDir, pgData, pgRun, redisDir, logDir, postgresPassword };
}

module.exports = { prepareClusterFolders, stopLeftovers, removeClusterFolder, writeJson };
