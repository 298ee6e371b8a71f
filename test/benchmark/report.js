// @ts-check
'use strict';
// The report: the machine, the main table, the ratios, the targets and the profiles, printed as
// text and written to bench-results/latest.md (markdown) and latest.json (with every run).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const runtime = require('../../scripts/n8n/runtime');
const { fmt, mb } = require('./stats');
const { renderTable } = require('./tables');
const { profileLines } = require('./report-profiles');
const { sendsLines } = require('./sends-report');
const { contactTriggerLines } = require('./contact-trigger');
const { CRM_TARGET, CRM_VARIANTS, K4, K4_OPTIONS, K4_VARIANT, RESULTS_DIR, ROOT, WARMUPS, isNodeCoreVariant, k4RequestRange } = require('./variants');

/** @typedef {import('./types').Machine} Machine */
/** @typedef {import('./types').Report} Report */
/** @typedef {import('./types').Summary} Summary */
/** @typedef {import('./types').Table} Table */

/**
 * The machine and the versions measured.
 * @param {string} [n8nVersion] the n8n the real-n8n phase ran
 * @returns {Machine}
 */
function machineInfo(n8nVersion) {
	const cpus = os.cpus();
	let installedN8n;
	try {
		installedN8n = JSON.parse(fs.readFileSync(path.join(runtime.RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
	} catch {
		installedN8n = undefined;
	}
	/** @param {string} name @returns {string | undefined} */
	const version = (name) => {
		try {
			return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
		} catch {
			return undefined;
		}
	};
	return {
		cpus: cpus.length,
		cpuModel: cpus[0]?.model?.trim(),
		memoryGb: Math.round(os.totalmem() / 1024 ** 3),
		platform: `${os.type()} ${os.release()} ${os.arch()}`,
		node: process.version,
		n8n: n8nVersion ?? installedN8n ?? runtime.N8N_VERSION,
		n8nCore: version('n8n-core'),
		n8nWorkflow: version('n8n-workflow'),
		loadAverageAtStart: loadAverage(),
	};
}

/** The 1, 5 and 15 min load averages, to 2 decimals. */
const loadAverage = () => os.loadavg().map((value) => Number(value.toFixed(2)));

/** @param {Summary} summary @returns {Table} */
function mainTable(summary) {
	const header = ['latency', 'N', 'variant', 'items out', 'requests', 'time ms (median)', 'min–max ms', 'contacts/s', 'CPU ms', 'n8n command ms', 'peak heap MB (Δ run)', 'peak RSS MB'];
	const rows = summary.cells.map((c) => [
		`${c.latencyMs} ms`,
		fmt(c.size),
		c.variant,
		fmt(c.items),
		c.variant === K4_VARIANT
			? `${c.requests} ${c.requestsOk ? '✓' : '✗'} (${k4RequestRange(c.size).join('–')})`
			: `${c.requests}${c.variant.startsWith('node') ? (c.requests === c.requestsExpected ? ' ✓' : ` ✗ (≠ ${c.requestsExpected})`) : ''}`,
		c.verifiedRuns === 0 ? 'FAILED' : `${fmt(c.timeMs)}${isNodeCoreVariant(c.variant) && c.executeMs !== undefined ? ` (execute ${fmt(c.executeMs)})` : ''}${c.verifiedRuns < c.runs ? ` (${c.runs - c.verifiedRuns} failed)` : ''}`,
		`${fmt(c.timeMinMs)}–${fmt(c.timeMaxMs)}`,
		fmt(c.contactsPerSecond),
		fmt(c.cpuMs),
		c.commandWallMs === undefined ? '—' : fmt(c.commandWallMs),
		c.peakHeapBytes === undefined
			? 'n/a'
			: `${fmt(mb(c.peakHeapBytes), 1)}${c.heapBeforeBytes !== undefined ? ` (+${fmt(mb(c.peakHeapBytes - c.heapBeforeBytes), 1)})` : ''}`,
		c.peakRssBytes === undefined ? `n/a${c.memoryNote ? ` (${c.memoryNote})` : ''}` : fmt(mb(c.peakRssBytes), 0),
	]);
	return { header, rows };
}

/** @param {Summary} summary @returns {Table} */
function ratioTable(summary) {
	const header = ['latency', 'N', 'node-core / baseline', '(CPU)', 'k4 / baseline', 'k4 / node-core', 'crm / node-core', '(CPU)', 'search / node-core', '(CPU)', 'node-n8n / http-request-n8n', '(command wall)', 'node-n8n / baseline'];
	const orDash = (/** @type {number | undefined} */ value) => (value === undefined ? '—' : fmt(value, 2));
	const rows = summary.ratios.map((r) => [
		`${r.latencyMs} ms`,
		fmt(r.size),
		fmt(r.nodeCoreOverBaseline, 2),
		fmt(r.nodeCoreCpuOverBaselineCpu, 2),
		orDash(r.k4OverBaseline),
		orDash(r.k4OverNodeCore),
		orDash(r.crmOverNodeCore),
		orDash(r.crmCpuOverNodeCoreCpu),
		orDash(r.searchOverNodeCore),
		orDash(r.searchCpuOverNodeCoreCpu),
		fmt(r.nodeN8nOverHttpRequestN8n, 2),
		fmt(r.nodeN8nCommandOverHttpRequestCommand, 2),
		fmt(r.nodeN8nOverBaseline, 2),
	]);
	return { header, rows };
}

/**
 * The Get Many tables and notes (main table, k4 and CRM notes, ratios), appended to `out`.
 * @param {Report} report
 * @param {boolean} markdown
 * @param {string[]} out
 */
function getManyLines(report, markdown, out) {
	const { summary, options } = report;
	const h = (/** @type {string} */ text) => out.push(markdown ? `### ${text}` : `== ${text} ==`, '');
	out.push(renderTable(mainTable(summary), markdown), '');
	out.push(
		'time ms: baseline and node-core (and its CRM variants) = wall time of the run in-process; node-n8n and http-request-n8n = executionTime n8n recorded for the node(s) (HTTP Request + Split Out summed). ' +
			'n8n command ms = the whole `n8n execute` (boot, run, saving and printing the execution). CPU ms = user+system CPU of the in-process run. ' +
			'Peak heap: V8 heap in use (live + not yet collected), sampled every 5 ms (in-process: Δ = above the heap before the run); real n8n: the n8n process. Peak RSS: the process\'s high-water mark (maxRSS / VmHWM). ' +
			'Every run was checked against the sandbox\'s own list: same ids, same order, same contents.',
		'',
	);
	if (summary.cells.some((c) => c.variant === K4_VARIANT)) {
		out.push(
			`node-core-k4: node-core with Return All + options ${JSON.stringify(K4_OPTIONS)}: up to ${K4} pages requested at once, consumed in offset order ` +
				`(same contacts, same order, checked against the same list as node-core). K=${K4} trades up to ${K4 - 1} extra requests (read ahead past the end: ` +
				`floor(N/1000)+1 to floor(N/1000)+${K4} requests, checked; requests column = the counts seen, range in brackets) for wall time. ` +
				'Measured like node-core, at every latency, in the same rotation; ratios k4 / baseline and k4 / node-core below.',
			'',
		);
	}
	if (options.crmLatencies?.length) {
		out.push(
			`CRM variants (at ${options.crmLatencies.join(', ')} ms latency only): the node with Return All + options ` +
				Object.entries(CRM_VARIANTS).map(([variant, { options: nodeOptions }]) => `${variant} = ${JSON.stringify(nodeOptions)}`).join(', ') +
				'; they read the same pages (floor(N/1000)+1 requests) and return fewer items (items out). Their output was checked against ' +
				'the sandbox\'s list filtered and derived by test/benchmark/crm-reference.js, an implementation of the options independent of the node\'s code. ' +
				`Measured like node-core, in the same rotation; target: each within ${fmt(CRM_TARGET, 2)} × node-core.`,
			'',
		);
	}
	h('Ratios (medians)');
	out.push(renderTable(ratioTable(summary), markdown), '');
}

/**
 * The whole report as text (printed) or markdown (latest.md).
 * @param {Report} report
 * @param {boolean} markdown
 */
function render(report, markdown) {
	const { machine, summary, probe, targets: targetList, options } = report;
	/** @type {string[]} */
	const out = [];
	const h = (/** @type {string} */ text) => out.push(markdown ? `### ${text}` : `== ${text} ==`, '');
	const getMany = options.phases.includes('get-many');
	h(
		getMany
			? 'Hypersender Contact › Get Many (Return All) benchmark'
			: options.phases.includes('sends')
				? 'Hypersender Message › Send Text benchmark'
				: 'Hypersender Contact Trigger at scale benchmark',
	);
	out.push(
		`Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}; Node ${machine.node}; n8n ${machine.n8n} (n8n-core ${machine.n8nCore}, n8n-workflow ${machine.n8nWorkflow}); load average at start ${machine.loadAverageAtStart.join(' / ')}, at end ${machine.loadAverageAtEnd.join(' / ')}.`,
	);
	if (!getMany) out.push('');
	else {
		out.push(
			`Runs: ${options.runs} per in-process cell (fresh process each, after ${WARMUPS} warm-up runs on 1,000 contacts), ${options.n8n ? `${options.n8nRuns} per real-n8n cell (one \`n8n execute\` each)` : 'real n8n skipped'}; medians. Sandbox in its own process, same seeded data for every variant; page size 1,000.`,
			'',
		);
		getManyLines(report, markdown, out);
	}
	if (report.sends) out.push(...sendsLines(report.sends, markdown));
	if (report.contactTrigger) out.push(...contactTriggerLines(report.contactTrigger, markdown));
	h('Targets');
	const t = { header: ['target', 'result', 'measured'], rows: targetList.map((x) => [x.target, x.pass === undefined ? 'n/a' : x.pass ? 'PASS' : 'FAIL', x.measured]) };
	out.push(renderTable(t, markdown), '');
	if (probe) {
		h('Where the time goes');
		out.push(...profileLines(probe, summary, markdown));
	}
	if (report.notes.length) {
		h('Notes');
		for (const note of report.notes) out.push(`- ${note}`);
		out.push('');
	}
	if (report.failures.length) {
		h('FAILURES');
		for (const failure of report.failures) out.push(`- ${failure}`);
		out.push('');
	}
	return out.join('\n');
}

/**
 * Writes bench-results/latest.json and latest.md and prints the text report on stdout.
 * @param {Report} report
 */
function writeReport(report) {
	fs.mkdirSync(RESULTS_DIR, { recursive: true });
	fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
	fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), `${render(report, true)}\n`);
	process.stdout.write(`\n${render(report, false)}\n`);
}

module.exports = { machineInfo, loadAverage, render, writeReport };
