// @ts-check
'use strict';
// The editor: `n8n start` on 127.0.0.1 and the parts of its REST API the tools use (owner setup,
// login, running a saved workflow like the "Execute workflow" button, activating (publishing) a
// workflow so its triggers and production webhooks are live, reading executions).
const { spawn } = require('node:child_process');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

const { RUNTIME_DIR, N8N_BIN, N8N_VERSION, NODE_BIN, LINE } = require('./paths');
const { n8nEnv } = require('./homes');
const { freePort, portIsFree, request } = require('./net');
const { runItems } = require('./run-data');

/** @typedef {import('./homes').EnvExtra} EnvExtra */
/** @typedef {import('./net').HttpResponse} HttpResponse */
/** @typedef {import('./run-data').N8nRun} N8nRun */
/** @typedef {import('./run-data').N8nRunData} N8nRunData */
/** @typedef {import('./run-data').RunItem} RunItem */

/**
 * A running `n8n start`.
 * @typedef {object} Editor
 * @property {import('node:child_process').ChildProcess} child
 * @property {string} url http://127.0.0.1:<port>
 * @property {number} port
 * @property {() => string} output n8n's last 2000 output lines
 * @property {(graceMs?: number) => Promise<void>} stop SIGTERM (n8n shuts down gracefully), SIGKILL after `graceMs` (default 15000)
 */

/**
 * @typedef {object} EditorOptions
 * @property {number} [port] default 5678; must be free
 * @property {number} [brokerPort] the task runners' broker port (default: a free one)
 * @property {number} [timeoutMs] how long n8n may take to be ready (default 120000)
 * @property {(line: string) => void} [onLine] every output line of n8n (default: kept, not printed)
 * @property {EnvExtra} [extraEnv]
 */

/**
 * A signed-in user of the editor: the cookie to send and the user n8n returned.
 * @typedef {{ cookie: string, user: unknown }} Session
 */

/**
 * What running a saved workflow through the REST API gave.
 * @typedef {object} EditorRunResult
 * @property {string} executionId
 * @property {string} status n8n's execution status: success, error, crashed, canceled
 * @property {N8nRun} run
 * @property {RunItem[]} [items] output items of options.nodeName, else of the last node executed
 * @property {string} [error]
 * @property {number} seconds
 */

/**
 * Starts `n8n start` for `home` on 127.0.0.1:<port> and resolves once its REST API answers.
 * Rejects (and kills n8n) when it exits early or is not ready within `timeoutMs`.
 * @param {string} home
 * @param {EditorOptions} [options]
 * @returns {Promise<Editor>}
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
	/** @type {string[]} */
	const lines = [];
	const onLine = options.onLine ?? (() => {});
	for (const stream of [child.stdout, child.stderr]) {
		let partial = '';
		stream.on('data', (chunk) => {
			partial += chunk.toString('utf8');
			const parts = partial.split('\n');
			partial = parts.pop() ?? '';
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

	/** @type {Editor} */
	const editor = {
		child,
		url,
		port,
		output: () => lines.join('\n'),
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

/** @param {HttpResponse} res */
function cookieFrom(res) {
	const setCookie = res.headers['set-cookie'] ?? [];
	return setCookie.map((c) => c.split(';')[0]).join('; ');
}

/**
 * Creates the owner account (POST /rest/owner/setup). When an owner exists already, logs in
 * with the same email/password instead.
 * @param {string} url
 * @param {{ email: string, password: string, firstName?: string, lastName?: string }} owner
 * @returns {Promise<Session & { created: boolean }>}
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

/**
 * POST /rest/login.
 * @param {string} url
 * @param {{ email: string, password: string }} credentials
 * @returns {Promise<Session>}
 */
async function login(url, { email, password }) {
	const res = await request(`${url}/rest/login`, { method: 'POST', body: { emailOrLdapLoginId: email, email, password } });
	if (res.status !== 200) throw new Error(`POST /rest/login answered ${res.status}: ${res.text.slice(0, 300)}`);
	return { cookie: cookieFrom(res), user: res.body?.data };
}

/**
 * Parses execution data as n8n's REST API returns it (the `flatted` format), using n8n's own copy of flatted.
 * @param {unknown} data
 * @returns {N8nRunData}
 */
function parseExecutionData(data) {
	if (data && typeof data === 'object') return /** @type {N8nRunData} */ (data);
	const flatted = require(path.join(RUNTIME_DIR, 'node_modules', 'flatted'));
	return flatted.parse(data);
}

/**
 * Runs a saved workflow the way the editor's "Execute workflow" button does
 * (POST /rest/workflows/:id/run from its trigger) and waits for the execution.
 * @param {string} url
 * @param {Session} session what setupOwner()/login() return
 * @param {string} workflowId
 * @param {{ triggerName?: string, nodeName?: string, timeoutMs?: number }} [options]
 * @returns {Promise<EditorRunResult>}
 */
async function runInEditor(url, session, workflowId, options = {}) {
	const started = Date.now();
	const headers = { cookie: session.cookie };
	let triggerName = options.triggerName;
	if (!triggerName) {
		const wf = await request(`${url}/rest/workflows/${encodeURIComponent(workflowId)}`, { headers });
		if (wf.status !== 200) throw new Error(`GET /rest/workflows/${workflowId} answered ${wf.status}: ${wf.text.slice(0, 300)}`);
		const trigger = wf.body.data.nodes.find((/** @type {{ type: string }} */ node) => /trigger/i.test(node.type));
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
		const execution = await getExecution(url, session, executionId);
		if (execution) {
			const error = execution.run.data?.resultData?.error;
			return {
				executionId,
				status: execution.status,
				run: execution.run,
				items: runItems(execution.run, options.nodeName),
				error: error ? [error.message, error.description].filter(Boolean).join(' — ') : undefined,
				seconds: (Date.now() - started) / 1000,
			};
		}
		if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish within ${options.timeoutMs ?? 120000} ms`);
		await sleep(200);
	}
}

/**
 * The execution `executionId` as the REST API gives it, its run data parsed; undefined while it is
 * new, running or waiting (or unknown).
 * @param {string} url
 * @param {Session} session
 * @param {string} executionId
 * @returns {Promise<{ status: string, mode?: string, workflowId?: string, run: N8nRun } | undefined>}
 */
async function getExecution(url, session, executionId) {
	const execution = await request(`${url}/rest/executions/${encodeURIComponent(executionId)}`, { headers: { cookie: session.cookie } });
	const data = execution.body?.data;
	if (execution.status !== 200 || !data || !data.status || ['new', 'running', 'waiting'].includes(data.status)) return undefined;
	return { status: data.status, mode: data.mode, workflowId: data.workflowId, run: { ...data, data: parseExecutionData(data.data) } };
}

/**
 * The executions of a workflow, newest first, as the editor's Executions list has them (no run data).
 * @param {string} url
 * @param {Session} session
 * @param {string} workflowId
 * @param {{ limit?: number }} [options] default 100
 * @returns {Promise<Array<{ id: string, status: string, mode: string, workflowId: string, startedAt: string | null, stoppedAt: string | null, [key: string]: unknown }>>}
 */
async function listExecutions(url, session, workflowId, options = {}) {
	const query = new URLSearchParams({ filter: JSON.stringify({ workflowId }), limit: String(options.limit ?? 100) });
	const res = await request(`${url}/rest/executions?${query}`, { headers: { cookie: session.cookie } });
	if (res.status !== 200 || !Array.isArray(res.body?.data?.results)) {
		throw new Error(`GET /rest/executions for workflow ${workflowId} answered ${res.status}: ${res.text.slice(0, 300)}`);
	}
	return res.body.data.results;
}

/**
 * Activates (publishes) a saved workflow, as the editor's Publish button does, and waits until
 * n8n reports its triggers live: n8n 2.x publishes through an outbox, so a production webhook
 * answers 404 for a moment after POST /activate has answered. Rejects with the triggers' own
 * errors when n8n could not activate them (e.g. a poll interval under a minute).
 * @param {string} url
 * @param {Session} session
 * @param {string} workflowId
 * @param {{ timeoutMs?: number }} [options] how long to wait for the triggers (default 60000)
 * @returns {Promise<{ versionId: string, seconds: number }>}
 */
async function activateWorkflow(url, session, workflowId, options = {}) {
	const started = Date.now();
	const headers = { cookie: session.cookie };
	const route = `${url}/rest/workflows/${encodeURIComponent(workflowId)}`;
	const wf = await request(route, { headers });
	const versionId = wf.body?.data?.versionId;
	if (wf.status !== 200 || !versionId) throw new Error(`GET /rest/workflows/${workflowId} answered ${wf.status}: ${wf.text.slice(0, 300)}`);
	const res = await request(`${route}/activate`, { method: 'POST', headers, body: { versionId } });
	if (res.status !== 200) throw new Error(`POST /rest/workflows/${workflowId}/activate answered ${res.status}: ${res.text.slice(0, 500)}`);
	await waitForPublished(url, session, workflowId, options);
	return { versionId, seconds: (Date.now() - started) / 1000 };
}

/**
 * Waits until an active workflow's triggers are live (GET /rest/workflows/:id/publication-status
 * says `published`; in n8n 1.x, which has no such route, the workflow says it is active); also for
 * a workflow n8n activates by itself when it starts.
 * @param {string} url
 * @param {Session} session
 * @param {string} workflowId
 * @param {{ timeoutMs?: number }} [options] default 60000
 */
async function waitForPublished(url, session, workflowId, options = {}) {
	// A line without publication status (1.x) activates synchronously: an active workflow is live there.
	if (!LINE.publicationStatus) {
		if (await isActive(url, session, workflowId)) return;
		throw new Error(`workflow ${workflowId} is not active in n8n ${N8N_VERSION}`);
	}
	const timeoutMs = options.timeoutMs ?? 60000;
	const deadline = Date.now() + timeoutMs;
	/** @type {any} */
	let last;
	for (;;) {
		const res = await request(`${url}/rest/workflows/${encodeURIComponent(workflowId)}/publication-status`, { headers: { cookie: session.cookie } });
		last = res.body?.data;
		if (res.status === 200 && last?.status === 'published') return;
		if (res.status === 200 && (last?.status === 'failed' || last?.status === 'partial')) {
			const reasons = (last.triggers ?? [])
				.filter((/** @type {{ status: string }} */ trigger) => trigger.status !== 'activated')
				.map((/** @type {{ errorMessage: string | null }} */ trigger) => trigger.errorMessage)
				.filter(Boolean);
			throw new Error(`n8n could not activate workflow ${workflowId}: ${reasons.join('; ') || JSON.stringify(last)}`);
		}
		if (res.status !== 200) throw new Error(`GET /rest/workflows/${workflowId}/publication-status answered ${res.status}: ${res.text.slice(0, 300)}`);
		if (Date.now() > deadline) throw new Error(`workflow ${workflowId} was not live within ${timeoutMs} ms: ${JSON.stringify(last)}`);
		await sleep(200);
	}
}

/**
 * Whether n8n reports a workflow active (GET /rest/workflows/:id).
 * @param {string} url @param {Session} session @param {string} workflowId
 */
async function isActive(url, session, workflowId) {
	const res = await request(`${url}/rest/workflows/${encodeURIComponent(workflowId)}`, { headers: { cookie: session.cookie } });
	return res.status === 200 && res.body?.data?.active === true;
}

module.exports = {
	startEditor,
	setupOwner,
	login,
	runInEditor,
	parseExecutionData,
	getExecution,
	listExecutions,
	activateWorkflow,
	waitForPublished,
};
