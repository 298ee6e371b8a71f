// @ts-check
'use strict';
// Installing the pinned Verdaccio (./package.json + ./package-lock.json) into
// .n8n-runtime/registry (git-ignored), never into the project's own node_modules. The install is
// stamped with the hash of the two files and the Node version, and reused while they match.
// package.json overrides node-fetch to 2.7.0: verdaccio-audit asks for `node-fetch@cjs`, a
// dist-tag the npm registry does not have, and npm cannot resolve the tree without the override.
const fs = require('node:fs');
const path = require('node:path');

const { NODE_VERSION, ensureNode24, node24Env, run, log } = require('../toolchain');
const { lockHash, readStamp, withInstallLock, writeStamp } = require('../n8n/locked-install');
const { RUNTIME_DIR } = require('../n8n/paths');

/** This folder: the pinned package.json + package-lock.json the registry is installed from. */
const SOURCE_DIR = __dirname;
/** The install: <RUNTIME_DIR>/registry (RUNTIME_DIR is .n8n-runtime unless HYPERSENDER_N8N_RUNTIME_DIR moves it). */
const REGISTRY_DIR = path.join(RUNTIME_DIR, 'registry');
/** Verdaccio's command line (a Node script). */
const VERDACCIO_BIN = path.join(REGISTRY_DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
/** @type {string} */
const VERDACCIO_VERSION = require('./package.json').dependencies.verdaccio;
const STAMP_FILE = path.join(REGISTRY_DIR, '.installed.json');
const LOCK_DIR = path.join(REGISTRY_DIR, '.installing');

/** @typedef {{ verdaccio: string, node: string, lockHash: string }} Stamp */

/**
 * @typedef {object} EnsureVerdaccioResult
 * @property {string} bin Verdaccio's bin/verdaccio
 * @property {string} version
 * @property {boolean} cached true when an existing install was reused
 * @property {number} seconds
 */

/** @returns {Stamp} */
function wantedStamp() {
	return { verdaccio: VERDACCIO_VERSION, node: NODE_VERSION, lockHash: lockHash(SOURCE_DIR) };
}

/** @returns {boolean} */
function installMatches() {
	try {
		/** @type {Stamp | undefined} */
		const stamp = readStamp(STAMP_FILE);
		const wanted = wantedStamp();
		return !!stamp && stamp.lockHash === wanted.lockHash && stamp.node === wanted.node && fs.existsSync(VERDACCIO_BIN);
	} catch {
		return false;
	}
}

/**
 * Installs Verdaccio into .n8n-runtime/registry unless the installed copy was made from the same
 * package.json + lockfile on the same Node (then it returns at once).
 *
 * `npm ci --ignore-scripts`: no package of Verdaccio's locked tree declares an install script
 * (none has `hasInstallScript` in the lockfile), so nothing is skipped that it needs.
 * @returns {Promise<EnsureVerdaccioResult>}
 */
async function ensureVerdaccio() {
	ensureNode24();
	if (installMatches()) return { bin: VERDACCIO_BIN, version: VERDACCIO_VERSION, cached: true, seconds: 0 };
	// Two test runs never install into the same folder at once; a lock left by a dead process is taken over.
	return withInstallLock(LOCK_DIR, `installing Verdaccio into ${REGISTRY_DIR}`, async () => {
		if (installMatches()) return { bin: VERDACCIO_BIN, version: VERDACCIO_VERSION, cached: true, seconds: 0 };
		const started = Date.now();
		log(`Installing Verdaccio ${VERDACCIO_VERSION} (a local npm registry for the install test) into ${REGISTRY_DIR} (first time only, 10–30 s)...`);
		fs.rmSync(STAMP_FILE, { force: true });
		fs.copyFileSync(path.join(SOURCE_DIR, 'package.json'), path.join(REGISTRY_DIR, 'package.json'));
		fs.copyFileSync(path.join(SOURCE_DIR, 'package-lock.json'), path.join(REGISTRY_DIR, 'package-lock.json'));
		try {
			await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', '--no-progress'], {
				cwd: REGISTRY_DIR,
				env: node24Env(),
				stdio: ['ignore', 'ignore', 'inherit'],
			});
		} catch (error) {
			throw new Error(
				`Installing Verdaccio ${VERDACCIO_VERSION} into ${REGISTRY_DIR} failed: ${error.message}\n` +
					'Nothing is marked as installed, so the next run tries again. It needs the npm registry.',
			);
		}
		if (!fs.existsSync(VERDACCIO_BIN)) throw new Error(`npm ci did not install ${VERDACCIO_BIN}`);
		const seconds = (Date.now() - started) / 1000;
		writeStamp(STAMP_FILE, wantedStamp(), seconds);
		log(`Verdaccio ${VERDACCIO_VERSION} installed in ${seconds.toFixed(0)} s (reused from now on).`);
		return { bin: VERDACCIO_BIN, version: VERDACCIO_VERSION, cached: false, seconds };
	});
}

module.exports = { ensureVerdaccio, REGISTRY_DIR, VERDACCIO_BIN, VERDACCIO_VERSION };
