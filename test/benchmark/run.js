#!/usr/bin/env node
// @ts-check
'use strict';
// Benchmark of Contact › Get Many (Return All), Message › Send Text and the Contact Trigger at scale:
// `npm run bench [-- --quick]` (`-- --only=sends` for Send Text alone, `-- --only=get-many` for Get
// Many alone, `-- --only=contact-trigger` for the Contact Trigger alone).
//
// It prints figures; it is not a test, except that every run's output is checked against the
// sandbox's own list (and the node's request count against floor(N/1000)+1): a wrong result
// makes it exit non-zero. Variants, measured side by side on the same sandbox data:
//
//   baseline          a minimal fetch loop (limit=1000, offset += 1000 while the page is full)
//   node-core         the node (dist/) run by n8n-core's real WorkflowExecute, via the project's
//                     harness test/harness/n8n-core.ts (compiled to .e2e/bench-build)
//   node-core-crm     node-core with Return All + options { contactKind: ['phone', 'lid'],
//                     addDerivedFields: true }: the cost of the kind filter and derived fields
//   node-core-search  node-core with Return All + options { nameSearch: 'an' }
//                     (both CRM variants: by default only at 0 ms latency, see --crm-latencies;
//                     their output is checked against crm-reference.js, an independent
//                     implementation of the options, applied to the sandbox's own list)
//   node-core-k4      node-core with Return All + options { concurrency: 4 }: up to 4 pages requested
//                     at once (same contacts, same order); floor(N/1000)+1 to floor(N/1000)+4 requests
//   node-n8n          the packed node in a real n8n: Manual Trigger → Hypersender, `n8n execute`
//   http-request-n8n  what users do without this package, in the same n8n: HTTP Request with
//                     pagination (offset = $pageCount * 1000, limit 1000) → Split Out on `data`
//
// Send Text (sends.js, after Get Many): 1,000 sends with Wait for Result off at 20 ms latency, and
// 100 with Wait for Result on (the sandbox taking 2 s per request), the node run by n8n-core against
// a bare fetch loop making the same POSTs; requests counted in the sandbox's log, every queued
// request checked against the input items.
//
// Contact Trigger (contact-trigger.js, last): one poll's decode + compare + encode of the stored
// state at 1,000,000 contacts (the reads excluded), the node's code against the algorithm it
// replaced, names off and on; time and extra heap, every poll's changes checked.
//
// The sandbox API runs in its own process (sandbox-child.js); each in-process run is a fresh
// process (worker.js) so that peak heap and RSS are its own; each real-n8n run is its own
// `n8n execute` process, whose peak RSS is recorded by n8n-memory-preload.js.
//
// This file is the command line and the order of the phases. The rest:
//   variants.js         the variants, instances, request counts, paths
//   sandbox-process.js  the sandbox in its own process, and the lists to check against
//   in-process.js       phase 1 (in-process variants) and their CPU profiles (worker.js, profile.js)
//   memory.js           the memory probe
//   n8n-runs.js         phase 3 (real n8n; workflows in n8n-workflows.js, profiles in n8n-profile.js)
//   results.js          the check of every run and the record of runs and failures
//   summary.js          medians per cell, ratios, targets
//   report.js           the printed table, bench-results/latest.{md,json} (profiles: report-profiles.js)
//   sends.js            the Send Text scenarios, their checks and summary (sends-worker.js, sends-report.js)
//   contact-trigger.js  the Contact Trigger phase: its child process, targets and report section
//
// Options: --quick  --sizes=1000,10000  --latencies=0,20  --runs=5  --n8n-runs=3
//          --crm-latencies=0  --no-crm  --skip-n8n  --no-profile  --keep (keep the n8n home)
//          --only=get-many|sends|contact-trigger  --no-sends  --ct-size=1000000  --send-runs=3  --send-count=1000  --send-latency=20
//          --wait-count=100  --wait-latency=0  --wait-delay=2000  --help
const fs = require('node:fs');
const path = require('node:path');
const { log, elapsedSeconds } = require('./log');
const { Recorder } = require('./results');
const { startSandboxProcess } = require('./sandbox-process');
const { compileHarness, inProcessPhase, profileInProcess } = require('./in-process');
const { memoryProbe } = require('./memory');
const { n8nPhase } = require('./n8n-runs');
const { summarize, targets } = require('./summary');
const { loadAverage, machineInfo, writeReport } = require('./report');
const { sendInstances, sendsPhase, sendsTargets, summarizeSends } = require('./sends');
const { contactTriggerPhase, contactTriggerTargets } = require('./contact-trigger');
const { N8N_HOME, PAGE_SIZE, ROOT, SEED, WARMUP_INSTANCE, WORK_DIR, isNodeCoreVariant, instanceFor } = require('./variants');

/** @typedef {import('./types').Options} Options */
/** @typedef {import('./types').Phase} Phase */
/** @typedef {import('./types').PhaseContext} PhaseContext */
/** @typedef {import('./types').Probe} Probe */
/** @typedef {import('./types').Report} Report */

// ---------------------------------------------------------------------------------------
// Options

/**
 * @param {string[]} argv
 * @returns {Options}
 */
function parseArgs(argv) {
	/** @type {Omit<Options, 'sizes' | 'runs' | 'n8nRuns' | 'crmLatencies' | 'sendRuns' | 'ctSize'> & Partial<Options>} */
	const options = {
		phases: ['get-many', 'sends', 'contact-trigger'],
		sendCount: 1000,
		sendLatencyMs: 20,
		waitCount: 100,
		waitLatencyMs: 0,
		waitDelayMs: 2000,
		quick: false,
		sizes: undefined,
		latencies: [0, 20],
		runs: undefined,
		n8nRuns: undefined,
		crmLatencies: undefined,
		crm: true,
		n8n: true,
		profile: true,
		keep: false,
	};
	/** @param {string} text */
	const list = (text) => text.split(',').map((part) => {
		const value = Number(part.trim());
		if (!Number.isInteger(value) || value < 0) throw new Error(`not a whole number: "${part}"`);
		return value;
	});
	/** @param {string} text */
	const positive = (text) => {
		const value = list(text)[0];
		if (value < 1) throw new Error(`must be at least 1: "${text}"`);
		return value;
	};
	/** @param {string} text @returns {Phase[]} */
	const phases = (text) => text.split(',').map((part) => {
		const phase = part.trim();
		if (phase !== 'get-many' && phase !== 'sends' && phase !== 'contact-trigger') throw new Error(`--only takes get-many, sends and/or contact-trigger, not "${part}"`);
		return phase;
	});
	// `--only sends` as well as `--only=sends`.
	const args = argv.flatMap((arg, index) => (arg === '--only' ? [] : argv[index - 1] === '--only' ? [`--only=${arg}`] : [arg]));
	if (argv[argv.length - 1] === '--only') throw new Error('--only needs get-many, sends or contact-trigger');
	for (const arg of args) {
		const [name, value] = arg.split('=');
		if (name === '--quick') options.quick = true;
		else if (name === '--sizes') options.sizes = list(value);
		else if (name === '--latencies') options.latencies = list(value);
		else if (name === '--runs') options.runs = list(value)[0];
		else if (name === '--n8n-runs') options.n8nRuns = list(value)[0];
		else if (name === '--crm-latencies') options.crmLatencies = list(value);
		else if (name === '--no-crm') options.crm = false;
		else if (name === '--skip-n8n') options.n8n = false;
		else if (name === '--no-profile') options.profile = false;
		else if (name === '--keep') options.keep = true;
		else if (name === '--only') options.phases = phases(value);
		else if (name === '--no-sends') options.phases = options.phases.filter((phase) => phase !== 'sends');
		else if (name === '--send-runs') options.sendRuns = positive(value);
		else if (name === '--send-count') options.sendCount = positive(value);
		else if (name === '--send-latency') options.sendLatencyMs = list(value)[0];
		else if (name === '--wait-count') options.waitCount = positive(value);
		else if (name === '--wait-latency') options.waitLatencyMs = list(value)[0];
		else if (name === '--wait-delay') options.waitDelayMs = list(value)[0];
		else if (name === '--ct-size') options.ctSize = positive(value);
		else if (name === '--help' || name === '-h') options.help = true;
		else throw new Error(`unknown option ${arg} (see --help)`);
	}
	options.sizes ??= options.quick ? [1000, 10000] : [1000, 10000, 100000];
	options.runs ??= options.quick ? 3 : 5;
	options.n8nRuns ??= options.quick ? 1 : 3;
	options.sendRuns ??= options.quick ? 1 : 3;
	options.ctSize ??= options.quick ? 250_000 : 1_000_000;
	if (options.runs < 1 || options.n8nRuns < 1) throw new Error('--runs and --n8n-runs must be at least 1');
	// The CRM variants run at 0 ms by default (or the lowest latency measured): with no latency the
	// run is all CPU, so their extra work weighs the most against plain Return All; at 20 ms the
	// same work hides behind the network wait (and measuring them there too would add ~2 min).
	const latencies = options.latencies;
	options.crmLatencies ??= latencies.includes(0) ? [0] : [Math.min(...latencies)];
	if (!options.crm) options.crmLatencies = [];
	if (options.phases.length === 0) throw new Error('nothing to measure (--no-sends with --only=sends?)');
	options.crmLatencies = options.crmLatencies.filter((latencyMs) => latencies.includes(latencyMs));
	return /** @type {Options} */ (options);
}

const USAGE = `Usage: npm run bench [-- options]   (or: node test/benchmark/run.js [options] after a build)

  --quick            sizes 1,000 and 10,000; 3 in-process runs, 1 real-n8n run per cell, 1 Send Text run
  --sizes=LIST       contact counts (default 1000,10000,100000)
  --latencies=LIST   ms added by the sandbox to every request (default 0,20)
  --runs=N           runs per in-process variant and cell (default 5; median reported)
  --n8n-runs=N       runs per real-n8n variant and cell (default 3)
  --crm-latencies=L  latencies (among --latencies) at which node-core-crm and node-core-search
                     run too (default 0, or the lowest latency measured)
  --no-crm           no CRM variants
  --skip-n8n         only the in-process variants (baseline, node-core, node-core-k4, CRM variants)
  --no-profile       skip the CPU profile and the memory probe
  --keep             keep the n8n home and profiles under .e2e/bench-<pid>

  --only=LIST        get-many, sends and/or contact-trigger (default all three; also --only sends)
  --no-sends         Get Many only
  --send-runs=N      runs per Send Text variant and scenario (default 3, --quick 1; median reported)
  --send-count=N     sends with Wait for Result off (default 1000)
  --send-latency=MS  ms the sandbox adds to every request in that scenario (default 20)
  --wait-count=N     sends with Wait for Result on (default 100)
  --wait-latency=MS  ms added to every request in that scenario (default 0)
  --wait-delay=MS    the sandbox's processing time per queued request there (default 2000)

  --ct-size=N        contacts in the Contact Trigger's book (default 1,000,000, --quick 250,000)
`;

// ---------------------------------------------------------------------------------------
// The phases

/**
 * Phases 1-3 against one sandbox: the in-process variants, the profiles and memory probe, real n8n.
 * @param {PhaseContext} context
 * @returns {Promise<{ probe: Probe | undefined, n8nVersion: string | undefined }>}
 */
async function measure(context) {
	const { options, recorder } = context;
	await inProcessPhase(context);
	/** @type {Probe | undefined} */
	let probe;
	if (options.profile) {
		const size = Math.max(...options.sizes);
		const profiles = await profileInProcess(context, size);
		probe = { size, profiles, ...(await memoryProbe(context, size)) };
	}
	let n8nVersion;
	if (options.n8n) {
		try {
			let n8nProfiles;
			({ n8nVersion, profiles: n8nProfiles } = await n8nPhase(context));
			if (probe && n8nProfiles) probe.n8n = n8nProfiles;
		} catch (error) {
			recorder.failures.push(`real n8n: ${error.message}`);
			log(`real n8n phase failed: ${error.stack}`);
		}
	}
	return { probe, n8nVersion };
}

/**
 * The report's notes: load, the real n8n's quirks, the harness step node-core leaves out.
 * @param {Recorder} recorder
 * @param {{ cpus: number, loadAverageAtStart: number[], loadAverageAtEnd: number[] }} machine
 * @param {boolean} harness whether the n8n-core harness ran (Get Many or Send Text)
 */
function notesFor(recorder, machine, harness) {
	/** @type {string[]} */
	const notes = [];
	if (Math.max(...machine.loadAverageAtStart, ...machine.loadAverageAtEnd) > machine.cpus * 0.75) {
		notes.push(`The load average reached ${Math.max(...machine.loadAverageAtStart, ...machine.loadAverageAtEnd).toFixed(2)} on ${machine.cpus} CPUs: other processes were running, so absolute times are noisier than on an idle machine (the ratios compare variants run alternately under the same load).`);
	}
	notes.push(...recorder.n8nNotes);
	if (recorder.n8nExitCrashes) {
		notes.push(`${recorder.n8nExitCrashes} \`n8n execute\` process(es) ended with SIGSEGV after printing the complete run and running their exit handlers (a crash in n8n's teardown, not in the workflow); those runs were kept, since their output was complete and verified.`);
	}
	const skipped = recorder.runs.filter((r) => isNodeCoreVariant(r.variant)).map((r) => r.skippedSerializations).filter((n) => n !== undefined && n !== 1);
	if (skipped.length) notes.push(`node-core: the harness's serialisation of the run was skipped ${skipped.join('/')} times in some runs instead of once.`);
	if (harness) notes.push('node-core (its Get Many variants and Send Text) excludes one step of the test harness that n8n-core itself never runs: JSON.stringify of the whole finished run (the harness keeps it for the tests\' token-leak checks).');
	return notes;
}

// ---------------------------------------------------------------------------------------

async function main() {
	const options = parseArgs(process.argv.slice(2));
	if (options.help) {
		process.stdout.write(USAGE);
		return 0;
	}
	if (Number(process.versions.node.split('.')[0]) < 24) {
		throw new Error(`run the benchmark on Node 24 (npm run bench does); this is Node ${process.version}`);
	}
	const distNode = path.join(ROOT, 'dist', 'nodes', 'Hypersender', 'Hypersender.node.js');
	if (!fs.existsSync(distNode)) throw new Error(`${distNode} is missing: run \`npm run bench\` (it builds first) or \`npm run build\``);
	fs.mkdirSync(WORK_DIR, { recursive: true });
	// The scratch folder (n8n home, profiles, memory records) goes whatever happens, unless --keep.
	process.on('exit', () => {
		if (options.keep) return;
		fs.rmSync(WORK_DIR, { recursive: true, force: true });
		fs.rmSync(N8N_HOME, { recursive: true, force: true });
	});
	const machineAtStart = machineInfo();
	const getMany = options.phases.includes('get-many');
	const sends = options.phases.includes('sends');
	const contactTrigger = options.phases.includes('contact-trigger');
	if (getMany) log(`Get Many: sizes ${options.sizes.join(', ')}; latencies ${options.latencies.join(', ')} ms; ${options.runs} in-process runs, ${options.n8n ? `${options.n8nRuns} real-n8n runs` : 'no real n8n'} per cell`);
	if (sends) log(`Send Text: ${options.sendCount} sends (wait off, ${options.sendLatencyMs} ms latency), ${options.waitCount} sends (wait on, ${options.waitDelayMs} ms processing, ${options.waitLatencyMs} ms latency); ${options.sendRuns} runs per variant`);
	log(`load average ${machineAtStart.loadAverageAtStart.join(' ')}`);

	const recorder = new Recorder();
	/** @type {{ probe: Probe | undefined, n8nVersion: string | undefined }} */
	let measured = { probe: undefined, n8nVersion: undefined };
	/** @type {import('./types').SendRunEntry[]} */
	let sendRuns = [];
	if (getMany || sends) {
		log('compiling the n8n-core harness (test/harness/n8n-core.ts) into .e2e/bench-build...');
		await compileHarness();
		/** @type {Record<string, { size: number, seed: number }>} */
		const instances = getMany ? { [WARMUP_INSTANCE]: { size: PAGE_SIZE, seed: SEED + 1 } } : {};
		if (getMany) for (const size of options.sizes) instances[instanceFor(size)] = { size, seed: SEED };
		if (sends) Object.assign(instances, sendInstances());
		const sandbox = await startSandboxProcess(instances);
		log(`sandbox (pid ${sandbox.pid}) on ${sandbox.baseUrl}`);
		try {
			const expectedBySize = new Map();
			if (getMany) {
				for (const size of options.sizes) expectedBySize.set(size, await sandbox.expected(instanceFor(size)));
				measured = await measure({ options, sandbox, expectedBySize, recorder });
			}
			if (sends) sendRuns = await sendsPhase({ options, sandbox, expectedBySize, recorder });
		} finally {
			await sandbox.close();
		}
	}
	// No sandbox: the reads are not what this phase measures.
	const contactTriggerSummary = contactTrigger ? await contactTriggerPhase(options, recorder) : undefined;
	const { probe, n8nVersion } = measured;

	const machine = { ...machineInfo(n8nVersion), loadAverageAtStart: machineAtStart.loadAverageAtStart, loadAverageAtEnd: loadAverage() };
	const notes = notesFor(recorder, machine, getMany || sends);
	const summary = summarize(recorder.runs, options);
	const sendSummary = sends ? summarizeSends(sendRuns, options) : undefined;
	const targetList = [
		...(getMany ? targets(summary, probe, options) : []),
		...(sendSummary ? sendsTargets(sendSummary) : []),
		...(contactTriggerSummary ? contactTriggerTargets(contactTriggerSummary) : []),
	];
	/** @type {Report} */
	const report = {
		generatedAt: new Date().toISOString(),
		durationSeconds: elapsedSeconds(),
		machine,
		options,
		summary,
		targets: targetList,
		probe,
		notes,
		failures: recorder.failures,
		runs: recorder.runs,
		sends: sendSummary,
		contactTrigger: contactTriggerSummary,
	};
	writeReport(report);
	log(`wrote bench-results/latest.json and bench-results/latest.md (${report.durationSeconds} s in all)`);
	if (options.keep) log(`kept ${path.relative(ROOT, WORK_DIR)} and ${N8N_HOME}`);
	if (recorder.failures.length) {
		log(`${recorder.failures.length} problem(s): ${recorder.failures.slice(0, 5).join(' | ')}`);
		return 1;
	}
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		log(`FAILED: ${error.stack || error.message}`);
		process.exit(1);
	},
);
