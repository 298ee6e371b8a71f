// @ts-check
'use strict';
// The memory probe (profile phase, in-process, largest N, no added latency): the live heap after
// forced GCs while the node builds its items, against one copy of the contacts (what the
// baseline holds live when it returns its array).
const { log } = require('./log');
const { fmt, mb } = require('./stats');
const { verify } = require('./results');
const { instanceFor } = require('./variants');
const { runWorker, workerSetup } = require('./in-process');

/** @typedef {import('./types').PhaseContext} PhaseContext */
/** @typedef {import('./types').Probe} Probe */
/** @typedef {import('./types').MemoryFinding} MemoryFinding */
/** @typedef {import('./types').ProbePoints} ProbePoints */

/** The points worker.js reads the heap at, in the order the node reaches them. @type {Array<keyof ProbePoints>} */
const POINTS = ['beforeConstruct', 'afterConstruct', 'nodeReturned', 'afterRun'];

/**
 * One probe run of baseline and of node-core at N = `size` (the sandbox is at 0 ms already).
 * @param {PhaseContext} context
 * @param {number} size
 * @returns {Promise<{ probes: Probe['probes'], memory: MemoryFinding | undefined }>}
 */
async function memoryProbe({ sandbox, expectedBySize, recorder }, size) {
	const instance = instanceFor(size);
	/** @type {Probe['probes']} */
	const probes = {};
	for (const variant of /** @type {const} */ (['baseline', 'node-core'])) {
		const report = await runWorker({ ...workerSetup(sandbox, instance), variant, probe: true });
		const problem = report.ok ? verify(report, /** @type {import('./types').ExpectedForSize} */ (expectedBySize.get(size))) : report.error;
		if (problem) {
			recorder.failures.push(`${variant} memory probe N=${size}: ${problem}`);
			continue;
		}
		probes[variant] = { heapBefore: report.heapBefore, points: report.points };
	}
	/** @type {MemoryFinding | undefined} */
	let memory;
	const base = probes.baseline;
	const node = probes['node-core'];
	if (base && node) {
		// One copy of the contacts = what the baseline holds live when it returns its array.
		const oneCopy = Number(base.points?.afterRun) - Number(base.heapBefore);
		/** @param {keyof ProbePoints} point */
		const live = (point) => (node.points?.[point] === undefined ? undefined : node.points[point] - Number(node.heapBefore));
		const peakPoint = POINTS.reduce((best, point) => ((live(point) ?? -Infinity) > (live(best) ?? -Infinity) ? point : best));
		const peakBytes = live(peakPoint);
		memory = {
			size,
			oneCopyBytes: oneCopy,
			node: Object.fromEntries(POINTS.map((point) => [point, live(point)])),
			peakPoint,
			peakBytes,
			copies: Number(peakBytes) / oneCopy,
		};
		log(`memory probe N=${size}: one copy of the contacts = ${fmt(mb(oneCopy), 1)} MB live; the node holds at most ${fmt(mb(memory.peakBytes), 1)} MB (${fmt(memory.copies, 2)}×) at "${peakPoint}"`);
	}
	return { probes, memory };
}

module.exports = { memoryProbe };
