// @ts-check
'use strict';
// The n8n processes of a queue cluster: main (`n8n start`), the webhook processor (`n8n webhook`)
// and the workers (`n8n worker`), all with EXECUTIONS_MODE=queue on the cluster's PostgreSQL and
// Redis, the same N8N_USER_FOLDER, a task broker port each and an event log each.
const fs = require('node:fs');
const path = require('node:path');

const { N8N_BIN, NODE_BIN } = require('../paths');
const { n8nEnv } = require('../homes');
const { request } = require('../net');
const { ManagedProcess } = require('./process');

/** @typedef {import('./types').Role} Role */
/** @typedef {import('../homes').EnvExtra} EnvExtra */
/** @typedef {import('./process').ProcessContext} ProcessContext */
/** @typedef {import('./addresses').ClusterAddresses} ClusterAddresses */

/** @param {string} url @returns {Promise<boolean>} */
async function answers200(url) {
	const res = await request(url, { timeoutMs: 2000 });
	return res.status === 200;
}

/**
 * The environment of the cluster's n8n processes (and of `n8n` commands on its database).
 * @param {{ home: string, addresses: ClusterAddresses, poolSize: number | undefined, extraEnv: EnvExtra | undefined }} params
 * @returns {(extra?: EnvExtra) => NodeJS.ProcessEnv}
 */
function queueEnv({ home, addresses, poolSize, extraEnv }) {
	const { redis, postgres, webhookUrl, mainUrl, mainPort } = addresses;
	return (extra = {}) =>
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
			DB_POSTGRESDB_POOL_SIZE: poolSize ?? 10,
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
			...extraEnv,
			...extra,
		});
}

/**
 * Main, the webhook processor and `workerCount` workers (not started yet). The ports of their task
 * brokers come first (main, webhook, worker-1, ...), then the workers' health-check ports.
 * @param {{ home: string, env: (extra?: EnvExtra) => NodeJS.ProcessEnv, addresses: ClusterAddresses, workerCount: number, concurrency: number, context: ProcessContext }} params
 * @returns {Promise<{ mainProcess: ManagedProcess, webhookProcess: ManagedProcess, workerProcesses: ManagedProcess[] }>}
 */
async function n8nProcesses({ home, env, addresses, workerCount, concurrency, context }) {
	const { portFor, mainPort, webhookPort, mainUrl, webhookUrl } = addresses;
	const brokerPorts = new Map();
	/** @param {string} processName */
	const brokerPortOf = async (processName) => {
		if (!brokerPorts.has(processName)) brokerPorts.set(processName, await portFor(undefined, `${processName}'s task broker`));
		return /** @type {number} */ (brokerPorts.get(processName));
	};

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
	return { mainProcess, webhookProcess, workerProcesses };
}

module.exports = { queueEnv, n8nProcesses };
