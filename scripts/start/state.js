// @ts-check
'use strict';
// The n8n home of `npm start`: n8n installed (or reused), the package installed into the home when
// it changed, and what this script put into the home last time (hypersender-start.json), so that a
// warm start skips what has not changed.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, log } = require('../toolchain');
const runtime = require('../n8n/runtime');

// What this script put into the home last time, so a warm start skips what has not changed.
// webhookSecret / assistantSecret: the webhook secrets of the auto-reply and the assistant
// (sandbox only), mcpToken: the MCP server's bearer token, each made once per home; activated:
// per example, the workflowHash for which it was activated (a user who deactivates it keeps it
// so); activatedHash: the same for the auto-reply, as homes made before the map have it.
/**
 * @typedef {{ packageHash?: string, credentialHash?: string, workflowHash?: string, webhookSecret?: string,
 *   assistantSecret?: string, mcpToken?: string, activatedHash?: string, activated?: Record<string, string> }} StartState
 */

/** @param {string} home */
function stateFile(home) {
	return path.join(home, 'hypersender-start.json');
}

/** @param {string} home @returns {StartState} */
function readState(home) {
	try {
		return JSON.parse(fs.readFileSync(stateFile(home), 'utf8'));
	} catch {
		return {};
	}
}

/** @param {string} home @param {StartState} state */
function writeState(home, state) {
	fs.writeFileSync(stateFile(home), JSON.stringify(state, null, 2), { mode: 0o600 });
}

/** @param {unknown} value */
function hash(value) {
	return crypto.createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex');
}

/** @param {string} file */
function fileHash(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}


/**
 * The state of one home: kept here, written to hypersender-start.json by save().
 * @typedef {object} HomeState
 * @property {() => StartState} get
 * @property {(patch: StartState) => void} save merges `patch` in and writes the file
 * @property {(patch: StartState) => void} assume merges `patch` in without writing the file
 */

/** @param {string} home @returns {HomeState} */
function homeState(home) {
	let state = readState(home);
	return {
		get: () => state,
		save(patch) {
			state = { ...state, ...patch };
			writeState(home, state);
		},
		assume(patch) {
			state = { ...state, ...patch };
		},
	};
}

/**
 * n8n installed (or reused), the home made (emptied first with `fresh`), the package `packageTgz`
 * (default: a pack of dist/) installed into it when it changed since the last start.
 * @param {string} userFolder @param {{ packageTgz: string | undefined, fresh: boolean }} params
 * @returns {Promise<{ store: HomeState, newHome: boolean }>} newHome: the home had no state of this script
 */
async function prepareHome(userFolder, { packageTgz, fresh }) {
	const install = await runtime.ensureN8n();
	if (install.cached) log(`n8n ${install.version} (installed in .n8n-runtime, reused)`);

	const tgz = path.resolve(packageTgz ?? runtime.resolvePackageTgz(path.join(runtime.RUNTIME_DIR, 'pack')));
	if (fresh) {
		log(`--fresh: deleting the n8n home ${path.relative(ROOT, userFolder)} (workflows, credentials, executions, login)`);
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
	// A home without this script's state is new: with --queue, its database starts over too (the
	// credentials in it were encrypted with another home's key).
	const newHome = !fs.existsSync(stateFile(userFolder));
	await runtime.createN8nHome(userFolder);
	const store = homeState(userFolder);

	const packageHash = fileHash(tgz);
	if (store.get().packageHash !== packageHash) {
		log(`Installing ${path.basename(tgz)} into the n8n home (${path.relative(ROOT, path.join(userFolder, '.n8n', 'nodes'))})...`);
		await runtime.installPackage(userFolder, tgz);
		store.save({ packageHash });
	}
	return { store, newHome };
}

/**
 * The webhook secrets the sandbox sends and the triggers check, and the MCP server's bearer token:
 * made once per home.
 * @param {HomeState} store @param {'account' | 'sandbox'} apiKind
 */
function ensureSecrets(store, apiKind) {
	const state = store.get();
	const secret = () => crypto.randomBytes(24).toString('base64url');
	if (!state.mcpToken || (apiKind === 'sandbox' && (!state.webhookSecret || !state.assistantSecret))) {
		store.save({ webhookSecret: state.webhookSecret ?? secret(), assistantSecret: state.assistantSecret ?? secret(), mcpToken: state.mcpToken ?? secret() });
	}
}

module.exports = { prepareHome, ensureSecrets, hash };
