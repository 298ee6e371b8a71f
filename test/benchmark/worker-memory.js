// @ts-check
'use strict';
// worker.js's instruments: the forced GC, the heap sampler, V8's CPU profiler around the timed
// run, and the memory probe (live heap after a forced GC at the points the node holds the most).
const path = require('node:path');
const v8 = require('node:v8');
const { ROOT } = require('./variants');

/** @typedef {import('./types').Contact} Contact */
/** @typedef {import('./types').NodeCoreResult} NodeCoreResult */
/** @typedef {import('./types').ProbePoints} ProbePoints */

/** Two full GCs (with --expose-gc; a no-op without). */
function gc() {
	if (typeof global.gc === 'function') {
		global.gc();
		global.gc();
	}
}

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

/**
 * V8's sampling CPU profiler around the timed run only (not module loading or the warm-up).
 * @returns {Promise<{ stop(file: string): Promise<void> }>}
 */
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

/**
 * One node-core run with a forced GC and a heap reading when the node has built its items,
 * when n8n-core has added its own, when execute() returns and after the run.
 * @param {(instance: string) => Promise<NodeCoreResult>} nodeCore
 * @param {string} instance
 * @returns {Promise<{ result: NodeCoreResult, points: ProbePoints }>}
 */
async function probeNodeCore(nodeCore, instance) {
	// The helper n8n-core's ExecuteContext hands the node as this.helpers.constructExecutionMetaData
	// (read from this module's exports when the context is built).
	const util = require(
		path.join(ROOT, 'node_modules', 'n8n-core', 'dist', 'execution-engine', 'node-execution-context', 'utils', 'construct-execution-metadata.js'),
	);
	const original = util.constructExecutionMetaData;
	/** @type {ProbePoints} */
	const points = {};
	util.constructExecutionMetaData = function probedConstruct(/** @type {unknown} */ inputData, /** @type {unknown} */ options) {
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
	Hypersender.prototype.execute = async function probedExecute(/** @type {unknown[]} */ ...args) {
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

/**
 * One baseline run and the live heap once it has its array: one copy of the contacts.
 * @param {(instance: string) => Promise<Contact[]>} baseline
 * @param {string} instance
 * @returns {Promise<{ result: Contact[], points: ProbePoints }>}
 */
async function probeBaseline(baseline, instance) {
	const contacts = await baseline(instance);
	gc();
	return { result: contacts, points: { afterRun: process.memoryUsage().heapUsed } };
}

module.exports = { gc, startSampler, startProfiler, probeNodeCore, probeBaseline };
