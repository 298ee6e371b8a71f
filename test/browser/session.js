// @ts-check
'use strict';
// The browser test's session: the sandbox, a fresh n8n home with the packed package, `n8n start`,
// the signed-in Chromium tab, and the bookkeeping around the steps (numbering, timing, one
// screenshot per step, observations.json, cleanup on success, failure and signals).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const toolchain = require('../../scripts/toolchain');
const runtime = require('../../scripts/n8n/runtime');
const { startSandbox, DEFAULT_INSTANCE } = require('../../sandbox/server');
const { launchChromium } = require('./chromium');
const { COMMITTED_SCREENSHOT, saveSmallScreenshot } = require('./screenshot');
const { UI_TIMEOUT_MS, byTestId, need } = require('./ui');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../harness/sandbox').Sandbox} Sandbox */
/** @typedef {import('../../scripts/n8n/runtime').Editor} Editor */

const { ROOT } = toolchain;
const RESULTS_DIR = path.join(ROOT, 'test-results', 'browser');
const OWNER = { email: 'browser-test@example.com', password: 'Browser-Test-1234', firstName: 'Browser', lastName: 'Test' };
const INSTANCE_SIZE = 2500;
const FIRST_LOAD_TIMEOUT_MS = 60_000;
const TOTAL_TIMEOUT_MS = 5 * 60 * 1000; // the ten steps take 110-130 s on a loaded machine, 30-35 s of it n8n starting

/** @param {string} message */
function log(message) {
	process.stderr.write(`[browser] ${message}\n`);
}

/** @param {string} file */
function rel(file) {
	return path.relative(ROOT, file);
}

/** @param {string} text */
function slug(text) {
	return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48);
}

/**
 * @param {unknown} condition
 * @param {string} message
 * @returns {asserts condition}
 */
function assert(condition, message) {
	if (!condition) throw new Error(message);
}

/**
 * Everything the editor showed, written to observations.json (any step may add to it).
 * @typedef {{ n8nVersion: string, steps: Array<Record<string, unknown>>, [key: string]: any }} Observations
 */

class Session {
	/** @param {{ args: Set<string> }} options */
	constructor({ args }) {
		this.args = args;
		/** @type {Observations} */
		this.observations = { n8nVersion: runtime.N8N_VERSION, steps: [] };
		this.stepNumber = 0;
		/** @type {Array<() => unknown>} */
		this.cleanups = [];
		/** @type {Promise<void> | undefined} */
		this.cleaningUp = undefined;
		/** @type {NodeJS.Timeout | undefined} */
		this.watchdog = undefined;
		/** @type {Page | undefined} the editor tab, once the browser runs */
		this.pageOrUndefined = undefined;
		/** @type {Sandbox | undefined} */
		this.sandboxOrUndefined = undefined;
		/** @type {Editor | undefined} */
		this.editor = undefined;
		this.url = '';
		/** The owner's cookie for the editor's REST API (after step 1). */
		this.cookie = '';
	}

	/** The editor tab (after step 1). */
	get page() {
		assert(this.pageOrUndefined, 'the browser is not running');
		return this.pageOrUndefined;
	}

	/** The sandbox API (after step 1). */
	get sandbox() {
		assert(this.sandboxOrUndefined, 'the sandbox is not running');
		return this.sandboxOrUndefined;
	}

	/** The current step's number, two digits. */
	get number() {
		return String(this.stepNumber).padStart(2, '0');
	}

	/** Runs `fn` when the session ends (last registered, first run). @param {() => unknown} fn */
	onCleanup(fn) {
		this.cleanups.push(fn);
	}

	/** Stops browser, n8n and sandbox (once, however often it is called). */
	cleanup() {
		if (!this.cleaningUp) {
			this.cleaningUp = (async () => {
				for (const fn of this.cleanups.reverse()) {
					try {
						await fn();
					} catch (error) {
						log(`cleanup: ${error.message}`);
					}
				}
			})();
		}
		return this.cleaningUp;
	}

	/** The time limit covers the steps only: a first run may spend minutes installing n8n before them. */
	armWatchdog() {
		this.watchdog = setTimeout(() => {
			log(`the browser test steps did not finish within ${TOTAL_TIMEOUT_MS / 1000} s; stopping`);
			this.cleanup().finally(() => process.exit(1));
		}, TOTAL_TIMEOUT_MS);
		this.watchdog.unref();
	}

	disarmWatchdog() {
		clearTimeout(this.watchdog);
	}

	/**
	 * A screenshot of the tab into `file`; resolves to the file, or undefined without a browser.
	 * @param {string} file
	 */
	async screenshot(file) {
		if (!this.pageOrUndefined) return undefined;
		try {
			await this.pageOrUndefined.screenshot({ path: file, timeout: 10000 });
			return file;
		} catch (error) {
			log(`  (screenshot ${rel(file)} failed: ${error.message.split('\n')[0]})`);
			return undefined;
		}
	}

	/** An extra screenshot within the current step: test-results/browser/NN-<name>.png. @param {string} name */
	shot(name) {
		return this.screenshot(path.join(RESULTS_DIR, `${this.number}-${name}.png`));
	}

	/**
	 * One step: numbered, timed, followed by a screenshot (NN-<title>.png, or NN-<title>-FAILED.png
	 * when it fails; the error names the step and the screenshot).
	 * @template T
	 * @param {string} title
	 * @param {() => Promise<T>} fn
	 * @returns {Promise<T>}
	 */
	async step(title, fn) {
		this.stepNumber += 1;
		const number = this.number;
		const shot = path.join(RESULTS_DIR, `${number}-${slug(title)}.png`);
		const started = Date.now();
		log(`${number} ${title}`);
		let result;
		try {
			result = await fn();
		} catch (error) {
			const failedShot = path.join(RESULTS_DIR, `${number}-${slug(title)}-FAILED.png`);
			const saved = await this.screenshot(failedShot);
			const where = saved ? `screenshot: ${rel(saved)}` : 'no screenshot (the browser was not running)';
			const wrapped = new Error(`step ${number} "${title}" failed: ${error.message}\n  ${where}`);
			wrapped.stack = `${wrapped.message}\n${error.stack}`;
			this.observations.steps.push({ number, title, ok: false, error: error.message, screenshot: saved && rel(saved) });
			throw wrapped;
		}
		const saved = await this.screenshot(shot);
		const seconds = (Date.now() - started) / 1000;
		this.observations.steps.push({ number, title, ok: true, seconds, screenshot: saved && rel(saved) });
		log(`   ok (${seconds.toFixed(1)} s)${saved ? ` → ${rel(saved)}` : ''}`);
		return result;
	}

	/** The packed package: $HYPERSENDER_PACKAGE_TGZ, else build (unless --no-build) and `npm pack` into .e2e/. */
	packageTarball() {
		if (!process.env.HYPERSENDER_PACKAGE_TGZ && !this.args.has('--no-build')) {
			log('building the package (node scripts/dev.js build)...');
			execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'dev.js'), 'build'], {
				cwd: ROOT,
				env: toolchain.node24Env(),
				stdio: ['ignore', 'ignore', 'inherit'],
			});
		}
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
		const sandbox = /** @type {Sandbox} */ (
			await startSandbox({ port: 0, quiet: true, instances: { [DEFAULT_INSTANCE]: { size: INSTANCE_SIZE, seed: 42 } } })
		);
		this.sandboxOrUndefined = sandbox;
		this.onCleanup(() => sandbox.close());
		const home = path.join(runtime.HOMES_DIR, `browser-${process.pid}`);
		await runtime.createN8nHome(home, { packageTgz, fresh: true });
		if (process.env.HYPERSENDER_BROWSER_KEEP !== '1') this.onCleanup(() => fs.rmSync(home, { recursive: true, force: true }));
		const logFile = fs.createWriteStream(path.join(RESULTS_DIR, 'n8n.log'));
		this.onCleanup(() => new Promise((resolve) => logFile.end(resolve)));
		const port = await runtime.freePort();
		const editor = await runtime.startEditor(home, { port, onLine: (line) => logFile.write(`${line}\n`) });
		this.editor = editor;
		this.onCleanup(() => editor.stop(15000));
		const url = editor.url;
		this.url = url;
		await waitForRest(url);
		const owner = await runtime.setupOwner(url, OWNER);
		const { cookie } = owner.cookie ? owner : await runtime.login(url, OWNER);
		const auth = /(?:^|;\s*)n8n-auth=([^;]+)/.exec(cookie);
		assert(auth, `n8n gave no n8n-auth cookie (got "${cookie}")`);
		this.cookie = cookie;

		const browser = await launchChromium({ chromium });
		this.onCleanup(() => browser.close());
		await browser.context.addCookies([{ name: 'n8n-auth', value: auth[1], url }]);
		/** @type {Page} */
		const page = browser.context.pages()[0] ?? (await browser.context.newPage());
		this.pageOrUndefined = page;
		page.setDefaultTimeout(UI_TIMEOUT_MS);
		// Anything of the package's that the editor fails to load (icon, types) is a failure.
		/** @type {string[]} */
		const failedPackageRequests = [];
		this.observations.failedPackageRequests = failedPackageRequests;
		page.on('response', (res) => {
			if (res.status() >= 400 && /hypersender/i.test(res.url())) failedPackageRequests.push(`${res.status()} ${res.url()}`);
		});
		/** @type {string[]} */
		const pageErrors = [];
		this.observations.pageErrors = pageErrors;
		page.on('pageerror', (error) => pageErrors.push(error.message));
		// The first load fetches the editor's whole bundle: on a busy machine that alone can take
		// longer than one UI step is given.
		await page.goto(`${url}/home/workflows`, { timeout: FIRST_LOAD_TIMEOUT_MS });
		await need(page.locator(byTestId('main-sidebar-settings')), 'the signed-in editor (sidebar settings button); the login did not take');
		assert(!/\/signin/.test(page.url()), `the editor sent the browser to ${page.url()}`);
	}

	/**
	 * The editor's REST API as the signed-in owner; resolves to the answer's `data` (a non-2xx
	 * answer is an error that names the route).
	 * @param {string} method
	 * @param {string} route e.g. `/rest/workflows`
	 * @param {unknown} [body]
	 * @returns {Promise<any>}
	 */
	async rest(method, route, body) {
		const res = await runtime.request(`${this.url}${route}`, { method, body, headers: { cookie: this.cookie } });
		assert(res.status >= 200 && res.status < 300, `${method} ${route} answered ${res.status}: ${res.text.slice(0, 300)}`);
		return res.body?.data;
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

	/** Writes observations.json into test-results/browser/. */
	writeObservations() {
		fs.mkdirSync(RESULTS_DIR, { recursive: true });
		const file = path.join(RESULTS_DIR, 'observations.json');
		fs.writeFileSync(file, `${JSON.stringify(this.observations, null, 2)}\n`);
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
