// @ts-check
'use strict';
// One measured Send Text run in a fresh process (started by sends.js with --expose-gc and an IPC
// channel), so that peak heap and RSS belong to this run alone.
//
//   node-core  Message › Send Text of the Hypersender node (dist/) over `count` input items, run by
//              n8n-core's real WorkflowExecute through the harness (see harness-loader.js):
//              chatId `={{ $json.to }}`, text `=Order update for {{ $json.to }}`, options
//              { safeMode, waitForResult }
//   baseline   a bare fetch loop: the same POSTs (same endpoint, same JSON body), one after the
//              other, each answer's queued_request_uuid kept
//
// Sequence: load the code, warm up on a small instance of its own (with the sandbox set by
// sends.js: no latency and no processing time, so the warm-up is quick and one with Wait for
// Result reads each result once), then set the measured settings (sandboxConfig), forget the measured
// instance's queued requests (the sandbox processes an instance's requests in order, so earlier
// ones would delay these), clear the request log, force a GC and time one run while sampling memory.
const { performance } = require('node:perf_hooks');
const { loadHarness } = require('./harness-loader');
const { sendRecipient: phone, sendText } = require('./variants');
const { gc, startSampler } = require('./worker-memory');

/** @typedef {import('./types').SendWorkerConfig} SendWorkerConfig */
/** @typedef {import('./types').SendWorkerReport} SendWorkerReport */

/** @type {SendWorkerConfig} */
const config = JSON.parse(process.argv[2]);

/** sends.js starts this file with an IPC channel, so process.send is there. */
const processSend = /** @type {NonNullable<typeof process.send>} */ (process.send);

/**
 * @param {SendWorkerReport} message
 * @returns {Promise<void>}
 */
function send(message) {
	return new Promise((resolve) => processSend.call(process, message, undefined, undefined, () => resolve()));
}

/**
 * A sandbox control call (no auth).
 * @param {string} method
 * @param {string} route under /__sandbox
 * @param {unknown} [body]
 */
async function control(method, route, body) {
	const res = await fetch(`${config.sandboxUrl}/__sandbox${route}`, {
		method,
		headers: body ? { 'content-type': 'application/json' } : {},
		body: body ? JSON.stringify(body) : undefined,
	});
	if (!res.ok) throw new Error(`sandbox ${method} ${route} answered ${res.status}: ${await res.text()}`);
	await res.arrayBuffer();
}

/** The input items: one recipient each. @param {number} count */
const inputItems = (count) => Array.from({ length: count }, (_, index) => ({ to: phone(index) }));
const endpoint = config.safeMode ? 'send-text-safe' : 'send-text';

// ---------------------------------------------------------------------------------------
// Variants

/**
 * The same POSTs as the node, one after the other, with a bare fetch: the floor for any client.
 * @param {string} instance
 * @param {number} count
 * @returns {Promise<string[]>} the queued request ids in order
 */
async function baseline(instance, count) {
	const url = `${config.baseUrl}/${encodeURIComponent(instance)}/${endpoint}`;
	const headers = { Authorization: `Bearer ${config.token}`, Accept: 'application/json', 'Content-Type': 'application/json' };
	/** @type {string[]} */
	const ids = [];
	for (const { to } of inputItems(count)) {
		const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ chatId: `${to}@c.us`, text: sendText(to) }) });
		if (!res.ok) throw new Error(`HTTP ${res.status} for ${to}: ${await res.text()}`);
		const answer = /** @type {{ queued_request_uuid: string }} */ (await res.json());
		ids.push(answer.queued_request_uuid);
	}
	return ids;
}

/** @type {ReturnType<typeof loadHarness> | undefined} */
let loaded;

/**
 * Send Text through n8n-core; every output item is checked for its shape and pairing.
 * @param {string} instance
 * @param {number} count
 */
async function nodeCore(instance, count) {
	const { harness, state } = /** @type {ReturnType<typeof loadHarness>} */ (loaded);
	/** @type {{ executeMs?: number }} */
	const nodeWindow = (state.nodeWindow = {});
	const result = await harness.runHypersenderNode({
		parameters: {
			resource: 'message',
			operation: 'sendText',
			chatId: '={{ $json.to }}',
			text: '=Order update for {{ $json.to }}',
			options: { safeMode: config.safeMode, waitForResult: config.waitForResult },
		},
		credentials: { apiToken: config.token, instanceId: instance, baseUrl: config.baseUrl },
		inputItems: inputItems(count),
	});
	if (result.error) throw new Error(`the node failed: ${result.error.message}`);
	if (result.run !== state.lastRun) throw new Error('the benchmark did not see the run the harness returned (n8n-core changed?)');
	const task = result.run.data.resultData.runData[harness.NODE_NAME][0];
	/** @type {string[]} */
	const itemProblems = [];
	const ids = result.items.map((item, index) => {
		const json = /** @type {Record<string, unknown>} */ (item.json);
		const shapeOk = config.waitForResult
			? json.responseStatus === 201 && typeof json.messageId === 'string' && json.messageId.startsWith(`true_${phone(index)}@c.us_`)
			: json.queued === true && typeof json.queuedRequestLink === 'string' && json.queuedRequestLink.endsWith(`/queued-requests/${json.queuedRequestId}`);
		if ((!shapeOk || item.pairedItem?.item !== index) && itemProblems.length < 5) {
			itemProblems.push(`item ${index}: ${JSON.stringify({ ...json, pairedItem: item.pairedItem }).slice(0, 300)}`);
		}
		return String(json.queuedRequestId);
	});
	return { ids, itemProblems, executionTime: task.executionTime, executeMs: nodeWindow.executeMs };
}

// ---------------------------------------------------------------------------------------

async function main() {
	const isNodeCore = config.variant === 'node-core';
	if (isNodeCore) loaded = loadHarness(config.harnessBuildDir);
	/** @type {(instance: string, count: number) => Promise<{ ids: string[], itemProblems?: string[], executionTime?: number, executeMs?: number }>} */
	const run = isNodeCore ? nodeCore : async (instance, count) => ({ ids: await baseline(instance, count) });

	await control('DELETE', `/messages/${encodeURIComponent(config.warmupInstance)}`);
	for (let i = 0; i < config.warmups; i++) await run(config.warmupInstance, config.warmupCount);
	await control('POST', '/config', config.sandboxConfig);
	await control('DELETE', `/messages/${encodeURIComponent(config.instance)}`);
	await control('POST', '/reset');
	gc();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssBefore = process.memoryUsage.rss();

	const sampler = startSampler();
	const cpuBefore = process.cpuUsage();
	const startedAt = Date.now();
	const started = performance.now();
	const result = await run(config.instance, config.count);
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	const memory = sampler.stop();
	const maxRss = process.resourceUsage().maxRSS * 1024;

	await send({
		ok: true,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		startedAt,
		executionTime: result.executionTime,
		executeMs: result.executeMs,
		heapBefore,
		peakHeap: memory.peakHeap,
		rssBefore,
		peakRss: maxRss,
		count: result.ids.length,
		queuedRequestIds: result.ids,
		itemProblems: result.itemProblems ?? [],
	});
	process.exit(0);
}

main().catch(async (error) => {
	await send({ ok: false, error: error.stack || String(error) });
	process.exit(1);
});
