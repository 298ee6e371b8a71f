// @ts-check
'use strict';
// The check of every run against the sandbox's own list, and the record of the measured runs and
// of what went wrong (a wrong list or request count makes the benchmark exit 1).
const crypto = require('node:crypto');
const { CRM_VARIANTS, K4, K4_VARIANT, expectedRequests, isNodeVariant, k4RequestRange, requestsInRange } = require('./variants');

/** @typedef {import('./types').Variant} Variant */
/** @typedef {import('./types').Expected} Expected */
/** @typedef {import('./types').ExpectedForSize} ExpectedForSize */
/** @typedef {import('./types').Listing} Listing */
/** @typedef {import('./types').RunEntry} RunEntry */

/**
 * sha256 over every contact's JSON, one per line, in order.
 * @param {unknown[]} contacts
 */
function digestOf(contacts) {
	const hash = crypto.createHash('sha256');
	for (const contact of contacts) hash.update(JSON.stringify(contact)).update('\n');
	return hash.digest('hex');
}

/**
 * A list of contacts as the check compares it.
 * @param {Array<{ id?: unknown }>} contacts
 * @returns {Listing}
 */
function listingOf(contacts) {
	return { count: contacts.length, ids: contacts.map((contact) => /** @type {string} */ (contact.id)), digest: digestOf(contacts) };
}

/**
 * The list `variant` must return for one sandbox.expected() entry.
 * @param {ExpectedForSize} expected
 * @param {Variant} variant
 * @returns {Expected}
 */
function expectedFor(expected, variant) {
	return CRM_VARIANTS[variant] ? expected.byVariant[variant] : expected;
}

/**
 * null when `got` is exactly the expected list (same ids, same order, same contents), else why not.
 * @param {Partial<Listing>} got
 * @param {Expected} expected
 * @returns {string | null}
 */
function verify(got, expected) {
	if (got.count !== expected.ids.length) return `returned ${got.count} contacts, expected ${expected.ids.length}`;
	const ids = got.ids ?? [];
	for (let i = 0; i < expected.ids.length; i++) {
		if (ids[i] !== expected.ids[i]) return `contact #${i} is ${JSON.stringify(ids[i])}, expected ${JSON.stringify(expected.ids[i])}`;
	}
	if (got.digest !== expected.digest) return 'the ids match but the contacts\' contents differ from the API\'s';
	return null;
}

/**
 * The runs measured so far and the problems found; one per benchmark.
 */
class Recorder {
	constructor() {
		/** One entry per measured run (latest.json `runs`). @type {RunEntry[]} */
		this.runs = [];
		/** Wrong results, wrong request counts, failed phases: any makes the benchmark exit 1. @type {string[]} */
		this.failures = [];
		/** Notes on the real-n8n setup, for the report. @type {string[]} */
		this.n8nNotes = [];
		/** `n8n execute` processes that died with SIGSEGV after a complete run (see n8n-runs.js). */
		this.n8nExitCrashes = 0;
	}

	/**
	 * Checks one run's list against `expected` and its request count, keeps it (without its ids)
	 * and records any problem.
	 * @param {RunEntry} entry
	 * @param {Expected} expected
	 * @param {unknown[]} requests the API requests the run made
	 * @returns {RunEntry}
	 */
	record(entry, expected, requests) {
		let verification = entry.ok ? verify(entry, expected) : entry.error;
		if (verification === null && entry.pairedOk === false) verification = 'the items are not paired with the input item (pairedItem.item 0)';
		const requestsExpected = expectedRequests(entry.size);
		const requestsOk = requestsInRange(entry.variant, entry.size, requests.length);
		/** @type {RunEntry} */
		const run = { ...entry, requests: requests.length, requestsOk, verified: verification === null, problem: verification };
		delete run.ids;
		this.runs.push(run);
		if (verification !== null) {
			this.failures.push(`${entry.variant} N=${entry.size} latency=${entry.latencyMs}ms run ${entry.run}: ${verification}`);
		}
		if (entry.variant === K4_VARIANT && !requestsOk) {
			const [low, high] = k4RequestRange(entry.size);
			this.failures.push(`${entry.variant} N=${entry.size} latency=${entry.latencyMs}ms run ${entry.run}: ${requests.length} requests, expected between floor(N/1000)+1 = ${low} and floor(N/1000)+${K4} = ${high}`);
		} else if (isNodeVariant(entry.variant) && !requestsOk) {
			this.failures.push(`${entry.variant} N=${entry.size} latency=${entry.latencyMs}ms run ${entry.run}: ${requests.length} requests, expected floor(N/1000)+1 = ${requestsExpected}`);
		}
		return run;
	}
}

module.exports = { digestOf, listingOf, expectedFor, verify, Recorder };
