// @ts-check
'use strict';
// The runs reduced to the report's figures: one cell per variant, latency and N (medians of the
// verified runs), the ratios between variants, and the targets.
const { fmt, mb, median, ratio } = require('./stats');
const { CRM_TARGET, IN_PROCESS_VARIANTS, K4, K4_VARIANT, VARIANTS, expectedRequests, isNodeCoreVariant, isNodeVariant, k4RequestRange } = require('./variants');

/** @typedef {import('./types').Options} Options */
/** @typedef {import('./types').RunEntry} RunEntry */
/** @typedef {import('./types').Cell} Cell */
/** @typedef {import('./types').RatioRow} RatioRow */
/** @typedef {import('./types').Summary} Summary */
/** @typedef {import('./types').Target} Target */
/** @typedef {import('./types').Probe} Probe */

/**
 * @param {RunEntry[]} runs every measured run
 * @param {Options} options
 * @returns {Summary}
 */
function summarize(runs, options) {
	/** @type {Cell[]} */
	const cells = [];
	for (const latencyMs of options.latencies) {
		for (const size of options.sizes) {
			for (const variant of VARIANTS) {
				const cellRuns = runs.filter((r) => r.variant === variant && r.size === size && r.latencyMs === latencyMs);
				if (cellRuns.length === 0) continue;
				const good = cellRuns.filter((r) => r.ok && r.verified);
				const inProcess = IN_PROCESS_VARIANTS.has(variant);
				const times = /** @type {number[]} */ (good.map((r) => (inProcess ? r.wallMs : r.executionTime)));
				const time = median(times);
				const requestCounts = [...new Set(cellRuns.map((r) => /** @type {number} */ (r.requests)))];
				cells.push({
					latencyMs,
					size,
					variant,
					runs: cellRuns.length,
					verifiedRuns: good.length,
					requests: requestCounts.length === 1 ? requestCounts[0] : requestCounts.join('/'),
					requestsExpected: expectedRequests(size),
					requestsOk: cellRuns.every((r) => r.requestsOk),
					items: median(good.map((r) => r.count)),
					timeMetric: inProcess ? 'wall ms of the run' : 'sum of the nodes\' executionTime',
					timeMs: time,
					timeMinMs: times.length ? Math.min(...times) : undefined,
					timeMaxMs: times.length ? Math.max(...times) : undefined,
					contactsPerSecond: time ? size / (time / 1000) : undefined,
					cpuMs: inProcess ? median(good.map((r) => r.cpuMs)) : undefined,
					executeMs: isNodeCoreVariant(variant) ? median(good.map((r) => r.executeMs)) : undefined,
					commandWallMs: inProcess ? undefined : median(good.map((r) => r.commandWallMs)),
					nodeTimes: inProcess
						? undefined
						: Object.fromEntries(Object.keys(good[0]?.nodeTimes ?? {}).map((name) => [name, median(good.map((r) => r.nodeTimes?.[name]))])),
					peakHeapBytes: median(good.map((r) => r.peakHeap)),
					heapBeforeBytes: inProcess ? median(good.map((r) => r.heapBefore)) : undefined,
					peakRssBytes: median(good.map((r) => r.peakRss)),
					rssBeforeBytes: inProcess ? median(good.map((r) => r.rssBefore)) : undefined,
					memoryNote: good.find((r) => r.memoryNote)?.memoryNote,
				});
			}
		}
	}
	/**
	 * @param {number} latencyMs
	 * @param {number} size
	 * @param {import('./types').Variant} variant
	 */
	const cell = (latencyMs, size, variant) => cells.find((c) => c.latencyMs === latencyMs && c.size === size && c.variant === variant);
	/** @type {RatioRow[]} */
	const ratios = [];
	for (const latencyMs of options.latencies) {
		for (const size of options.sizes) {
			const base = cell(latencyMs, size, 'baseline');
			const core = cell(latencyMs, size, 'node-core');
			const n8nNode = cell(latencyMs, size, 'node-n8n');
			const http = cell(latencyMs, size, 'http-request-n8n');
			const crm = cell(latencyMs, size, 'node-core-crm');
			const search = cell(latencyMs, size, 'node-core-search');
			const k4 = cell(latencyMs, size, K4_VARIANT);
			ratios.push({
				latencyMs,
				size,
				nodeCoreOverBaseline: ratio(core?.timeMs, base?.timeMs),
				nodeCoreCpuOverBaselineCpu: ratio(core?.cpuMs, base?.cpuMs),
				k4OverBaseline: ratio(k4?.timeMs, base?.timeMs),
				k4OverNodeCore: ratio(k4?.timeMs, core?.timeMs),
				crmOverNodeCore: ratio(crm?.timeMs, core?.timeMs),
				crmCpuOverNodeCoreCpu: ratio(crm?.cpuMs, core?.cpuMs),
				searchOverNodeCore: ratio(search?.timeMs, core?.timeMs),
				searchCpuOverNodeCoreCpu: ratio(search?.cpuMs, core?.cpuMs),
				nodeN8nOverHttpRequestN8n: ratio(n8nNode?.timeMs, http?.timeMs),
				nodeN8nCommandOverHttpRequestCommand: ratio(n8nNode?.commandWallMs, http?.commandWallMs),
				nodeN8nOverBaseline: ratio(n8nNode?.timeMs, base?.timeMs),
			});
		}
	}
	return { cells, ratios };
}

/**
 * The targets table: request counts, node-core against the baseline, the CRM options against
 * plain Return All, the node against HTTP Request in n8n, copies of the contacts in memory.
 * @param {Summary} summary
 * @param {Probe | undefined} probe
 * @param {Options} options
 * @returns {Target[]}
 */
function targets(summary, probe, options) {
	/** @type {Target[]} */
	const list = [];
	const nodeCells = summary.cells.filter((c) => isNodeVariant(c.variant) && c.variant !== K4_VARIANT);
	const wrongRequests = nodeCells.filter((c) => c.requests !== c.requestsExpected);
	list.push({
		target: 'requests exactly floor(N/1000)+1',
		pass: nodeCells.length > 0 && wrongRequests.length === 0,
		measured: wrongRequests.length
			? wrongRequests.map((c) => `${c.variant} N=${fmt(c.size)} ${c.latencyMs}ms: ${c.requests} (expected ${c.requestsExpected})`).join('; ')
			: `every node run: ${options.sizes.map((n) => `N=${fmt(n)} → ${expectedRequests(n)}`).join(', ')}`,
	});
	const k4Cells = summary.cells.filter((c) => c.variant === K4_VARIANT);
	if (k4Cells.length) {
		list.push({
			target: `node-core-k4: requests between floor(N/1000)+1 and floor(N/1000)+${K4}`,
			pass: k4Cells.every((c) => c.requestsOk),
			measured: k4Cells.map((c) => `N=${fmt(c.size)} ${c.latencyMs}ms: ${c.requests} (${k4RequestRange(c.size).join('–')})`).join('; '),
		});
	}
	const coreRatios = summary.ratios.filter((r) => r.nodeCoreOverBaseline !== undefined);
	const coreOf = (/** @type {RatioRow} */ r) => /** @type {number} */ (r.nodeCoreOverBaseline);
	const worstCore = coreRatios.reduce((/** @type {RatioRow | undefined} */ worst, r) => (!worst || coreOf(r) > coreOf(worst) ? r : worst), undefined);
	list.push({
		target: 'node-core ≤ 1.15 × baseline (wall, median)',
		pass: coreRatios.length > 0 && coreRatios.every((r) => coreOf(r) <= 1.15),
		measured: coreRatios.map((r) => `N=${fmt(r.size)} ${r.latencyMs}ms: ${fmt(r.nodeCoreOverBaseline, 2)}×`).join('; ') + (worstCore ? ` (worst ${fmt(worstCore.nodeCoreOverBaseline, 2)}×)` : ''),
	});
	const crmRatios = summary.ratios.filter((r) => r.crmOverNodeCore !== undefined || r.searchOverNodeCore !== undefined);
	const crmValues = crmRatios.flatMap((r) => [r.crmOverNodeCore, r.searchOverNodeCore]);
	list.push({
		target: `CRM options within ${fmt(CRM_TARGET, 2)} × plain Return All (node-core-crm and node-core-search / node-core, wall, median)`,
		pass: crmRatios.length > 0 ? crmValues.every((value) => value !== undefined && value <= CRM_TARGET) : undefined,
		measured: crmRatios.length
			? crmRatios
					.map((r) => `N=${fmt(r.size)} ${r.latencyMs}ms: crm ${fmt(r.crmOverNodeCore, 2)}×, search ${fmt(r.searchOverNodeCore, 2)}×`)
					.join('; ') + ` (worst ${fmt(Math.max(...crmValues.filter((value) => value !== undefined)), 2)}×)`
			: 'not measured (--no-crm)',
	});
	const n8nRatios = summary.ratios.filter((r) => r.nodeN8nOverHttpRequestN8n !== undefined);
	list.push({
		target: 'node in n8n faster than HTTP Request + Split Out (executionTime)',
		pass: n8nRatios.length > 0 ? n8nRatios.every((r) => /** @type {number} */ (r.nodeN8nOverHttpRequestN8n) < 1) : undefined,
		measured: n8nRatios.length
			? n8nRatios.map((r) => `N=${fmt(r.size)} ${r.latencyMs}ms: ${fmt(r.nodeN8nOverHttpRequestN8n, 2)}×`).join('; ')
			: 'not measured (--skip-n8n or the n8n phase failed)',
	});
	list.push({
		target: 'at most one extra copy of the contacts while building items',
		pass: probe?.memory ? probe.memory.copies <= 2 : undefined,
		measured: probe?.memory
			? `N=${fmt(probe.memory.size)}: one copy = ${fmt(mb(probe.memory.oneCopyBytes), 1)} MB live (baseline); the node holds at most ${fmt(mb(probe.memory.peakBytes), 1)} MB live = ${fmt(probe.memory.copies, 2)} copies (at ${probe.memory.peakPoint})`
			: 'not measured (--no-profile)',
	});
	return list;
}

module.exports = { summarize, targets };
