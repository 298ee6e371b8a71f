// @ts-check
'use strict';
// The Send Text section of the report: one row per scenario and variant, then the Wait for
// Result scenario's timeline (total against the time to queue and the processing delay).
const { fmt, mb } = require('./stats');
const { renderTable } = require('./tables');
const { ENDPOINT } = require('./sends');
const { SEND_WARMUPS, SEND_WARMUP_COUNT, SENDS_TARGET, WAIT_TARGET } = require('./variants');

/** @typedef {import('./types').SendSummary} SendSummary */
/** @typedef {import('./types').Table} Table */

/** @param {SendSummary} summary @returns {Table} */
function sendsTable(summary) {
	const header = ['scenario', 'variant', 'requests (POST / GET)', 'time ms (median)', 'min–max ms', 'sends/s', 'CPU ms', 'peak heap MB (Δ run)', 'peak RSS MB', 'node / baseline'];
	const rows = summary.cells.map((c) => {
		const isNode = c.variant === 'node-core';
		const ratioCell = !isNode
			? '—'
			: c.scenario.name === 'sends'
				? `${fmt(summary.sendsRatio, 2)} (runs ${fmt(summary.sendsRatioMin, 2)}–${fmt(summary.sendsRatioMax, 2)})`
				: 'see below';
		return [
			c.scenario.title,
			c.variant,
			`${c.posts} / ${c.gets}`,
			c.verifiedRuns === 0 ? 'FAILED' : `${fmt(c.timeMs)}${isNode && c.executeMs !== undefined ? ` (execute ${fmt(c.executeMs)})` : ''}${c.verifiedRuns < c.runs ? ` (${c.runs - c.verifiedRuns} failed)` : ''}`,
			`${fmt(c.timeMinMs)}–${fmt(c.timeMaxMs)}`,
			fmt(c.sendsPerSecond, 1),
			fmt(c.cpuMs),
			c.peakHeapBytes === undefined ? 'n/a' : `${fmt(mb(c.peakHeapBytes), 1)}${c.heapBeforeBytes !== undefined ? ` (+${fmt(mb(c.peakHeapBytes - c.heapBeforeBytes), 1)})` : ''}`,
			fmt(mb(c.peakRssBytes), 0),
			ratioCell,
		];
	});
	return { header, rows };
}

/** @param {SendSummary} summary @returns {Table | undefined} */
function waitTable(summary) {
	const wait = summary.scenarios.find((s) => s.name === 'wait');
	const node = summary.cells.find((c) => c.scenario.name === 'wait' && c.variant === 'node-core');
	const base = summary.cells.find((c) => c.scenario.name === 'wait' && c.variant === 'baseline');
	if (!wait || (!node && !base)) return undefined;
	const range = (/** @type {number | undefined} */ low, /** @type {number | undefined} */ high) => `${fmt(low)}–${fmt(high)}`;
	const floor = base?.timeMs === undefined ? undefined : wait.processingDelayMs + base.timeMs;
	return {
		header: ['Wait for Result, ' + `${fmt(wait.count)} sends`, 'ms (median)', 'min–max'],
		rows: [
			['node-core: total (wall)', fmt(node?.timeMs), range(node?.timeMinMs, node?.timeMaxMs)],
			[`time to queue ${fmt(wait.count)}: bare fetch loop (baseline wall)`, fmt(base?.timeMs), range(base?.timeMinMs, base?.timeMaxMs)],
			[`time to queue ${fmt(wait.count)}: node-core (run start → last POST answered, sandbox log)`, fmt(node?.queueMs), range(node?.queueMinMs, node?.queueMaxMs)],
			['node-core: last result ready (run start → last queued request done, sandbox)', fmt(node?.lastDoneMs), '—'],
			[`floor: ${fmt(wait.processingDelayMs)} ms processing + bare queueing`, fmt(floor), '—'],
			[`total / floor (target ≤ ${fmt(WAIT_TARGET, 1)})`, fmt(summary.waitRatio, 2), `${fmt(summary.waitRatioMin, 2)}–${fmt(summary.waitRatioMax, 2)} (per run)`],
			['total / last result ready (time spent after the last result was there)', fmt(summary.waitOverReady, 2), '—'],
			['GET polls (node-core)', node?.gets ?? 'n/a', '—'],
		],
	};
}

/**
 * The section's lines, as text or markdown.
 * @param {SendSummary} summary
 * @param {boolean} markdown
 * @returns {string[]}
 */
function sendsLines(summary, markdown) {
	/** @type {string[]} */
	const out = [];
	out.push(markdown ? '### Message › Send Text' : '== Message › Send Text ==', '');
	const runs = Math.max(0, ...summary.cells.map((c) => c.runs));
	out.push(
		`Runs: ${runs} per variant and scenario (fresh process each, after ${SEND_WARMUPS} warm-up runs of ${SEND_WARMUP_COUNT} sends on an instance of their own), node-core and baseline alternating which goes first; medians. ` +
			`Safe Mode ${summary.safeMode ? 'on (the default)' : 'off'}: POST /{instance}/${ENDPOINT}, the same JSON body ({chatId, text}) from both variants; input item i goes to its own number, text "Order update for <number>" (node-core: chatId \`={{ $json.to }}\`, text \`=Order update for {{ $json.to }}\`).`,
		'',
	);
	out.push(renderTable(sendsTable(summary), markdown), '');
	out.push(
		'node-core = Message › Send Text run by n8n-core (wall time of the run; execute = inside the node\'s execute()); baseline = a bare `fetch` loop making the same POSTs one after the other (wait on: queueing only). ' +
			'requests = counted in the sandbox\'s request log for the run\'s instance (the counts seen in every run). ' +
			'Every run was checked against the sandbox: one queued request per input item, in input order, with the id the run output, that item\'s number and text, never twice; wait on: every one done (201) and output as the sent message. ' +
			`Target wait off: node-core ≤ ${fmt(SENDS_TARGET, 2)} × baseline. Peak heap and RSS as in the Get Many table.`,
		'',
	);
	const table = waitTable(summary);
	if (table) {
		out.push(renderTable(table, markdown), '');
		out.push(
			'The sandbox finishes an instance\'s queued requests in order, each at max(accepted + processing delay, the previous one\'s end): the last result cannot be there before the last POST + the delay. ' +
				'The node queues every item first, then reads each queued request (at most 8 reads at once), waiting a quarter of the time since that item was queued between reads (250 ms to 5 s).',
			'',
		);
	}
	return out;
}

module.exports = { sendsLines };
