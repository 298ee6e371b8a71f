#!/usr/bin/env node
'use strict';
// Benchmark of Contact › Get Many (Return All): `npm run bench [-- --quick]`.
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
// The sandbox API runs in its own process (sandbox-child.js); each in-process run is a fresh
// process (worker.js) so that peak heap and RSS are its own; each real-n8n run is its own
// `n8n execute` process, whose peak RSS is recorded by n8n-memory-preload.js.
//
// Options: --quick  --sizes=1000,10000  --latencies=0,20  --runs=5  --n8n-runs=3
//          --crm-latencies=0  --no-crm  --skip-n8n  --no-profile  --keep (keep the n8n home)  --help
const { fork } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const runtime = require(path.join(ROOT, 'scripts', 'n8n', 'runtime.js'));
const { summarizeProfile } = require('./profile');
const { expectedContacts } = require('./crm-reference');

const PAGE_SIZE = 1000;
const SEED = 42;
const BUILD_DIR = path.join(ROOT, '.e2e', 'bench-build');
const WORK_DIR = path.join(ROOT, '.e2e', `bench-${process.pid}`);
const N8N_HOME = path.join(os.tmpdir(), `hypersender-bench-n8n-${process.pid}`);
const RESULTS_DIR = path.join(ROOT, 'bench-results');
const WORKER = path.join(__dirname, 'worker.js');
const PRELOAD = path.join(__dirname, 'n8n-memory-preload.js');
const PACKAGE_NAME = 'n8n-nodes-hypersender';
const NODE_TYPE = `${PACKAGE_NAME}.hypersender`;
const TRIGGER_NAME = 'When clicking ‘Execute workflow’';
const NODE_NAME = 'Hypersender';
const HTTP_NAME = 'HTTP Request';
const SPLIT_NAME = 'Split Out';
const HTTP_REQUEST_VERSION = 4.5; // the latest (default) HTTP Request version in n8n 2.41
const WARMUP_INSTANCE = 'b3a7e000-0000-4000-9000-000000000001';
/** Untimed runs on WARMUP_INSTANCE (1,000 contacts) before each in-process measurement. */
const WARMUPS = 3;
/**
 * The CRM variants: node-core with Return All and these client-side options. Measured exactly
 * like node-core (fresh process, same warm-up, same median), in the same rotation.
 */
const CRM_VARIANTS = {
	'node-core-crm': { short: 'crm', options: { contactKind: ['phone', 'lid'], addDerivedFields: true } },
	'node-core-search': { short: 'search', options: { nameSearch: 'an' } },
};
/** The CRM options' target: each CRM variant within this factor of plain Return All (node-core). */
const CRM_TARGET = 1.1;
/**
 * node-core with Return All + { concurrency: K4 }: up to K4 pages in flight, consumed in offset
 * order. Measured exactly like node-core (fresh process, same warm-up with its own options), at
 * every latency, in the same rotation; checked against the same list as node-core. It may read up
 * to K4-1 pages past the end, so its requests are checked against a range, not an exact count.
 */
const K4_VARIANT = 'node-core-k4';
const K4 = 4;
const K4_OPTIONS = { concurrency: K4 };
/** The node options a node-core variant runs with (undefined: plain Return All, no options key). */
const nodeOptionsFor = (variant) => (variant === K4_VARIANT ? K4_OPTIONS : CRM_VARIANTS[variant]?.options);
const VARIANTS = ['baseline', 'node-core', K4_VARIANT, ...Object.keys(CRM_VARIANTS), 'node-n8n', 'http-request-n8n'];
const IN_PROCESS_VARIANTS = new Set(['baseline', 'node-core', K4_VARIANT, ...Object.keys(CRM_VARIANTS)]);
const isNodeVariant = (variant) => variant.startsWith('node-');
const isNodeCoreVariant = (variant) => variant.startsWith('node-core');

const instanceFor = (size) => `b3a7e000-0000-4000-8000-${String(size).padStart(12, '0')}`;
const expectedRequests = (size) => Math.floor(size / PAGE_SIZE) + 1;
/** node-core-k4's allowed request counts: floor(N/1000)+1 .. floor(N/1000)+K4 (up to K4-1 read ahead). */
const k4RequestRange = (size) => [expectedRequests(size), expectedRequests(size) + K4 - 1];
const requestsInRange = (variant, size, count) => {
	if (variant !== K4_VARIANT) return count === expectedRequests(size);
	const [low, high] = k4RequestRange(size);
	return count >= low && count <= high;
};

// ---------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
	const options = {
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
	const list = (text) => text.split(',').map((part) => {
		const value = Number(part.trim());
		if (!Number.isInteger(value) || value < 0) throw new Error(`not a whole number: "${part}"`);
		return value;
	});
	for (const arg of argv) {
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
		else if (name === '--help' || name === '-h') options.help = true;
		else throw new Error(`unknown option ${arg} (see --help)`);
	}
	options.sizes ??= options.quick ? [1000, 10000] : [1000, 10000, 100000];
	options.runs ??= options.quick ? 3 : 5;
	options.n8nRuns ??= options.quick ? 1 : 3;
	if (options.runs < 1 || options.n8nRuns < 1) throw new Error('--runs and --n8n-runs must be at least 1');
	// The CRM variants run at 0 ms by default (or the lowest latency measured): with no latency the
	// run is all CPU, so their extra work weighs the most against plain Return All; at 20 ms the
	// same work hides behind the network wait (and measuring them there too would add ~2 min).
	options.crmLatencies ??= options.latencies.includes(0) ? [0] : [Math.min(...options.latencies)];
	if (!options.crm) options.crmLatencies = [];
	options.crmLatencies = options.crmLatencies.filter((latencyMs) => options.latencies.includes(latencyMs));
	return options;
}

const USAGE = `Usage: npm run bench [-- options]   (or: node test/benchmark/run.js [options] after a build)

  --quick            sizes 1,000 and 10,000; 3 in-process runs, 1 real-n8n run per cell
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
`;

// ---------------------------------------------------------------------------------------
// Small helpers

const started = Date.now();
function log(message) {
	const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
	process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

function median(values) {
	const sorted = values.filter((value) => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const mb = (bytes) => (typeof bytes === 'number' ? bytes / (1024 * 1024) : undefined);
const fmt = (value, digits = 0) =>
	typeof value === 'number' && Number.isFinite(value)
		? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
		: 'n/a';
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : undefined);

function digestOf(contacts) {
	const hash = crypto.createHash('sha256');
	for (const contact of contacts) hash.update(JSON.stringify(contact)).update('\n');
	return hash.digest('hex');
}

/** The list `variant` must return for one sandbox.expected() entry. */
function expectedFor(expected, variant) {
	return CRM_VARIANTS[variant] ? expected.byVariant[variant] : expected;
}

/** null when `got` is exactly the expected list (same ids, same order, same contents), else why not. */
function verify(got, expected) {
	if (got.count !== expected.ids.length) return `returned ${got.count} contacts, expected ${expected.ids.length}`;
	for (let i = 0; i < expected.ids.length; i++) {
		if (got.ids[i] !== expected.ids[i]) return `contact #${i} is ${JSON.stringify(got.ids[i])}, expected ${JSON.stringify(expected.ids[i])}`;
	}
	if (got.digest !== expected.digest) return 'the ids match but the contacts\' contents differ from the API\'s';
	return null;
}

// ---------------------------------------------------------------------------------------
// Build, sandbox, workers

async function compileHarness() {
	fs.rmSync(BUILD_DIR, { recursive: true, force: true });
	const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
	await new Promise((resolve, reject) => {
		const child = fork(tsc, ['-p', path.join(__dirname, 'tsconfig.json')], {
			execPath: runtime.NODE_BIN,
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc for the benchmark harness failed (exit ${code})`))));
	});
	const harness = path.join(BUILD_DIR, 'test', 'harness', 'n8n-core.js');
	if (!fs.existsSync(harness)) throw new Error(`tsc did not write ${harness}`);
}

async function startSandboxProcess(instances) {
	const child = fork(path.join(__dirname, 'sandbox-child.js'), [JSON.stringify({ instances })], {
		execPath: runtime.NODE_BIN,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const info = await new Promise((resolve, reject) => {
		child.once('message', resolve);
		child.once('exit', (code) => reject(new Error(`the sandbox process exited (${code}) before listening`)));
	});
	child.removeAllListeners('exit');
	const control = async (method, route, body) => {
		const res = await fetch(`${info.url}/__sandbox${route}`, {
			method,
			headers: body ? { 'content-type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
		});
		const json = await res.json();
		if (!res.ok) throw new Error(`sandbox ${method} ${route} answered ${res.status}: ${JSON.stringify(json)}`);
		return json;
	};
	return {
		...info,
		pid: child.pid,
		control,
		reset: () => control('POST', '/reset'),
		setLatency: (latencyMs) => control('POST', '/config', { latencyMs }),
		/** API requests to `instance` since the last reset. */
		async requestsFor(instance) {
			const { requests } = await control('GET', '/requests');
			return requests.filter((request) => request.instance === instance);
		},
		/**
		 * What Return All must give: the sandbox's own list in the API's order, and for each CRM
		 * variant that list filtered/derived by crm-reference.js (not by the node's code).
		 */
		async expected(instance) {
			const { data } = await control('GET', `/contacts/${encodeURIComponent(instance)}?sort_by=name&sort_order=asc`);
			const byVariant = {};
			for (const [variant, { options }] of Object.entries(CRM_VARIANTS)) {
				// A deep copy in, so that a reference bug cannot alter the list the others are checked against.
				const contacts = expectedContacts(structuredClone(data), options);
				byVariant[variant] = { ids: contacts.map((contact) => contact.id), digest: digestOf(contacts) };
			}
			return { ids: data.map((contact) => contact.id), digest: digestOf(data), byVariant };
		},
		close() {
			return new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			});
		},
	};
}

/** One fresh worker process; resolves to its report. */
function runWorker(config, { timeoutMs = 5 * 60 * 1000 } = {}) {
	return new Promise((resolve) => {
		const child = fork(WORKER, [JSON.stringify(config)], {
			execPath: runtime.NODE_BIN,
			execArgv: ['--expose-gc'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			env: { ...process.env, N8N_LOG_LEVEL: 'silent' },
		});
		let report;
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('message', (message) => (report = message));
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			resolve(report ?? { ok: false, error: `the worker exited (${signal ?? code}) without a report` });
		});
	});
}

// ---------------------------------------------------------------------------------------
// Results

const results = []; // one entry per measured run
const failures = [];
let n8nExitCrashes = 0;
const n8nNotes = [];

function record(entry, expected, requests) {
	let verification = entry.ok ? verify(entry, expected) : entry.error;
	if (verification === null && entry.pairedOk === false) verification = 'the items are not paired with the input item (pairedItem.item 0)';
	const requestsExpected = expectedRequests(entry.size);
	const requestsOk = requestsInRange(entry.variant, entry.size, requests.length);
	const run = { ...entry, requests: requests.length, requestsOk, verified: verification === null, problem: verification };
	delete run.ids;
	results.push(run);
	if (verification !== null) {
		failures.push(`${entry.variant} N=${entry.size} latency=${entry.latencyMs}ms run ${entry.run}: ${verification}`);
	}
	if (entry.variant === K4_VARIANT && !requestsOk) {
		const [low, high] = k4RequestRange(entry.size);
		failures.push(`${entry.variant} N=${entry.size} latency=${entry.latencyMs}ms run ${entry.run}: ${requests.length} requests, expected between floor(N/1000)+1 = ${low} and floor(N/1000)+${K4} = ${high}`);
	} else if (isNodeVariant(entry.variant) && !requestsOk) {
		failures.push(`${entry.variant} N=${entry.size} latency=${entry.latencyMs}ms run ${entry.run}: ${requests.length} requests, expected floor(N/1000)+1 = ${requestsExpected}`);
	}
	return run;
}

// ---------------------------------------------------------------------------------------
// Phase 1: in-process variants

async function inProcessPhase(options, sandbox, expectedBySize) {
	for (const latencyMs of options.latencies) {
		await sandbox.setLatency(latencyMs);
		const variants = ['baseline', 'node-core', K4_VARIANT, ...(options.crmLatencies.includes(latencyMs) ? Object.keys(CRM_VARIANTS) : [])];
		for (const size of options.sizes) {
			const instance = instanceFor(size);
			for (let run = 1; run <= options.runs; run++) {
				// Rotate the order so no variant always runs first or on a warmer machine
				// (with two variants: the plain alternation).
				const shift = (run - 1) % variants.length;
				const order = [...variants.slice(shift), ...variants.slice(0, shift)];
				for (const variant of order) {
					const report = await runWorker({
						variant,
						baseUrl: sandbox.baseUrl,
						sandboxUrl: sandbox.url,
						token: sandbox.token,
						instance,
						warmupInstance: WARMUP_INSTANCE,
						warmups: WARMUPS,
						harnessBuildDir: BUILD_DIR,
						nodeOptions: nodeOptionsFor(variant),
					});
					const requests = await sandbox.requestsFor(instance);
					const entry = record({ ...report, variant, size, latencyMs, run }, expectedFor(expectedBySize.get(size), variant), requests);
					log(
						`${variant.padEnd(16)} N=${String(size).padStart(6)} latency=${latencyMs}ms run ${run}: ` +
							(entry.ok ? `${fmt(entry.wallMs)} ms, ${entry.count} items, ${entry.requests} requests, ${entry.verified ? 'verified' : `WRONG: ${entry.problem}`}` : `FAILED: ${entry.error}`),
					);
				}
			}
		}
	}
}

// ---------------------------------------------------------------------------------------
// Phase 2: profile and memory probe (in-process, N = the largest size, no added latency)

/** Inclusive time in the in-process profiles of the code the CRM options add (and what it runs in). */
const CRM_INCLUSIVE_PROBES = [
	{ label: 'the node\'s pager (collectContacts, incl. the fetch callback and the filter)', fn: 'collectContacts', url: 'helpers/pager' },
	{ label: 'filter: matchesFilter (Contact Kind, Name Search)', fn: 'matchesFilter', url: 'helpers/contactFields' },
	{ label: '  of which foldForSearch (normalize NFD + strip marks + lower-case)', fn: 'foldForSearch', url: 'helpers/contactFields' },
	{ label: '  contactKind (filter and derived fields)', fn: 'contactKind', url: 'helpers/contactFields' },
	{ label: 'derived fields: addDerivedFields (kind, phone, displayName, in place)', fn: 'addDerivedFields', url: 'helpers/contactFields' },
	{ label: '  of which e164 (the phone number)', fn: 'e164', url: 'helpers/contactFields' },
	{ label: '  of which displayNameOf', fn: 'displayNameOf', url: 'helpers/contactFields' },
	{ label: 'building the items (getContactsForItem)', fn: 'getContactsForItem', url: 'getAll.operation' },
	{ label: 'garbage collector', fn: '(garbage collector)' },
];

async function profilePhase(options, sandbox, expectedBySize) {
	const size = Math.max(...options.sizes);
	const instance = instanceFor(size);
	await sandbox.setLatency(0);
	const dir = path.join(WORK_DIR, 'profiles');
	fs.mkdirSync(dir, { recursive: true });
	const profiles = {};
	const probes = {};
	const common = { baseUrl: sandbox.baseUrl, sandboxUrl: sandbox.url, token: sandbox.token, instance, warmupInstance: WARMUP_INSTANCE, warmups: WARMUPS, harnessBuildDir: BUILD_DIR };
	const crm = options.crmLatencies.length > 0 ? Object.keys(CRM_VARIANTS) : [];
	for (const variant of ['baseline', 'node-core', ...crm]) {
		const file = path.join(dir, `${variant}-${size}.cpuprofile`);
		const report = await runWorker({ ...common, variant, profile: file, nodeOptions: CRM_VARIANTS[variant]?.options });
		const problem = report.ok ? verify(report, expectedFor(expectedBySize.get(size), variant)) : report.error;
		if (problem) {
			failures.push(`${variant} profile run N=${size}: ${problem}`);
			continue;
		}
		const detail = isNodeCoreVariant(variant) ? { inclusive: CRM_INCLUSIVE_PROBES, allFunctions: true } : {};
		profiles[variant] = { ...summarizeProfile(file, detail), wallMs: report.wallMs, cpuMs: report.cpuMs, executeMs: report.executeMs };
		log(`profiled ${variant} N=${size}: ${fmt(report.wallMs)} ms under the profiler`);
	}
	for (const variant of ['baseline', 'node-core']) {
		const report = await runWorker({ ...common, variant, probe: true });
		const problem = report.ok ? verify(report, expectedBySize.get(size)) : report.error;
		if (problem) {
			failures.push(`${variant} memory probe N=${size}: ${problem}`);
			continue;
		}
		probes[variant] = { heapBefore: report.heapBefore, points: report.points };
	}
	let memory;
	if (probes.baseline && probes['node-core']) {
		// One copy of the contacts = what the baseline holds live when it returns its array.
		const oneCopy = probes.baseline.points.afterRun - probes.baseline.heapBefore;
		const node = probes['node-core'];
		const live = (point) => (node.points[point] === undefined ? undefined : node.points[point] - node.heapBefore);
		const peakPoint = ['beforeConstruct', 'afterConstruct', 'nodeReturned', 'afterRun'].reduce((best, point) =>
			(live(point) ?? -Infinity) > (live(best) ?? -Infinity) ? point : best,
		);
		memory = {
			size,
			oneCopyBytes: oneCopy,
			node: Object.fromEntries(['beforeConstruct', 'afterConstruct', 'nodeReturned', 'afterRun'].map((point) => [point, live(point)])),
			peakPoint,
			peakBytes: live(peakPoint),
			copies: live(peakPoint) / oneCopy,
		};
		log(`memory probe N=${size}: one copy of the contacts = ${fmt(mb(oneCopy), 1)} MB live; the node holds at most ${fmt(mb(memory.peakBytes), 1)} MB (${fmt(memory.copies, 2)}×) at "${peakPoint}"`);
	}
	return { size, profiles, probes, memory };
}

// ---------------------------------------------------------------------------------------
// Phase 3: real n8n

function triggerNode() {
	return {
		id: 'b3a7e000-0000-4000-a000-000000000001',
		name: TRIGGER_NAME,
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

function nodeWorkflow(size, credential) {
	return {
		id: runtime.newId(),
		name: `bench: Hypersender Return All (${size})`,
		nodes: [
			triggerNode(),
			{
				id: 'b3a7e000-0000-4000-a000-000000000002',
				name: NODE_NAME,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'contact', operation: 'getAll', returnAll: true, options: {} },
				credentials: { hypersenderApi: credential },
			},
		],
		connections: { [TRIGGER_NAME]: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function httpRequestWorkflow(size, baseUrl, credential) {
	return {
		id: runtime.newId(),
		name: `bench: HTTP Request pagination + Split Out (${size})`,
		nodes: [
			triggerNode(),
			{
				id: 'b3a7e000-0000-4000-a000-000000000003',
				name: HTTP_NAME,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_REQUEST_VERSION,
				position: [220, 0],
				parameters: {
					method: 'GET',
					url: `${baseUrl}/${instanceFor(size)}/contacts/get-all`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpBearerAuth',
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'limit', value: String(PAGE_SIZE) }] },
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: { parameters: [{ type: 'qs', name: 'offset', value: `={{ $pageCount * ${PAGE_SIZE} }}` }] },
								paginationCompleteWhen: 'other',
								completeExpression: `={{ $response.body.data.length < ${PAGE_SIZE} }}`,
							},
						},
					},
				},
				credentials: { httpBearerAuth: credential },
			},
			{
				id: 'b3a7e000-0000-4000-a000-000000000004',
				name: SPLIT_NAME,
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'data', include: 'noOtherFields', options: {} },
			},
		],
		connections: {
			[TRIGGER_NAME]: { main: [[{ node: HTTP_NAME, type: 'main', index: 0 }]] },
			[HTTP_NAME]: { main: [[{ node: SPLIT_NAME, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * `n8n execute --id --rawOutput` through runtime.executeWorkflow(), tolerating one n8n 2.41.1
 * quirk: it sometimes dies with SIGSEGV while tearing down after process.exit() (native modules),
 * after it printed the whole run and after the exit handlers ran (the memory preload's record
 * in `dir` proves that). The run itself is complete and is verified like any other.
 */
async function executeInN8n(home, workflowId, dir, { nodeName, timeoutMs, extraEnv }) {
	const result = await runtime.executeWorkflow(home, workflowId, { nodeName, timeoutMs, extraEnv });
	const crashedAfterExit = result.signal === 'SIGSEGV' && readN8nMemory(dir).pid !== undefined;
	if (crashedAfterExit) n8nExitCrashes++;
	const ok = result.ok || (crashedAfterExit && !!result.run && !result.run.data.resultData.error);
	return { ok, exitCode: result.exitCode, run: result.run, items: result.items, error: ok ? undefined : result.error, seconds: result.seconds };
}

function readN8nMemory(dir) {
	let files = [];
	try {
		files = fs.readdirSync(dir).filter((file) => file.endsWith('.json'));
	} catch {
		return { reason: 'no memory record (the preload did not run)' };
	}
	const records = files.map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
	const main = records.find((entry) => entry.argv.some((arg) => /bin[\\/]n8n$/.test(arg)) && entry.argv.includes('execute'));
	if (!main) return { reason: `no record of the n8n process among ${records.length} process(es)` };
	return { peakRss: main.vmHwm ?? main.maxRss, peakHeap: main.peakHeap, pid: main.pid, clock: main.clock, otherProcesses: records.length - 1 };
}

async function n8nPhase(options, sandbox, expectedBySize) {
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
		n8nNotes.push(`In the n8n home, the package's require('n8n-workflow') resolves to ${stray}, not to n8n's own copy.`);
	} catch {
		// not found by the walk-up: n8n's NODE_PATH fallback gives it n8n's copy, as in a real install
	}
	const bearer = { id: 'benchBearer', name: 'Bearer (bench sandbox)' };
	const hypersender = (size) => ({ id: `benchHs${size}`, name: `Hypersender bench ${size}` });
	await runtime.importCredentials(home, [
		{ ...bearer, type: 'httpBearerAuth', data: { token: sandbox.token } },
		...[...options.sizes, 'warmup'].map((size) => ({
			...hypersender(size),
			type: 'hypersenderApi',
			data: { apiToken: sandbox.token, instanceId: size === 'warmup' ? WARMUP_INSTANCE : instanceFor(size), baseUrl: sandbox.baseUrl },
		})),
	]);
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

	const memRoot = path.join(WORK_DIR, 'n8n-memory');
	const execute = async (workflowId, nodeName, label, { profileDir } = {}) => {
		const memDir = path.join(memRoot, label);
		fs.mkdirSync(memDir, { recursive: true });
		const nodeOptions = [`--require ${PRELOAD}`];
		if (profileDir) nodeOptions.push(`--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=250`);
		const attempt = () =>
			executeInN8n(home, workflowId, memDir, {
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

	// The first `n8n execute` of a home runs migrations and fills caches: not measured.
	await sandbox.setLatency(0);
	const first = await execute(warmup.id, NODE_NAME, 'warmup');
	if (!first.result.ok) throw new Error(`the warm-up execution in n8n failed: ${first.result.error}`);
	log(`warm-up execution: ${fmt(first.result.seconds * 1000)} ms`);

	for (const latencyMs of options.latencies) {
		await sandbox.setLatency(latencyMs);
		for (const size of options.sizes) {
			const instance = instanceFor(size);
			for (let run = 1; run <= options.n8nRuns; run++) {
				const order = run % 2 ? ['node-n8n', 'http-request-n8n'] : ['http-request-n8n', 'node-n8n'];
				for (const variant of order) {
					await sandbox.reset();
					const isNode = variant === 'node-n8n';
					const { result, memory } = await execute(workflows.get(`${variant}:${size}`), isNode ? NODE_NAME : SPLIT_NAME, `${variant}-${size}-${latencyMs}-${run}`);
					const requests = await sandbox.requestsFor(instance);
					const runData = result.run?.data?.resultData?.runData ?? {};
					const timeOf = (name) => runData[name]?.[0]?.executionTime;
					const nodeTimes = isNode ? { [NODE_NAME]: timeOf(NODE_NAME) } : { [HTTP_NAME]: timeOf(HTTP_NAME), [SPLIT_NAME]: timeOf(SPLIT_NAME) };
					const executionTime = Object.values(nodeTimes).every((value) => typeof value === 'number')
						? Object.values(nodeTimes).reduce((sum, value) => sum + value, 0)
						: undefined;
					const items = result.items ?? [];
					const contacts = items.map((item) => item.json);
					const entry = record(
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
							count: contacts.length,
							ids: contacts.map((contact) => contact.id),
							digest: digestOf(contacts),
							pairedOk: !isNode || items.every((item) => item.pairedItem && (item.pairedItem.item ?? item.pairedItem) === 0),
						},
						expectedBySize.get(size),
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
	const profiles = options.profile ? await profileInN8n(options, sandbox, expectedBySize, { workflows, execute }) : undefined;
	return { n8nVersion: ensured.version, profiles };
}

/** Where, inside the measured window, the per-page work of n8n's request helpers goes. */
const N8N_INCLUSIVE_PROBES = [
	{ label: 'getCredentials() per page: credential read from the DB + decrypted (n8n-core)', fn: 'getCredentials' },
	{ label: 'the database (typeorm + sqlite3), any caller', url: 'node_modules/@n8n/typeorm/' },
	{ label: 'authenticate(): the credential\'s auth expression resolved per page (CredentialsHelper)', fn: 'authenticate', url: 'credentials-helper' },
	{ label: 'expression runtime (isolated-vm bridge), any caller', url: '@n8n/expression-runtime/' },
	{ label: 'the outbound HTTP request itself (OutboundHttp / axios)', url: 'node_modules/axios/' },
	{ label: 'this node\'s pager (collectContacts, incl. the fetch callback)', fn: 'collectContacts' },
	{ label: 'HTTP Request node (execute)', fn: 'execute', url: 'HttpRequest/V3/HttpRequestV3.node.js' },
	{ label: 'Split Out node (execute)', fn: 'execute', url: 'SplitOut/SplitOut.node.js' },
	{ label: 'n8n-core paired-item bookkeeping (assignPairedItems)', fn: 'assignPairedItems' },
	{ label: 'garbage collector', fn: '(garbage collector)' },
];

/**
 * One more run of each real-n8n variant (largest N, no added latency) under --cpu-prof; only the
 * samples taken while the measured node(s) ran (run data startTime + executionTime) are summarised.
 */
async function profileInN8n(options, sandbox, expectedBySize, { workflows, execute }) {
	const size = Math.max(...options.sizes);
	await sandbox.setLatency(0);
	const profiles = {};
	for (const variant of ['node-n8n', 'http-request-n8n']) {
		const isNode = variant === 'node-n8n';
		const dir = path.join(WORK_DIR, 'n8n-profiles', variant);
		fs.mkdirSync(dir, { recursive: true });
		await sandbox.reset();
		const { result, memory } = await execute(workflows.get(`${variant}:${size}`), isNode ? NODE_NAME : SPLIT_NAME, `profile-${variant}`, { profileDir: dir });
		const contacts = (result.items ?? []).map((item) => item.json);
		const problem = result.ok ? verify({ count: contacts.length, ids: contacts.map((c) => c.id), digest: digestOf(contacts) }, expectedBySize.get(size)) : result.error;
		if (problem) {
			failures.push(`${variant} profile run N=${size}: ${problem}`);
			continue;
		}
		const file = fs.readdirSync(dir).find((name) => memory.pid && name.includes(`.${memory.pid}.`) && name.endsWith('.cpuprofile'));
		const runData = result.run.data.resultData.runData;
		const names = isNode ? [NODE_NAME] : [HTTP_NAME, SPLIT_NAME];
		const startMs = runData[names[0]][0].startTime;
		const last = runData[names[names.length - 1]][0];
		const endMs = last.startTime + last.executionTime;
		if (!file || !memory.clock) {
			profiles[variant] = { note: 'no profile or clock reference was written' };
			continue;
		}
		const toMonotonic = (epochMs) => memory.clock.monotonicUs + (epochMs - memory.clock.epochMs) * 1000;
		try {
			profiles[variant] = {
				...summarizeProfile(path.join(dir, file), { window: { startUs: toMonotonic(startMs), endUs: toMonotonic(endMs) }, inclusive: N8N_INCLUSIVE_PROBES }),
				executionTime: endMs - startMs,
				nodes: names,
			};
			log(`profiled ${variant} in n8n, N=${size}: ${fmt(endMs - startMs)} ms window`);
		} catch (error) {
			profiles[variant] = { note: error.message };
		}
	}
	return { size, profiles };
}

// ---------------------------------------------------------------------------------------
// Summary

function summarize(options) {
	const cells = [];
	for (const latencyMs of options.latencies) {
		for (const size of options.sizes) {
			for (const variant of VARIANTS) {
				const runs = results.filter((r) => r.variant === variant && r.size === size && r.latencyMs === latencyMs);
				if (runs.length === 0) continue;
				const good = runs.filter((r) => r.ok && r.verified);
				const inProcess = IN_PROCESS_VARIANTS.has(variant);
				const times = good.map((r) => (inProcess ? r.wallMs : r.executionTime));
				const time = median(times);
				const requestCounts = [...new Set(runs.map((r) => r.requests))];
				cells.push({
					latencyMs,
					size,
					variant,
					runs: runs.length,
					verifiedRuns: good.length,
					requests: requestCounts.length === 1 ? requestCounts[0] : requestCounts.join('/'),
					requestsExpected: expectedRequests(size),
					requestsOk: runs.every((r) => r.requestsOk),
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
						: Object.fromEntries(Object.keys(good[0]?.nodeTimes ?? {}).map((name) => [name, median(good.map((r) => r.nodeTimes[name]))])),
					peakHeapBytes: median(good.map((r) => r.peakHeap)),
					heapBeforeBytes: inProcess ? median(good.map((r) => r.heapBefore)) : undefined,
					peakRssBytes: median(good.map((r) => r.peakRss)),
					rssBeforeBytes: inProcess ? median(good.map((r) => r.rssBefore)) : undefined,
					memoryNote: good.find((r) => r.memoryNote)?.memoryNote,
				});
			}
		}
	}
	const cell = (latencyMs, size, variant) => cells.find((c) => c.latencyMs === latencyMs && c.size === size && c.variant === variant);
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

function targets(summary, probe, options) {
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
	const worstCore = coreRatios.reduce((worst, r) => (!worst || r.nodeCoreOverBaseline > worst.nodeCoreOverBaseline ? r : worst), undefined);
	list.push({
		target: 'node-core ≤ 1.15 × baseline (wall, median)',
		pass: coreRatios.length > 0 && coreRatios.every((r) => r.nodeCoreOverBaseline <= 1.15),
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
		pass: n8nRatios.length > 0 ? n8nRatios.every((r) => r.nodeN8nOverHttpRequestN8n < 1) : undefined,
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

function machineInfo(n8nVersion) {
	const cpus = os.cpus();
	let installedN8n;
	try {
		installedN8n = JSON.parse(fs.readFileSync(path.join(runtime.RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
	} catch {
		installedN8n = undefined;
	}
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
		loadAverageAtStart: os.loadavg().map((value) => Number(value.toFixed(2))),
	};
}

// ---------------------------------------------------------------------------------------
// Output

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

function ratioTable(summary) {
	const header = ['latency', 'N', 'node-core / baseline', '(CPU)', 'k4 / baseline', 'k4 / node-core', 'crm / node-core', '(CPU)', 'search / node-core', '(CPU)', 'node-n8n / http-request-n8n', '(command wall)', 'node-n8n / baseline'];
	const orDash = (value) => (value === undefined ? '—' : fmt(value, 2));
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

function textTable({ header, rows }) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
	const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable({ header, rows }) {
	const escape = (cell) => String(cell).replace(/\|/g, '\\|');
	return [`| ${header.map(escape).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`)].join('\n');
}

/** Two profiles side by side, by group or by module (self time, ms). */
function compareProfiles(left, right, key, title, [leftName, rightName]) {
	const names = [...new Set([...left[key], ...right[key]].map((c) => c.name))].filter((name) => !/^\(?idle/.test(name));
	const of = (profile, name) => profile[key].find((c) => c.name === name)?.ms ?? 0;
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

/** node-core and each CRM variant's profile side by side, by group or by module (self time, ms). */
function crmCompareTable(probe, crmProfiles, key, title) {
	const core = probe.profiles['node-core'];
	const profiles = [core, ...crmProfiles.map((variant) => probe.profiles[variant])];
	const of = (profile, name) => profile[key].find((c) => c.name === name)?.ms ?? 0;
	const names = [...new Set(profiles.flatMap((profile) => profile[key].map((c) => c.name)))].filter((name) => !/^\(?idle/.test(name));
	const extra = (name) => Math.max(...profiles.slice(1).map((profile) => Math.abs(of(profile, name) - of(core, name))));
	names.sort((a, b) => extra(b) - extra(a));
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

/** The functions whose self time differs the most between `profile` and node-core's. */
function functionDiffTable(profile, core, variant, count) {
	const key = (fn) => `${fn.functionName}\u0000${fn.location}`;
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

function topFunctions(profile, title, count) {
	return {
		header: [title, 'module', 'ms', '% of busy'],
		rows: profile.topFunctions.slice(0, count).map((fn) => [`${fn.functionName} (${fn.location})`, fn.category, fmt(fn.ms, 1), fmt(fn.shareOfBusy * 100, 1)]),
	};
}

function profileLines(probe, summary, markdown) {
	const lines = [];
	const table = (t) => lines.push(markdown ? markdownTable(t) : textTable(t), '');
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
	const crmProfiles = Object.keys(CRM_VARIANTS).filter((variant) => probe.profiles[variant]);
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
			rows: coreCells.map((c) => [`${c.latencyMs} ms`, fmt(c.size), c.variant, fmt(c.items), fmt(c.timeMs), fmt(c.executeMs), fmt(c.timeMs - c.executeMs)]),
		});
	}
	const n8nNode = probe.n8n?.profiles?.['node-n8n'];
	const n8nHttp = probe.n8n?.profiles?.['http-request-n8n'];
	if (n8nNode?.groups && n8nHttp?.groups) {
		lines.push(
			`Real n8n CPU profile, N=${fmt(probe.n8n.size)}, no added latency (--cpu-prof at 250 µs on the \`n8n execute\` process; only the samples taken while the measured nodes ran: ` +
				`Hypersender ${fmt(n8nNode.executionTime)} ms, HTTP Request + Split Out ${fmt(n8nHttp.executionTime)} ms in this run):`,
			'',
		);
		table(compareProfiles(n8nNode, n8nHttp, 'groups', 'where the CPU time goes (real n8n)', ['node-n8n', 'http-request-n8n']));
		table(compareProfiles(n8nNode, n8nHttp, 'categories', 'by module (real n8n)', ['node-n8n', 'http-request-n8n']));
		if (n8nNode.inclusive && n8nHttp.inclusive) {
			table({
				header: ['inclusive time in the window (samples whose stack holds...)', 'node-n8n ms', 'http-request-n8n ms'],
				rows: n8nNode.inclusive.map((entry, index) => [entry.label, fmt(entry.ms, 1), fmt(n8nHttp.inclusive[index]?.ms, 1)]),
			});
		}
		table(topFunctions(n8nNode, 'node-n8n: top self-time functions', 10));
		table(topFunctions(n8nHttp, 'http-request-n8n: top self-time functions', 10));
	} else if (probe.n8n) {
		lines.push(`Real n8n profile: ${n8nNode?.note ?? n8nHttp?.note ?? 'not available'}`, '');
	}
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

function render(report, markdown) {
	const { machine, summary, probe, targets: targetList, options } = report;
	const out = [];
	const h = (text) => out.push(markdown ? `### ${text}` : `== ${text} ==`, '');
	h('Hypersender Contact › Get Many (Return All) benchmark');
	out.push(
		`Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.platform}; Node ${machine.node}; n8n ${machine.n8n} (n8n-core ${machine.n8nCore}, n8n-workflow ${machine.n8nWorkflow}); load average at start ${machine.loadAverageAtStart.join(' / ')}, at end ${machine.loadAverageAtEnd.join(' / ')}.`,
		`Runs: ${options.runs} per in-process cell (fresh process each, after ${WARMUPS} warm-up runs on 1,000 contacts), ${options.n8n ? `${options.n8nRuns} per real-n8n cell (one \`n8n execute\` each)` : 'real n8n skipped'}; medians. Sandbox in its own process, same seeded data for every variant; page size 1,000.`,
		'',
	);
	const main = mainTable(summary);
	out.push(markdown ? markdownTable(main) : textTable(main), '');
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
	const ratios = ratioTable(summary);
	out.push(markdown ? markdownTable(ratios) : textTable(ratios), '');
	h('Targets');
	const t = { header: ['target', 'result', 'measured'], rows: targetList.map((x) => [x.target, x.pass === undefined ? 'n/a' : x.pass ? 'PASS' : 'FAIL', x.measured]) };
	out.push(markdown ? markdownTable(t) : textTable(t), '');
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
	log(`sizes ${options.sizes.join(', ')}; latencies ${options.latencies.join(', ')} ms; ${options.runs} in-process runs, ${options.n8n ? `${options.n8nRuns} real-n8n runs` : 'no real n8n'} per cell; load average ${machineAtStart.loadAverageAtStart.join(' ')}`);

	log('compiling the n8n-core harness (test/harness/n8n-core.ts) into .e2e/bench-build...');
	await compileHarness();

	const instances = { [WARMUP_INSTANCE]: { size: PAGE_SIZE, seed: SEED + 1 } };
	for (const size of options.sizes) instances[instanceFor(size)] = { size, seed: SEED };
	const sandbox = await startSandboxProcess(instances);
	log(`sandbox (pid ${sandbox.pid}) on ${sandbox.baseUrl}`);
	const notes = [];
	let probe;
	let n8nVersion;
	try {
		const expectedBySize = new Map();
		for (const size of options.sizes) expectedBySize.set(size, await sandbox.expected(instanceFor(size)));

		await inProcessPhase(options, sandbox, expectedBySize);
		if (options.profile) probe = await profilePhase(options, sandbox, expectedBySize);
		if (options.n8n) {
			try {
				let n8nProfiles;
				({ n8nVersion, profiles: n8nProfiles } = await n8nPhase(options, sandbox, expectedBySize));
				if (probe && n8nProfiles) probe.n8n = n8nProfiles;
			} catch (error) {
				failures.push(`real n8n: ${error.message}`);
				log(`real n8n phase failed: ${error.stack}`);
			}
		}
	} finally {
		await sandbox.close();
	}

	const machine = { ...machineInfo(n8nVersion), loadAverageAtStart: machineAtStart.loadAverageAtStart, loadAverageAtEnd: os.loadavg().map((value) => Number(value.toFixed(2))) };
	if (Math.max(...machine.loadAverageAtStart, ...machine.loadAverageAtEnd) > machine.cpus * 0.75) {
		notes.push(`The load average reached ${Math.max(...machine.loadAverageAtStart, ...machine.loadAverageAtEnd).toFixed(2)} on ${machine.cpus} CPUs: other processes were running, so absolute times are noisier than on an idle machine (the ratios compare variants run alternately under the same load).`);
	}
	notes.push(...n8nNotes);
	if (n8nExitCrashes) {
		notes.push(`${n8nExitCrashes} \`n8n execute\` process(es) ended with SIGSEGV after printing the complete run and running their exit handlers (a crash in n8n's teardown, not in the workflow); those runs were kept, since their output was complete and verified.`);
	}
	const skipped = results.filter((r) => isNodeCoreVariant(r.variant)).map((r) => r.skippedSerializations).filter((n) => n !== undefined && n !== 1);
	if (skipped.length) notes.push(`node-core: the harness's serialisation of the run was skipped ${skipped.join('/')} times in some runs instead of once.`);
	notes.push('node-core (and its CRM variants) excludes one step of the test harness that n8n-core itself never runs: JSON.stringify of the whole finished run (the harness keeps it for the tests\' token-leak checks).');

	const summary = summarize(options);
	const targetList = targets(summary, probe, options);
	const report = {
		generatedAt: new Date().toISOString(),
		durationSeconds: Math.round((Date.now() - started) / 1000),
		machine,
		options,
		summary,
		targets: targetList,
		probe,
		notes,
		failures,
		runs: results,
	};
	fs.mkdirSync(RESULTS_DIR, { recursive: true });
	fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
	fs.writeFileSync(path.join(RESULTS_DIR, 'latest.md'), `${render(report, true)}\n`);
	process.stdout.write(`\n${render(report, false)}\n`);
	log(`wrote bench-results/latest.json and bench-results/latest.md (${report.durationSeconds} s in all)`);
	if (options.keep) log(`kept ${path.relative(ROOT, WORK_DIR)} and ${N8N_HOME}`);
	if (failures.length) {
		log(`${failures.length} problem(s): ${failures.slice(0, 5).join(' | ')}`);
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
