// @ts-check
'use strict';
// The variants the benchmark measures, the sandbox instances they read, the request counts they
// must make, and where the benchmark writes (see README.md for what each variant is).
const os = require('node:os');
const path = require('node:path');

/** @typedef {import('./types').Variant} Variant */
/** @typedef {import('./types').NodeOptions} NodeOptions */

const ROOT = path.resolve(__dirname, '..', '..');
const BUILD_DIR = path.join(ROOT, '.e2e', 'bench-build');
/** Scratch space of this run (profiles, memory records, the packed package): removed unless --keep. */
const WORK_DIR = path.join(ROOT, '.e2e', `bench-${process.pid}`);
/** The real-n8n home lives outside the project (see n8n-runs.js). */
const N8N_HOME = path.join(os.tmpdir(), `hypersender-bench-n8n-${process.pid}`);
const RESULTS_DIR = path.join(ROOT, 'bench-results');

const PAGE_SIZE = 1000;
const SEED = 42;
const WARMUP_INSTANCE = 'b3a7e000-0000-4000-9000-000000000001';
/** Untimed runs on WARMUP_INSTANCE (1,000 contacts) before each in-process measurement. */
const WARMUPS = 3;

/**
 * The CRM variants: node-core with Return All and these client-side options. Measured exactly
 * like node-core (fresh process, same warm-up, same median), in the same rotation.
 * @type {Record<string, { short: string, options: NonNullable<NodeOptions> }>}
 */
const CRM_VARIANTS = {
	'node-core-crm': { short: 'crm', options: { contactKind: ['phone', 'lid'], addDerivedFields: true } },
	'node-core-search': { short: 'search', options: { nameSearch: 'an' } },
};
const CRM_VARIANT_NAMES = /** @type {Variant[]} */ (Object.keys(CRM_VARIANTS));
/** The CRM options' target: each CRM variant within this factor of plain Return All (node-core). */
const CRM_TARGET = 1.1;

/**
 * node-core with Return All + { concurrency: K4 }: up to K4 pages in flight, consumed in offset
 * order. Measured exactly like node-core (fresh process, same warm-up with its own options), at
 * every latency, in the same rotation; checked against the same list as node-core. It may read up
 * to K4-1 pages past the end, so its requests are checked against a range, not an exact count.
 * @type {Variant}
 */
const K4_VARIANT = 'node-core-k4';
const K4 = 4;
const K4_OPTIONS = { concurrency: K4 };

/**
 * The node options a node-core variant runs with (undefined: plain Return All, no options key).
 * @param {Variant} variant
 * @returns {NodeOptions}
 */
const nodeOptionsFor = (variant) => (variant === K4_VARIANT ? K4_OPTIONS : CRM_VARIANTS[variant]?.options);

/** Every variant, in the order of the tables. @type {Variant[]} */
const VARIANTS = ['baseline', 'node-core', K4_VARIANT, ...CRM_VARIANT_NAMES, 'node-n8n', 'http-request-n8n'];
/** @type {Set<Variant>} */
const IN_PROCESS_VARIANTS = new Set(['baseline', 'node-core', K4_VARIANT, ...CRM_VARIANT_NAMES]);
/** @param {Variant} variant */
const isNodeVariant = (variant) => variant.startsWith('node-');
/** @param {Variant} variant */
const isNodeCoreVariant = (variant) => variant.startsWith('node-core');

/** The sandbox instance holding `size` contacts. @param {number | string} size */
const instanceFor = (size) => `b3a7e000-0000-4000-8000-${String(size).padStart(12, '0')}`;
/** floor(N/1000)+1: every full page and the short last one. @param {number} size */
const expectedRequests = (size) => Math.floor(size / PAGE_SIZE) + 1;
/**
 * node-core-k4's allowed request counts: floor(N/1000)+1 .. floor(N/1000)+K4 (up to K4-1 read ahead).
 * @param {number} size
 * @returns {[number, number]}
 */
const k4RequestRange = (size) => [expectedRequests(size), expectedRequests(size) + K4 - 1];
/**
 * @param {Variant} variant
 * @param {number} size
 * @param {number} count
 */
const requestsInRange = (variant, size, count) => {
	if (variant !== K4_VARIANT) return count === expectedRequests(size);
	const [low, high] = k4RequestRange(size);
	return count >= low && count <= high;
};

// ---------------------------------------------------------------------------------------
// Message › Send Text (sends.js)

/** The sandbox instances the Send Text scenarios send to (each has its own queue), and their warm-up's. */
const SEND_INSTANCES = {
	sends: 'b3a7e000-0000-4000-a000-000000000001',
	wait: 'b3a7e000-0000-4000-a000-000000000002',
	warmup: 'b3a7e000-0000-4000-a000-000000000003',
};
/** Untimed runs of SEND_WARMUP_COUNT sends (on SEND_INSTANCES.warmup) before each Send Text measurement. */
const SEND_WARMUPS = 3;
const SEND_WARMUP_COUNT = 50;
/**
 * The node's Safe Mode option in the Send Text scenarios: its default (on), so POST
 * /{instance}/send-text-safe; the baseline posts to the same endpoint.
 */
const SEND_SAFE_MODE = true;
/** Wait off: node-core within this factor of the bare fetch loop making the same POSTs. */
const SENDS_TARGET = 1.15;
/** Wait on: the node's total within this factor of (processing delay + time to queue them all with the bare fetch loop). */
const WAIT_TARGET = 1.5;
/** The recipient of input item `index`: one distinct number each, none ending in 0000 (the sandbox's "not on WhatsApp"). @param {number} index */
const sendRecipient = (index) => `4917${String(100_000 + index * 7).padStart(8, '0')}1`;
/** The text sent to `to` (the node builds it from the expression `=Order update for {{ $json.to }}`). @param {string} to */
const sendText = (to) => `Order update for ${to}`;

module.exports = {
	ROOT,
	BUILD_DIR,
	WORK_DIR,
	N8N_HOME,
	RESULTS_DIR,
	PAGE_SIZE,
	SEED,
	WARMUP_INSTANCE,
	WARMUPS,
	CRM_VARIANTS,
	CRM_VARIANT_NAMES,
	CRM_TARGET,
	K4_VARIANT,
	K4,
	K4_OPTIONS,
	nodeOptionsFor,
	VARIANTS,
	IN_PROCESS_VARIANTS,
	isNodeVariant,
	isNodeCoreVariant,
	instanceFor,
	expectedRequests,
	k4RequestRange,
	requestsInRange,
	SEND_INSTANCES,
	SEND_WARMUPS,
	SEND_WARMUP_COUNT,
	SEND_SAFE_MODE,
	SENDS_TARGET,
	WAIT_TARGET,
	sendRecipient,
	sendText,
};
