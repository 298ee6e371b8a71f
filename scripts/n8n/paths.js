// @ts-check
'use strict';
// Where the pinned n8n lives and which version it is. Every other module of scripts/n8n reads
// its locations from here.
const path = require('node:path');

const { ROOT, NODE_BIN_DIR } = require('../toolchain');

/**
 * @typedef {object} N8nLine one n8n this project proves the package on, and what differs in it
 * @property {string} sourceDir the pinned package.json + package-lock.json it is installed from
 * @property {string} runtimeDir its install folder under the project
 * @property {Record<string, string>} env what its processes need besides homes.js's environment
 * @property {boolean} publicationStatus whether it has GET /rest/workflows/:id/publication-status;
 *   without it, activating returns once the triggers are live (or fails)
 */

/**
 * The n8n lines. HYPERSENDER_N8N_LINE picks one for every module here (default "2"):
 * `npm run compat` sets "1" to run the smoke suite in the oldest n8n the package supports.
 * @type {Record<string, N8nLine>}
 */
const N8N_LINES = {
	/** The n8n the package is built and fully tested on: ./package.json + ./package-lock.json. */
	2: { sourceDir: __dirname, runtimeDir: '.n8n-runtime', env: { N8N_DISABLED_MODULES: 'mcp-registry' }, publicationStatus: true },
	/**
	 * The oldest n8n the package supports (the last 1.x): ./n8n-1/. It has no mcp-registry module,
	 * and refuses to start when told to disable a module it does not know.
	 */
	1: { sourceDir: path.join(__dirname, 'n8n-1'), runtimeDir: '.n8n-runtime-1', env: {}, publicationStatus: false },
};
const N8N_LINE = process.env.HYPERSENDER_N8N_LINE || '2';
if (!Object.prototype.hasOwnProperty.call(N8N_LINES, N8N_LINE)) {
	throw new Error(`HYPERSENDER_N8N_LINE is "${N8N_LINE}"; allowed values: ${Object.keys(N8N_LINES).join(', ')}`);
}
const LINE = N8N_LINES[N8N_LINE];
/** The pinned package.json + package-lock.json the runtime is installed from. */
const SOURCE_DIR = LINE.sourceDir;

/**
 * The install (git-ignored). HYPERSENDER_N8N_RUNTIME_DIR moves the default line's install elsewhere
 * (e.g. to share one n8n between clones); another line keeps its own folder next to it (<dir>-1).
 */
function runtimeDir() {
	const shared = process.env.HYPERSENDER_N8N_RUNTIME_DIR;
	if (!shared) return path.join(ROOT, LINE.runtimeDir);
	return N8N_LINE === '2' ? path.resolve(shared) : `${path.resolve(shared)}-${N8N_LINE}`;
}
const RUNTIME_DIR = runtimeDir();
/** RUNTIME_DIR as messages show it: relative to the project when inside it. */
const RUNTIME_LABEL = path.relative(ROOT, RUNTIME_DIR).startsWith('..') ? RUNTIME_DIR : path.relative(ROOT, RUNTIME_DIR);
/** Scratch space of the tests and tools (packs, logs). */
const E2E_DIR = path.join(ROOT, '.e2e');
/**
 * n8n homes for tests live inside the runtime folder: a community package installed in a home
 * there resolves `n8n-workflow` to n8n's own copy (.n8n-runtime/node_modules), as in a real
 * install, and not to this project's dev copy (./node_modules), which a home under .e2e/ would find.
 */
const HOMES_DIR = path.join(RUNTIME_DIR, 'homes');
/** @type {string} */
const N8N_VERSION = require(path.join(SOURCE_DIR, 'package.json')).dependencies.n8n;
const N8N_PACKAGE_DIR = path.join(RUNTIME_DIR, 'node_modules', 'n8n');
const N8N_BIN = path.join(N8N_PACKAGE_DIR, 'bin', 'n8n');
/** The Node 24 every n8n process runs on (scripts/toolchain.js). */
const NODE_BIN = path.join(NODE_BIN_DIR, 'node');

module.exports = {
	ROOT,
	N8N_LINE,
	LINE,
	SOURCE_DIR,
	RUNTIME_DIR,
	RUNTIME_LABEL,
	E2E_DIR,
	HOMES_DIR,
	N8N_VERSION,
	N8N_PACKAGE_DIR,
	N8N_BIN,
	NODE_BIN,
};
