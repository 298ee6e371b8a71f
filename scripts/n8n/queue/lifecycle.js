// @ts-check
'use strict';
// Starting and stopping a queue cluster's processes in order: PostgreSQL and Redis first, then
// main (it migrates the database), then the webhook processor and the workers; stopping, the
// workers first (so none is left waiting for a main that is gone), then webhook and main, then
// Redis and PostgreSQL. And the connection pool for SQL on n8n's database, closed with them.
const fs = require('node:fs');
const path = require('node:path');

const { RUNTIME_DIR } = require('../paths');

/** @typedef {import('./process').ManagedProcess} ManagedProcess */
/** @typedef {import('./types').QueueCluster} QueueCluster */

/**
 * @typedef {object} ClusterProcesses
 * @property {ManagedProcess} postgresProcess
 * @property {ManagedProcess} redisProcess
 * @property {ManagedProcess} mainProcess
 * @property {ManagedProcess} webhookProcess
 * @property {ManagedProcess[]} workerProcesses
 */

/**
 * @param {ClusterProcesses & { dir: string, postgres: QueueCluster['postgres'], ensureDatabase: () => Promise<void> }} params
 */
function clusterLifecycle({ postgresProcess, redisProcess, mainProcess, webhookProcess, workerProcesses, dir, postgres, ensureDatabase }) {
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
	async function closePool() {
		if (pool) {
			const closing = pool;
			pool = undefined;
			await closing.end().catch(() => {});
		}
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
		await closePool();
		await Promise.all([redisProcess.stop(10000), postgresProcess.stop(20000)]).catch(() => {});
		fs.rmSync(path.join(dir, 'pids.json'), { force: true });
	}

	return {
		/** Starts everything, each waited for until ready; on a failure, stops what started. */
		async start() {
			try {
				await startServices();
				await ensureDatabase();
				await startN8n();
			} catch (error) {
				await closeAll();
				throw error;
			}
		},
		closeAll,
		/** @type {QueueCluster['restartAll']} */
		async restartAll({ services = false, whileStopped } = {}) {
			await stopN8n();
			if (services) {
				await closePool();
				await Promise.all([redisProcess.stop(10000), postgresProcess.stop(20000)]);
			}
			await whileStopped?.();
			if (services) await startServices();
			await startN8n();
		},
		/** @type {QueueCluster['query']} */
		async query(sql, params = []) {
			const result = await getPool().query(sql, params);
			return result.rows;
		},
	};
}

module.exports = { clusterLifecycle };
