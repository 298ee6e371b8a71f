#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Browser test: the packed Hypersender node in the real n8n editor (the version scripts/n8n pins),
 * driven through headless Debian Chromium by playwright-core, against the local sandbox API.
 *
 *   node test/browser/editor.test.js                     # builds + packs dist/, then runs
 *   HYPERSENDER_PACKAGE_TGZ=x.tgz node test/browser/editor.test.js   # uses that tarball
 *   node test/browser/editor.test.js --no-build          # packs the current dist/ as it is
 *   node test/browser/editor.test.js --update-screenshot # also rewrites test/browser/screenshot-editor.png
 *
 * Any Node works to start it: it re-runs itself on the project's Node 24 (scripts/toolchain.js).
 * Exit code 0 = every step passed. Screenshots (one per step), the n8n log and observations.json
 * (every text the editor showed for the node and the credential) go to test-results/browser/.
 * HYPERSENDER_BROWSER_KEEP=1 keeps the n8n home (.n8n-runtime/homes/browser-<pid>) after the run.
 *
 * This file runs the steps in order; session.js starts and stops everything, base-session.js (shared
 * with the install test) keeps the bookkeeping (screenshots, observations), steps/*.js are the
 * steps, ui.js the editor helpers, node24.js the re-run on Node 24.
 */
const { runOnNode24 } = require('./node24');

runOnNode24(__filename, start);

function start() {
	const { Session, log, rel } = require('./session');

	/** @type {Array<{ title: string, run: (session: import('./session').Session) => Promise<void> }>} */
	const STEPS = [
		...require('./steps/nodes-panel').steps,
		...require('./steps/parameters').steps,
		...require('./steps/credential').steps,
		...require('./steps/execute').steps,
		...require('./steps/canvas').steps,
		...require('./steps/example').steps,
		...require('./steps/message').steps,
		...require('./steps/trigger').steps,
	];

	const session = new Session({ args: new Set(process.argv.slice(2)) });

	async function main() {
		const started = Date.now();
		// Before the steps: a browser (installed if missing), n8n (installed if missing), the package.
		await session.prepareMachine();
		const packageTgz = session.packageTarball();
		log(`package: ${rel(packageTgz)}`);
		const { chromium } = require('playwright-core');
		session.armWatchdog();

		await session.step('start the sandbox and n8n, set up the owner, log in', () => session.start(packageTgz, chromium));
		for (const { title, run } of STEPS) await session.step(title, () => run(session));

		session.observations.seconds = (Date.now() - started) / 1000;
		log(`all ${session.stepNumber} steps passed in ${session.observations.seconds.toFixed(0)} s`);
	}

	session.runToExit(main, { stopping: 'browser, n8n and sandbox' });
}
