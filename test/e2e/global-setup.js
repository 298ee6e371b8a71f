// @ts-check
'use strict';
// Runs once before the end-to-end test files: installs (or reuses) n8n, so the first test file
// does not spend its timeout on a 3-5 minute install, and packs the package once when the
// suite was not started by `npm run e2e` (which passes HYPERSENDER_PACKAGE_TGZ).
const path = require('node:path');

const runtime = require('../../scripts/n8n/runtime');

module.exports = async function globalSetup() {
	const started = Date.now();
	const result = await runtime.ensureN8n();
	if (!result.cached) runtime.log(`n8n installed for the end-to-end tests in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	if (!process.env.HYPERSENDER_PACKAGE_TGZ) {
		process.env.HYPERSENDER_PACKAGE_TGZ = runtime.packPackage(path.join(runtime.E2E_DIR, 'harness-pack'));
		runtime.log(`Packed the current dist/ for the end-to-end tests: ${process.env.HYPERSENDER_PACKAGE_TGZ}`);
	}
};
