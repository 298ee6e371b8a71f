// @ts-check
'use strict';
// Message › Send Text, two scenarios, each with the node run by n8n-core (node-core) and a bare
// fetch loop (baseline) side by side, in alternating order, a fresh process per run
// (sends-worker.js):
//
//   sends  N sends with Wait for Result off (default 1,000 at 20 ms latency): one POST per input
//          item; node-core / baseline compares the same N POSTs made one after the other.
//   wait   N sends with Wait for Result on (default 100, the sandbox taking 2 s per request,
//          no added latency): the node queues all, then polls the queued requests until every
//          one is done. Its total is compared with the least it could take: the processing
//          delay + the time to queue the N (the baseline: the same POSTs with a bare fetch loop).
//
// Every run is checked against the sandbox: its request log (exactly N POSTs to the endpoint;
// wait off: nothing else) and its queued requests (one per input item, in input order, the ids
// the run output, the recipient and text of that item, each once).
const path = require('node:path');
const { log } = require('./log');
const { fmt, median, ratio } = require('./stats');
const { forkWorker, workerSetup } = require('./in-process');
const { BUILD_DIR, SEED, SEND_INSTANCES, SEND_SAFE_MODE, SEND_WARMUPS, SEND_WARMUP_COUNT, SENDS_TARGET, WAIT_TARGET, sendRecipient, sendText } = require('./variants');

/** @typedef {import('./types').Options} Options */
/** @typedef {import('./types').PhaseContext} PhaseContext */
/** @typedef {import('./types').QueuedRecordSummary} QueuedRecordSummary */
/** @typedef {import('./types').SandboxRequest} SandboxRequest */
/** @typedef {import('./types').SendCell} SendCell */
/** @typedef {import('./types').SendRunEntry} SendRunEntry */
/** @typedef {import('./types').SendScenario} SendScenario */
/** @typedef {import('./types').SendSummary} SendSummary */
/** @typedef {import('./types').SendVariant} SendVariant */
/** @typedef {import('./types').SendWorkerConfig} SendWorkerConfig */
/** @typedef {import('./types').SendWorkerReport} SendWorkerReport */
/** @typedef {import('./types').Target} Target */

const SENDS_WORKER = path.join(__dirname, 'sends-worker.js');
const ENDPOINT = SEND_SAFE_MODE ? 'send-text-safe' : 'send-text';
/** The sandbox's default processing time: a send without Wait for Result never waits for it. */
const DEFAULT_PROCESSING_DELAY_MS = 500;
/** @type {SendVariant[]} */
const SEND_VARIANTS = ['baseline', 'node-core'];

/**
 * The scenarios the options ask for.
 * @param {Options} options
 * @returns {SendScenario[]}
 */
function sendScenarios(options) {
	return [
		{
			name: 'sends',
			title: `${fmt(options.sendCount)} sends, Wait for Result off, ${options.sendLatencyMs} ms latency`,
			count: options.sendCount,
			latencyMs: options.sendLatencyMs,
			processingDelayMs: DEFAULT_PROCESSING_DELAY_MS,
			waitForResult: false,
			instance: SEND_INSTANCES.sends,
		},
		{
			name: 'wait',
			title: `${fmt(options.waitCount)} sends, Wait for Result on, ${fmt(options.waitDelayMs)} ms processing, ${options.waitLatencyMs} ms latency`,
			count: options.waitCount,
			latencyMs: options.waitLatencyMs,
			processingDelayMs: options.waitDelayMs,
			waitForResult: true,
			instance: SEND_INSTANCES.wait,
		},
	];
}

/** The sandbox instances the scenarios need (their contacts are never read). */
function sendInstances() {
	return Object.fromEntries(Object.values(SEND_INSTANCES).map((id) => [id, { size: 10, seed: SEED }]));
}

/**
 * null when the run did exactly what it should, else what went wrong.
 * @param {SendScenario} scenario
 * @param {SendVariant} variant
 * @param {SendWorkerReport} report
 * @param {{ posts: SandboxRequest[], gets: SandboxRequest[], others: SandboxRequest[] }} requests
 * @param {QueuedRecordSummary[]} records
 * @returns {string | null}
 */
function verifySends(scenario, variant, report, { posts, gets, others }, records) {
	const { count } = scenario;
	if (!report.ok) return report.error ?? 'failed';
	if (report.count !== count) return `output ${report.count} items, expected ${count}`;
	if (posts.length !== count) return `${posts.length} POSTs to /${ENDPOINT}, expected ${count}`;
	if (others.length) return `${others.length} unexpected request(s), e.g. ${others[0].method} ${others[0].path}`;
	if (!scenario.waitForResult && gets.length) return `${gets.length} GETs without Wait for Result`;
	if (variant === 'node-core' && scenario.waitForResult && gets.length < count) return `${gets.length} GETs: fewer than one read per queued request`;
	const failed = [...posts, ...gets].find((request) => request.status !== 200);
	if (failed) return `${failed.method} ${failed.path} answered ${failed.status}`;
	if (report.itemProblems?.length) return `output items of the wrong shape or pairing: ${report.itemProblems.join(' | ')}`;
	if (records.length !== count) return `the sandbox queued ${records.length} requests, expected ${count}`;
	const ids = report.queuedRequestIds ?? [];
	for (let index = 0; index < count; index++) {
		const record = records[index];
		const to = sendRecipient(index);
		if (record.uuid !== ids[index]) return `item ${index}: queued request ${ids[index]}, but the sandbox's #${index} is ${record.uuid}`;
		if (record.endpoint !== ENDPOINT || record.chatId !== `${to}@c.us`) return `queued request #${index} is ${record.endpoint} to ${record.chatId}, expected ${ENDPOINT} to ${to}@c.us`;
		const keys = Object.keys(record.body).sort().join(',');
		if (keys !== 'chatId,text' || record.body.text !== sendText(to)) return `queued request #${index} has the body ${JSON.stringify(record.body)}`;
		if (variant === 'node-core' && scenario.waitForResult && record.response_status !== 201) return `queued request #${index} ended with ${record.response_status}`;
	}
	return null;
}

/**
 * One run of one variant in one scenario, checked against the sandbox.
 * @param {PhaseContext} context
 * @param {SendScenario} scenario
 * @param {SendVariant} variant
 * @param {number} run
 * @returns {Promise<SendRunEntry>}
 */
async function measureSend({ sandbox, recorder }, scenario, variant, run) {
	// The warm-up's settings: no latency and no processing time, so the warm-up takes
	// milliseconds (and one with Wait for Result reads each result once); the worker applies
	// the scenario's own settings after it (see sends-worker.js).
	await sandbox.configure({ latencyMs: 0, processingDelayMs: 0 });
	const { baseUrl, sandboxUrl, token } = workerSetup(sandbox, scenario.instance);
	/** @type {SendWorkerConfig} */
	const config = {
		variant,
		baseUrl,
		sandboxUrl,
		token,
		harnessBuildDir: BUILD_DIR,
		instance: scenario.instance,
		warmupInstance: SEND_INSTANCES.warmup,
		warmups: SEND_WARMUPS,
		warmupCount: SEND_WARMUP_COUNT,
		count: scenario.count,
		waitForResult: scenario.waitForResult,
		safeMode: SEND_SAFE_MODE,
		sandboxConfig: { latencyMs: scenario.latencyMs, processingDelayMs: scenario.processingDelayMs },
	};
	const report = /** @type {SendWorkerReport} */ (await forkWorker(SENDS_WORKER, config, 5 * 60 * 1000));
	const logged = await sandbox.requestsFor(scenario.instance);
	const posts = logged.filter((r) => r.method === 'POST' && r.path.endsWith(`/${ENDPOINT}`));
	const gets = logged.filter((r) => r.method === 'GET' && r.path.includes('/queued-requests/'));
	const others = logged.filter((r) => !posts.includes(r) && !gets.includes(r));
	const records = await sandbox.messages(scenario.instance);
	const problem = verifySends(scenario, variant, report, { posts, gets, others }, records);
	const startedAt = report.startedAt;
	const lastPostAt = posts.length ? Math.max(...posts.map((r) => r.at)) : undefined;
	const lastDoneAt = records.length ? Math.max(...records.map((r) => r.doneAt)) : undefined;
	/** @type {SendRunEntry} */
	const entry = {
		scenario: scenario.name,
		variant,
		run,
		ok: report.ok,
		error: report.error,
		wallMs: report.wallMs,
		cpuMs: report.cpuMs,
		executionTime: report.executionTime,
		executeMs: report.executeMs,
		heapBefore: report.heapBefore,
		peakHeap: report.peakHeap,
		rssBefore: report.rssBefore,
		peakRss: report.peakRss,
		count: report.count,
		posts: posts.length,
		gets: gets.length,
		otherRequests: others.length,
		// The log has each request's arrival; its answer left `latencyMs` later (plus microseconds).
		queueMs: startedAt !== undefined && lastPostAt !== undefined ? lastPostAt + scenario.latencyMs - startedAt : undefined,
		lastDoneMs: startedAt !== undefined && lastDoneAt !== undefined ? lastDoneAt - startedAt : undefined,
		verified: problem === null,
		problem,
	};
	if (problem !== null) recorder.failures.push(`Send Text ${scenario.name} ${variant} run ${run}: ${problem}`);
	log(
		`sends: ${scenario.name.padEnd(5)} ${variant.padEnd(9)} run ${run}: ` +
			(report.ok
				? `${fmt(entry.wallMs)} ms, ${entry.posts} POST + ${entry.gets} GET, queued by ${fmt(entry.queueMs)} ms${scenario.waitForResult ? `, last ready at ${fmt(entry.lastDoneMs)} ms` : ''}, ${problem === null ? 'verified' : `WRONG: ${problem}`}`
				: `FAILED: ${problem}`),
	);
	return entry;
}

/**
 * The Send Text phase: every scenario, `options.sendRuns` runs of each variant, alternating
 * which goes first.
 * @param {PhaseContext} context
 * @returns {Promise<SendRunEntry[]>}
 */
async function sendsPhase(context) {
	const { options, sandbox } = context;
	/** @type {SendRunEntry[]} */
	const runs = [];
	for (const scenario of sendScenarios(options)) {
		for (let run = 1; run <= options.sendRuns; run++) {
			const order = run % 2 ? SEND_VARIANTS : [...SEND_VARIANTS].reverse();
			for (const variant of order) runs.push(await measureSend(context, scenario, variant, run));
		}
	}
	await sandbox.configure({ latencyMs: 0, processingDelayMs: DEFAULT_PROCESSING_DELAY_MS });
	return runs;
}

// ---------------------------------------------------------------------------------------
// Summary and targets

/**
 * @param {SendRunEntry[]} runs
 * @param {Options} options
 * @returns {SendSummary}
 */
function summarizeSends(runs, options) {
	const scenarios = sendScenarios(options);
	/** @type {SendCell[]} */
	const cells = [];
	for (const scenario of scenarios) {
		for (const variant of SEND_VARIANTS) {
			const cellRuns = runs.filter((r) => r.scenario === scenario.name && r.variant === variant);
			if (cellRuns.length === 0) continue;
			const good = cellRuns.filter((r) => r.ok && r.verified);
			const times = /** @type {number[]} */ (good.map((r) => r.wallMs));
			const queues = /** @type {number[]} */ (good.map((r) => r.queueMs).filter((value) => value !== undefined));
			const time = median(times);
			cells.push({
				scenario,
				variant,
				runs: cellRuns.length,
				verifiedRuns: good.length,
				posts: [...new Set(cellRuns.map((r) => r.posts))].join('/'),
				gets: [...new Set(cellRuns.map((r) => r.gets))].join('/'),
				timeMs: time,
				timeMinMs: times.length ? Math.min(...times) : undefined,
				timeMaxMs: times.length ? Math.max(...times) : undefined,
				sendsPerSecond: time ? scenario.count / (time / 1000) : undefined,
				cpuMs: median(good.map((r) => r.cpuMs)),
				executeMs: median(good.map((r) => r.executeMs)),
				queueMs: median(queues),
				queueMinMs: queues.length ? Math.min(...queues) : undefined,
				queueMaxMs: queues.length ? Math.max(...queues) : undefined,
				lastDoneMs: median(good.map((r) => r.lastDoneMs)),
				peakHeapBytes: median(good.map((r) => r.peakHeap)),
				heapBeforeBytes: median(good.map((r) => r.heapBefore)),
				peakRssBytes: median(good.map((r) => r.peakRss)),
			});
		}
	}
	/**
	 * @param {SendScenario['name']} name
	 * @param {SendVariant} variant
	 */
	const cell = (name, variant) => cells.find((c) => c.scenario.name === name && c.variant === variant);
	/**
	 * Per run k: f(run k's node-core, run k's baseline), where both were verified.
	 * @param {SendScenario['name']} name
	 * @param {(node: SendRunEntry, base: SendRunEntry) => number | undefined} f
	 */
	const perRun = (name, f) => {
		const good = runs.filter((r) => r.scenario === name && r.ok && r.verified);
		/** @type {number[]} */
		const values = [];
		for (const node of good.filter((r) => r.variant === 'node-core')) {
			const base = good.find((r) => r.variant === 'baseline' && r.run === node.run);
			const value = base ? f(node, base) : undefined;
			if (value !== undefined) values.push(value);
		}
		return values.length ? { min: Math.min(...values), max: Math.max(...values) } : { min: undefined, max: undefined };
	};
	const wait = scenarios.find((s) => s.name === 'wait');
	const waitDelay = wait?.processingDelayMs ?? 0;
	const sendsSpread = perRun('sends', (node, base) => ratio(node.wallMs, base.wallMs));
	const waitSpread = perRun('wait', (node, base) => ratio(node.wallMs, base.wallMs === undefined ? undefined : waitDelay + base.wallMs));
	const waitBase = cell('wait', 'baseline')?.timeMs;
	const waitNode = runs.filter((r) => r.scenario === 'wait' && r.variant === 'node-core' && r.ok && r.verified);
	return {
		scenarios,
		safeMode: SEND_SAFE_MODE,
		cells,
		sendsRatio: ratio(cell('sends', 'node-core')?.timeMs, cell('sends', 'baseline')?.timeMs),
		sendsRatioMin: sendsSpread.min,
		sendsRatioMax: sendsSpread.max,
		waitRatio: ratio(cell('wait', 'node-core')?.timeMs, waitBase === undefined ? undefined : waitDelay + waitBase),
		waitRatioMin: waitSpread.min,
		waitRatioMax: waitSpread.max,
		waitOverReady: median(waitNode.map((r) => ratio(r.wallMs, r.lastDoneMs))),
		runs,
	};
}

/**
 * The Send Text rows of the targets table.
 * @param {SendSummary} summary
 * @returns {Target[]}
 */
function sendsTargets(summary) {
	/** @type {Target[]} */
	const list = [];
	const sends = summary.scenarios.find((s) => s.name === 'sends');
	const wait = summary.scenarios.find((s) => s.name === 'wait');
	const nodeRuns = summary.runs.filter((r) => r.variant === 'node-core' && r.scenario === 'sends');
	if (sends && nodeRuns.length) {
		list.push({
			target: `Send Text: ${fmt(sends.count)} input items → exactly ${fmt(sends.count)} POSTs, no other request (node-core, wait off, sandbox log)`,
			pass: nodeRuns.every((r) => r.posts === sends.count && r.gets === 0 && r.otherRequests === 0),
			measured: nodeRuns.map((r) => `run ${r.run}: ${fmt(r.posts)} POST + ${r.gets + r.otherRequests} other`).join('; '),
		});
		list.push({
			target: `Send Text, ${sends.title}: node-core ≤ ${fmt(SENDS_TARGET, 2)} × bare fetch loop (wall, median)`,
			pass: summary.sendsRatio === undefined ? undefined : summary.sendsRatio <= SENDS_TARGET,
			measured: `${fmt(summary.sendsRatio, 2)}× (per run ${fmt(summary.sendsRatioMin, 2)}–${fmt(summary.sendsRatioMax, 2)}×)`,
		});
	}
	if (wait && summary.runs.some((r) => r.scenario === 'wait')) {
		const node = summary.cells.find((c) => c.scenario.name === 'wait' && c.variant === 'node-core');
		const base = summary.cells.find((c) => c.scenario.name === 'wait' && c.variant === 'baseline');
		list.push({
			target: `Send Text, ${wait.title}: total ≤ ${fmt(WAIT_TARGET, 1)} × (${fmt(wait.processingDelayMs / 1000, 0)} s + time to queue ${fmt(wait.count)} with the bare fetch loop) (median)`,
			pass: summary.waitRatio === undefined ? undefined : summary.waitRatio <= WAIT_TARGET,
			measured: `${fmt(node?.timeMs)} ms / (${fmt(wait.processingDelayMs)} + ${fmt(base?.timeMs)}) ms = ${fmt(summary.waitRatio, 2)} (per run ${fmt(summary.waitRatioMin, 2)}–${fmt(summary.waitRatioMax, 2)})`,
		});
	}
	return list;
}

module.exports = { ENDPOINT, sendScenarios, sendInstances, sendsPhase, summarizeSends, sendsTargets };
