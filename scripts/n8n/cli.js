// @ts-check
'use strict';
// n8n's command line, one n8n process per command: import credentials and workflows into a home,
// execute a workflow (`n8n execute --id --rawOutput`) and parse what it printed.
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { RUNTIME_DIR, N8N_BIN, NODE_BIN } = require('./paths');
const { n8nEnv } = require('./homes');
const { freePort } = require('./net');
const { parseRun, runItems, runErrorMessage } = require('./run-data');

/** @typedef {import('./homes').EnvExtra} EnvExtra */
/** @typedef {import('./run-data').N8nRun} N8nRun */
/** @typedef {import('./run-data').RunItem} RunItem */

/**
 * @typedef {object} CommandResult
 * @property {number | null} exitCode
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 */

/**
 * @typedef {object} CommandOptions
 * @property {string} [cwd] default: the home
 * @property {NodeJS.ProcessEnv} [env] the whole environment (default: n8nEnv(home, extraEnv))
 * @property {EnvExtra} [extraEnv]
 * @property {number} [timeoutMs] SIGKILL after this long
 * @property {boolean} [echo] also print n8n's output (after it exits)
 */

/**
 * A credential with plain (unencrypted) `data`, as `n8n import:credentials` accepts it.
 * @typedef {{ id?: string, name: string, type: string, data: Record<string, unknown> }} PlainCredential
 */

/**
 * A node as n8n saves it in a workflow.
 * @typedef {{
 *   id?: string,
 *   name: string,
 *   type: string,
 *   typeVersion: number,
 *   position: [number, number],
 *   parameters: Record<string, unknown>,
 *   credentials?: Record<string, { id: string, name: string }>,
 *   [key: string]: unknown,
 * }} WorkflowNode
 */

/**
 * A workflow as `n8n import:workflow` takes it. `id`: at most 21 characters, made up when missing;
 * `connections`, `active`, `settings` default to none, false and { executionOrder: 'v1' }.
 * @typedef {{
 *   id?: string,
 *   name: string,
 *   nodes: WorkflowNode[],
 *   connections?: Record<string, unknown>,
 *   active?: boolean,
 *   settings?: Record<string, unknown>,
 *   [key: string]: unknown,
 * }} Workflow
 */

/**
 * @typedef {object} ExecuteOptions
 * @property {string} [nodeName] whose items `items` holds (default: the last node that ran)
 * @property {number} [brokerPort] the task runners' broker port (default: a free one)
 * @property {number} [timeoutMs] default 5 minutes
 * @property {EnvExtra} [extraEnv]
 */

/**
 * What `n8n execute --id --rawOutput` did.
 * @typedef {object} ExecuteResult
 * @property {boolean} ok exit code 0 and no error in the run
 * @property {number | null} exitCode
 * @property {NodeJS.Signals | null} signal
 * @property {N8nRun} [run] n8n's IRun (data.resultData.runData, .error, .lastNodeExecuted), when it could be parsed
 * @property {RunItem[]} [items] output items of options.nodeName, else of the last node executed
 * @property {string} [error] n8n's error message (and description) for a failed run
 * @property {string} output stdout + stderr of n8n, for assertions such as "the token is not printed"
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} seconds
 */

/**
 * Runs `n8n <args>` with the home's environment; resolves to { exitCode, signal, stdout, stderr } (never rejects on exit code).
 * @param {string} home
 * @param {string[]} args
 * @param {CommandOptions} [options]
 * @returns {Promise<CommandResult>}
 */
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
		/** @type {NodeJS.Timeout | undefined} */
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

/** @param {string} what @param {CommandResult} result */
function commandError(what, result) {
	const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n');
	return new Error(`${what} failed (exit ${result.exitCode ?? result.signal}):\n${output}`);
}

/** @param {string} home @param {string} prefix @param {unknown} content @returns {string} the file */
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
 * Importing an existing id overwrites it.
 * @param {string} home
 * @param {PlainCredential | PlainCredential[]} creds
 * @returns {Promise<string[]>} the ids
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
	return list.map((cred) => /** @type {string} */ (cred.id));
}

/**
 * Imports one workflow (or an array of them, in one n8n process). Resolves to the id (or ids).
 * @overload
 * @param {string} home
 * @param {Workflow} workflow
 * @returns {Promise<string>}
 */
/**
 * @overload
 * @param {string} home
 * @param {Workflow[]} workflow
 * @returns {Promise<string[]>}
 */
/**
 * @param {string} home
 * @param {Workflow | Workflow[]} workflow
 * @returns {Promise<string | string[]>}
 */
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

/**
 * `n8n execute --id=<id> --rawOutput` in `home`. Resolves (never rejects on a failed run) to an
 * ExecuteResult: the parsed run, the items of `options.nodeName` (else of the last node that
 * ran), n8n's error message and its whole output.
 * @param {string} home
 * @param {string} id
 * @param {ExecuteOptions} [options]
 * @returns {Promise<ExecuteResult>}
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
	// n8n sometimes crashes in its native teardown after it printed the complete run and called
	// process.exit() (SIGSEGV/SIGABRT, seen on busy 2-core machines): the run itself is whole.
	const crashedAfterRun =
		result.exitCode === null && (result.signal === 'SIGSEGV' || result.signal === 'SIGABRT') && !!runObject?.stoppedAt;
	const exitedCleanly = result.exitCode === 0 || crashedAfterRun;
	const ok = exitedCleanly && !!runObject && !runObject.data.resultData.error;
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

module.exports = { n8nCommand, importCredentials, importWorkflow, executeWorkflow, newId };
