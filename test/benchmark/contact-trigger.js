// @ts-check
'use strict';
// The Contact Trigger at scale (`npm run bench -- --only=contact-trigger`, part of the default run):
// what one poll costs beyond its reads at N contacts (--ct-size, default 1,000,000; --quick
// 250,000): decode the stored state, compare the read with it, encode the next state, for
//
//   node      the trigger's code as poll() calls it (dist/nodes/HypersenderContactTrigger/state.js)
//   baseline  the algorithm before issue 22 (per contact an 8-character string key in a Map,
//             the Map copied every poll, its keys sorted to encode), kept below as a reference
//
// each with Include Name Changes off (the default) and on. Each algorithm runs in a fresh process
// (this file, forked with --expose-gc): it builds the book, makes the previous poll's state with
// its own code (untimed), then times its polls, each after a forced GC with the read and the
// stored state (JSON.parse of what n8n keeps) already in memory.
//
// The measured poll reads the book; the previous poll saw it without ADDED contacts, with GONE
// contacts that are not in the book any more, and with other names for RENAMED contacts. Both
// algorithms must report exactly the ADDED contacts as added and, names on, the RENAMED ones as
// renamed with their previous names (anything else is a failure: exit 1). The node then polls the
// same book once more: nothing changed, so it must write nothing.
//
// Heap: V8's GCProfiler records the heap before every collection during the timed poll, plus one
// reading at its end with its result still held; peak = the highest, extra = peak - the heap
// before. Shown for the V8 heap and for V8 heap + external memory (ArrayBuffers: the node's
// typed arrays and both algorithms' Buffers live there, not on the V8 heap).
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const v8 = require('node:v8');

const ADDED = 1000;
const GONE = 1000;
const RENAMED = 100;
/** The issue's targets for a poll at 1,000,000 contacts with names off. */
const TARGET_SIZE = 1_000_000;
const TARGET_MS = 2000;
const TARGET_MB = 250;
const STATE_JS = path.join(__dirname, '..', '..', 'dist', 'nodes', 'HypersenderContactTrigger', 'state.js');

/**
 * One timed poll.
 * @typedef {object} ContactTriggerRun
 * @property {'node' | 'baseline'} algorithm
 * @property {boolean} names Include Name Changes
 * @property {'changed' | 'unchanged'} book whether the book changed since the stored state
 * @property {number} decodeMs
 * @property {number} compareMs
 * @property {number} encodeMs 0 when nothing was encoded
 * @property {number} totalMs decode + compare + encode
 * @property {number} cpuMs user + system CPU of the process over them (GC threads included)
 * @property {number} heapExtraBytes peak V8 heap over the poll, above the heap before it
 * @property {number} totalExtraBytes the same for V8 heap + external memory
 * @property {number} changes items the poll would output
 * @property {boolean} written whether the poll produced a state to store
 * @property {number | undefined} stateBytes the JSON of that state
 */
/**
 * The phase's part of bench-results/latest.json (`contactTrigger`).
 * @typedef {object} ContactTriggerSummary
 * @property {number} size contacts read
 * @property {number} added contacts new since the stored state
 * @property {number} gone contacts remembered but not read
 * @property {number} renamed contacts with other names than remembered
 * @property {Record<string, number>} prepareMs per algorithm, the untimed previous poll
 * @property {ContactTriggerRun[]} runs
 */
/** @typedef {{ id: string, name: string | null, pushname: string | null }} Contact */
/** @typedef {{ changes: Array<{ contact: Contact, change: string, previous?: { name: string | null } | null }>, next: unknown, names: unknown, changed?: boolean }} Comparison */
/** @typedef {{ decodeState(stored: unknown): unknown, compare(contacts: Contact[], remembered: unknown, options: object): Comparison, encodeState(next: any, names: unknown): object }} Algorithm */

// ---------------------------------------------------------------------------------------
// The baseline: state.ts as it was before issue 22 (version 1), trimmed to what a poll runs.

const { createHash } = require('node:crypto');

/** @type {Algorithm} */
const baseline = (() => {
	const digest = (/** @type {string} */ text) => createHash('md5').update(text, 'utf8').digest();
	const nameOf = (/** @type {unknown} */ value) => (typeof value === 'string' ? value : null);
	const namesHash = (/** @type {Contact} */ c) => digest(`${nameOf(c.name) ?? '\u0000'}\u0001${nameOf(c.pushname) ?? '\u0000'}`).readUInt32BE(0);
	return {
		decodeState(/** @type {any} */ stored) {
			if (!stored || stored.version !== 1) return undefined;
			const bytes = Buffer.from(stored.contacts, 'base64');
			const remembered = new Map();
			for (let at = 0; at < bytes.length; at += 12) remembered.set(bytes.toString('latin1', at, at + 8), bytes.readUInt32BE(at + 8));
			return remembered;
		},
		compare(contacts, /** @type {Map<string, number> | undefined} */ remembered, /** @type {any} */ options) {
			const next = new Map(remembered ?? []);
			/** @type {Comparison['changes']} */
			const changes = [];
			/** @type {Record<string, unknown> | undefined} */
			const names = options.includeNameChanges ? { ...(options.previousNames ?? {}) } : undefined;
			for (const contact of contacts) {
				const key = digest(contact.id).toString('latin1', 0, 8);
				const hash = namesHash(contact);
				const before = remembered?.get(key);
				if (remembered && before === undefined) changes.push({ contact, change: 'added' });
				else if (remembered && options.includeNameChanges && before !== hash) {
					const old = options.previousNames?.[contact.id];
					changes.push({ contact, change: 'renamed', previous: Array.isArray(old) ? { name: nameOf(old[0]) } : null });
				}
				next.set(key, hash);
				if (names) names[contact.id] = [nameOf(contact.name), nameOf(contact.pushname)];
			}
			return { changes, next, names };
		},
		encodeState(/** @type {Map<string, number>} */ remembered, names) {
			const keys = [...remembered.keys()].sort();
			const bytes = Buffer.alloc(keys.length * 12);
			keys.forEach((key, index) => {
				bytes.write(key, index * 12, 8, 'latin1');
				bytes.writeUInt32BE(/** @type {number} */ (remembered.get(key)), index * 12 + 8);
			});
			return { version: 1, count: keys.length, contacts: bytes.toString('base64'), ...(names ? { names } : {}) };
		},
	};
})();

// ---------------------------------------------------------------------------------------
// The child: the book, the previous state, the timed polls.

/**
 * The book (N contacts, 1 in 5 a linked ID, some without names; unique IDs by construction) and
 * the previous poll's read: without the ADDED, with the GONE, with the RENAMED's old names.
 * @param {number} size
 */
function books(size) {
	let seed = 22;
	const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
	const first = ['Anna', 'Ben', 'Chiara', 'Deniz', 'Emil', 'Fatma', 'Goran', 'Hana', 'Ivo', 'Jana'];
	const last = ['Meyer', 'Rossi', 'Yilmaz', 'Novak', 'Schmidt', 'Costa', 'Berg', 'Kaya'];
	/** @param {number} index @returns {Contact} */
	const contact = (index) => {
		const scrambled = String((index * 48271 + 12345) % 1e8).padStart(8, '0');
		const id = index % 5 === 0 ? `1000${scrambled}0@lid` : `49151${scrambled}@c.us`;
		const name = random() < 0.3 ? null : `${first[Math.floor(random() * first.length)]} ${last[Math.floor(random() * last.length)]} ${index}`;
		return { id, name, pushname: random() < 0.4 ? null : `${first[index % first.length]}${index % 97}` };
	};
	const read = Array.from({ length: size }, (_, index) => contact(index));
	const addedEvery = Math.floor(size / ADDED);
	const renamedEvery = Math.floor(size / RENAMED);
	const added = new Set(read.filter((_, index) => index % addedEvery === 1).map((c) => c.id));
	/** @type {Map<string, string>} id → previous name */
	const renamed = new Map(read.filter((_, index) => index % renamedEvery === 2).map((c) => [c.id, `${c.name ?? 'Nobody'} (before)`]));
	const previous = read.filter((c) => !added.has(c.id)).map((c) => (renamed.has(c.id) ? { ...c, name: /** @type {string} */ (renamed.get(c.id)) } : c));
	for (let index = size; index < size + GONE; index++) previous.push(contact(index));
	return { read, previous, added, renamed };
}

const heapNow = () => {
	const stats = v8.getHeapStatistics();
	return { heap: stats.used_heap_size, total: stats.used_heap_size + stats.external_memory };
};

/**
 * `poll` timed, with the peak heap over it (see the header).
 * @template T
 * @param {() => T} poll
 */
function measured(poll) {
	global.gc?.();
	global.gc?.();
	const start = heapNow();
	const profiler = new v8.GCProfiler();
	profiler.start();
	const cpu = process.cpuUsage();
	const result = poll();
	const { user, system } = process.cpuUsage(cpu);
	const end = heapNow();
	const peaks = [start, end, ...profiler.stop().statistics.map(({ beforeGC: { heapStatistics: s } }) => ({ heap: s.usedHeapSize, total: s.usedHeapSize + s.externalMemory }))];
	const peakOf = (/** @type {'heap' | 'total'} */ key) => Math.max(...peaks.map((p) => p[key])) - start[key];
	return { result, cpuMs: (user + system) / 1000, heapExtraBytes: peakOf('heap'), totalExtraBytes: peakOf('total') };
}

/**
 * One timed poll: decode, compare, encode (the node encodes only when something changed).
 * @param {Algorithm} algorithm
 * @param {Contact[]} read
 * @param {string} storedJson the state as n8n keeps it
 * @param {boolean} includeNameChanges
 */
function timedPoll(algorithm, read, storedJson, includeNameChanges) {
	const stored = JSON.parse(storedJson);
	const times = { decodeMs: 0, compareMs: 0, encodeMs: 0 };
	const { result, cpuMs, heapExtraBytes, totalExtraBytes } = measured(() => {
		const t0 = performance.now();
		const remembered = algorithm.decodeState(stored);
		const t1 = performance.now();
		const comparison = algorithm.compare(read, remembered, { includeNameChanges, previousNames: stored.names, namesInPlace: true });
		const t2 = performance.now();
		const state = comparison.changed === false ? undefined : algorithm.encodeState(comparison.next, comparison.names);
		Object.assign(times, { decodeMs: t1 - t0, compareMs: t2 - t1, encodeMs: performance.now() - t2 });
		return { comparison, state };
	});
	return { ...times, totalMs: times.decodeMs + times.compareMs + times.encodeMs, cpuMs, heapExtraBytes, totalExtraBytes, ...result };
}

/**
 * What a poll should have reported, as a failure message (undefined when right).
 * @param {Comparison} comparison
 * @param {ReturnType<typeof books>} book
 * @param {boolean} withNames
 */
function wrongChanges(comparison, book, withNames) {
	const added = comparison.changes.filter((c) => c.change === 'added');
	const renamed = comparison.changes.filter((c) => c.change === 'renamed');
	if (added.length !== book.added.size || added.some((c) => !book.added.has(c.contact.id))) return `${added.length} added, not the ${book.added.size} added`;
	const expectedRenamed = withNames ? book.renamed.size : 0;
	if (renamed.length !== expectedRenamed || renamed.some((c) => book.renamed.get(c.contact.id) !== c.previous?.name)) {
		return `${renamed.length} renamed, not the ${expectedRenamed} renamed with their previous names`;
	}
	return undefined;
}

/**
 * A first poll's state of `contacts` with the algorithm's own code, as n8n stores it (JSON), with
 * and without the names. In a function of its own, so that nothing of it stays in memory.
 * @param {Algorithm} algorithm
 * @param {Contact[]} contacts
 */
function firstState(algorithm, contacts) {
	const first = algorithm.compare(contacts, undefined, { includeNameChanges: true, previousNames: undefined });
	return { withNames: JSON.stringify(algorithm.encodeState(first.next, first.names)), withoutNames: JSON.stringify(algorithm.encodeState(first.next, undefined)) };
}

/** @param {{ algorithm: 'node' | 'baseline', size: number }} config */
function child(config) {
	/** @type {Algorithm} */
	const algorithm = config.algorithm === 'node' ? require(STATE_JS) : baseline;
	const book = books(config.size);
	const preparing = performance.now();
	const { withNames, withoutNames } = firstState(algorithm, book.previous);
	const prepareMs = performance.now() - preparing;
	// The state of a poll of the book itself: no contact missing (which would count as a change).
	const settled = algorithm === baseline ? undefined : firstState(algorithm, book.read).withoutNames;
	// What stays for the timed polls is what n8n holds at that point: the read and the stored state.
	book.previous = [];
	/** @type {string[]} */
	const failures = [];
	// Names off first: a names-on stored state puts a million names on the heap, which every GC
	// after it would have to mark (as it does in n8n when the option is on).
	const cases = /** @type {const} */ ([
		[false, 'changed', withoutNames],
		[false, 'unchanged', settled],
		[true, 'changed', withNames],
	]);
	/** @type {ContactTriggerRun[]} */
	const runs = [];
	for (const [names, changed, stored] of cases) {
		if (stored === undefined) continue;
		const poll = timedPoll(algorithm, book.read, stored, names);
		const label = `contact-trigger ${config.algorithm}, names ${names ? 'on' : 'off'}, ${changed}`;
		const wrong = changed === 'changed' ? wrongChanges(poll.comparison, book, names) : poll.state || poll.comparison.changes.length ? 'wrote its state or reported changes' : undefined;
		if (wrong) failures.push(`${label}: ${wrong}`);
		const { decodeMs, compareMs, encodeMs, totalMs, cpuMs, heapExtraBytes, totalExtraBytes } = poll;
		const stateBytes = poll.state ? JSON.stringify(poll.state).length : undefined;
		const written = poll.state !== undefined;
		runs.push({ algorithm: config.algorithm, names, book: changed, decodeMs, compareMs, encodeMs, totalMs, cpuMs, heapExtraBytes, totalExtraBytes, changes: poll.comparison.changes.length, written, stateBytes });
	}
	return { ok: true, prepareMs, runs, failures };
}

if (require.main === module) {
	const send = /** @type {NonNullable<typeof process.send>} */ (process.send);
	try {
		send.call(process, child(JSON.parse(process.argv[2])));
	} catch (error) {
		send.call(process, { ok: false, error: String(/** @type {Error} */ (error).stack ?? error) });
	}
}

// ---------------------------------------------------------------------------------------
// The parent: the phase, its targets and its section of the report.

/**
 * Both algorithms, one fresh process each; failures go to `recorder`.
 * @param {import('./types').Options} options
 * @param {import('./results').Recorder} recorder
 * @returns {Promise<ContactTriggerSummary>}
 */
async function contactTriggerPhase(options, recorder) {
	const { forkWorker } = require('./in-process');
	const { log } = require('./log');
	const { fmt } = require('./stats');
	const size = options.ctSize;
	log(`Contact Trigger: one poll's comparison at ${fmt(size)} contacts, node and baseline, Include Name Changes off and on`);
	/** @type {ContactTriggerRun[]} */
	const runs = [];
	/** @type {Record<string, number>} */
	const prepareMs = {};
	for (const algorithm of /** @type {const} */ (['node', 'baseline'])) {
		/** @type {any} */
		const report = await forkWorker(__filename, { algorithm, size }, 10 * 60 * 1000);
		if (!report.ok) {
			recorder.failures.push(`contact-trigger ${algorithm}: ${report.error}`);
			continue;
		}
		recorder.failures.push(...report.failures);
		runs.push(...report.runs);
		prepareMs[algorithm] = report.prepareMs;
		for (const run of /** @type {ContactTriggerRun[]} */ (report.runs)) {
			log(`  ${algorithm}, names ${run.names ? 'on' : 'off'}, ${run.book}: ${fmt(run.totalMs)} ms (CPU ${fmt(run.cpuMs)} ms), +${fmt(run.heapExtraBytes / 2 ** 20)} MB heap (+${fmt(run.totalExtraBytes / 2 ** 20)} MB with external)`);
		}
	}
	return { size, added: ADDED, gone: GONE, renamed: RENAMED, prepareMs, runs };
}

/**
 * @param {ContactTriggerSummary} summary
 * @param {'node' | 'baseline'} algorithm
 * @param {boolean} names
 */
const runOf = (summary, algorithm, names) => summary.runs.find((r) => r.algorithm === algorithm && r.names === names && r.book === 'changed');

/**
 * @param {ContactTriggerSummary} summary
 * @returns {import('./types').Target[]}
 */
function contactTriggerTargets(summary) {
	const { fmt } = require('./stats');
	const node = runOf(summary, 'node', false);
	const unchanged = summary.runs.find((r) => r.book === 'unchanged');
	const atSize = summary.size >= TARGET_SIZE;
	const at = `at ${fmt(summary.size)} contacts${atSize ? '' : ` (the target is for ${fmt(TARGET_SIZE)}: n/a)`}`;
	return [
		{
			target: `Contact Trigger: a poll's comparison (decode + compare + encode) ≤ ${fmt(TARGET_MS)} ms beyond the reads, names off, ${at}`,
			pass: node && atSize ? node.totalMs <= TARGET_MS : undefined,
			measured: node ? `${fmt(node.totalMs)} ms` : 'not measured',
		},
		{
			target: `Contact Trigger: ≤ ${TARGET_MB} MB extra heap (V8 heap + external), names off, ${at}`,
			pass: node && atSize ? node.totalExtraBytes / 2 ** 20 <= TARGET_MB : undefined,
			measured: node ? `${fmt(node.totalExtraBytes / 2 ** 20)} MB (V8 heap alone ${fmt(node.heapExtraBytes / 2 ** 20)} MB)` : 'not measured',
		},
		{
			target: 'Contact Trigger: a poll that finds nothing changed writes no state',
			pass: unchanged ? !unchanged.written : undefined,
			measured: unchanged ? `${unchanged.written ? 'wrote' : 'wrote nothing'} (${fmt(unchanged.totalMs)} ms)` : 'not measured',
		},
	];
}

/**
 * The report's section: one row per poll, then baseline / node.
 * @param {ContactTriggerSummary} summary
 * @param {boolean} markdown
 * @returns {string[]}
 */
function contactTriggerLines(summary, markdown) {
	const { fmt, mb, ratio } = require('./stats');
	const { renderTable } = require('./tables');
	const out = [markdown ? '### Contact Trigger at scale' : '== Contact Trigger at scale ==', ''];
	const header = ['algorithm', 'names', 'poll', 'changes', 'decode ms', 'compare ms', 'encode ms', 'total ms', 'CPU ms', 'extra heap MB', 'extra heap + external MB', 'state written'];
	const rows = summary.runs.map((r) => [
		r.algorithm,
		r.names ? 'on' : 'off',
		r.book === 'changed' ? `${fmt(summary.added)} added, ${fmt(summary.gone)} gone${r.names ? `, ${fmt(summary.renamed)} renamed` : ''}` : 'nothing changed',
		fmt(r.changes),
		fmt(r.decodeMs),
		fmt(r.compareMs),
		fmt(r.encodeMs),
		fmt(r.totalMs),
		fmt(r.cpuMs),
		fmt(mb(r.heapExtraBytes)),
		fmt(mb(r.totalExtraBytes)),
		r.written ? `yes${r.stateBytes === undefined ? '' : ` (${fmt(mb(r.stateBytes), 1)} MB)`}` : 'no',
	]);
	out.push(renderTable({ header, rows }, markdown), '');
	const ratioRows = [false, true].map((names) => {
		const node = runOf(summary, 'node', names);
		const base = runOf(summary, 'baseline', names);
		return [names ? 'on' : 'off', fmt(ratio(base?.totalMs, node?.totalMs), 1), fmt(ratio(base?.heapExtraBytes, node?.heapExtraBytes), 1), fmt(ratio(base?.totalExtraBytes, node?.totalExtraBytes), 1)];
	});
	out.push(renderTable({ header: ['names', 'time: baseline / node', 'extra heap: baseline / node', 'heap + external: baseline / node'], rows: ratioRows }, markdown), '');
	out.push(
		`${fmt(summary.size)} contacts read (in memory before the timed poll, like the stored state: the reads are not measured). ` +
			'baseline = the trigger\'s algorithm before issue 22, kept in test/benchmark/contact-trigger.js; node = dist/nodes/HypersenderContactTrigger/state.js. ' +
			'Extra heap: the peak over the poll (V8 heap before each GC and at the end) above the heap before it; external = ArrayBuffers (typed arrays, Buffers). ' +
			`One run each, in a fresh process per algorithm; the previous poll's state took ${Object.entries(summary.prepareMs).map(([a, ms]) => `${a} ${fmt(ms)} ms`).join(', ')} to make (untimed). ` +
			'Both algorithms\' changes were checked (the added, and names on the renamed with their previous names).',
		'',
	);
	return out;
}

module.exports = { contactTriggerPhase, contactTriggerTargets, contactTriggerLines };
