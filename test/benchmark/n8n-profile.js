// @ts-check
'use strict';
// The real-n8n CPU profiles (profile phase, unless --no-profile): one more `n8n execute` of each
// real-n8n variant at the largest N under --cpu-prof, summarised over the time the measured
// nodes ran only.
const fs = require('node:fs');
const path = require('node:path');
const { summarizeProfile } = require('./profile');
const { log } = require('./log');
const { fmt } = require('./stats');
const { listingOf, verify } = require('./results');
const { WORK_DIR } = require('./variants');
const { NODE_NAME, N8N_VARIANTS, SPLIT_NAME, measuredNodes, taskOf } = require('./n8n-workflows');

/** @typedef {import('./types').PhaseContext} PhaseContext */
/** @typedef {import('./types').ExpectedForSize} ExpectedForSize */
/** @typedef {import('./types').N8nProfiles} N8nProfiles */
/** @typedef {import('./n8n-runs').Execute} Execute */

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
 * @param {PhaseContext} context
 * @param {Map<string, string>} workflows
 * @param {Execute} execute
 * @returns {Promise<N8nProfiles>}
 */
async function profileInN8n({ options, sandbox, expectedBySize, recorder }, workflows, execute) {
	const size = Math.max(...options.sizes);
	await sandbox.setLatency(0);
	/** @type {N8nProfiles['profiles']} */
	const profiles = {};
	for (const variant of N8N_VARIANTS) {
		const isNode = variant === 'node-n8n';
		const dir = path.join(WORK_DIR, 'n8n-profiles', variant);
		fs.mkdirSync(dir, { recursive: true });
		await sandbox.reset();
		const { result, memory } = await execute(/** @type {string} */ (workflows.get(`${variant}:${size}`)), isNode ? NODE_NAME : SPLIT_NAME, `profile-${variant}`, { profileDir: dir });
		const contacts = (result.items ?? []).map((item) => item.json);
		const problem = result.ok ? verify(listingOf(contacts), /** @type {ExpectedForSize} */ (expectedBySize.get(size))) : result.error;
		if (problem) {
			recorder.failures.push(`${variant} profile run N=${size}: ${problem}`);
			continue;
		}
		const file = fs.readdirSync(dir).find((name) => memory.pid && name.includes(`.${memory.pid}.`) && name.endsWith('.cpuprofile'));
		const names = measuredNodes(variant);
		const startMs = Number(taskOf(result.run, names[0]).startTime);
		const last = taskOf(result.run, names[names.length - 1]);
		const endMs = Number(last.startTime) + Number(last.executionTime);
		const clock = memory.clock;
		if (!file || !clock) {
			profiles[variant] = { note: 'no profile or clock reference was written' };
			continue;
		}
		/** @param {number} epochMs */
		const toMonotonic = (epochMs) => clock.monotonicUs + (epochMs - clock.epochMs) * 1000;
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

module.exports = { profileInN8n };
