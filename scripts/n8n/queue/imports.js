// @ts-check
'use strict';
// Credentials and workflows into a queue cluster's database: `n8n import:credentials` and
// `n8n import:workflow` with the cluster's environment, from a file in the home's tmp/ (deleted after).
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { n8nCommand } = require('../cli');
const { freePort } = require('../net');

/** @typedef {import('../homes').EnvExtra} EnvExtra */
/** @typedef {import('./types').QueueCluster} QueueCluster */

/**
 * @param {string} home @param {(extra?: EnvExtra) => NodeJS.ProcessEnv} env the cluster's
 * @returns {Pick<QueueCluster, 'importCredentials' | 'importWorkflows'>}
 */
function clusterImports(home, env) {
	/** @param {string} prefix @param {unknown} content */
	const tempFile = (prefix, content) => {
		const folder = path.join(home, 'tmp');
		fs.mkdirSync(folder, { recursive: true });
		const file = path.join(folder, `${prefix}-${process.pid}-${crypto.randomBytes(6).toString('hex')}.json`);
		fs.writeFileSync(file, JSON.stringify(content), { mode: 0o600 });
		return file;
	};
	/** @param {string} what @param {string[]} args */
	const importFile = async (what, args) => {
		const result = await n8nCommand(home, args, { env: env({ N8N_RUNNERS_BROKER_PORT: await freePort() }) });
		if (result.exitCode !== 0) {
			throw new Error(`n8n ${what} failed (exit ${result.exitCode ?? result.signal}):\n${`${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-30).join('\n')}`);
		}
	};
	return {
		async importCredentials(creds) {
			const list = creds.map((cred) => ({ ...cred, id: cred.id ?? crypto.randomBytes(8).toString('hex') }));
			const file = tempFile('credentials', list);
			try {
				await importFile('import:credentials', ['import:credentials', `--input=${file}`]);
			} finally {
				fs.rmSync(file, { force: true });
			}
			return list.map((cred) => cred.id);
		},
		async importWorkflows(workflows) {
			const list = workflows.map((wf) => ({
				active: false,
				connections: {},
				settings: { executionOrder: 'v1' },
				...wf,
				id: wf.id ?? crypto.randomBytes(8).toString('hex'),
			}));
			const file = tempFile('workflows', list);
			try {
				await importFile('import:workflow', ['import:workflow', `--input=${file}`]);
			} finally {
				fs.rmSync(file, { force: true });
			}
			return list.map((wf) => wf.id);
		},
	};
}

module.exports = { clusterImports };
