// @ts-check
'use strict';
// Summarises a V8 .cpuprofile (as written by worker.js) into self time per module and the top
// self-time functions, so the node-core/baseline ratio can be explained.
const fs = require('node:fs');
const path = require('node:path');

const { PACKAGE_NAME } = require('../../scripts/fixtures');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * A V8 .cpuprofile (what Profiler.stop returns, and what --cpu-prof writes).
 * @typedef {{ functionName: string, url: string, lineNumber: number, columnNumber?: number, scriptId?: string }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[], hitCount?: number }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }} CpuProfile
 */
/** Only the samples in this span (µs, on the profile's monotonic clock). @typedef {{ startUs: number, endUs: number }} TimeWindow */
/** A frame to look for on every sample's stack: function name and/or a substring of its script. @typedef {{ label: string, fn?: string, url?: string }} InclusiveProbe */
/** @typedef {{ label: string, ms: number }} InclusiveTime */
/** Self time of one module bucket or group (shareOfBusy null for idle). @typedef {{ name: string, ms: number, shareOfBusy: number | null }} Bucket */
/** @typedef {{ functionName: string, location: string, category: string, ms: number }} FunctionTime */
/**
 * What summarizeProfile() gives.
 * @typedef {object} ProfileSummary
 * @property {string} file
 * @property {InclusiveTime[] | undefined} inclusive
 * @property {number} totalMs
 * @property {number} busyMs
 * @property {number} idleMs
 * @property {Bucket[]} groups
 * @property {Bucket[]} categories
 * @property {Array<FunctionTime & { shareOfBusy: number }>} topFunctions
 * @property {FunctionTime[] | undefined} functions
 */

const SOCKET_NATIVES = new Set(['connect', 'writev', 'writeBuffer', 'writeLatin1String', 'writeUtf8String', 'writeAsciiString', 'readStart', 'readStop', 'close', 'shutdown', 'getsockname', 'getpeername', 'setNoDelay', 'setKeepAlive', 'onStreamRead']);
const DECODE_NATIVES = new Set(['utf8Slice', 'latin1Slice', 'asciiSlice', 'decodeUTF8', 'decode', 'toString']);
// The frames JSON.parse runs in: V8 does not show JSON.parse as a frame of its own, its time is
// the self time of the function that calls it.
const JSON_PARSE_CALLERS = new Set(['parseJsonBody', 'parseJSONFromBytes']);

/** This package's files once it is installed in n8n (under the home's node_modules). */
const THIS_PACKAGE = new RegExp(`node_modules/${PACKAGE_NAME}/`);

/**
 * Module buckets, first match wins: [name, group, test(callFrame)]. `url` is the script of the
 * function's frame ('' for V8 builtins and native bindings). Groups are the coarse view used to
 * explain the ratio.
 * @type {Array<[string, string, (frame: CallFrame) => boolean]>}
 */
const CATEGORIES = [
	['(idle: waiting for the network)', 'idle', (f) => f.functionName === '(idle)'],
	['(garbage collector)', 'GC', (f) => f.functionName === '(garbage collector)'],
	['(program: V8/native, unattributed)', 'V8/native other', (f) => f.functionName === '(program)' || f.functionName === '(root)'],
	['JSON.parse (self time of its caller: parseJsonBody / undici parseJSONFromBytes)', 'JSON.parse', (f) => JSON_PARSE_CALLERS.has(f.functionName)],
	['Node native: TCP sockets (connect, write, read)', 'HTTP transport (Node http/net, sockets)', (f) => f.url === '' && SOCKET_NATIVES.has(f.functionName)],
	['Node native: bytes → string (utf8Slice, decode...)', 'HTTP transport (Node http/net, sockets)', (f) => (f.url === '' || f.url === 'node:internal/encoding' || f.url === 'node:buffer') && DECODE_NATIVES.has(f.functionName)],
	['V8 builtins (other)', 'V8/native other', (f) => f.url === ''],
	['undici / fetch (Node built-in)', 'HTTP client library', (f) => /node:internal\/deps\/undici/.test(f.url)],
	['axios', 'HTTP client library', (f) => /node_modules\/axios\//.test(f.url)],
	['@n8n/backend-network (per-request agents, SSRF/proxy checks)', 'HTTP client library', (f) => /node_modules\/@n8n\/backend-network\//.test(f.url)],
	['HTTP client deps (follow-redirects, form-data, proxy-from-env...)', 'HTTP client library', (f) => /node_modules\/(follow-redirects|form-data|proxy-from-env|combined-stream|asynckit|mime-types|mime-db|delayed-stream|http-proxy-agent|https-proxy-agent|agent-base|iconv-lite)\//.test(f.url)],
	['this node (dist/), JSON.parse excluded', 'this node (dist/)', (f) => THIS_PACKAGE.test(f.url) || (!/node_modules\//.test(f.url) && /\/dist\/(nodes|credentials)\//.test(f.url))],
	['n8n-nodes-base (HTTP Request, Split Out)', 'n8n-nodes-base (HTTP Request, Split Out)', (f) => /node_modules\/n8n-nodes-base\//.test(f.url)],
	['n8n server (cli), DB (typeorm, sqlite)', 'n8n server, DB', (f) => /node_modules\/(n8n\/dist|typeorm|sqlite3|@n8n\/db|@n8n\/typeorm|reflect-metadata|class-validator)\//.test(f.url)],
	['n8n expression runtime (@n8n/expression-runtime, tournament, isolated-vm)', 'n8n-core / n8n-workflow execution', (f) => /node_modules\/(@n8n\/expression-runtime|@n8n\/tournament|isolated-vm|esprima-next|recast|ast-types)\//.test(f.url) || f.url.startsWith('evalmachine.')],
	['n8n-core request helpers (httpRequest, auth)', 'HTTP client library', (f) => /n8n-core\/dist\/execution-engine\/node-execution-context\/utils\/request-helper/.test(f.url)],
	['n8n-core WorkflowExecute (run bookkeeping)', 'n8n-core / n8n-workflow execution', (f) => /n8n-core\/dist\/execution-engine\/(workflow-execute|execution-lifecycle-hooks|routing-node|partial-execution-utils)/.test(f.url)],
	['n8n-core node context (parameters, helpers...)', 'n8n-core / n8n-workflow execution', (f) => /n8n-core\/dist\/execution-engine\/node-execution-context\//.test(f.url)],
	['n8n-core (other)', 'n8n-core / n8n-workflow execution', (f) => /node_modules\/n8n-core\//.test(f.url)],
	['n8n-workflow (expressions: auth header per request, parameters)', 'n8n-core / n8n-workflow execution', (f) => /node_modules\/n8n-workflow\//.test(f.url)],
	['other node_modules (@n8n/*, luxon...)', 'n8n-core / n8n-workflow execution', (f) => /node_modules\//.test(f.url)],
	['benchmark code (harness, worker.js, profiler)', 'benchmark code', (f) => /\/(test\/harness|bench-build|test\/benchmark)\//.test(f.url) || f.url === 'node:inspector'],
	['Node core: http/net/streams/timers', 'HTTP transport (Node http/net, sockets)', (f) => /^node:(_http|http|https|net|stream|internal\/(streams|stream_base_commons|http|net|timers|async_hooks|process\/task_queues|url|dns))/.test(f.url)],
	['Node core (other)', 'Node core (other)', (f) => /^node:/.test(f.url)],
	['other', 'other', () => true],
];

/** @param {CallFrame} frame */
function categoryOf(frame) {
	for (const [name, group, test] of CATEGORIES) if (test(frame)) return { name, group };
	return { name: 'other', group: 'other' };
}

/** @param {string} url */
function shortUrl(url) {
	if (!url) return '(V8 builtin)';
	let text = url.replace(/^file:\/\//, '');
	if (text.startsWith(ROOT)) text = text.slice(ROOT.length + 1);
	const nm = text.lastIndexOf('node_modules/');
	if (nm !== -1) text = text.slice(nm + 'node_modules/'.length);
	return text;
}

/**
 * Self time per profile node: for sample i the time until the next sample (the way Chrome
 * DevTools attributes it); the last sample gets the median interval.
 * @param {CpuProfile} profile
 * @param {TimeWindow} [window]
 */
function selfTimes(profile, window) {
	const byId = new Map(profile.nodes.map((node) => [node.id, { node, selfUs: 0 }]));
	const { samples, timeDeltas } = profile;
	let timestamp = profile.startTime;
	for (let i = 0; i < samples.length; i++) {
		timestamp += timeDeltas[i] ?? 0;
		if (window && (timestamp < window.startUs || timestamp >= window.endUs)) continue;
		const delta = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0;
		const entry = byId.get(samples[i]);
		if (entry) entry.selfUs += Math.max(0, delta);
	}
	return [...byId.values()];
}

/**
 * Inclusive time (ms) of the samples whose stack holds a frame matching each probe
 * ({ label, fn: function name, url: substring of its script }), in the same window.
 * @param {CpuProfile} profile
 * @param {InclusiveProbe[]} probes
 * @param {TimeWindow} [window]
 * @returns {InclusiveTime[]}
 */
function inclusiveTimes(profile, probes, window) {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const totals = probes.map(() => 0);
	const { samples, timeDeltas } = profile;
	let timestamp = profile.startTime;
	for (let i = 0; i < samples.length; i++) {
		timestamp += timeDeltas[i] ?? 0;
		if (window && (timestamp < window.startUs || timestamp >= window.endUs)) continue;
		const delta = Math.max(0, i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0);
		const hit = probes.map(() => false);
		for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
			const frame = /** @type {ProfileNode} */ (byId.get(id)).callFrame;
			probes.forEach((probe, index) => {
				if ((!probe.fn || frame.functionName === probe.fn) && (!probe.url || frame.url.includes(probe.url))) hit[index] = true;
			});
		}
		hit.forEach((yes, index) => {
			if (yes) totals[index] += delta;
		});
	}
	return probes.map((probe, index) => ({ label: probe.label, ms: Math.round(totals[index] / 100) / 10 }));
}

/**
 * `window` ({ startUs, endUs } on the profile's monotonic clock) keeps only the samples taken
 * in that span, e.g. while one node ran inside a whole `n8n execute` process. `inclusive`: the
 * inclusive time of these frames too. `allFunctions`: also every function with at least 0.1 ms
 * of self time (to diff two profiles).
 * @param {string} file a .cpuprofile
 * @param {{ top?: number, window?: TimeWindow, inclusive?: InclusiveProbe[], allFunctions?: boolean }} [detail]
 * @returns {ProfileSummary}
 */
function summarizeProfile(file, { top = 12, window, inclusive, allFunctions = false } = {}) {
	/** @type {CpuProfile} */
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	if (window && (window.startUs < profile.startTime || window.endUs > profile.endTime + 1000)) {
		throw new Error(`the time window is outside the profile ${file}`);
	}
	const entries = selfTimes(profile, window);
	const totalUs = window ? window.endUs - window.startUs : profile.endTime - profile.startTime;
	const categories = new Map();
	const groups = new Map();
	const functions = new Map();
	for (const { node, selfUs } of entries) {
		if (selfUs === 0) continue;
		const frame = node.callFrame;
		const { name: category, group } = categoryOf(frame);
		categories.set(category, (categories.get(category) ?? 0) + selfUs);
		groups.set(group, (groups.get(group) ?? 0) + selfUs);
		const key = `${frame.functionName || '(anonymous)'}\u0000${frame.url}\u0000${frame.lineNumber}`;
		const current = functions.get(key) ?? {
			functionName: frame.functionName || '(anonymous)',
			location: `${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`,
			category,
			selfUs: 0,
		};
		current.selfUs += selfUs;
		functions.set(key, current);
	}
	const idleUs = groups.get('idle') ?? 0;
	const busyUs = totalUs - idleUs;
	const toMs = (/** @type {number} */ us) => Math.round(us / 100) / 10;
	return {
		file: path.relative(ROOT, file),
		inclusive: inclusive ? inclusiveTimes(profile, inclusive, window) : undefined,
		totalMs: toMs(totalUs),
		busyMs: toMs(busyUs),
		idleMs: toMs(idleUs),
		groups: [...groups.entries()]
			.sort((a, b) => b[1] - a[1])
			.map(([name, us]) => ({ name, ms: toMs(us), shareOfBusy: name === 'idle' ? null : us / busyUs })),
		categories: [...categories.entries()]
			.sort((a, b) => b[1] - a[1])
			.map(([name, us]) => ({ name, ms: toMs(us), shareOfBusy: name.startsWith('(idle') ? null : us / busyUs })),
		topFunctions: [...functions.values()]
			.filter((fn) => !fn.category.startsWith('(idle'))
			.sort((a, b) => b.selfUs - a.selfUs)
			.slice(0, top)
			.map((fn) => ({ functionName: fn.functionName, location: fn.location, category: fn.category, ms: toMs(fn.selfUs), shareOfBusy: fn.selfUs / busyUs })),
		functions: allFunctions
			? [...functions.values()]
					.filter((fn) => !fn.category.startsWith('(idle') && fn.selfUs >= 100)
					.sort((a, b) => b.selfUs - a.selfUs)
					.map((fn) => ({ functionName: fn.functionName, location: fn.location, category: fn.category, ms: toMs(fn.selfUs) }))
			: undefined,
	};
}

module.exports = { summarizeProfile };

if (require.main === module) {
	for (const file of process.argv.slice(2)) process.stdout.write(`${JSON.stringify(summarizeProfile(file), null, 2)}\n`);
}
