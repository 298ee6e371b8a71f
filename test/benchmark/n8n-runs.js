// @ts-check
'use strict';
// The real-n8n variants (node-n8n, http-request-n8n): the packed package installed in an n8n home,
// each run one `n8n execute` whose peak memory n8n-memory-preload.js records; then one more run of
// each under --cpu-prof (unless --no-profile), cut to the time the measured nodes ran.
const fs = require('node:fs');
const path = require('node:path');
const runtime = require('../../scripts/n8n/runtime');
const { CREDENTIAL_TYPE, PACKAGE_NAME } = require('../../scripts/fixtures');
const { log } = require('./log');
const { fmt } = require('./stats');
const { listingOf } = require('./results');
const { N8N_HOME, WARMUP_INSTANCE, WORK_DIR, instanceFor } = require('./variants');
const { NODE_NAME, SPLIT_NAME, httpRequestWorkflow, measuredNodes, nodeWorkflow, taskOf } = require('./n8n-workflows');
const { profileInN8n } = require('./n8n-profile');

/** @typedef {import('./types').PhaseContext} PhaseContext */
/** @typedef {import('./types').ExpectedForSize} ExpectedForSize */
/** @typedef {import('./types').N8nProfiles} N8nProfiles */
/** @typedef {import('./results').Recorder} Recorder */
/** @typedef {import('../../scripts/n8n/runtime').N8nRun} N8nRun */
/** @typedef {import('../../scripts/n8n/runtime').RunItem} RunItem */
/** @typedef {import('./n8n-workflows').N8nVariant} N8nVariant */
/**
 * What n8n-memory-preload.js wrote for the `n8n execute` process, or why there is nothing.
 * @typedef {{ peakRss?: number, peakHeap?: number, pid?: number, clock?: { epochMs: number, monotonicUs: number }, otherProcesses?: number, reason?: string }} N8nMemory
 */
/** @typedef {{ ok: boolean, exitCode: number | null, run?: N8nRun, items?: RunItem[], error?: string, seconds: number }} N8nResult */
/**
 * @callback Execute one `n8n execute` of a workflow, with its memory record
 * @param {string} workflowId
 * @param {string} nodeName the node whose output items are returned
 * @param {string} label the memory record's folder
 * @param {{ profileDir?: string }} [extra] --cpu-prof into this folder
 * @returns {Promise<{ result: N8nResult, memory: N8nMemory }>}
 */

const PRELOAD = path.join(__dirname, 'n8n-memory-preload.js');
/**
 * `n8n execute --id --rawOutput` through runtime.executeWorkflow(), tolerating one n8n 2.41.1
 * quirk: it sometimes dies with SIGSEGV while tearing down after process.exit() (native modules),
 * after it printed the whole run and after the exit handlers ran (the memory preload's record
 * in `dir` proves that). The run itself is complete and is verified like any other.
 * @param {Recorder} recorder
 * @param {string} home
 * @param {string} workflowId
 * @param {string} dir the memory record's folder
 * @param {{ nodeName: string, timeoutMs: number, extraEnv: Record<string, string> }} settings
 * @returns {Promise<N8nResult>}
 */
async function executeInN8n(recorder, home, workflowId, dir, { nodeName, timeoutMs, extraEnv }) {
	const result = await runtime.executeWorkflow(home, workflowId, { nodeName, timeoutMs, extraEnv });
	const crashedAfterExit = result.signal === 'SIGSEGV' && readN8nMemory(dir).pid !== undefined;
	if (crashedAfterExit) recorder.n8nExitCrashes++;
	const ok = result.ok || (crashedAfterExit && !!result.run && !result.run.data.resultData.error);
	return { ok, exitCode: result.exitCode, run: result.run, items: result.items, error: ok ? undefined : result.error, seconds: result.seconds };
}

/** @param {string} dir @returns {N8nMemory} */
function readN8nMemory(dir) {
	/** @type {string[]} */
	let files = [];
	try {
		files = fs.readdirSync(dir).filter((file) => file.endsWith('.json'));
	} catch {
		return { reason: 'no memory record (the preload did not run)' };
	}
	const records = files.map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
	const main = records.find((entry) => entry.argv.some((/** @type {string} */ arg) => /bin[\\/]n8n$/.test(arg)) && entry.argv.includes('execute'));
	if (!main) return { reason: `no record of the n8n process among ${records.length} process(es)` };
	return { peakRss: main.vmHwm ?? main.maxRss, peakHeap: main.peakHeap, pid: main.pid, clock: main.clock, otherProcesses: records.length - 1 };
}

/**
 * An n8n home with the packed package, the credentials and every workflow imported.
 * @param {PhaseContext} context
 */
async function prepareHome({ options, sandbox, recorder }) {
	const ensured = await runtime.ensureN8n();
	const packageTgz = runtime.resolvePackageTgz(path.join(WORK_DIR, 'pack'));
	// The home lives outside the project: from a home under the project (.e2e/...), Node's
	// node_modules walk-up resolves the package's `require('n8n-workflow')` to the project's own
	// dev dependency (/node_modules/n8n-workflow) instead of n8n's copy (n8n's NODE_PATH fallback),
	// so n8n would load a second n8n-workflow at boot (~0.8 s measured here) and the node would run
	// against it. From a temporary folder it resolves as in a user's ~/.n8n.
	const home = N8N_HOME;
	log(`creating an n8n ${ensured.version} home in ${home} with ${path.basename(packageTgz)} installed...`);
	await runtime.createN8nHome(home, { packageTgz, fresh: true });
	const installed = path.join(home, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	if (!fs.existsSync(path.join(installed, 'package.json'))) throw new Error(`${PACKAGE_NAME} was not installed into ${home}`);
	try {
		const stray = require.resolve('n8n-workflow', { paths: [installed] });
		recorder.n8nNotes.push(`In the n8n home, the package's require('n8n-workflow') resolves to ${stray}, not to n8n's own copy.`);
	} catch {
		// not found by the walk-up: n8n's NODE_PATH fallback gives it n8n's copy, as in a real install
	}
	const bearer = { id: 'benchBearer', name: 'Bearer (bench sandbox)' };
	/** @param {number | string} size */
	const hypersender = (size) => ({ id: `benchHs${size}`, name: `Hypersender bench ${size}` });
	await runtime.importCredentials(home, [
		{ ...bearer, type: 'httpBearerAuth', data: { token: sandbox.token } },
		...[...options.sizes, 'warmup'].map((size) => ({
			...hypersender(size),
			type: CREDENTIAL_TYPE,
			data: { apiToken: sandbox.token, instanceId: size === 'warmup' ? WARMUP_INSTANCE : instanceFor(size), baseUrl: sandbox.baseUrl },
		})),
	]);
	/** Workflow ids by `${variant}:${size}`. @type {Map<string, string>} */
	const workflows = new Map();
	const all = [];
	for (const size of options.sizes) {
		const node = nodeWorkflow(size, hypersender(size));
		const http = httpRequestWorkflow(size, sandbox.baseUrl, bearer);
		workflows.set(`node-n8n:${size}`, node.id);
		workflows.set(`http-request-n8n:${size}`, http.id);
		all.push(node, http);
	}
	const warmup = nodeWorkflow('warmup', hypersender('warmup'));
	all.push(warmup);
	await runtime.importWorkflow(home, all);
	log(`imported ${all.length} workflows`);
	return { version: ensured.version, home, workflows, warmupId: warmup.id };
}

/**
 * Runs a workflow in `home` with the memory preload (and --cpu-prof when asked); once more when
 * n8n died before printing a run.
 * @param {PhaseContext} context
 * @param {string} home
 * @returns {Execute}
 */
function executor({ sandbox, recorder }, home) {
	const memRoot = path.join(WORK_DIR, 'n8n-memory');
	return async (workflowId, nodeName, label, { profileDir } = {}) => {
		const memDir = path.join(memRoot, label);
		fs.mkdirSync(memDir, { recursive: true });
		const nodeOptions = [`--require ${PRELOAD}`];
		if (profileDir) nodeOptions.push(`--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=250`);
		const attempt = () =>
			executeInN8n(recorder, home, workflowId, memDir, {
				nodeName,
				timeoutMs: 10 * 60 * 1000,
				extraEnv: { NODE_OPTIONS: nodeOptions.join(' '), HYPERSENDER_BENCH_MEM_DIR: memDir },
			});
		let result = await attempt();
		if (!result.run) {
			// n8n died before printing a run (not something the workflow did): one more try.
			log(`n8n printed no run (${String(result.error).split('\n')[0].slice(0, 120)}); running it once more`);
			for (const file of fs.readdirSync(memDir)) fs.rmSync(path.join(memDir, file), { force: true });
			await sandbox.reset();
			result = await attempt();
		}
		return { result, memory: readN8nMemory(memDir) };
	};
}

/**
 * Phase 3: both real-n8n variants, `options.n8nRuns` times per latency and N, alternating.
 * @param {PhaseContext} context
 * @returns {Promise<{ n8nVersion: string, profiles: N8nProfiles | undefined }>}
 */
async function n8nPhase(context) {
	const { options, sandbox, expectedBySize, recorder } = context;
	const { version, home, workflows, warmupId } = await prepareHome(context);
	const execute = executor(context, home);

	// The first `n8n execute` of a home runs migrations and fills caches: not measured.
	await sandbox.setLatency(0);
	const first = await execute(warmupId, NODE_NAME, 'warmup');
	if (!first.result.ok) throw new Error(`the warm-up execution in n8n failed: ${first.result.error}`);
	log(`warm-up execution: ${fmt(first.result.seconds * 1000)} ms`);

	for (const latencyMs of options.latencies) {
		await sandbox.setLatency(latencyMs);
		for (const size of options.sizes) {
			const instance = instanceFor(size);
			for (let run = 1; run <= options.n8nRuns; run++) {
				/** @type {N8nVariant[]} */
				const order = run % 2 ? ['node-n8n', 'http-request-n8n'] : ['http-request-n8n', 'node-n8n'];
				for (const variant of order) {
					await sandbox.reset();
					const isNode = variant === 'node-n8n';
					const { result, memory } = await execute(/** @type {string} */ (workflows.get(`${variant}:${size}`)), isNode ? NODE_NAME : SPLIT_NAME, `${variant}-${size}-${latencyMs}-${run}`);
					const requests = await sandbox.requestsFor(instance);
					const nodeTimes = Object.fromEntries(measuredNodes(variant).map((name) => [name, taskOf(result.run, name).executionTime]));
					const times = Object.values(nodeTimes);
					const executionTime = times.every((value) => typeof value === 'number') ? times.reduce((sum, value) => sum + value, 0) : undefined;
					const items = result.items ?? [];
					const contacts = items.map((item) => item.json);
					const entry = recorder.record(
						{
							ok: result.ok,
							error: result.ok ? undefined : result.error,
							variant,
							size,
							latencyMs,
							run,
							executionTime,
							nodeTimes,
							commandWallMs: result.seconds * 1000,
							peakRss: memory.peakRss,
							peakHeap: memory.peakHeap,
							memoryNote: memory.reason,
							...listingOf(contacts),
							pairedOk: !isNode || items.every((item) => pairedWithFirstInput(item.pairedItem)),
						},
						/** @type {ExpectedForSize} */ (expectedBySize.get(size)),
						requests,
					);
					log(
						`${variant.padEnd(16)} N=${String(size).padStart(6)} latency=${latencyMs}ms run ${run}: ` +
							(entry.ok
								? `executionTime ${fmt(executionTime)} ms, command ${fmt(entry.commandWallMs)} ms, ${entry.requests} requests, ${entry.verified ? 'verified' : `WRONG: ${entry.problem}`}`
								: `FAILED: ${String(entry.error).split('\n')[0]}`),
					);
				}
			}
		}
	}
	const profiles = options.profile ? await profileInN8n(context, workflows, execute) : undefined;
	return { n8nVersion: version, profiles };
}

/**
 * Whether an item is paired with item 0 of the input ({ item: 0 }).
 * @param {RunItem['pairedItem']} pairedItem
 */
function pairedWithFirstInput(pairedItem) {
	if (!pairedItem) return false;
	const item = /** @type {{ item?: unknown }} */ (pairedItem).item;
	return (item ?? pairedItem) === 0;
}

module.exports = { n8nPhase };
