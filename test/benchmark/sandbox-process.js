// @ts-check
'use strict';
// The sandbox API in a process of its own (sandbox-child.js), so that its CPU work never runs on
// an event loop being measured; the benchmark drives it through its control endpoints.
const { fork } = require('node:child_process');
const path = require('node:path');
const runtime = require('../../scripts/n8n/runtime');
const { expectedContacts } = require('./crm-reference');
const { CRM_VARIANTS } = require('./variants');
const { digestOf } = require('./results');

/** @typedef {import('./types').SandboxProcess} SandboxProcess */
/** @typedef {import('./types').Expected} Expected */
/** @typedef {{ url: string, baseUrl: string, token: string, port: number }} SandboxInfo */

/**
 * Starts the sandbox with these instances ({ [instanceId]: { size, seed } }) and resolves once
 * it listens.
 * @param {Record<string, { size: number, seed: number }>} instances
 * @returns {Promise<SandboxProcess>}
 */
async function startSandboxProcess(instances) {
	const child = fork(path.join(__dirname, 'sandbox-child.js'), [JSON.stringify({ instances })], {
		execPath: runtime.NODE_BIN,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const info = await /** @type {Promise<SandboxInfo>} */ (
		new Promise((resolve, reject) => {
			child.once('message', resolve);
			child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code}) before listening`)));
		})
	);
	child.removeAllListeners('exit');
	/**
	 * @param {string} method
	 * @param {string} route
	 * @param {unknown} [body]
	 * @returns {Promise<any>} the endpoint's JSON
	 */
	const control = async (method, route, body) => {
		const res = await fetch(`${info.url}/__sandbox${route}`, {
			method,
			headers: body ? { 'content-type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
		});
		const json = await res.json();
		if (!res.ok) throw new Error(`sandbox ${method} ${route} answered ${res.status}: ${JSON.stringify(json)}`);
		return json;
	};
	return {
		...info,
		pid: child.pid,
		reset: () => control('POST', '/reset'),
		setLatency: (latencyMs) => control('POST', '/config', { latencyMs }),
		configure: (changes) => control('POST', '/config', changes),
		async messages(instance) {
			const { data } = await control('GET', `/messages/${encodeURIComponent(instance)}`);
			return data;
		},
		async requestsFor(instance) {
			const { requests } = await control('GET', '/requests');
			return requests.filter((/** @type {{ instance: string }} */ request) => request.instance === instance);
		},
		/**
		 * What Return All must give: the sandbox's own list in the API's order, and for each CRM
		 * variant that list filtered/derived by crm-reference.js (not by the node's code).
		 */
		async expected(instance) {
			const { data } = await control('GET', `/contacts/${encodeURIComponent(instance)}?sort_by=name&sort_order=asc`);
			/** @type {Record<string, Expected>} */
			const byVariant = {};
			for (const [variant, { options }] of Object.entries(CRM_VARIANTS)) {
				// A deep copy in, so that a reference bug cannot alter the list the others are checked against.
				const contacts = expectedContacts(structuredClone(data), options);
				byVariant[variant] = { ids: contacts.map((contact) => contact.id), digest: digestOf(contacts) };
			}
			return { ids: data.map((/** @type {{ id: string }} */ contact) => contact.id), digest: digestOf(data), byVariant };
		},
		close() {
			return new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			});
		},
	};
}

module.exports = { startSandboxProcess };
