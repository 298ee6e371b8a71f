// @ts-check
'use strict';
// The package as n8n installs it: `npm pack` of the built dist/.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, node24Env } = require('../toolchain');

/**
 * Packs the built package (dist/) exactly as npm would publish it, into `packDir` (emptied
 * first), and returns the tarball's path: what n8n installs as a community package.
 * @param {string} packDir
 * @returns {string}
 */
function packPackage(packDir) {
	const distNode = path.join(ROOT, 'dist', 'nodes', 'Hypersender', 'Hypersender.node.js');
	if (!fs.existsSync(distNode)) {
		throw new Error(`${distNode} is missing: build the package first (npm run build; npm start and npm test build it for you)`);
	}
	fs.rmSync(packDir, { recursive: true, force: true });
	fs.mkdirSync(packDir, { recursive: true });
	execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], {
		cwd: ROOT,
		env: node24Env(),
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const tgz = fs.readdirSync(packDir).find((file) => file.endsWith('.tgz'));
	if (!tgz) throw new Error('npm pack produced no tarball');
	return path.join(packDir, tgz);
}

/**
 * The tarball the caller was given ($HYPERSENDER_PACKAGE_TGZ, as `npm test` passes it), else a fresh pack into `packDir`.
 * @param {string} packDir
 * @returns {string}
 */
function resolvePackageTgz(packDir) {
	const fromEnv = process.env.HYPERSENDER_PACKAGE_TGZ;
	if (!fromEnv) return packPackage(packDir);
	if (!fs.existsSync(fromEnv)) throw new Error(`HYPERSENDER_PACKAGE_TGZ points at a missing file: ${fromEnv}`);
	return path.resolve(fromEnv);
}

module.exports = { packPackage, resolvePackageTgz };
