// @ts-check
'use strict';
// n8n homes (N8N_USER_FOLDER): one per test run or per `npm start` user, each with its own
// encryption key, database and community packages, and the environment n8n processes get.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const { node24Env, run } = require('../toolchain');
const { LINE } = require('./paths');

/**
 * Environment variables to add or override; `undefined`/`null` removes a variable.
 * @typedef {Record<string, string | number | undefined | null>} EnvExtra
 */

/**
 * The name and version inside a packed package (its package/package.json).
 * @typedef {{ name: string, version: string, [key: string]: unknown }} PackageInfo
 */

/**
 * The encryption key stored in <home>/.n8n/config (created once per home, then fixed).
 * @param {string} home
 * @returns {string}
 */
function encryptionKey(home) {
	const configFile = path.join(home, '.n8n', 'config');
	try {
		const key = JSON.parse(fs.readFileSync(configFile, 'utf8')).encryptionKey;
		if (key) return key;
	} catch {
		// created below
	}
	fs.mkdirSync(path.dirname(configFile), { recursive: true });
	const key = crypto.randomBytes(24).toString('base64');
	fs.writeFileSync(configFile, JSON.stringify({ encryptionKey: key }, null, '\t'), { mode: 0o600 });
	return key;
}

/**
 * A stable port per home for the task-runner broker when the caller did not pick a free one.
 * @param {string} home
 */
function brokerPortFor(home) {
	const hash = crypto.createHash('sha256').update(path.resolve(home)).digest('hex');
	return 20000 + (parseInt(hash.slice(0, 8), 16) % 20000);
}

/**
 * Environment for an n8n process using `home` as N8N_USER_FOLDER, on Node 24.
 * Inherited N8N_* / DB_* / EXECUTIONS_* variables are dropped so a developer's shell cannot
 * change what the tests see; pass anything else in `extra` (it wins).
 * @param {string} home
 * @param {EnvExtra} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv(home, extra = {}) {
	const env = node24Env();
	for (const name of Object.keys(env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$)/.test(name)) delete env[name];
	}
	Object.assign(env, {
		N8N_USER_FOLDER: path.resolve(home),
		N8N_ENCRYPTION_KEY: encryptionKey(home),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		// The Hypersender node as a tool for AI agents and MCP clients ("Hypersender Tool"): n8n
		// versions that gate community tools behind this flag need it; 2.41.1 makes the tool anyway.
		N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_PROTOCOL: 'http',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: '5678',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPortFor(home)),
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		NODE_ENV: 'production',
		NO_COLOR: '1',
		...LINE.env,
	});
	for (const [name, value] of Object.entries(extra)) {
		if (value === undefined || value === null) delete env[name];
		else env[name] = String(value);
	}
	return env;
}

/**
 * Makes (or reuses) an N8N_USER_FOLDER whose `.n8n/nodes` has the packed node package installed,
 * the way n8n installs community packages. `fresh: true` empties the folder first.
 * @param {string} dir
 * @param {{ packageTgz?: string, fresh?: boolean }} [options]
 * @returns {Promise<string>} the home's absolute path
 */
async function createN8nHome(dir, options = {}) {
	const home = path.resolve(dir);
	if (options.fresh) fs.rmSync(home, { recursive: true, force: true });
	fs.mkdirSync(path.join(home, '.n8n', 'nodes'), { recursive: true });
	encryptionKey(home);
	if (options.packageTgz) await installPackage(home, options.packageTgz);
	return home;
}

/**
 * The name and version inside a packed package (reads package/package.json from the tgz).
 * @param {string} packageTgz
 * @returns {PackageInfo}
 */
function packageInfo(packageTgz) {
	const tar = zlib.gunzipSync(fs.readFileSync(packageTgz));
	for (let offset = 0; offset + 512 <= tar.length; ) {
		const name = tar.toString('utf8', offset, offset + 100).replace(/\0.*$/s, '');
		if (!name) break;
		const size = parseInt(tar.toString('utf8', offset + 124, offset + 136).replace(/\0.*$/s, '').trim() || '0', 8);
		if (name === 'package/package.json') return JSON.parse(tar.toString('utf8', offset + 512, offset + 512 + size));
		offset += 512 + Math.ceil(size / 512) * 512;
	}
	throw new Error(`${packageTgz} has no package/package.json; is it an \`npm pack\` tarball?`);
}

/**
 * Installs a packed community-node package into <home>/.n8n/nodes (`npm i <tgz> --omit=peer`).
 * @param {string} home
 * @param {string} packageTgz
 * @returns {Promise<string>} the package's name
 */
async function installPackage(home, packageTgz) {
	const tgz = path.resolve(packageTgz);
	if (!fs.existsSync(tgz)) throw new Error(`package tarball not found: ${tgz} (build it with \`npm run build && npm pack\`)`);
	const { name } = packageInfo(tgz);
	const nodesDir = path.join(home, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const manifest = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(manifest)) {
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	// The same version packed again has new contents: remove the old copy so npm cannot keep it.
	fs.rmSync(path.join(nodesDir, 'node_modules', name), { recursive: true, force: true });
	fs.rmSync(path.join(nodesDir, 'package-lock.json'), { force: true });
	await run(
		'npm',
		['install', tgz, '--omit=peer', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', '--prefer-offline'],
		{ cwd: nodesDir, env: node24Env(), stdio: ['ignore', 'ignore', 'inherit'] },
	);
	if (!fs.existsSync(path.join(nodesDir, 'node_modules', name, 'package.json'))) {
		throw new Error(`npm did not install ${name} into ${nodesDir}`);
	}
	return name;
}

module.exports = { n8nEnv, createN8nHome, installPackage, packageInfo, encryptionKey };
