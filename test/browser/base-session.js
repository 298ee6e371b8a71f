// @ts-check
'use strict';
// What the browser tests' sessions share (session.js: the editor test, install/session.js: the
// install test): the bookkeeping around the steps (numbering, timing, one screenshot per step,
// observations.json, cleanup once on success, failure and signals, a watchdog on the steps), and
// the pieces of their start: the package build, the sandbox, n8n's log, the owner's sign-in, the
// signed-in Chromium tab on the workflow list, the editor's REST API.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const toolchain = require('../../scripts/toolchain');
const runtime = require('../../scripts/n8n/runtime');
const { startSandbox, DEFAULT_INSTANCE } = require('../../sandbox/server');
const { ensureChromium, launchChromium } = require('./chromium');
const { UI_TIMEOUT_MS, byTestId, need } = require('./ui');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../harness/sandbox').Sandbox} Sandbox */
/** @typedef {import('../../scripts/n8n/runtime').Editor} Editor */

const { ROOT } = toolchain;
const FIRST_LOAD_TIMEOUT_MS = 60_000;

/**
 * A log function: each message on stderr as one line `[<tag>] message`.
 * @param {string} tag
 * @returns {(message: string) => void}
 */
function makeLog(tag) {
	return (message) => {
		process.stderr.write(`[${tag}] ${message}\n`);
	};
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
 * Everything a test saw, written to observations.json (any step may add to it).
 * @typedef {{ n8nVersion: string, chromium?: string, steps: Array<Record<string, unknown>>, [key: string]: any }} Observations
 */

/**
 * @typedef {object} BaseSessionOptions
 * @property {Set<string>} args the command line's arguments
 * @property {string} resultsDir where screenshots, logs and observations.json go
 * @property {(message: string) => void} log
 * @property {string} testName for the watchdog's message, e.g. "browser test"
 * @property {number} totalTimeoutMs the watchdog's limit on the steps
 * @property {number} [restTimeoutMs] for rest(); net.request's default when not set
 */

/** @template {Observations} O */
class BaseSession {
	/** @param {BaseSessionOptions & { observations: O }} options */
	constructor({ args, resultsDir, log, testName, totalTimeoutMs, restTimeoutMs, observations }) {
		this.args = args;
		this.resultsDir = resultsDir;
		this.log = log;
		this.testName = testName;
		this.totalTimeoutMs = totalTimeoutMs;
		this.restTimeoutMs = restTimeoutMs;
		/** @type {O} */
		this.observations = observations;
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
		/** The owner's cookie for the editor's REST API (once signed in). */
		this.cookie = '';
	}

	/** The editor tab (once the browser runs). */
	get page() {
		assert(this.pageOrUndefined, 'the browser is not running');
		return this.pageOrUndefined;
	}

	/** The sandbox API (once started). */
	get sandbox() {
		assert(this.sandboxOrUndefined, 'the sandbox is not running');
		return this.sandboxOrUndefined;
	}

	/** The current step's number, two digits. */
	get number() {
		return String(this.stepNumber).padStart(2, '0');
	}

	/**
	 * Before the steps: an empty results folder, a browser (Debian's chromium, installed with
	 * apt-get if missing; its version observed) and n8n (installed if missing).
	 */
	async prepareMachine() {
		fs.rmSync(this.resultsDir, { recursive: true, force: true });
		fs.mkdirSync(this.resultsDir, { recursive: true });
		const chromiumInfo = ensureChromium(this.log);
		this.log(`${chromiumInfo.version}${chromiumInfo.installed ? ' (just installed with apt-get)' : ''}`);
		this.observations.chromium = chromiumInfo.version;
		await runtime.ensureN8n();
	}

	/** Runs `fn` when the session ends (last registered, first run). @param {() => unknown} fn */
	onCleanup(fn) {
		this.cleanups.push(fn);
	}

	/** Stops everything the session started (once, however often it is called). */
	cleanup() {
		if (!this.cleaningUp) {
			this.cleaningUp = (async () => {
				for (const fn of this.cleanups.reverse()) {
					try {
						await fn();
					} catch (error) {
						this.log(`cleanup: ${error.message}`);
					}
				}
			})();
		}
		return this.cleaningUp;
	}

	/** The time limit covers the steps only: a first run may spend minutes installing n8n before them. */
	armWatchdog() {
		this.watchdog = setTimeout(() => {
			this.log(`the ${this.testName} steps did not finish within ${this.totalTimeoutMs / 1000} s; stopping`);
			this.cleanup().finally(() => process.exit(1));
		}, this.totalTimeoutMs);
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
			this.log(`  (screenshot ${rel(file)} failed: ${error.message.split('\n')[0]})`);
			return undefined;
		}
	}

	/** An extra screenshot within the current step: <results>/NN-<name>.png. @param {string} name */
	shot(name) {
		return this.screenshot(path.join(this.resultsDir, `${this.number}-${name}.png`));
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
		const started = Date.now();
		this.log(`${number} ${title}`);
		let result;
		try {
			result = await fn();
		} catch (error) {
			const saved = await this.screenshot(path.join(this.resultsDir, `${number}-${slug(title)}-FAILED.png`));
			const where = saved ? `screenshot: ${rel(saved)}` : 'no screenshot (the browser was not running)';
			const wrapped = new Error(`step ${number} "${title}" failed: ${error.message}\n  ${where}`);
			wrapped.stack = `${wrapped.message}\n${error.stack}`;
			this.observations.steps.push({ number, title, ok: false, error: error.message, screenshot: saved && rel(saved) });
			throw wrapped;
		}
		const saved = await this.screenshot(path.join(this.resultsDir, `${number}-${slug(title)}.png`));
		const seconds = (Date.now() - started) / 1000;
		this.observations.steps.push({ number, title, ok: true, seconds, screenshot: saved && rel(saved) });
		this.log(`   ok (${seconds.toFixed(1)} s)${saved ? ` → ${rel(saved)}` : ''}`);
		return result;
	}

	/** Builds the package (node scripts/dev.js build) unless $HYPERSENDER_PACKAGE_TGZ or --no-build says which to take. */
	buildPackage() {
		if (!process.env.HYPERSENDER_PACKAGE_TGZ && !this.args.has('--no-build')) {
			this.log('building the package (node scripts/dev.js build)...');
			execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'dev.js'), 'build'], {
				cwd: ROOT,
				env: toolchain.node24Env(),
				stdio: ['ignore', 'ignore', 'inherit'],
			});
		}
	}

	/**
	 * The sandbox API on a free port with DEFAULT_INSTANCE of `size` contacts; closed at the end.
	 * @param {number} size
	 */
	async startSandbox(size) {
		const sandbox = /** @type {Sandbox} */ (
			await startSandbox({ port: 0, quiet: true, instances: { [DEFAULT_INSTANCE]: { size, seed: 42 } } })
		);
		this.sandboxOrUndefined = sandbox;
		this.onCleanup(() => sandbox.close());
		return sandbox;
	}

	/** <results>/n8n.log, open for writing until the session ends. */
	n8nLog() {
		const logFile = fs.createWriteStream(path.join(this.resultsDir, 'n8n.log'));
		this.onCleanup(() => new Promise((resolve) => logFile.end(resolve)));
		return logFile;
	}

	/**
	 * Sets up the owner account of the n8n at this.url (or logs in as it) and keeps its cookie;
	 * resolves to the value of its n8n-auth cookie.
	 * @param {{ email: string, password: string, firstName: string, lastName: string }} owner
	 */
	async signIn(owner) {
		const setUp = await runtime.setupOwner(this.url, owner);
		const { cookie } = setUp.cookie ? setUp : await runtime.login(this.url, owner);
		const auth = /(?:^|;\s*)n8n-auth=([^;]+)/.exec(cookie);
		assert(auth, `n8n gave no n8n-auth cookie (got "${cookie}")`);
		this.cookie = cookie;
		return auth[1];
	}

	/**
	 * Chromium with the owner's n8n-auth cookie for this.url (closed at the end), its tab with the
	 * UI helpers' timeout; the page's errors go to observations.pageErrors.
	 * @param {typeof import('playwright-core').chromium} chromium
	 * @param {string} auth the n8n-auth cookie's value (from signIn())
	 * @returns {Promise<Page>}
	 */
	async openTab(chromium, auth) {
		const browser = await launchChromium({ chromium });
		this.onCleanup(() => browser.close());
		await browser.context.addCookies([{ name: 'n8n-auth', value: auth, url: this.url }]);
		/** @type {Page} */
		const page = browser.context.pages()[0] ?? (await browser.context.newPage());
		this.pageOrUndefined = page;
		page.setDefaultTimeout(UI_TIMEOUT_MS);
		/** @type {string[]} */
		const pageErrors = [];
		/** @type {Observations} */ (this.observations).pageErrors = pageErrors;
		page.on('pageerror', (error) => pageErrors.push(error.message));
		return page;
	}

	/** The tab on the editor's workflow list, signed in. */
	async openWorkflowList() {
		const page = this.page;
		// The first load fetches the editor's whole bundle: on a busy machine that alone can take
		// longer than one UI step is given.
		await page.goto(`${this.url}/home/workflows`, { timeout: FIRST_LOAD_TIMEOUT_MS });
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
		const res = await runtime.request(`${this.url}${route}`, { method, body, headers: { cookie: this.cookie }, timeoutMs: this.restTimeoutMs });
		assert(res.status >= 200 && res.status < 300, `${method} ${route} answered ${res.status}: ${res.text.slice(0, 300)}`);
		return res.body?.data;
	}

	/**
	 * Runs `main` (the test's steps) to the process's end: then writes observations.json, stops
	 * everything and exits, 0 when `main` resolved and 1 when it failed. SIGINT, SIGTERM and SIGHUP
	 * stop everything and exit 130.
	 * @param {() => Promise<void>} main
	 * @param {{ stopping: string, guardProcess?: boolean }} options `stopping` names what is stopped
	 * (e.g. "browser, n8n and sandbox"); with `guardProcess`, an uncaught exception or unhandled
	 * rejection also stops everything (exit 1), and a reader of stdout/stderr that goes away does not
	 * end the run
	 */
	runToExit(main, { stopping, guardProcess = false }) {
		let interrupted = false;
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
			// `on`, not `once`: Ctrl-C may arrive twice (from the terminal and from the re-exec parent).
			process.on(signal, () => {
				if (interrupted) return;
				interrupted = true;
				this.log(`${signal}: stopping ${stopping}...`);
				this.cleanup().finally(() => process.exit(130));
			});
		}
		if (guardProcess) {
			// A reader that goes away (`... | head`) must not end the run without its cleanup.
			process.stderr.on('error', () => {});
			process.stdout.on('error', () => {});
			for (const event of /** @type {const} */ (['uncaughtException', 'unhandledRejection'])) {
				process.on(event, (error) => {
					if (interrupted) return;
					interrupted = true;
					this.log(`${event}: ${error instanceof Error ? error.stack : String(error)}; stopping ${stopping}...`);
					this.cleanup().finally(() => process.exit(1));
				});
			}
		}
		main()
			.then(
				() => 0,
				(error) => {
					this.log(`FAILED: ${error.stack || error.message}`);
					return 1;
				},
			)
			.then(async (code) => {
				const observationsFile = this.writeObservations();
				await this.cleanup();
				this.log(`observations: ${rel(observationsFile)}`);
				this.disarmWatchdog();
				process.exit(code);
			});
	}

	/** Writes observations.json into the results folder; returns its path. */
	writeObservations() {
		fs.mkdirSync(this.resultsDir, { recursive: true });
		const file = path.join(this.resultsDir, 'observations.json');
		fs.writeFileSync(file, `${JSON.stringify(this.observations, null, 2)}\n`);
		return file;
	}
}

module.exports = { BaseSession, ROOT, DEFAULT_INSTANCE, makeLog, rel, slug, assert };
