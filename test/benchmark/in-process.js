// @ts-check
'use strict';
// The in-process variants (baseline, node-core, node-core-k4, the CRM variants): each run is a
// fresh worker.js process. Phase 1 measures them; the profile phase runs one more of each under
// V8's CPU profiler (largest N, no added latency).
const { fork } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const runtime = require('../../scripts/n8n/runtime');
const { summarizeProfile } = require('./profile');
const { log } = require('./log');
const { fmt } = require('./stats');
const { expectedFor, verify } = require('./results');
const { BUILD_DIR, CRM_VARIANTS, CRM_VARIANT_NAMES, K4_VARIANT, ROOT, WARMUPS, WARMUP_INSTANCE, WORK_DIR, instanceFor, isNodeCoreVariant, nodeOptionsFor } = require('./variants');

/** @typedef {import('./types').PhaseContext} PhaseContext */
/** @typedef {import('./types').SandboxProcess} SandboxProcess */
/** @typedef {import('./types').Variant} Variant */
/** @typedef {import('./types').WorkerConfig} WorkerConfig */
/** @typedef {import('./types').WorkerReport} WorkerReport */
/** @typedef {import('./types').InProcessProfile} InProcessProfile */

const WORKER = path.join(__dirname, 'worker.js');

/** Compiles the n8n-core harness (test/harness/n8n-core.ts) into .e2e/bench-build. */
async function compileHarness() {
	fs.rmSync(BUILD_DIR, { recursive: true, force: true });
	const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
	await new Promise((resolve, reject) => {
		const child = fork(tsc, ['-p', path.join(__dirname, 'tsconfig.harness.json')], {
			execPath: runtime.NODE_BIN,
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`tsc for the benchmark harness failed (exit ${code})`))));
	});
	const harness = path.join(BUILD_DIR, 'test', 'harness', 'n8n-core.js');
	if (!fs.existsSync(harness)) throw new Error(`tsc did not write ${harness}`);
}

/**
 * One fresh process running `script` (with --expose-gc and an IPC channel, `config` as its JSON
 * argument); resolves to the last message it sent, or to a failure if it sent none.
 * @template R
 * @param {string} script
 * @param {unknown} config
 * @param {number} timeoutMs
 * @returns {Promise<R | { ok: false, error: string }>}
 */
function forkWorker(script, config, timeoutMs) {
	return new Promise((resolve) => {
		const child = fork(script, [JSON.stringify(config)], {
			execPath: runtime.NODE_BIN,
			execArgv: ['--expose-gc'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
		});
		/** @type {R | undefined} */
		let report;
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('message', (message) => (report = /** @type {R} */ (message)));
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			resolve(report ?? { ok: false, error: `the worker exited (${signal ?? code}) without a report` });
		});
	});
}

/**
 * One fresh worker process; resolves to its report.
 * @param {WorkerConfig} config
 * @param {{ timeoutMs?: number }} [limits]
 * @returns {Promise<WorkerReport>}
 */
function runWorker(config, { timeoutMs = 5 * 60 * 1000 } = {}) {
	return /** @type {Promise<WorkerReport>} */ (forkWorker(WORKER, config, timeoutMs));
}

/**
 * What every worker of a run on `instance` is told, whatever its variant.
 * @param {SandboxProcess} sandbox
 * @param {string} instance
 */
function workerSetup(sandbox, instance) {
	return { baseUrl: sandbox.baseUrl, sandboxUrl: sandbox.url, token: sandbox.token, instance, warmupInstance: WARMUP_INSTANCE, warmups: WARMUPS, harnessBuildDir: BUILD_DIR };
}

/**
 * Phase 1: every in-process variant, `options.runs` times per latency and N.
 * @param {PhaseContext} context
 */
async function inProcessPhase({ options, sandbox, expectedBySize, recorder }) {
	for (const latencyMs of options.latencies) {
		await sandbox.setLatency(latencyMs);
		/** @type {Variant[]} */
		const variants = ['baseline', 'node-core', K4_VARIANT, ...(options.crmLatencies.includes(latencyMs) ? CRM_VARIANT_NAMES : [])];
		for (const size of options.sizes) {
			const instance = instanceFor(size);
			const expected = /** @type {import('./types').ExpectedForSize} */ (expectedBySize.get(size));
			for (let run = 1; run <= options.runs; run++) {
				// Rotate the order so no variant always runs first or on a warmer machine
				// (with two variants: the plain alternation).
				const shift = (run - 1) % variants.length;
				const order = [...variants.slice(shift), ...variants.slice(0, shift)];
				for (const variant of order) {
					const report = await runWorker({ variant, ...workerSetup(sandbox, instance), nodeOptions: nodeOptionsFor(variant) });
					const requests = await sandbox.requestsFor(instance);
					const entry = recorder.record({ ...report, variant, size, latencyMs, run }, expectedFor(expected, variant), requests);
					log(
						`${variant.padEnd(16)} N=${String(size).padStart(6)} latency=${latencyMs}ms run ${run}: ` +
							(entry.ok ? `${fmt(entry.wallMs)} ms, ${entry.count} items, ${entry.requests} requests, ${entry.verified ? 'verified' : `WRONG: ${entry.problem}`}` : `FAILED: ${entry.error}`),
					);
				}
			}
		}
	}
}

/** Inclusive time in the in-process profiles of the code the CRM options add (and what it runs in). */
const CRM_INCLUSIVE_PROBES = [
	{ label: 'the node\'s pager (collectContacts, incl. the fetch callback and the filter)', fn: 'collectContacts', url: 'helpers/pager' },
	{ label: 'filter: matchesFilter (Contact Kind, Name Search)', fn: 'matchesFilter', url: 'helpers/contactFields' },
	{ label: '  of which foldForSearch (normalize NFD + strip marks + lower-case)', fn: 'foldForSearch', url: 'helpers/contactFields' },
	{ label: '  contactKind (filter and derived fields)', fn: 'contactKind', url: 'helpers/contactFields' },
	{ label: 'derived fields: addDerivedFields (kind, phone, displayName, in place)', fn: 'addDerivedFields', url: 'helpers/contactFields' },
	{ label: '  of which e164 (the phone number)', fn: 'e164', url: 'helpers/contactFields' },
	{ label: '  of which displayNameOf', fn: 'displayNameOf', url: 'helpers/contactFields' },
	{ label: 'building the items (getContactsForItem)', fn: 'getContactsForItem', url: 'getAll.operation' },
	{ label: 'garbage collector', fn: '(garbage collector)' },
];

/**
 * The profile phase's CPU profiles: one more run of baseline, node-core (and the CRM variants
 * when they were measured) at N = `size`, no added latency, under V8's sampling profiler.
 * @param {PhaseContext} context
 * @param {number} size
 * @returns {Promise<Record<string, InProcessProfile>>}
 */
async function profileInProcess({ options, sandbox, expectedBySize, recorder }, size) {
	const instance = instanceFor(size);
	await sandbox.setLatency(0);
	const dir = path.join(WORK_DIR, 'profiles');
	fs.mkdirSync(dir, { recursive: true });
	/** @type {Record<string, InProcessProfile>} */
	const profiles = {};
	/** @type {Variant[]} */
	const variants = ['baseline', 'node-core', ...(options.crmLatencies.length > 0 ? CRM_VARIANT_NAMES : [])];
	for (const variant of variants) {
		const file = path.join(dir, `${variant}-${size}.cpuprofile`);
		const report = await runWorker({ ...workerSetup(sandbox, instance), variant, profile: file, nodeOptions: CRM_VARIANTS[variant]?.options });
		const expected = /** @type {import('./types').ExpectedForSize} */ (expectedBySize.get(size));
		const problem = report.ok ? verify(report, expectedFor(expected, variant)) : report.error;
		if (problem) {
			recorder.failures.push(`${variant} profile run N=${size}: ${problem}`);
			continue;
		}
		const detail = isNodeCoreVariant(variant) ? { inclusive: CRM_INCLUSIVE_PROBES, allFunctions: true } : {};
		profiles[variant] = { ...summarizeProfile(file, detail), wallMs: report.wallMs, cpuMs: report.cpuMs, executeMs: report.executeMs };
		log(`profiled ${variant} N=${size}: ${fmt(report.wallMs)} ms under the profiler`);
	}
	return profiles;
}

module.exports = { compileHarness, forkWorker, runWorker, workerSetup, inProcessPhase, profileInProcess };
