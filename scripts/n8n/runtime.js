'use strict';
// A real n8n (the version pinned in ./package.json + ./package-lock.json) for `npm start`,
// the end-to-end tests, the benchmark and the browser test.
//
// n8n is installed into <ROOT>/.n8n-runtime (git-ignored), never into the project's own
// node_modules: it is ~3 GB and needs Node 24. Every n8n process runs on the Node 24 from
// scripts/toolchain.js. Only Node's built-in modules are used here.
//
// Exports:
//   ensureN8n({ force })            install or reuse n8n; resolves to { n8nBin, version, cached, seconds }
//   createN8nHome(dir, { packageTgz, fresh })   an N8N_USER_FOLDER with the packed node installed
//   installPackage(home, packageTgz)            (re)install a packed node package into a home
//   n8nEnv(home, extra)             environment for n8n processes using that home
//   n8nCommand(home, args, opts)    run any `n8n <args>` CLI command; resolves to { exitCode, stdout, stderr }
//   importCredentials(home, creds)  `n8n import:credentials` of plain (unencrypted) credentials
//   importWorkflow(home, workflow | workflows[])  `n8n import:workflow`; resolves to the id(s)
//   executeWorkflow(home, id, { nodeName })       `n8n execute --id --rawOutput`, parsed
//   startEditor(home, { port, brokerPort, onLine }) `n8n start`; resolves once REST answers
//   setupOwner(url, { email, password, firstName, lastName })  POST /rest/owner/setup (idempotent)
//   login(url, { email, password }) POST /rest/login; resolves to { cookie, user }
//   runInEditor(url, session, workflowId, { nodeName })  run a saved workflow like the editor's button; parsed result
//   freePort(preferred)             a free TCP port on 127.0.0.1 (the preferred one if free)
//   runItems(run, nodeName)         items ([{json, pairedItem}]) of a node in a parsed run
//   E2E_DIR, RUNTIME_DIR, N8N_VERSION
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { ROOT, NODE_VERSION, NODE_BIN_DIR, ensureNode24, node24Env, run, log } = require('../toolchain');

const SOURCE_DIR = __dirname;
// HYPERSENDER_N8N_RUNTIME_DIR moves the install elsewhere (e.g. to share one n8n between clones).
const RUNTIME_DIR = path.resolve(process.env.HYPERSENDER_N8N_RUNTIME_DIR || path.join(ROOT, '.n8n-runtime'));
const RUNTIME_LABEL = path.relative(ROOT, RUNTIME_DIR).startsWith('..') ? RUNTIME_DIR : path.relative(ROOT, RUNTIME_DIR);
const E2E_DIR = path.join(ROOT, '.e2e');
// n8n homes for tests live inside the runtime folder: a community package installed in a home
// there resolves `n8n-workflow` to n8n's own copy (.n8n-runtime/node_modules), as in a real
// install, and not to this project's dev copy (./node_modules), which a home under .e2e/ would find.
const HOMES_DIR = path.join(RUNTIME_DIR, 'homes');
const N8N_VERSION = require('./package.json').dependencies.n8n;
const N8N_PACKAGE_DIR = path.join(RUNTIME_DIR, 'node_modules', 'n8n');
const N8N_BIN = path.join(N8N_PACKAGE_DIR, 'bin', 'n8n');
const STAMP_FILE = path.join(RUNTIME_DIR, '.installed.json');
const LOCK_DIR = path.join(RUNTIME_DIR, '.installing');
const NODE_BIN = path.join(NODE_BIN_DIR, 'node');

// Native modules n8n needs at run time that `npm ci --ignore-scripts` leaves unbuilt.
// sqlite3: the database. isolated-vm: the sandbox of n8n-workflow's expression runtime.
const NATIVE_MODULES = ['sqlite3', 'isolated-vm'];

// ---------------------------------------------------------------------------------------
// Installation

function sha256(text) {
	return crypto.createHash('sha256').update(text).digest('hex');
}

function wantedStamp() {
	const lock = fs.readFileSync(path.join(SOURCE_DIR, 'package-lock.json'));
	const pkg = fs.readFileSync(path.join(SOURCE_DIR, 'package.json'));
	return {
		n8n: N8N_VERSION,
		node: NODE_VERSION,
		lockHash: sha256(Buffer.concat([pkg, Buffer.from('\0'), lock])),
		nativeModules: NATIVE_MODULES,
	};
}

function readStamp() {
	try {
		return JSON.parse(fs.readFileSync(STAMP_FILE, 'utf8'));
	} catch {
		return undefined;
	}
}

function stampMatches(stamp, wanted) {
	return (
		!!stamp &&
		stamp.lockHash === wanted.lockHash &&
		stamp.node === wanted.node &&
		JSON.stringify(stamp.nativeModules) === JSON.stringify(wanted.nativeModules) &&
		fs.existsSync(N8N_BIN)
	);
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** A cross-process lock so `npm start` and the tests never install into the same folder at once. */
async function withInstallLock(fn) {
	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(LOCK_DIR);
			fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let owner;
			try {
				owner = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
			} catch {
				owner = undefined;
			}
			if (owner && !pidAlive(owner)) {
				fs.rmSync(LOCK_DIR, { recursive: true, force: true });
				continue;
			}
			if (!announced) {
				log(`Another process (pid ${owner ?? '?'}) is installing n8n into ${RUNTIME_LABEL}; waiting for it...`);
				announced = true;
			}
			await sleep(1000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(LOCK_DIR, { recursive: true, force: true });
	}
}

/** Prints a line every `everyMs` while a long step runs (npm prints nothing when not on a terminal). */
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
 */
async function ensureN8n(options = {}) {
	ensureNode24();
	const wanted = wantedStamp();
	if (!options.force && stampMatches(readStamp(), wanted)) {
		return { n8nBin: N8N_BIN, version: N8N_VERSION, cached: true, seconds: 0 };
	}
	return withInstallLock(async () => {
		// Another process may have finished the install while we waited for the lock.
		if (!options.force && stampMatches(readStamp(), wanted)) {
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

/** npm ci + native rebuilds; writes the stamp last, so an interrupted install is redone. */
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
	fs.writeFileSync(STAMP_FILE, JSON.stringify({ ...wanted, installedAt: new Date().toISOString(), seconds }, null, 2));
	log(`n8n ${N8N_VERSION} installed in ${seconds.toFixed(0)} s (reused from now on).`);
	return { n8nBin: N8N_BIN, version: N8N_VERSION, cached: false, seconds };
}

/** Runs a command with its output kept in memory; on failure the error carries the output's last lines. */
function runCaptured(command, args, { cwd, env, echo }) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const lines = [];
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

/** Loads every rebuilt native module once under Node 24, so a broken build fails here and not inside n8n. */
async function checkNativeModules(env) {
	const script = NATIVE_MODULES.map((name) => `require(${JSON.stringify(name)});`).join('');
	await run(NODE_BIN, ['-e', script], { cwd: RUNTIME_DIR, env, stdio: ['ignore', 'inherit', 'inherit'] }).catch(
		(error) => {
			throw new Error(`n8n's native modules (${NATIVE_MODULES.join(', ')}) do not load: ${error.message}`);
		},
	);
}

// ---------------------------------------------------------------------------------------
// Homes (N8N_USER_FOLDER) and environment

function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The encryption key stored in <home>/.n8n/config (created once per home, then fixed). */
function encryptionKey(home) {
	const configFile = path.join(home, '.n8n', 'config');
	try {
		const key = readJson(configFile).encryptionKey;
		if (key) return key;
	} catch {
		// created below
	}
	fs.mkdirSync(path.dirname(configFile), { recursive: true });
	const key = crypto.randomBytes(24).toString('base64');
	fs.writeFileSync(configFile, JSON.stringify({ encryptionKey: key }, null, '\t'), { mode: 0o600 });
	return key;
}

/** A stable port per home for the task-runner broker when the caller did not pick a free one. */
function brokerPortFor(home) {
	return 20000 + (parseInt(sha256(path.resolve(home)).slice(0, 8), 16) % 20000);
}

/**
 * Environment for an n8n process using `home` as N8N_USER_FOLDER, on Node 24.
 * Inherited N8N_* / DB_* / EXECUTIONS_* variables are dropped so a developer's shell cannot
 * change what the tests see; pass anything else in `extra` (it wins).
 */
function n8nEnv(home, extra = {}) {
	const env = node24Env();
	for (const name of Object.keys(env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$)/.test(name)) delete env[name];
	}
	Object.assign(env, {
		N8N_USER_FOLDER: path.resolve(home),
		N8N_ENCRYPTION_KEY: encryptionKey(home),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_PROTOCOL: 'http',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: '5678',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPortFor(home)),
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NODE_ENV: 'production',
		NO_COLOR: '1',
	});
	for (const [name, value] of Object.entries(extra)) {
		if (value === undefined || value === null) delete env[name];
		else env[name] = String(value);
	}
	return env;
}

/**
 * Makes (or reuses) an N8N_USER_FOLDER whose `.n8n/nodes` has the packed node package installed,
 * the way n8n installs community packages. `fresh: true` empties the folder first.
 */
async function createN8nHome(dir, options = {}) {
	const home = path.resolve(dir);
	if (options.fresh) fs.rmSync(home, { recursive: true, force: true });
	fs.mkdirSync(path.join(home, '.n8n', 'nodes'), { recursive: true });
	encryptionKey(home);
	if (options.packageTgz) await installPackage(home, options.packageTgz);
	return home;
}

/** The name and version inside a packed package (reads package/package.json from the tgz). */
function packageInfo(packageTgz) {
	const zlib = require('node:zlib');
	const tar = zlib.gunzipSync(fs.readFileSync(packageTgz));
	for (let offset = 0; offset + 512 <= tar.length; ) {
		const name = tar.toString('utf8', offset, offset + 100).replace(/\0.*$/s, '');
		if (!name) break;
		const size = parseInt(tar.toString('utf8', offset + 124, offset + 136).replace(/\0.*$/s, '').trim() || '0', 8);
		if (name === 'package/package.json') return JSON.parse(tar.toString('utf8', offset + 512, offset + 512 + size));
		offset += 512 + Math.ceil(size / 512) * 512;
	}
	throw new Error(`${packageTgz} has no package/package.json; is it an \`npm pack\` tarball?`);
}

/** Installs a packed community-node package into <home>/.n8n/nodes (`npm i <tgz> --omit=peer`). */
async function installPackage(home, packageTgz) {
	const tgz = path.resolve(packageTgz);
	if (!fs.existsSync(tgz)) throw new Error(`package tarball not found: ${tgz} (build it with \`npm run build && npm pack\`)`);
	const { name } = packageInfo(tgz);
	const nodesDir = path.join(home, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	// The same version packed again has new contents: remove the old copy so npm cannot keep it.
	fs.rmSync(path.join(nodesDir, 'node_modules', name), { recursive: true, force: true });
	fs.rmSync(path.join(nodesDir, 'package-lock.json'), { force: true });
	await run(
		'npm',
		['install', tgz, '--omit=peer', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', '--prefer-offline'],
		{ cwd: nodesDir, env: node24Env(), stdio: ['ignore', 'ignore', 'inherit'] },
	);
	if (!fs.existsSync(path.join(nodesDir, 'node_modules', name, 'package.json'))) {
		throw new Error(`npm did not install ${name} into ${nodesDir}`);
	}
	return name;
}

// ---------------------------------------------------------------------------------------
// CLI commands

/** Runs `n8n <args>` with the home's environment; resolves to { exitCode, signal, stdout, stderr } (never rejects on exit code). */
function n8nCommand(home, args, options = {}) {
	return new Promise((resolve, reject) => {
		if (!fs.existsSync(N8N_BIN)) {
			reject(new Error(`n8n is not installed in ${RUNTIME_DIR}; call ensureN8n() first`));
			return;
		}
		// n8n ends its commands with process.exit(), which does not wait for a pipe to drain: a
		// large `--rawOutput` read through a pipe arrives cut short. Files receive all of it.
		const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-command-'));
		const stdoutFile = path.join(outputDir, 'stdout');
		const stderrFile = path.join(outputDir, 'stderr');
		const stdoutFd = fs.openSync(stdoutFile, 'w');
		const stderrFd = fs.openSync(stderrFile, 'w');
		const child = spawn(NODE_BIN, [N8N_BIN, ...args], {
			cwd: options.cwd ?? home,
			env: options.env ?? n8nEnv(home, options.extraEnv),
			stdio: ['ignore', stdoutFd, stderrFd],
		});
		fs.closeSync(stdoutFd);
		fs.closeSync(stderrFd);
		let timer;
		if (options.timeoutMs) {
			timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
			timer.unref();
		}
		child.on('error', reject);
		child.on('close', (exitCode, signal) => {
			clearTimeout(timer);
			const stdout = fs.readFileSync(stdoutFile, 'utf8');
			const stderr = fs.readFileSync(stderrFile, 'utf8');
			fs.rmSync(outputDir, { recursive: true, force: true });
			if (options.echo) process.stderr.write(`${stdout}${stderr}`);
			resolve({ exitCode, signal, stdout, stderr });
		});
	});
}

function commandError(what, result) {
	const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
	return new Error(`${what} failed (exit ${result.exitCode ?? result.signal}):\n${output}`);
}

function tempFile(home, prefix, content) {
	const dir = path.join(home, 'tmp');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${prefix}-${process.pid}-${Date.now()}-${crypto.randomBytes(4).toString('hex')}.json`);
	fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2), { mode: 0o600 });
	return file;
}

/** A 16-character id of the kind n8n uses (n8n accepts at most 21 characters for imported ids). */
function newId() {
	const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
	const bytes = crypto.randomBytes(16);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Imports credentials with plain `data` (n8n encrypts them with the home's key on import).
 * Each credential: { id?, name, type, data }. Resolves to the ids. Importing an existing id overwrites it.
 */
async function importCredentials(home, creds) {
	const list = (Array.isArray(creds) ? creds : [creds]).map((cred) => ({ id: cred.id ?? newId(), ...cred }));
	for (const cred of list) {
		if (!cred.name || !cred.type || typeof cred.data !== 'object') throw new Error('a credential needs name, type and data');
		if (String(cred.id).length > 21) throw new Error(`credential id "${cred.id}" is longer than 21 characters`);
	}
	const file = tempFile(home, 'credentials', list);
	try {
		const result = await n8nCommand(home, ['import:credentials', `--input=${file}`]);
		if (result.exitCode !== 0) throw commandError('n8n import:credentials', result);
	} finally {
		fs.rmSync(file, { force: true });
	}
	return list.map((cred) => cred.id);
}

/** Imports one workflow (or an array of them, in one n8n process). Resolves to the id (or ids). */
async function importWorkflow(home, workflow) {
	const many = Array.isArray(workflow);
	const list = (many ? workflow : [workflow]).map((wf) => ({
		active: false,
		connections: {},
		settings: { executionOrder: 'v1' },
		...wf,
		id: wf.id ?? newId(),
	}));
	for (const wf of list) {
		if (String(wf.id).length > 21) throw new Error(`workflow id "${wf.id}" is longer than 21 characters (n8n's limit)`);
		if (!wf.name || !Array.isArray(wf.nodes)) throw new Error('a workflow needs a name and nodes');
	}
	const file = tempFile(home, 'workflows', list);
	try {
		const result = await n8nCommand(home, ['import:workflow', `--input=${file}`]);
		if (result.exitCode !== 0) throw commandError('n8n import:workflow', result);
	} finally {
		fs.rmSync(file, { force: true });
	}
	return many ? list.map((wf) => wf.id) : list[0].id;
}

/** Every balanced top-level JSON object in `text` whose opening brace starts a line, parsed. */
function jsonBlocks(text) {
	const blocks = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		for (let j = i + 1; j < lines.length; j++) {
			if (lines[j] !== '}') continue;
			try {
				blocks.push(JSON.parse(lines.slice(i, j + 1).join('\n')));
				i = j;
				break;
			} catch {
				// not this closing brace; keep looking
			}
		}
	}
	return blocks;
}

/** Log lines n8n printed as JSON (N8N_LOG_FORMAT=json), parsed; other lines are skipped. */
function jsonLogLines(text) {
	const entries = [];
	for (const line of text.split('\n')) {
		if (!line.startsWith('{"') || !line.endsWith('}')) continue;
		try {
			const entry = JSON.parse(line);
			if (typeof entry.message === 'string' && entry.level) entries.push(entry);
		} catch {
			// not a log line
		}
	}
	return entries;
}

function isRun(value) {
	return !!value && typeof value === 'object' && !!value.data && !!value.data.resultData;
}

/** Finds n8n's run object (IRun) in the output of `n8n execute --rawOutput`, for successful and failed runs. */
function parseRun(stdout) {
	// Success: `--rawOutput` prints JSON.stringify(run, null, 2) as the last block.
	const blocks = jsonBlocks(stdout).filter(isRun);
	if (blocks.length > 0) return blocks[blocks.length - 1];
	// Failure: n8n logs the run as one log message (a JSON log line with N8N_LOG_FORMAT=json).
	for (const entry of jsonLogLines(stdout).reverse()) {
		const start = entry.message.indexOf('{');
		if (start === -1) continue;
		try {
			const value = JSON.parse(entry.message.slice(start));
			if (isRun(value)) return value;
		} catch {
			// keep looking
		}
	}
	return undefined;
}

/** The output items ([{ json, pairedItem, ... }]) of `nodeName` (or of the last node that ran) in a run. */
function runItems(runObject, nodeName) {
	const runData = runObject?.data?.resultData?.runData ?? {};
	const name = nodeName ?? runObject?.data?.resultData?.lastNodeExecuted;
	const taskRuns = runData[name];
	if (!taskRuns || taskRuns.length === 0) return undefined;
	const items = [];
	for (const task of taskRuns) items.push(...(task.data?.main?.[0] ?? []));
	return items;
}

/** A short, human-readable error message of a failed run (n8n's own text), or undefined. */
function runErrorMessage(runObject, logText) {
	const error = runObject?.data?.resultData?.error;
	if (error) return [error.message, error.description].filter(Boolean).join(' — ');
	// No run (e.g. n8n refused the workflow before starting it): n8n's own error log lines,
	// without its generic preamble and the stack trace.
	const messages = jsonLogLines(logText ?? '')
		.filter((entry) => entry.level === 'error')
		.map((entry) => entry.message.trim())
		.filter((message) => message && !/^Error executing workflow/.test(message) && !/^Execution error:?$/.test(message))
		.filter((message) => !/\n\s+at /.test(message));
	return messages.length > 0 ? [...new Set(messages)].join('\n') : undefined;
}

/**
 * `n8n execute --id=<id> --rawOutput` in `home`.
 * Resolves (never rejects on a failed run) to
 * { ok, exitCode, run, items, error, output, stdout, stderr, seconds }:
 *   run    n8n's IRun (data.resultData.runData, .error, .lastNodeExecuted), when it could be parsed
 *   items  output items of options.nodeName, else of the last node executed
 *   error  n8n's error message for a failed run
 *   output stdout + stderr, for assertions such as "the token is not printed"
 */
async function executeWorkflow(home, id, options = {}) {
	const started = Date.now();
	const brokerPort = options.brokerPort ?? (await freePort());
	const result = await n8nCommand(home, ['execute', `--id=${id}`, '--rawOutput'], {
		extraEnv: { N8N_LOG_FORMAT: 'json', N8N_RUNNERS_BROKER_PORT: brokerPort, ...options.extraEnv },
		timeoutMs: options.timeoutMs ?? 5 * 60 * 1000,
	});
	const runObject = parseRun(result.stdout);
	const output = `${result.stdout}\n${result.stderr}`;
	const ok = result.exitCode === 0 && !!runObject && !runObject.data.resultData.error;
	return {
		ok,
		exitCode: result.exitCode,
		signal: result.signal,
		run: runObject,
		items: runObject ? runItems(runObject, options.nodeName) : undefined,
		error: ok ? undefined : runErrorMessage(runObject, result.stdout) ?? output.trim().split('\n').slice(-20).join('\n'),
		output,
		stdout: result.stdout,
		stderr: result.stderr,
		seconds: (Date.now() - started) / 1000,
	};
}

// ---------------------------------------------------------------------------------------
// The editor (n8n start) and its REST API

/** A free TCP port on 127.0.0.1: `preferred` when it is free, any free one otherwise. */
function freePort(preferred = 0) {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', (error) => {
			if (preferred !== 0 && error.code === 'EADDRINUSE') resolve(freePort(0));
			else reject(error);
		});
		server.listen(preferred, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** Minimal JSON HTTP client: resolves to { status, headers, body (parsed when JSON), text }. */
function request(url, { method = 'GET', body, headers = {}, timeoutMs = 30000 } = {}) {
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
		const req = http.request(
			url,
			{
				method,
				headers: {
					accept: 'application/json',
					...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
					...headers,
				},
				timeout: timeoutMs,
			},
			(res) => {
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed;
					try {
						parsed = text ? JSON.parse(text) : undefined;
					} catch {
						parsed = undefined;
					}
					resolve({ status: res.statusCode, headers: res.headers, body: parsed, text });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
		req.on('error', reject);
		if (payload) req.write(payload);
		req.end();
	});
}

/**
 * Starts `n8n start` for `home` on 127.0.0.1:<port> and resolves once its REST API answers:
 * { child, url, port, stop(), output() }. Output lines go to `onLine` (default: kept, not printed).
 * Rejects (and kills n8n) when it exits early or is not ready within `timeoutMs`.
 */
async function startEditor(home, options = {}) {
	const port = options.port ?? 5678;
	if (!(await portIsFree(port))) {
		throw new Error(`port ${port} on 127.0.0.1 is already in use (another n8n?); stop it or choose another port`);
	}
	const brokerPort = options.brokerPort ?? (await freePort());
	const env = n8nEnv(home, {
		N8N_PORT: port,
		N8N_RUNNERS_BROKER_PORT: brokerPort,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		...options.extraEnv,
	});
	const child = spawn(NODE_BIN, [N8N_BIN, 'start'], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
	const url = `http://127.0.0.1:${port}`;
	const lines = [];
	const onLine = options.onLine ?? (() => {});
	for (const stream of [child.stdout, child.stderr]) {
		let partial = '';
		stream.on('data', (chunk) => {
			partial += chunk.toString('utf8');
			const parts = partial.split('\n');
			partial = parts.pop();
			for (const line of parts) {
				lines.push(line);
				if (lines.length > 2000) lines.shift();
				onLine(line);
			}
		});
	}
	let exited = false;
	const exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => {
			exited = true;
			resolve({ code, signal });
		});
	});

	const editor = {
		child,
		url,
		port,
		output: () => lines.join('\n'),
		/** SIGTERM (n8n shuts down gracefully), SIGKILL after `graceMs`. */
		async stop(graceMs = 15000) {
			if (exited) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => {
				if (!exited) child.kill('SIGKILL');
			}, graceMs);
			await exitPromise;
			clearTimeout(timer);
		},
	};

	const deadline = Date.now() + (options.timeoutMs ?? 120000);
	for (;;) {
		if (exited) {
			throw new Error(`n8n start exited before it was ready:\n${lines.slice(-30).join('\n')}`);
		}
		try {
			const res = await request(`${url}/rest/settings`, { timeoutMs: 2000 });
			// While it migrates its database, n8n answers every route with a 200 text page
			// ("n8n is starting up"); only the settings JSON means the REST API is up.
			if (res.status === 200 && res.body && typeof res.body === 'object' && res.body.data) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await editor.stop(2000);
			throw new Error(`n8n start was not ready after ${options.timeoutMs ?? 120000} ms:\n${lines.slice(-30).join('\n')}`);
		}
		await sleep(250);
	}
	return editor;
}

function cookieFrom(res) {
	const setCookie = res.headers['set-cookie'] ?? [];
	return setCookie.map((c) => c.split(';')[0]).join('; ');
}

/**
 * Creates the owner account (POST /rest/owner/setup). When an owner exists already, logs in
 * with the same email/password instead. Resolves to { cookie, user, created }.
 */
async function setupOwner(url, { email, password, firstName = 'Local', lastName = 'Owner' }) {
	const res = await request(`${url}/rest/owner/setup`, {
		method: 'POST',
		body: { email, password, firstName, lastName },
	});
	if (res.status === 200 && cookieFrom(res) !== '') {
		return { cookie: cookieFrom(res), user: res.body?.data, created: true };
	}
	const loggedIn = await login(url, { email, password }).catch((error) => {
		throw new Error(
			`POST /rest/owner/setup answered ${res.status} (${res.text.slice(0, 300)}) and logging in as ${email} failed too: ${error.message}`,
		);
	});
	return { ...loggedIn, created: false };
}

/** POST /rest/login; resolves to { cookie, user }. */
async function login(url, { email, password }) {
	const res = await request(`${url}/rest/login`, { method: 'POST', body: { emailOrLdapLoginId: email, email, password } });
	if (res.status !== 200) throw new Error(`POST /rest/login answered ${res.status}: ${res.text.slice(0, 300)}`);
	return { cookie: cookieFrom(res), user: res.body?.data };
}

/** Parses execution data as n8n's REST API returns it (the `flatted` format), using n8n's own copy of flatted. */
function parseExecutionData(data) {
	if (data && typeof data === 'object') return data;
	const flatted = require(path.join(RUNTIME_DIR, 'node_modules', 'flatted'));
	return flatted.parse(data);
}

/**
 * Runs a saved workflow the way the editor's "Execute workflow" button does
 * (POST /rest/workflows/:id/run from its trigger), waits for the execution and resolves to
 * { executionId, status, run, items, error, seconds }. `session` is what setupOwner()/login() return.
 */
async function runInEditor(url, session, workflowId, options = {}) {
	const started = Date.now();
	const headers = { cookie: session.cookie };
	let triggerName = options.triggerName;
	if (!triggerName) {
		const wf = await request(`${url}/rest/workflows/${encodeURIComponent(workflowId)}`, { headers });
		if (wf.status !== 200) throw new Error(`GET /rest/workflows/${workflowId} answered ${wf.status}: ${wf.text.slice(0, 300)}`);
		const trigger = wf.body.data.nodes.find((node) => /trigger/i.test(node.type));
		if (!trigger) throw new Error(`workflow ${workflowId} has no trigger node`);
		triggerName = trigger.name;
	}
	const res = await request(`${url}/rest/workflows/${encodeURIComponent(workflowId)}/run`, {
		method: 'POST',
		headers,
		body: { triggerToStartFrom: { name: triggerName } },
	});
	const executionId = res.body?.data?.executionId;
	if (res.status !== 200 || !executionId) {
		throw new Error(`POST /rest/workflows/${workflowId}/run answered ${res.status}: ${res.text.slice(0, 300)}`);
	}
	const deadline = Date.now() + (options.timeoutMs ?? 120000);
	for (;;) {
		const execution = await request(`${url}/rest/executions/${executionId}`, { headers });
		const data = execution.body?.data;
		if (execution.status === 200 && data && data.status && !['new', 'running', 'waiting'].includes(data.status)) {
			const runData = parseExecutionData(data.data);
			const runObject = { ...data, data: runData };
			const error = runData?.resultData?.error;
			return {
				executionId,
				status: data.status,
				run: runObject,
				items: runItems(runObject, options.nodeName),
				error: error ? [error.message, error.description].filter(Boolean).join(' — ') : undefined,
				seconds: (Date.now() - started) / 1000,
			};
		}
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish within ${options.timeoutMs ?? 120000} ms`);
		await sleep(200);
	}
}

/**
 * Packs the built package (dist/) exactly as npm would publish it, into `packDir`, and returns the
 * tarball's path: what n8n installs as a community package.
 */
function packPackage(packDir) {
	const distNode = path.join(ROOT, 'dist', 'nodes', 'Hypersender', 'Hypersender.node.js');
	if (!fs.existsSync(distNode)) {
		throw new Error(`${distNode} is missing: build the package first (npm run build; npm start and npm test build it for you)`);
	}
	fs.rmSync(packDir, { recursive: true, force: true });
	fs.mkdirSync(packDir, { recursive: true });
	execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], {
		cwd: ROOT,
		env: node24Env(),
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tgz = fs.readdirSync(packDir).find((file) => file.endsWith('.tgz'));
	if (!tgz) throw new Error('npm pack produced no tarball');
	return path.join(packDir, tgz);
}

/** The tarball the caller was given ($HYPERSENDER_PACKAGE_TGZ, as `npm test` passes it), else a fresh pack into `packDir`. */
function resolvePackageTgz(packDir) {
	const fromEnv = process.env.HYPERSENDER_PACKAGE_TGZ;
	if (!fromEnv) return packPackage(packDir);
	if (!fs.existsSync(fromEnv)) throw new Error(`HYPERSENDER_PACKAGE_TGZ points at a missing file: ${fromEnv}`);
	return path.resolve(fromEnv);
}

module.exports = {
	packPackage,
	resolvePackageTgz,
	ROOT,
	RUNTIME_DIR,
	E2E_DIR,
	HOMES_DIR,
	N8N_VERSION,
	N8N_BIN,
	NODE_BIN,
	ensureN8n,
	createN8nHome,
	installPackage,
	packageInfo,
	n8nEnv,
	n8nCommand,
	importCredentials,
	importWorkflow,
	executeWorkflow,
	parseRun,
	runItems,
	startEditor,
	setupOwner,
	login,
	runInEditor,
	parseExecutionData,
	request,
	freePort,
	newId,
	node24Env,
	log,
};

// Command line:
//   node scripts/n8n/runtime.js [install] [--force] [--verbose]   install n8n (or check the install)
//   node scripts/n8n/runtime.js n8n [--home DIR] -- <n8n args>    run any n8n command, e.g. `-- export:workflow --all`
//                                                                (home default: .n8n-runtime/home, the one `npm start` uses)
async function cli(argv) {
	const [command = 'install', ...rest] = argv;
	if (command === 'install' || command.startsWith('--')) {
		const flags = command.startsWith('--') ? argv : rest;
		const result = await ensureN8n({ force: flags.includes('--force'), verbose: flags.includes('--verbose') });
		log(`n8n ${result.version}: ${result.cached ? 'already installed' : `installed in ${result.seconds.toFixed(0)} s`} (${N8N_BIN})`);
		return 0;
	}
	if (command === 'n8n') {
		const dash = rest.indexOf('--');
		const own = dash === -1 ? [] : rest.slice(0, dash);
		const n8nArgs = dash === -1 ? rest : rest.slice(dash + 1);
		const homeIndex = own.indexOf('--home');
		const home = path.resolve(homeIndex === -1 ? path.join(RUNTIME_DIR, 'home') : own[homeIndex + 1]);
		await ensureN8n();
		await createN8nHome(home);
		const child = spawn(NODE_BIN, [N8N_BIN, ...n8nArgs], { cwd: home, env: n8nEnv(home), stdio: 'inherit' });
		return await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
	}
	throw new Error(`unknown command "${command}"; use "install" or "n8n [--home DIR] -- <args>"`);
}

if (require.main === module) {
	cli(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error) => {
			log(error.stack || String(error));
			process.exit(1);
		},
	);
}
