// @ts-check
'use strict';
// The report's "Where the time goes" section: the CPU profiles side by side (node-core against
// the baseline, the CRM variants against node-core, the node against HTTP Request in n8n), the
// split of node-core's wall time, and the memory probe.
const { fmt, mb } = require('./stats');
const { renderTable } = require('./tables');
const { CRM_VARIANT_NAMES, isNodeCoreVariant } = require('./variants');

/** @typedef {import('./types').Probe} Probe */
/** @typedef {import('./types').Summary} Summary */
/** @typedef {import('./types').Table} Table */
/** @typedef {import('./types').ProfileSummary} ProfileSummary */
/** @typedef {import('./profile').FunctionTime} FunctionTime */
/** @typedef {'groups' | 'categories'} Breakdown */

/**
 * Self time (ms) of one group or module in a profile (0 when absent).
 * @param {ProfileSummary} profile
 * @param {Breakdown} key
 * @param {string} name
 */
const selfMs = (profile, key, name) => profile[key].find((c) => c.name === name)?.ms ?? 0;

/**
 * Two profiles side by side, by group or by module (self time, ms).
 * @param {ProfileSummary} left
 * @param {ProfileSummary} right
 * @param {Breakdown} key
 * @param {string} title
 * @param {[string, string]} names the two columns
 * @returns {Table}
 */
function compareProfiles(left, right, key, title, [leftName, rightName]) {
	const names = [...new Set([...left[key], ...right[key]].map((c) => c.name))].filter((name) => !/^\(?idle/.test(name));
	const of = (/** @type {ProfileSummary} */ profile, /** @type {string} */ name) => selfMs(profile, key, name);
	names.sort((a, b) => of(left, b) - of(right, b) - (of(left, a) - of(right, a)));
	return {
		header: [title, `${leftName} ms`, `${rightName} ms`, 'difference ms'],
		rows: [
			['on CPU (busy), total', fmt(left.busyMs, 1), fmt(right.busyMs, 1), fmt(left.busyMs - right.busyMs, 1)],
			...names
				.filter((name) => Math.max(of(left, name), of(right, name)) >= 0.5)
				.map((name) => [name, fmt(of(left, name), 1), fmt(of(right, name), 1), fmt(of(left, name) - of(right, name), 1)]),
			['(idle: waiting for the sandbox)', fmt(left.idleMs, 1), fmt(right.idleMs, 1), fmt(left.idleMs - right.idleMs, 1)],
		],
	};
}

/**
 * node-core and each CRM variant's profile side by side, by group or by module (self time, ms).
 * @param {Probe} probe
 * @param {string[]} crmProfiles the CRM variants profiled
 * @param {Breakdown} key
 * @param {string} title
 * @returns {Table}
 */
function crmCompareTable(probe, crmProfiles, key, title) {
	const core = probe.profiles['node-core'];
	const profiles = [core, ...crmProfiles.map((variant) => probe.profiles[variant])];
	const of = (/** @type {ProfileSummary} */ profile, /** @type {string} */ name) => selfMs(profile, key, name);
	const names = [...new Set(profiles.flatMap((profile) => profile[key].map((c) => c.name)))].filter((name) => !/^\(?idle/.test(name));
	const extra = (/** @type {string} */ name) => Math.max(...profiles.slice(1).map((profile) => Math.abs(of(profile, name) - of(core, name))));
	names.sort((a, b) => extra(b) - extra(a));
	/**
	 * @param {string} label
	 * @param {(profile: ProfileSummary) => number} value
	 */
	const row = (label, value) => [label, fmt(value(core), 1), ...profiles.slice(1).flatMap((profile) => [fmt(value(profile), 1), fmt(value(profile) - value(core), 1)])];
	return {
		header: [title, 'node-core ms', ...crmProfiles.flatMap((variant) => [`${variant} ms`, 'Δ ms'])],
		rows: [
			row('on CPU (busy), total', (profile) => profile.busyMs),
			...names.filter((name) => Math.max(...profiles.map((profile) => of(profile, name))) >= 0.5).map((name) => row(name, (profile) => of(profile, name))),
			row('(idle: waiting for the sandbox)', (profile) => profile.idleMs),
		],
	};
}

/**
 * The functions whose self time differs the most between `profile` and node-core's.
 * @param {ProfileSummary} profile
 * @param {ProfileSummary} core
 * @param {string} variant
 * @param {number} count
 * @returns {Table}
 */
function functionDiffTable(profile, core, variant, count) {
	const key = (/** @type {FunctionTime} */ fn) => `${fn.functionName}\u0000${fn.location}`;
	/** @type {Map<string, FunctionTime & { core: number, other: number }>} */
	const all = new Map();
	for (const fn of core.functions ?? []) all.set(key(fn), { ...fn, core: fn.ms, other: 0 });
	for (const fn of profile.functions ?? []) {
		const entry = all.get(key(fn)) ?? { ...fn, core: 0, other: 0 };
		entry.other = fn.ms;
		all.set(key(fn), entry);
	}
	const rows = [...all.values()].sort((a, b) => b.other - b.core - (a.other - a.core)).slice(0, count);
	return {
		header: [`${variant}: functions with the most extra self time`, 'module', 'node-core ms', `${variant} ms`, 'Δ ms'],
		rows: rows.map((fn) => [`${fn.functionName} (${fn.location})`, fn.category, fmt(fn.core, 1), fmt(fn.other, 1), fmt(fn.other - fn.core, 1)]),
	};
}

/**
 * @param {ProfileSummary} profile
 * @param {string} title
 * @param {number} count
 * @returns {Table}
 */
function topFunctions(profile, title, count) {
	return {
		header: [title, 'module', 'ms', '% of busy'],
		rows: profile.topFunctions.slice(0, count).map((fn) => [`${fn.functionName} (${fn.location})`, fn.category, fmt(fn.ms, 1), fmt(fn.shareOfBusy * 100, 1)]),
	};
}

/**
 * The section's lines (text or markdown).
 * @param {Probe | undefined} probe
 * @param {Summary} summary
 * @param {boolean} markdown
 * @returns {string[]}
 */
function profileLines(probe, summary, markdown) {
	/** @type {string[]} */
	const lines = [];
	const table = (/** @type {Table} */ t) => lines.push(renderTable(t, markdown), '');
	if (!probe) return lines;
	const base = probe.profiles.baseline;
	const core = probe.profiles['node-core'];
	if (base && core) {
		lines.push(
			`In-process CPU profile, N=${fmt(probe.size)}, no added latency (V8 sampling profiler at 200 µs, timed run only, after the warm-up; self time in ms). ` +
				'V8 shows no frame for JSON.parse: its time is the self time of the function that calls it (parseJsonBody in the node, parseJSONFromBytes in fetch).',
			'',
		);
		table(compareProfiles(core, base, 'groups', 'where the CPU time goes', ['node-core', 'baseline']));
		table(compareProfiles(core, base, 'categories', 'by module', ['node-core', 'baseline']));
		table(topFunctions(core, 'node-core: top self-time functions', 12));
		table(topFunctions(base, 'baseline: top self-time functions', 6));
	}
	const crmProfiles = CRM_VARIANT_NAMES.filter((variant) => probe.profiles[variant]);
	if (core && crmProfiles.length) {
		lines.push(
			`CRM options, N=${fmt(probe.size)}, no added latency: one profiled run of each CRM variant against the node-core one above (same profiler; ` +
				'one run each, so differences of a few ms are noise). Wall under the profiler: ' +
				['node-core', ...crmProfiles].map((variant) => `${variant} ${fmt(probe.profiles[variant].wallMs)} ms (execute ${fmt(probe.profiles[variant].executeMs)} ms)`).join(', ') +
				'.',
			'',
		);
		table(crmCompareTable(probe, crmProfiles, 'groups', 'where the CPU time goes'));
		if (core.inclusive) {
			table({
				header: ['inclusive time (samples whose stack holds...)', 'node-core ms', ...crmProfiles.map((variant) => `${variant} ms`)],
				rows: core.inclusive.map((entry, index) => [entry.label, fmt(entry.ms, 1), ...crmProfiles.map((variant) => fmt(probe.profiles[variant].inclusive?.[index]?.ms, 1))]),
			});
		}
		for (const variant of crmProfiles) table(functionDiffTable(probe.profiles[variant], core, variant, 12));
	}
	const coreCells = summary.cells.filter((c) => isNodeCoreVariant(c.variant) && c.executeMs !== undefined);
	if (coreCells.length) {
		lines.push(
			'node-core\'s wall time (medians): inside the node\'s execute() (paging, parsing, filtering, building items) vs n8n-core around it (WorkflowExecute setup, paired items, run data, hooks):',
			'',
		);
		table({
			header: ['latency', 'N', 'variant', 'items out', 'wall ms', 'in execute() ms', 'n8n-core around it ms'],
			rows: coreCells.map((c) => [`${c.latencyMs} ms`, fmt(c.size), c.variant, fmt(c.items), fmt(c.timeMs), fmt(c.executeMs), fmt(Number(c.timeMs) - Number(c.executeMs))]),
		});
	}
	n8nProfileLines(probe, table, lines);
	if (probe.memory) {
		const m = probe.memory;
		lines.push(
			`Live heap after a forced GC, N=${fmt(m.size)} (memory probe): one copy of the contacts (baseline's array) = ${fmt(mb(m.oneCopyBytes), 1)} MB. ` +
				`The node holds ${fmt(mb(m.node.beforeConstruct), 1)} MB when returnJsonArray() has built its items, ${fmt(mb(m.node.afterConstruct), 1)} MB once constructExecutionMetaData() has built its own, ` +
				`${fmt(mb(m.node.nodeReturned), 1)} MB when execute() returns and ${fmt(mb(m.node.afterRun), 1)} MB after the run: at most ${fmt(m.copies, 2)}× one copy.`,
			'',
		);
	}
	return lines;
}

/**
 * Whether a real-n8n profile was summarised (rather than a note on why not).
 * @param {import('./types').N8nProfile | undefined} profile
 * @returns {profile is Extract<import('./types').N8nProfile, { nodes: string[] }>}
 */
const summarised = (profile) => !!profile && 'groups' in profile && !!profile.groups;

/**
 * The real-n8n profiles, node-n8n against http-request-n8n.
 * @param {Probe} probe
 * @param {(t: Table) => void} table
 * @param {string[]} lines
 */
function n8nProfileLines(probe, table, lines) {
	const n8nNode = probe.n8n?.profiles?.['node-n8n'];
	const n8nHttp = probe.n8n?.profiles?.['http-request-n8n'];
	if (probe.n8n && summarised(n8nNode) && summarised(n8nHttp)) {
		lines.push(
			`Real n8n CPU profile, N=${fmt(probe.n8n.size)}, no added latency (--cpu-prof at 250 µs on the \`n8n execute\` process; only the samples taken while the measured nodes ran: ` +
				`Hypersender ${fmt(n8nNode.executionTime)} ms, HTTP Request + Split Out ${fmt(n8nHttp.executionTime)} ms in this run):`,
			'',
		);
		table(compareProfiles(n8nNode, n8nHttp, 'groups', 'where the CPU time goes (real n8n)', ['node-n8n', 'http-request-n8n']));
		table(compareProfiles(n8nNode, n8nHttp, 'categories', 'by module (real n8n)', ['node-n8n', 'http-request-n8n']));
		if (n8nNode.inclusive && n8nHttp.inclusive) {
			const httpInclusive = n8nHttp.inclusive;
			table({
				header: ['inclusive time in the window (samples whose stack holds...)', 'node-n8n ms', 'http-request-n8n ms'],
				rows: n8nNode.inclusive.map((entry, index) => [entry.label, fmt(entry.ms, 1), fmt(httpInclusive[index]?.ms, 1)]),
			});
		}
		table(topFunctions(n8nNode, 'node-n8n: top self-time functions', 10));
		table(topFunctions(n8nHttp, 'http-request-n8n: top self-time functions', 10));
	} else if (probe.n8n) {
		lines.push(`Real n8n profile: ${n8nNode?.note ?? n8nHttp?.note ?? 'not available'}`, '');
	}
}

module.exports = { profileLines };
