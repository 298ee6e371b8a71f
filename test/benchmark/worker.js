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
// at the points where the node holds the most (see probeNodeCore), to count copies of contacts.
const crypto = require('node:crypto');
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const v8 = require('node:v8');

const ROOT = path.resolve(__dirname, '..', '..');
const PAGE_SIZE = 1000;

const config = JSON.parse(process.argv[2]);

function send(message) {
	return new Promise((resolve) => process.send(message, () => resolve()));
}

function gc() {
	if (typeof global.gc === 'function') {
		global.gc();
		global.gc();
	}
}

async function resetSandboxLog() {
	const res = await fetch(`${config.sandboxUrl}/__sandbox/reset`, { method: 'POST' });
	if (!res.ok) throw new Error(`sandbox reset answered ${res.status}`);
	await res.arrayBuffer();
}

// ---------------------------------------------------------------------------------------
// Variants

/** The floor for any client of this API: one request per 1,000 contacts, plus the short last page. */
async function baseline(instance) {
	const url = `${config.baseUrl}/${encodeURIComponent(instance)}/contacts/get-all`;
	const headers = { Authorization: `Bearer ${config.token}`, Accept: 'application/json' };
	const contacts = [];
	for (let offset = 0; ; offset += PAGE_SIZE) {
		const res = await fetch(`${url}?limit=${PAGE_SIZE}&offset=${offset}`, { headers });
		if (!res.ok) throw new Error(`HTTP ${res.status} at offset ${offset}`);
		const { data } = await res.json();
		for (const contact of data) contacts.push(contact);
		if (data.length < PAGE_SIZE) break;
	}
	return contacts;
}

let harness;
let nodeWindow;
let lastRun;
let skippedSerializations = 0;

/**
 * Loads the compiled harness, with the node and credential it imports taken from dist/ (what
 * `npm pack` ships) rather than from the harness's own compilation of the sources.
 */
function loadHarness() {
	const buildRoot = path.resolve(config.harnessBuildDir);
	const distRoot = path.join(ROOT, 'dist');
	const originalResolve = Module._resolveFilename;
	Module._resolveFilename = function resolveToDist(request, parent, ...rest) {
		const resolved = originalResolve.call(this, request, parent, ...rest);
		for (const dir of ['nodes', 'credentials']) {
			const prefix = path.join(buildRoot, dir) + path.sep;
			if (resolved.startsWith(prefix)) return path.join(distRoot, dir, resolved.slice(prefix.length));
		}
		return resolved;
	};
	harness = require(path.join(buildRoot, 'test', 'harness', 'n8n-core.js'));
	// The harness serialises the whole finished run (`serialized`, for the tests' token-leak
	// checks): ~15 MB of JSON and ~70 ms at 100,000 contacts that n8n-core itself never spends.
	// That one call is skipped here, so node-core measures n8n-core + the node only.
	const stringify = JSON.stringify;
	JSON.stringify = function stringifyExceptHarnessRun(value, ...rest) {
		if (rest.length === 0 && value && typeof value === 'object' && value === lastRun) {
			skippedSerializations++;
			return '{}';
		}
		return stringify.call(JSON, value, ...rest);
	};
	// The run object is the one WorkflowExecute hands the workflowExecuteAfter hook.
	const { ExecutionLifecycleHooks } = require(require.resolve('n8n-core', { paths: [path.join(buildRoot, 'test', 'harness')] }));
	const runHook = ExecutionLifecycleHooks.prototype.runHook;
	ExecutionLifecycleHooks.prototype.runHook = function recordRun(name, parameters) {
		if (name === 'workflowExecuteAfter') lastRun = parameters[0];
		return runHook.call(this, name, parameters);
	};
	// Time spent inside the node's execute() (paging + building items), as opposed to n8n-core's
	// work before and after it.
	const { Hypersender } = require(path.join(distRoot, 'nodes', 'Hypersender', 'Hypersender.node.js'));
	const execute = Hypersender.prototype.execute;
	Hypersender.prototype.execute = async function timedExecute(...args) {
		const start = performance.now();
		try {
			return await execute.apply(this, args);
		} finally {
			if (nodeWindow) nodeWindow.executeMs = performance.now() - start;
		}
	};
}

async function nodeCore(instance) {
	nodeWindow = {};
	const result = await harness.runHypersenderNode({
		// node-core passes exactly what it always did (no options key); the CRM variants add theirs.
		parameters: config.nodeOptions ? { returnAll: true, options: config.nodeOptions } : { returnAll: true },
		credentials: { apiToken: config.token, instanceId: instance, baseUrl: config.baseUrl },
	});
	if (result.error) throw new Error(`the node failed: ${result.error.message}`);
	if (result.run !== lastRun) throw new Error('the benchmark did not see the run the harness returned (n8n-core changed?)');
	const task = result.run.data.resultData.runData[harness.NODE_NAME][0];
	return { items: result.items, executionTime: task.executionTime, executeMs: nodeWindow.executeMs };
}

// ---------------------------------------------------------------------------------------
// Memory

/**
 * Peak heap in use (live objects and garbage not yet collected), sampled every 5 ms and once
 * more at the end while the result is still held. Peak RSS comes from the kernel (maxRSS).
 */
function startSampler() {
	const heapUsed = () => v8.getHeapStatistics().used_heap_size;
	const state = { peakHeap: heapUsed(), samples: 0 };
	const sample = () => {
		const heap = heapUsed();
		if (heap > state.peakHeap) state.peakHeap = heap;
		state.samples++;
	};
	const timer = setInterval(sample, 5);
	return {
		state,
		stop() {
			sample();
			clearInterval(timer);
			return state;
		},
	};
}

function digestOf(contacts) {
	const hash = crypto.createHash('sha256');
	for (const contact of contacts) hash.update(JSON.stringify(contact)).update('\n');
	return hash.digest('hex');
}

/** V8's sampling CPU profiler around the timed run only (not module loading or the warm-up). */
async function startProfiler() {
	const inspector = require('node:inspector/promises');
	const fs = require('node:fs');
	const session = new inspector.Session();
	session.connect();
	await session.post('Profiler.enable');
	await session.post('Profiler.setSamplingInterval', { interval: 200 });
	await session.post('Profiler.start');
	return {
		async stop(file) {
			const { profile } = await session.post('Profiler.stop');
			session.disconnect();
			fs.writeFileSync(file, JSON.stringify(profile));
		},
	};
}

// ---------------------------------------------------------------------------------------
// Probe: live heap (after a forced GC) at the moments the node holds the most

async function probeNodeCore(instance) {
	// The helper n8n-core's ExecuteContext hands the node as this.helpers.constructExecutionMetaData
	// (read from this module's exports when the context is built).
	const util = require(
		path.join(ROOT, 'node_modules', 'n8n-core', 'dist', 'execution-engine', 'node-execution-context', 'utils', 'construct-execution-metadata.js'),
	);
	const original = util.constructExecutionMetaData;
	const points = {};
	util.constructExecutionMetaData = function probedConstruct(inputData, options) {
		// Here the pager's array, its id Set and returnJsonArray's items are all alive.
		gc();
		points.beforeConstruct = process.memoryUsage().heapUsed;
		const output = original(inputData, options);
		// ...and constructExecutionMetaData's items on top: the most the node holds at once.
		gc();
		points.afterConstruct = process.memoryUsage().heapUsed;
		return output;
	};
	const { Hypersender } = require(path.join(ROOT, 'dist', 'nodes', 'Hypersender', 'Hypersender.node.js'));
	const execute = Hypersender.prototype.execute;
	Hypersender.prototype.execute = async function probedExecute(...args) {
		const output = await execute.apply(this, args);
		gc();
		points.nodeReturned = process.memoryUsage().heapUsed;
		return output;
	};
	const result = await nodeCore(instance);
	gc();
	points.afterRun = process.memoryUsage().heapUsed;
	Hypersender.prototype.execute = execute;
	util.constructExecutionMetaData = original;
	return { result, points };
}

async function probeBaseline(instance) {
	const contacts = await baseline(instance);
	gc();
	return { result: contacts, points: { afterRun: process.memoryUsage().heapUsed } };
}

// ---------------------------------------------------------------------------------------

const isNodeCore = config.variant.startsWith('node-core');

async function main() {
	const loadStart = performance.now();
	if (isNodeCore) loadHarness();
	const run = isNodeCore ? nodeCore : baseline;
	const loadMs = performance.now() - loadStart;

	for (let i = 0; i < (config.warmups ?? 1) && config.warmupInstance; i++) await run(config.warmupInstance);
	await resetSandboxLog();
	gc();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssBefore = process.memoryUsage.rss();

	if (config.probe) {
		const { result, points } = isNodeCore ? await probeNodeCore(config.instance) : await probeBaseline(config.instance);
		const contacts = Array.isArray(result) ? result : result.items.map((item) => item.json);
		await send({ ok: true, probe: true, heapBefore, points, count: contacts.length, ids: contacts.map((c) => c.id), digest: digestOf(contacts) });
		process.exit(0);
	}

	skippedSerializations = 0;
	const profiler = config.profile ? await startProfiler() : undefined;
	// No memory sampling under the profiler, so it does not show up in the profile.
	const sampler = config.profile ? { stop: () => ({ peakHeap: undefined, samples: 0 }) } : startSampler();
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const result = await run(config.instance);
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	const memory = sampler.stop();
	if (profiler) await profiler.stop(config.profile);
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
		executionTime: result.executionTime,
		executeMs: result.executeMs,
		heapBefore,
		peakHeap: memory.peakHeap,
		rssBefore,
		peakRss: maxRss,
		memorySamples: memory.samples,
		count: contacts.length,
		ids: contacts.map((contact) => contact.id),
		digest: digestOf(contacts),
		pairedOk,
		skippedSerializations,
	});
	process.exit(0);
}

main().catch(async (error) => {
	await send({ ok: false, error: error.stack || String(error) });
	process.exit(1);
});
