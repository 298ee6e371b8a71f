// @ts-check
'use strict';
// PostgreSQL and Redis of a queue cluster, from Debian's packages (apt-get installs them when
// missing, as root): where their binaries are, the OS user PostgreSQL runs as (as root: `postgres`,
// through Node's spawn() with its uid/gid), their processes, and n8n's role and database.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { log } = require('../../toolchain');
const { ManagedProcess } = require('./process');

/** @typedef {import('./process').ProcessContext} ProcessContext */
/** @typedef {{ name: string, uid: number, gid: number }} OsUser */

/**
 * PostgreSQL's side of a cluster: its binaries, the OS user it runs as, its folders and its port.
 * @typedef {object} PostgresPlace
 * @property {string} postgresBin
 * @property {OsUser | undefined} pgUser undefined: the current user
 * @property {string} pgDir
 * @property {string} pgData
 * @property {string} pgRun
 * @property {number} postgresPort
 */

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
// ---- the processes ----

/**
 * PostgreSQL on 127.0.0.1:postgresPort, ready when pg_isready says so.
 * @param {PostgresPlace} pg @param {ProcessContext} context
 */
function postgresProcess({ postgresBin, pgUser, pgDir, pgData, pgRun, postgresPort }, context) {
	return new ManagedProcess(
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
}

/**
 * Redis on 127.0.0.1:redisPort, ready when it answers PING.
 * @param {string} redisServer @param {string} redisDir @param {number} redisPort @param {ProcessContext} context
 */
function redisProcess(redisServer, redisDir, redisPort, context) {
	return new ManagedProcess(
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
}

/**
 * n8n's role (with the cluster's password) and database in a running PostgreSQL, made when missing.
 * @param {PostgresPlace} pg @param {string} postgresPassword
 */
async function ensureDatabase({ postgresBin, pgUser, pgDir, pgRun, postgresPort }, postgresPassword) {
	const psql = path.join(postgresBin, 'psql');
	/** @param {string} sql */
	const run = (sql) => runAs(psql, ['-h', pgRun, '-p', String(postgresPort), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-tAc', sql], pgUser, pgDir);
	const role = await run("SELECT 1 FROM pg_roles WHERE rolname = 'n8n'");
	if (role.trim() !== '1') await run(`CREATE ROLE n8n LOGIN PASSWORD '${postgresPassword}'`);
	else await run(`ALTER ROLE n8n PASSWORD '${postgresPassword}'`);
	const database = await run("SELECT 1 FROM pg_database WHERE datname = 'n8n'");
	if (database.trim() !== '1') await run('CREATE DATABASE n8n OWNER n8n');
}

module.exports = { ensureServices, postgresOsUser, runAs, postgresProcess, redisProcess, ensureDatabase };
