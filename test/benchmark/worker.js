// @ts-check
'use strict';
// One measured run of an in-process variant, in a fresh process (started by run.js with
// --expose-gc and an IPC channel), so that peak heap and peak RSS belong to this run alone.
//
//   node-core  the Hypersender node (dist/, as packed) run by n8n-core's real WorkflowExecute,
//              through the project's harness test/harness/n8n-core.ts compiled to .e2e/bench-build
//   node-core-crm, node-core-search, node-core-k4
//              the same, with Return All + the options in config.nodeOptions
//              (CRM: Contact Kind / Add Derived Fields, Name Search; k4: { concurrency: 4 })
//              everything else identical
//   baseline   a minimal hand-written fetch loop: limit=1000, offset += 1000 while the page is full
//
// Sequence: load the code, warm up (3 runs by default) on a small instance (so module loading, lazy
// initialisation and first JIT tiers are not timed), reset the sandbox's request log, force a
// GC, then time one run while sampling memory. The result (ids in order + a digest of every
// contact's JSON) goes back over IPC after the memory figures have been taken.
//
// With `probe: true` the run is not timed but instrumented: a forced GC and a heap reading
// at the points where the node holds the most (see probeNodeCore in worker-memory.js), to count
// copies of contacts.
const { performance } = require('node:perf_hooks');
const { PAGE_SIZE } = require('./variants');
const { loadHarness } = require('./harness-loader');
const { digestOf } = require('./results');
const { gc, probeBaseline, probeNodeCore, startProfiler, startSampler } = require('./worker-memory');

/** @typedef {import('./types').WorkerReport} WorkerReport */
/** @typedef {import('./types').ProbePoints} ProbePoints */
/** @typedef {import('./types').Contact} Contact */
/** @typedef {import('./types').NodeCoreResult} NodeCoreResult */
/** @typedef {import('./types').Harness} Harness */

/** @type {import('./types').WorkerConfig} */
const config = JSON.parse(process.argv[2]);

/** run.js starts this file with an IPC channel, so process.send is there. */
const processSend = /** @type {NonNullable<typeof process.send>} */ (process.send);

/**
 * @param {WorkerReport} message
 * @returns {Promise<void>}
 */
function send(message) {
	return new Promise((resolve) => processSend.call(process, message, undefined, undefined, () => resolve()));
}

async function resetSandboxLog() {
	const res = await fetch(`${config.sandboxUrl}/__sandbox/reset`, { method: 'POST' });
	if (!res.ok) throw new Error(`sandbox reset answered ${res.status}`);
	await res.arrayBuffer();
}

// ---------------------------------------------------------------------------------------
// Variants

/**
 * The floor for any client of this API: one request per 1,000 contacts, plus the short last page.
 * @param {string} instance
 * @returns {Promise<Contact[]>}
 */
async function baseline(instance) {
	const url = `${config.baseUrl}/${encodeURIComponent(instance)}/contacts/get-all`;
	const headers = { Authorization: `Bearer ${config.token}`, Accept: 'application/json' };
	const contacts = [];
	for (let offset = 0; ; offset += PAGE_SIZE) {
		const res = await fetch(`${url}?limit=${PAGE_SIZE}&offset=${offset}`, { headers });
		if (!res.ok) throw new Error(`HTTP ${res.status} at offset ${offset}`);
		const { data } = /** @type {{ data: Contact[] }} */ (await res.json());
		for (const contact of data) contacts.push(contact);
		if (data.length < PAGE_SIZE) break;
	}
	return contacts;
}

/** @type {Harness} */
let harness;
/** What the loaded harness records (the last run, skipped serialisations, the node's execute() time). @type {import('./harness-loader').HarnessState} */
let harnessState;

/**
 * @param {string} instance
 * @returns {Promise<NodeCoreResult>}
 */
async function nodeCore(instance) {
	/** @type {{ executeMs?: number }} */
	const nodeWindow = (harnessState.nodeWindow = {});
	const result = await harness.runHypersenderNode({
		// node-core passes exactly what it always did (no options key); the CRM variants add theirs.
		parameters: config.nodeOptions ? { returnAll: true, options: config.nodeOptions } : { returnAll: true },
		credentials: { apiToken: config.token, instanceId: instance, baseUrl: config.baseUrl },
	});
	if (result.error) throw new Error(`the node failed: ${result.error.message}`);
	if (result.run !== harnessState.lastRun) throw new Error('the benchmark did not see the run the harness returned (n8n-core changed?)');
	const task = result.run.data.resultData.runData[harness.NODE_NAME][0];
	return { items: result.items, executionTime: task.executionTime, executeMs: nodeWindow.executeMs };
}

// ---------------------------------------------------------------------------------------

const isNodeCore = config.variant.startsWith('node-core');

async function main() {
	const loadStart = performance.now();
	if (isNodeCore) ({ harness, state: harnessState } = loadHarness(config.harnessBuildDir));
	/** @type {(instance: string) => Promise<Contact[] | NodeCoreResult>} */
	const run = isNodeCore ? nodeCore : baseline;
	const loadMs = performance.now() - loadStart;

	for (let i = 0; i < (config.warmups ?? 1) && config.warmupInstance; i++) await run(config.warmupInstance);
	await resetSandboxLog();
	gc();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssBefore = process.memoryUsage.rss();

	if (config.probe) {
		/** @type {{ result: Contact[] | NodeCoreResult, points: ProbePoints }} */
		const { result, points } = isNodeCore ? await probeNodeCore(nodeCore, config.instance) : await probeBaseline(baseline, config.instance);
		const contacts = Array.isArray(result) ? result : result.items.map((item) => item.json);
		await send({ ok: true, probe: true, heapBefore, points, count: contacts.length, ids: contacts.map((c) => c.id), digest: digestOf(contacts) });
		process.exit(0);
	}

	if (harnessState) harnessState.skippedSerializations = 0;
	const profiler = config.profile ? await startProfiler() : undefined;
	// No memory sampling under the profiler, so it does not show up in the profile.
	/** @type {{ stop(): { peakHeap: number | undefined, samples: number } }} */
	const sampler = config.profile ? { stop: () => ({ peakHeap: undefined, samples: 0 }) } : startSampler();
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const result = await run(config.instance);
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	const memory = sampler.stop();
	if (profiler && config.profile) await profiler.stop(config.profile);
	// Peak RSS of the whole process (kernel's high-water mark), in bytes.
	const maxRss = process.resourceUsage().maxRSS * 1024;

	const contacts = Array.isArray(result) ? result : result.items.map((item) => item.json);
	const pairedOk = Array.isArray(result) || result.items.every((item) => item.pairedItem && item.pairedItem.item === 0);
	await send({
		ok: true,
		variant: config.variant,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		loadMs,
		executionTime: Array.isArray(result) ? undefined : result.executionTime,
		executeMs: Array.isArray(result) ? undefined : result.executeMs,
		heapBefore,
		peakHeap: memory.peakHeap,
		rssBefore,
		peakRss: maxRss,
		memorySamples: memory.samples,
		count: contacts.length,
		ids: contacts.map((contact) => contact.id),
		digest: digestOf(contacts),
		pairedOk,
		skippedSerializations: harnessState?.skippedSerializations ?? 0,
	});
	process.exit(0);
}

main().catch(async (error) => {
	await send({ ok: false, error: error.stack || String(error) });
	process.exit(1);
});
