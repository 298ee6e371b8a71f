// @ts-check
'use strict';
// The install test's session: the local npm registry (scripts/registry) with the packed package
// published, the sandbox API, a fresh n8n home WITHOUT the package whose `npm` is pointed at the
// registry (scripts/registry/npm-shim.js), `n8n start`, the signed-in Chromium tab; and the
// bookkeeping around the steps (numbering, timing, one screenshot per step in
// test-results/browser-install/, observations.json, health checks of n8n, cleanup on success,
// failure and signals).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const toolchain = require('../../../scripts/toolchain');
const runtime = require('../../../scripts/n8n/runtime');
const { startRegistry } = require('../../../scripts/registry');
const { createNpmShim } = require('../../../scripts/registry/npm-shim');
const { nextPatch, repackWithVersion } = require('../../../scripts/registry/tarball');
const { PACKAGE_NAME } = require('../../../scripts/fixtures');
const { startSandbox, DEFAULT_INSTANCE } = require('../../../sandbox/server');
const { launchChromium } = require('../chromium');
const { MAX_COMMITTED_SCREENSHOT_BYTES, saveSmallScreenshot } = require('../screenshot');
const { UI_TIMEOUT_MS, byTestId, need } = require('../ui');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('../../harness/sandbox').Sandbox} Sandbox */
/** @typedef {import('../../../scripts/n8n/runtime').Editor} Editor */
/** @typedef {import('../../../scripts/registry').Registry} Registry */
/** @typedef {import('../../../scripts/registry/npm-shim').NpmShim} NpmShim */

const { ROOT } = toolchain;
const RESULTS_DIR = path.join(ROOT, 'test-results', 'browser-install');
/** The README's picture of the Community nodes page with the package installed (rewritten with --update-screenshot). */
const COMMITTED_SCREENSHOT = path.join(__dirname, '..', 'screenshot-install.png');
const OWNER = { email: 'install-test@example.com', password: 'Install-Test-1234', firstName: 'Install', lastName: 'Test' };
const INSTANCE_SIZE = 200;
const VIEWPORT = { width: 1280, height: 720 };
const FIRST_LOAD_TIMEOUT_MS = 60_000;
/** The steps take 2-3 minutes on a loaded 2-core machine; a first run installs Verdaccio (and n8n) before them. */
const TOTAL_TIMEOUT_MS = 8 * 60 * 1000;
/** What n8n prints once, when it is ready: seen twice means it restarted. */
const READY_LINE = /Editor is now accessible via/;
/** Lines of n8n's output that mean it crashed or is going down. */
const FATAL_LINE = /Last session crashed|\bFATAL\b|uncaught exception|unhandled (promise )?rejection|heap out of memory|Segmentation fault|Received SIG(TERM|INT)|Stopping n8n|n8n crashed/i;

/** @param {string} message */
function log(message) {
	process.stderr.write(`[browser-install] ${message}\n`);
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
 * Everything the test saw, written to observations.json (any step may add to it).
 * @typedef {{ n8nVersion: string, steps: Array<Record<string, unknown>>, health: Array<Record<string, unknown>>, timings: Record<string, number>, [key: string]: any }} Observations
 */

class InstallSession {
	/** @param {{ args: Set<string> }} options */
	constructor({ args }) {
		this.args = args;
		/** @type {Observations} */
		this.observations = { n8nVersion: runtime.N8N_VERSION, steps: [], health: [], timings: {} };
		this.stepNumber = 0;
		/** @type {Array<() => unknown>} */
		this.cleanups = [];
		/** @type {Promise<void> | undefined} */
		this.cleaningUp = undefined;
		/** @type {NodeJS.Timeout | undefined} */
		this.watchdog = undefined;
		/** @type {Page | undefined} */
		this.pageOrUndefined = undefined;
		/** @type {Sandbox | undefined} */
		this.sandboxOrUndefined = undefined;
		/** @type {Registry | undefined} */
		this.registryOrUndefined = undefined;
		/** @type {NpmShim | undefined} */
		this.shimOrUndefined = undefined;
		/** @type {Editor | undefined} */
		this.editor = undefined;
		this.url = '';
		this.cookie = '';
		this.home = '';
		/** The packed package (version V) and its newer copy (V'), once made. */
		this.packageTgz = '';
		this.newerTgz = '';
		this.packDir = path.join(runtime.E2E_DIR, `install-pack-${process.pid}`);
		this.version = '';
		this.newerVersion = '';
		/** @type {string[]} n8n's output lines (all of them, for the health checks) */
		this.n8nLines = [];
		/** The workflow the test builds with the node, and one of core nodes only (set by the steps). */
		this.workflowId = '';
		this.workflowName = '';
		this.coreWorkflowId = '';
	}

	get page() {
		assert(this.pageOrUndefined, 'the browser is not running');
		return this.pageOrUndefined;
	}

	get sandbox() {
		assert(this.sandboxOrUndefined, 'the sandbox is not running');
		return this.sandboxOrUndefined;
	}

	get registry() {
		assert(this.registryOrUndefined, 'the registry is not running');
		return this.registryOrUndefined;
	}

	get shim() {
		assert(this.shimOrUndefined, 'the npm shim is not set up');
		return this.shimOrUndefined;
	}

	get number() {
		return String(this.stepNumber).padStart(2, '0');
	}

	/** Runs `fn` when the session ends (last registered, first run). @param {() => unknown} fn */
	onCleanup(fn) {
		this.cleanups.push(fn);
	}

	/** Stops browser, n8n, registry and sandbox (once, however often it is called). */
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

	armWatchdog() {
		this.watchdog = setTimeout(() => {
			log(`the install test steps did not finish within ${TOTAL_TIMEOUT_MS / 1000} s; stopping`);
			this.cleanup().finally(() => process.exit(1));
		}, TOTAL_TIMEOUT_MS);
		this.watchdog.unref();
	}

	disarmWatchdog() {
		clearTimeout(this.watchdog);
	}

	/** @param {string} file */
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

	/** An extra screenshot within the current step: NN-<name>.png. @param {string} name */
	shot(name) {
		return this.screenshot(path.join(RESULTS_DIR, `${this.number}-${name}.png`));
	}

	/**
	 * One step: numbered, timed, followed by a screenshot (NN-<title>.png, or NN-<title>-FAILED.png).
	 * @template T
	 * @param {string} title
	 * @param {() => Promise<T>} fn
	 * @returns {Promise<T>}
	 */
	async step(title, fn) {
		this.stepNumber += 1;
		const number = this.number;
		const started = Date.now();
		log(`${number} ${title}`);
		let result;
		try {
			result = await fn();
		} catch (error) {
			const saved = await this.screenshot(path.join(RESULTS_DIR, `${number}-${slug(title)}-FAILED.png`));
			const where = saved ? `screenshot: ${rel(saved)}` : 'no screenshot (the browser was not running)';
			const wrapped = new Error(`step ${number} "${title}" failed: ${error.message}\n  ${where}`);
			wrapped.stack = `${wrapped.message}\n${error.stack}`;
			this.observations.steps.push({ number, title, ok: false, error: error.message, screenshot: saved && rel(saved) });
			throw wrapped;
		}
		const saved = await this.screenshot(path.join(RESULTS_DIR, `${number}-${slug(title)}.png`));
		const seconds = (Date.now() - started) / 1000;
		this.observations.steps.push({ number, title, ok: true, seconds, screenshot: saved && rel(saved) });
		log(`   ok (${seconds.toFixed(1)} s)${saved ? ` → ${rel(saved)}` : ''}`);
		return result;
	}

	/**
	 * The packed package: $HYPERSENDER_PACKAGE_TGZ, else build (unless --no-build) and `npm pack`
	 * into .e2e/; and a copy with the next patch version for the update.
	 */
	packageTarballs() {
		if (!process.env.HYPERSENDER_PACKAGE_TGZ && !this.args.has('--no-build')) {
			log('building the package (node scripts/dev.js build)...');
			execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'dev.js'), 'build'], {
				cwd: ROOT,
				env: toolchain.node24Env(),
				stdio: ['ignore', 'ignore', 'inherit'],
			});
		}
		this.onCleanup(() => fs.rmSync(this.packDir, { recursive: true, force: true }));
		this.packageTgz = runtime.resolvePackageTgz(this.packDir);
		const info = runtime.packageInfo(this.packageTgz);
		assert(info.name === PACKAGE_NAME, `${this.packageTgz} holds ${info.name}, not ${PACKAGE_NAME}`);
		this.version = info.version;
		this.newerVersion = nextPatch(info.version);
		this.newerTgz = repackWithVersion(this.packageTgz, this.newerVersion, path.join(this.packDir, 'newer'));
		this.observations.package = { name: info.name, version: this.version, newerVersion: this.newerVersion, tarball: rel(this.packageTgz) };
		return this.packageTgz;
	}

	/** The local registry (fresh storage), with its log copied into the results when it stops. */
	async startRegistry() {
		const started = Date.now();
		const registry = await startRegistry();
		this.registryOrUndefined = registry;
		this.onCleanup(async () => {
			try {
				fs.copyFileSync(registry.logFile, path.join(RESULTS_DIR, 'verdaccio.log'));
			} catch {
				// the run folder may be gone already
			}
			await registry.close();
		});
		this.observations.registry = { url: registry.url, verdaccio: registry.version };
		this.observations.timings.registryStart = (Date.now() - started) / 1000;
		return registry;
	}

	/**
	 * Publishes `tgz` and checks the registry lists it.
	 * @param {string} tgz
	 */
	async publish(tgz) {
		const published = await this.registry.publish(tgz);
		log(`   published ${published.name}@${published.version} to ${this.registry.url} (${published.seconds.toFixed(1)} s)`);
		return published;
	}

	/**
	 * The sandbox, a fresh n8n home without the package, `n8n start` with the npm shim first on its
	 * PATH, the owner account, and a Chromium tab signed in with the owner's cookie.
	 * @param {typeof import('playwright-core').chromium} chromium
	 */
	async start(chromium) {
		const sandbox = /** @type {Sandbox} */ (
			await startSandbox({ port: 0, quiet: true, instances: { [DEFAULT_INSTANCE]: { size: INSTANCE_SIZE, seed: 42 } } })
		);
		this.sandboxOrUndefined = sandbox;
		this.onCleanup(() => sandbox.close());

		const home = path.join(runtime.HOMES_DIR, `install-${process.pid}`);
		await runtime.createN8nHome(home, { fresh: true }); // no packageTgz: n8n installs it, through the UI
		this.home = home;
		if (process.env.HYPERSENDER_BROWSER_KEEP !== '1') this.onCleanup(() => fs.rmSync(home, { recursive: true, force: true }));
		assert(!fs.existsSync(this.installedPackageDir()), `the fresh home already has ${PACKAGE_NAME} in ${this.installedPackageDir()}`);

		const shim = createNpmShim(path.join(home, 'npm-shim'), this.registry.url);
		this.shimOrUndefined = shim;
		this.onCleanup(() => {
			try {
				fs.copyFileSync(shim.logFile, path.join(RESULTS_DIR, 'npm-calls.jsonl'));
			} catch {
				// n8n ran no npm command
			}
		});

		const logFile = fs.createWriteStream(path.join(RESULTS_DIR, 'n8n.log'));
		this.onCleanup(() => new Promise((resolve) => logFile.end(resolve)));
		const port = await runtime.freePort();
		const started = Date.now();
		const editor = await runtime.startEditor(home, {
			port,
			extraEnv: { ...shim.env },
			onLine: (line) => {
				this.n8nLines.push(line);
				logFile.write(`${line}\n`);
			},
		});
		this.editor = editor;
		this.onCleanup(() => editor.stop(15000));
		this.url = editor.url;
		this.observations.timings.n8nStart = (Date.now() - started) / 1000;
		this.observations.n8nPid = editor.child.pid;

		const owner = await runtime.setupOwner(this.url, OWNER);
		const { cookie } = owner.cookie ? owner : await runtime.login(this.url, OWNER);
		const auth = /(?:^|;\s*)n8n-auth=([^;]+)/.exec(cookie);
		assert(auth, `n8n gave no n8n-auth cookie (got "${cookie}")`);
		this.cookie = cookie;

		const installed = await this.rest('GET', '/rest/community-packages');
		assert(Array.isArray(installed) && installed.length === 0, `a fresh n8n lists community packages already: ${JSON.stringify(installed)}`);

		const browser = await launchChromium({ chromium });
		this.onCleanup(() => browser.close());
		await browser.context.addCookies([{ name: 'n8n-auth', value: auth[1], url: this.url }]);
		/** @type {Page} */
		const page = browser.context.pages()[0] ?? (await browser.context.newPage());
		this.pageOrUndefined = page;
		await page.setViewportSize(VIEWPORT);
		page.setDefaultTimeout(UI_TIMEOUT_MS);
		// Leaving a workflow with unsaved changes asks "leave page?": always leave.
		page.on('dialog', (dialog) => void (dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss()).catch(() => {}));
		/** @type {string[]} */
		const pageErrors = [];
		this.observations.pageErrors = pageErrors;
		page.on('pageerror', (error) => pageErrors.push(error.message));
		await page.goto(`${this.url}/home/workflows`, { timeout: FIRST_LOAD_TIMEOUT_MS });
		await need(page.locator(byTestId('main-sidebar-settings')), 'the signed-in editor (sidebar settings button); the login did not take');
		assert(!/\/signin/.test(page.url()), `the editor sent the browser to ${page.url()}`);
	}

	/** Where n8n keeps the installed package: <home>/.n8n/nodes/node_modules/n8n-nodes-hypersender. */
	installedPackageDir() {
		return path.join(this.home, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	}

	/** The version of the package on disk in the home, or undefined. */
	installedVersionOnDisk() {
		try {
			return JSON.parse(fs.readFileSync(path.join(this.installedPackageDir(), 'package.json'), 'utf8')).version;
		} catch {
			return undefined;
		}
	}

	/**
	 * The editor's REST API as the owner; resolves to the answer's `data`.
	 * @param {string} method
	 * @param {string} route
	 * @param {unknown} [body]
	 * @returns {Promise<any>}
	 */
	async rest(method, route, body) {
		const res = await runtime.request(`${this.url}${route}`, { method, body, headers: { cookie: this.cookie }, timeoutMs: 120000 });
		assert(res.status >= 200 && res.status < 300, `${method} ${route} answered ${res.status}: ${res.text.slice(0, 300)}`);
		return res.body?.data;
	}

	/**
	 * n8n keeps working: /healthz answers ok, the process started in step 1 still runs (it printed
	 * "Editor is now accessible" once: no restart), no crash in its output, the REST API answers.
	 * Recorded in observations.health.
	 * @param {string} label
	 */
	async checkN8n(label) {
		assert(this.editor, 'n8n is not running');
		const { child } = this.editor;
		assert(child.exitCode === null && child.signalCode === null, `n8n exited (${child.exitCode ?? child.signalCode}) ${label}:\n${this.n8nLines.slice(-30).join('\n')}`);
		assert(child.pid === this.observations.n8nPid, `n8n's process changed (${this.observations.n8nPid} → ${child.pid}) ${label}`);
		const health = await runtime.request(`${this.url}/healthz`, { timeoutMs: 10000 }).catch((error) => ({ status: 0, text: error.message, body: undefined }));
		assert(health.status === 200 && health.body?.status === 'ok', `GET /healthz ${label} answered ${health.status}: ${health.text.slice(0, 200)}`);
		const readyLines = this.n8nLines.filter((line) => READY_LINE.test(line)).length;
		assert(readyLines === 1, `n8n printed "Editor is now accessible" ${readyLines} times ${label}: it restarted`);
		const fatal = this.n8nLines.filter((line) => FATAL_LINE.test(line));
		assert(fatal.length === 0, `n8n's output ${label} has crash lines:\n${fatal.slice(0, 10).join('\n')}`);
		const settings = await this.rest('GET', '/rest/settings');
		assert(settings && typeof settings === 'object', `GET /rest/settings ${label} gave no settings`);
		this.observations.health.push({ label, healthz: health.body, pid: child.pid, at: new Date().toISOString() });
		log(`   n8n healthy ${label} (GET /healthz: ok, pid ${child.pid}, no restart, no crash lines)`);
	}

	/**
	 * The README's screenshot of the Community nodes page: into test/browser/ with
	 * --update-screenshot, else into test-results/browser-install/. Resolves to the file.
	 */
	async saveInstallScreenshot() {
		const file = this.args.has('--update-screenshot') ? COMMITTED_SCREENSHOT : path.join(RESULTS_DIR, 'screenshot-install.png');
		// The pointer on an empty part of the page: nothing hovered, highlighted or with a tooltip.
		await this.page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height - 120);
		await this.page.waitForTimeout(200);
		const png = await this.page.screenshot();
		let bytes = png.length;
		if (bytes <= MAX_COMMITTED_SCREENSHOT_BYTES - 20 * 1024) fs.writeFileSync(file, png);
		else bytes = await saveSmallScreenshot(this.page, file); // shrinks it below 150 KB
		log(`   screenshot ${rel(file)} (${Math.round(bytes / 1024)} KB)`);
		return file;
	}

	writeObservations() {
		fs.mkdirSync(RESULTS_DIR, { recursive: true });
		const file = path.join(RESULTS_DIR, 'observations.json');
		fs.writeFileSync(file, `${JSON.stringify(this.observations, null, 2)}\n`);
		return file;
	}
}

module.exports = { InstallSession, RESULTS_DIR, COMMITTED_SCREENSHOT, DEFAULT_INSTANCE, PACKAGE_NAME, log, rel, assert, nextPatch };
