// @ts-check
'use strict';
// --check-licence-gate: why the test points n8n's `npm` at the local registry with a shim instead
// of setting N8N_COMMUNITY_PACKAGES_REGISTRY. A second, throwaway n8n started with that variable
// set to the local registry refuses to install anything from it (n8n 2.41.1's community edition
// is not licensed for custom registries). If this step ever fails because the install WORKS, the
// shim is no longer needed: set the variable instead (scripts/registry/npm-shim.js).
const fs = require('node:fs');
const path = require('node:path');

const runtime = require('../../../scripts/n8n/runtime');
const { PACKAGE_NAME, assert, log } = require('./session');

/** @typedef {import('./session').InstallSession} InstallSession */

const OWNER = { email: 'licence-gate@example.com', password: 'Licence-Gate-1234' };

/** @param {InstallSession} session */
async function checkLicenceGate(session) {
	const { registry, observations } = session;
	const home = await runtime.createN8nHome(path.join(runtime.HOMES_DIR, `install-gate-${process.pid}`), { fresh: true });
	/** @type {string[]} */
	const lines = [];
	const editor = await runtime.startEditor(home, {
		port: await runtime.freePort(),
		extraEnv: { N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url },
		onLine: (line) => lines.push(line),
	});
	try {
		const owner = await runtime.setupOwner(editor.url, OWNER);
		const res = await runtime.request(`${editor.url}/rest/community-packages`, {
			method: 'POST',
			headers: { cookie: owner.cookie },
			body: { name: PACKAGE_NAME },
			timeoutMs: 120000,
		});
		const message = res.body?.message ?? res.text.slice(0, 300);
		observations.licenceGate = { registry: registry.url, status: res.status, message };
		assert(
			res.status !== 200,
			`n8n installed ${PACKAGE_NAME} from N8N_COMMUNITY_PACKAGES_REGISTRY=${registry.url} without a licence: the npm shim is no longer needed`,
		);
		assert(/licen[cs]e does not allow/i.test(message) && /customRegistry/i.test(message), `n8n refused the custom registry for another reason (${res.status}): ${message}`);
		log(`   N8N_COMMUNITY_PACKAGES_REGISTRY=${registry.url}: n8n answers ${res.status} "${message}"`);
	} finally {
		await editor.stop(15000);
		fs.rmSync(home, { recursive: true, force: true });
	}
}

module.exports = { checkLicenceGate };
