// @ts-check
'use strict';
// Where a queue cluster's processes listen: every port distinct (two free ports asked one after the
// other may be the same), a chosen one checked to be free, the rest free ports of 127.0.0.1.
const { freePort, portIsFree } = require('../net');

/** @typedef {import('./types').QueueCluster} QueueCluster */
/** @typedef {import('./types').QueueClusterOptions} QueueClusterOptions */

/**
 * A port for `what`: `chosen` when it is free and not given out yet, else (undefined) a free one.
 * @typedef {(chosen: number | undefined, what: string) => Promise<number>} PortFor
 */

/** @returns {PortFor} the ports of one cluster, each given out once */
function portAllocator() {
	/** @type {Set<number>} */
	const taken = new Set();
	return async (chosen, what) => {
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
}

/**
 * @typedef {object} ClusterAddresses
 * @property {PortFor} portFor more ports of the cluster (task brokers, workers' health checks)
 * @property {number} postgresPort
 * @property {number} redisPort
 * @property {number} mainPort
 * @property {number} webhookPort
 * @property {string} mainUrl
 * @property {string} webhookUrl
 * @property {QueueCluster['postgres']} postgres how n8n connects to PostgreSQL
 * @property {QueueCluster['redis']} redis
 */

/**
 * The ports of PostgreSQL, Redis, main and the webhook processor (in that order), as chosen in
 * `options` or free ones.
 * @param {QueueClusterOptions} options @param {string} postgresPassword
 * @returns {Promise<ClusterAddresses>}
 */
async function clusterAddresses(options, postgresPassword) {
	const portFor = portAllocator();
	const postgresPort = await portFor(options.postgresPort, 'PostgreSQL');
	const redisPort = await portFor(options.redisPort, 'Redis');
	const mainPort = await portFor(options.mainPort, 'n8n main');
	const webhookPort = await portFor(options.webhookPort, 'n8n webhook processor');
	const mainUrl = `http://127.0.0.1:${mainPort}`;
	const webhookUrl = `http://127.0.0.1:${webhookPort}`;
	const postgres = { host: '127.0.0.1', port: postgresPort, database: 'n8n', user: 'n8n', password: postgresPassword };
	const redis = { host: '127.0.0.1', port: redisPort };
	return { portFor, postgresPort, redisPort, mainPort, webhookPort, mainUrl, webhookUrl, postgres, redis };
}

module.exports = { clusterAddresses };
