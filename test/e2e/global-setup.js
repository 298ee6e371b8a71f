'use strict';
// Runs once before the end-to-end test files: installs (or reuses) n8n, so the first test file
// does not spend its timeout on a 3-5 minute install, and packs the package once when the
// suite was not started by `npm run e2e` (which passes HYPERSENDER_PACKAGE_TGZ).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const runtime = require('../../scripts/n8n/runtime');

module.exports = async function globalSetup() {
	const started = Date.now();
	const result = await runtime.ensureN8n();
	if (!result.cached) runtime.log(`n8n installed for the end-to-end tests in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	if (!process.env.HYPERSENDER_PACKAGE_TGZ) {
		const distNode = path.join(runtime.ROOT, 'dist', 'nodes', 'Hypersender', 'Hypersender.node.js');
		if (!fs.existsSync(distNode)) {
			throw new Error(`${distNode} is missing: run the suite with \`npm run e2e\` (it builds and packs), or \`npm run build\` first`);
		}
		const packDir = path.join(runtime.E2E_DIR, 'harness-pack');
		fs.rmSync(packDir, { recursive: true, force: true });
		fs.mkdirSync(packDir, { recursive: true });
		execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], {
			cwd: runtime.ROOT,
			env: runtime.node24Env(),
			stdio: ['ignore', 'ignore', 'inherit'],
		});
		const tgz = fs.readdirSync(packDir).find((file) => file.endsWith('.tgz'));
		if (!tgz) throw new Error('npm pack produced no tarball');
		process.env.HYPERSENDER_PACKAGE_TGZ = path.join(packDir, tgz);
		runtime.log(`Packed the current dist/ for the end-to-end tests: ${process.env.HYPERSENDER_PACKAGE_TGZ}`);
	}
};
