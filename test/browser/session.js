// @ts-check
'use strict';
// The browser test's session: the sandbox, a fresh n8n home with the packed package, `n8n start`,
// the signed-in Chromium tab; the bookkeeping around the steps (numbering, timing, one screenshot
// per step, observations.json, cleanup on success, failure and signals) is base-session.js's.
const fs = require('node:fs');
const path = require('node:path');

const runtime = require('../../scripts/n8n/runtime');
const { BaseSession, ROOT, DEFAULT_INSTANCE, makeLog, rel, assert } = require('./base-session');
const { COMMITTED_SCREENSHOT, saveSmallScreenshot } = require('./screenshot');

/** @typedef {import('./base-session').Observations} Observations */

const RESULTS_DIR = path.join(ROOT, 'test-results', 'browser');
const OWNER = { email: 'browser-test@example.com', password: 'Browser-Test-1234', firstName: 'Browser', lastName: 'Test' };
const INSTANCE_SIZE = 2500;
const TOTAL_TIMEOUT_MS = 5 * 60 * 1000; // the ten steps take 110-130 s on a loaded machine, 30-35 s of it n8n starting

const log = makeLog('browser');

/** @extends {BaseSession<Observations>} */
class Session extends BaseSession {
	/** @param {{ args: Set<string> }} options */
	constructor({ args }) {
		super({
			args,
			resultsDir: RESULTS_DIR,
			log,
			testName: 'browser test',
			totalTimeoutMs: TOTAL_TIMEOUT_MS,
			observations: { n8nVersion: runtime.N8N_VERSION, steps: [] },
		});
	}

	/** The packed package: $HYPERSENDER_PACKAGE_TGZ, else build (unless --no-build) and `npm pack` into .e2e/. */
	packageTarball() {
		this.buildPackage();
		const packDir = path.join(runtime.E2E_DIR, `browser-pack-${process.pid}`);
		this.onCleanup(() => fs.rmSync(packDir, { recursive: true, force: true }));
		return runtime.resolvePackageTgz(packDir);
	}

	/**
	 * The sandbox, a fresh n8n home with the package, `n8n start` on a free port, the owner account,
	 * and a Chromium tab signed in with the owner's cookie on the editor's workflow list.
	 * @param {string} packageTgz
	 * @param {typeof import('playwright-core').chromium} chromium
	 */
	async start(packageTgz, chromium) {
		await this.startSandbox(INSTANCE_SIZE);
		const home = path.join(runtime.HOMES_DIR, `browser-${process.pid}`);
		await runtime.createN8nHome(home, { packageTgz, fresh: true });
		if (process.env.HYPERSENDER_BROWSER_KEEP !== '1') this.onCleanup(() => fs.rmSync(home, { recursive: true, force: true }));
		const logFile = this.n8nLog();
		const port = await runtime.freePort();
		const editor = await runtime.startEditor(home, { port, onLine: (line) => logFile.write(`${line}\n`) });
		this.editor = editor;
		this.onCleanup(() => editor.stop(15000));
		this.url = editor.url;
		await waitForRest(this.url);
		const auth = await this.signIn(OWNER);

		const page = await this.openTab(chromium, auth);
		// Anything of the package's that the editor fails to load (icon, types) is a failure.
		/** @type {string[]} */
		const failedPackageRequests = [];
		this.observations.failedPackageRequests = failedPackageRequests;
		page.on('response', (res) => {
			if (res.status() >= 400 && /hypersender/i.test(res.url())) failedPackageRequests.push(`${res.status()} ${res.url()}`);
		});
		await this.openWorkflowList();
	}

	/**
	 * The editor screenshot the README shows, taken in step 9 (`clip` of the tab): into test/browser/ with
	 * --update-screenshot, else into test-results/browser/. Resolves to the file.
	 * @param {{ x: number, y: number, width: number, height: number }} clip
	 */
	async saveEditorScreenshot(clip) {
		const file = this.args.has('--update-screenshot') ? COMMITTED_SCREENSHOT : path.join(RESULTS_DIR, 'screenshot-editor.png');
		const bytes = await saveSmallScreenshot(this.page, file, clip);
		log(`   screenshot ${rel(file)} (${Math.round(bytes / 1024)} KB)`);
		return file;
	}
}

/**
 * n8n answers every route with "200 n8n is starting up. Please wait" while it migrates its
 * database, so a 200 from /rest/settings alone does not mean ready: wait for its JSON.
 * @param {string} url
 */
async function waitForRest(url, timeoutMs = 90000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await runtime.request(`${url}/rest/settings`, { timeoutMs: 5000 }).catch(() => undefined);
		if (res && res.status === 200 && res.body && res.body.data) return res.body.data;
		assert(Date.now() < deadline, `n8n at ${url} did not serve /rest/settings as JSON within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

module.exports = { Session, RESULTS_DIR, ROOT, DEFAULT_INSTANCE, log, rel, assert };
