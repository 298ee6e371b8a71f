// @ts-check
'use strict';
// `npm start`'s command line: its options (see usage()) and where its n8n homes are by default.
const path = require('node:path');

const runtime = require('../n8n/runtime');

const DEFAULT_HOME = path.join(runtime.RUNTIME_DIR, 'home');
/** The home of `--queue`: its own, as its workflows and credentials live in PostgreSQL, not in the home's SQLite. */
const DEFAULT_QUEUE_HOME = path.join(runtime.RUNTIME_DIR, 'home-queue');

function usage() {
	return [
		'usage: node scripts/start.js [--package <tgz>] [--port 5678] [--sandbox-port 8787] [--sandbox-size 2500]',
		'                             [--sandbox-latency <ms>] [--home <dir>] [--fresh] [--quiet] [--queue [--workers 2]]',
		'env:   HYPERSENDER_TOKEN + HYPERSENDER_INSTANCE [+ HYPERSENDER_BASE_URL] to use a real account',
		'       HYPERSENDER_N8N_EMAIL / HYPERSENDER_N8N_PASSWORD for the n8n login',
	].join('\n');
}

/**
 * @typedef {object} StartOptions
 * @property {number | undefined} port
 * @property {number} sandboxPort
 * @property {number} sandboxSize
 * @property {number} sandboxLatency
 * @property {boolean} fresh
 * @property {boolean} quiet
 * @property {string | undefined} home
 * @property {boolean} queue n8n in queue mode: main, a webhook processor and workers on PostgreSQL and Redis
 * @property {number} workers with queue: how many workers
 * @property {string} [packageTgz]
 */

/**
 * @param {string[]} args
 * @returns {StartOptions}
 */
function parseArgs(args) {
	/** @type {StartOptions} */
	const options = { port: undefined, sandboxPort: 8787, sandboxSize: 2500, sandboxLatency: 0, fresh: false, quiet: false, home: undefined, queue: false, workers: 2 };
	let workersGiven = false;
	/** @param {string} name @param {string | undefined} value @param {number} min */
	const integer = (name, value, min) => {
		const number = Number(value);
		if (value === undefined || !Number.isInteger(number) || number < min) {
			throw new Error(`${name} needs a whole number >= ${min}, got ${value ?? 'nothing'}\n${usage()}`);
		}
		return number;
	};
	for (let i = 0; i < args.length; i++) {
		const [flag, inline] = args[i].split(/=(.*)/s, 2);
		const value = () => (inline !== undefined ? inline : args[++i]);
		switch (flag) {
			case '--port':
				options.port = integer('--port', value(), 1);
				break;
			case '--sandbox-port':
				options.sandboxPort = integer('--sandbox-port', value(), 0);
				break;
			case '--sandbox-size':
				options.sandboxSize = integer('--sandbox-size', value(), 0);
				break;
			case '--sandbox-latency':
				options.sandboxLatency = integer('--sandbox-latency', value(), 0);
				break;
			case '--package':
				options.packageTgz = value();
				break;
			case '--home':
				options.home = value();
				break;
			case '--fresh':
				options.fresh = true;
				break;
			case '--queue':
				options.queue = true;
				break;
			case '--workers':
				options.workers = integer('--workers', value(), 1);
				workersGiven = true;
				break;
			case '--quiet':
				options.quiet = true;
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${usage()}\n`);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown option ${args[i]}\n${usage()}`);
		}
	}
	if (workersGiven && !options.queue) throw new Error(`--workers needs --queue (workers exist only in queue mode)\n${usage()}`);
	return options;
}

module.exports = { parseArgs, usage, DEFAULT_HOME, DEFAULT_QUEUE_HOME };
