// @ts-check
'use strict';
// The n8n-core harness (test/harness/n8n-core.ts compiled to .e2e/bench-build) as the workers
// load it: with the node and credential taken from dist/ (what `npm pack` ships) rather than from
// the harness's own compilation of the sources, without the one step of the harness that n8n-core
// never runs (JSON.stringify of the whole finished run), and with the time inside the node's
// execute() recorded. Used by worker.js (Get Many) and sends-worker.js (Send Text).
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { ROOT } = require('./variants');

/** @typedef {import('./types').Harness} Harness */

/**
 * Node's internal module resolver, which loadHarness() wraps.
 * @typedef {(this: unknown, request: string, parent: unknown, ...rest: unknown[]) => string} ResolveFilename
 */
const ModuleInternals = /** @type {typeof Module & { _resolveFilename: ResolveFilename }} */ (Module);

/**
 * What the loaded harness records about the runs it makes.
 * @typedef {object} HarnessState
 * @property {unknown} lastRun the run object of the last workflow run (n8n-core's IRun)
 * @property {number} skippedSerializations times the harness's serialisation of a run was skipped
 * @property {{ executeMs?: number } | undefined} nodeWindow set by the caller before a run; gets the node's execute() time
 */

/**
 * Loads the compiled harness from `harnessBuildDir`.
 * @param {string} harnessBuildDir
 * @returns {{ harness: Harness, state: HarnessState }}
 */
function loadHarness(harnessBuildDir) {
	const buildRoot = path.resolve(harnessBuildDir);
	const distRoot = path.join(ROOT, 'dist');
	/** @type {HarnessState} */
	const state = { lastRun: undefined, skippedSerializations: 0, nodeWindow: undefined };
	const originalResolve = ModuleInternals._resolveFilename;
	ModuleInternals._resolveFilename = function resolveToDist(request, parent, ...rest) {
		const resolved = originalResolve.call(this, request, parent, ...rest);
		for (const dir of ['nodes', 'credentials']) {
			const prefix = path.join(buildRoot, dir) + path.sep;
			if (resolved.startsWith(prefix)) return path.join(distRoot, dir, resolved.slice(prefix.length));
		}
		return resolved;
	};
	/** @type {Harness} */
	const harness = require(path.join(buildRoot, 'test', 'harness', 'n8n-core.js'));
	// The harness serialises the whole finished run (`serialized`, for the tests' token-leak
	// checks): ~15 MB of JSON and ~70 ms at 100,000 contacts that n8n-core itself never spends.
	// That one call is skipped here, so node-core measures n8n-core + the node only.
	const stringify = /** @type {(value: unknown, ...rest: unknown[]) => string} */ (JSON.stringify);
	JSON.stringify = function stringifyExceptHarnessRun(/** @type {unknown} */ value, /** @type {unknown[]} */ ...rest) {
		if (rest.length === 0 && value && typeof value === 'object' && value === state.lastRun) {
			state.skippedSerializations++;
			return '{}';
		}
		return stringify.call(JSON, value, ...rest);
	};
	// The run object is the one WorkflowExecute hands the workflowExecuteAfter hook.
	const { ExecutionLifecycleHooks } = require(require.resolve('n8n-core', { paths: [path.join(buildRoot, 'test', 'harness')] }));
	const runHook = ExecutionLifecycleHooks.prototype.runHook;
	ExecutionLifecycleHooks.prototype.runHook = function recordRun(/** @type {string} */ name, /** @type {unknown[]} */ parameters) {
		if (name === 'workflowExecuteAfter') state.lastRun = parameters[0];
		return runHook.call(this, name, parameters);
	};
	// Time spent inside the node's execute() (the requests + building items), as opposed to
	// n8n-core's work before and after it.
	const { Hypersender } = require(path.join(distRoot, 'nodes', 'Hypersender', 'Hypersender.node.js'));
	const execute = Hypersender.prototype.execute;
	Hypersender.prototype.execute = async function timedExecute(/** @type {unknown[]} */ ...args) {
		const start = performance.now();
		try {
			return await execute.apply(this, args);
		} finally {
			if (state.nodeWindow) state.nodeWindow.executeMs = performance.now() - start;
		}
	};
	return { harness, state };
}

module.exports = { loadHarness };
