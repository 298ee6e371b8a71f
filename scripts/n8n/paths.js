// @ts-check
'use strict';
// Where the pinned n8n lives and which version it is. Every other module of scripts/n8n reads
// its locations from here.
const path = require('node:path');

const { ROOT, NODE_BIN_DIR } = require('../toolchain');

/** This folder: the pinned package.json + package-lock.json the runtime is installed from. */
const SOURCE_DIR = __dirname;
/** The install (git-ignored). HYPERSENDER_N8N_RUNTIME_DIR moves it elsewhere (e.g. to share one n8n between clones). */
const RUNTIME_DIR = path.resolve(process.env.HYPERSENDER_N8N_RUNTIME_DIR || path.join(ROOT, '.n8n-runtime'));
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
const N8N_VERSION = require('./package.json').dependencies.n8n;
const N8N_PACKAGE_DIR = path.join(RUNTIME_DIR, 'node_modules', 'n8n');
const N8N_BIN = path.join(N8N_PACKAGE_DIR, 'bin', 'n8n');
/** The Node 24 every n8n process runs on (scripts/toolchain.js). */
const NODE_BIN = path.join(NODE_BIN_DIR, 'node');

module.exports = {
	ROOT,
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
