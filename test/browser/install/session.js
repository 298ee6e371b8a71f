// @ts-check
'use strict';
// The install test's session: the local npm registry (scripts/registry) with the packed package
// published, the sandbox API, a fresh n8n home WITHOUT the package whose `npm` is pointed at the
// registry (scripts/registry/npm-shim.js), `n8n start`, the signed-in Chromium tab, and health
// checks of n8n. The bookkeeping around the steps (numbering, timing, one screenshot per step in
// test-results/browser-install/, observations.json, cleanup on success, failure and signals) is
// ../base-session.js's.
const fs = require('node:fs');
const path = require('node:path');

const runtime = require('../../../scripts/n8n/runtime');
const { startRegistry } = require('../../../scripts/registry');
const { createNpmShim } = require('../../../scripts/registry/npm-shim');
const { nextPatch, repackWithVersion } = require('../../../scripts/registry/tarball');
const { PACKAGE_NAME } = require('../../../scripts/fixtures');
const { BaseSession, ROOT, DEFAULT_INSTANCE, makeLog, rel, assert } = require('../base-session');
const { MAX_COMMITTED_SCREENSHOT_BYTES, saveSmallScreenshot } = require('../screenshot');

/** @typedef {import('../../../scripts/registry').Registry} Registry */
/** @typedef {import('../../../scripts/registry/npm-shim').NpmShim} NpmShim */

const RESULTS_DIR = path.join(ROOT, 'test-results', 'browser-install');
/** The README's picture of the Community nodes page with the package installed (rewritten with --update-screenshot). */
const COMMITTED_SCREENSHOT = path.join(__dirname, '..', 'screenshot-install.png');
const OWNER = { email: 'install-test@example.com', password: 'Install-Test-1234', firstName: 'Install', lastName: 'Test' };
const INSTANCE_SIZE = 200;
const VIEWPORT = { width: 1280, height: 720 };
/** The steps take 2-3 minutes on a loaded 2-core machine; a first run installs Verdaccio (and n8n) before them. */
const TOTAL_TIMEOUT_MS = 8 * 60 * 1000;
/** What n8n prints once, when it is ready: seen twice means it restarted. */
const READY_LINE = /Editor is now accessible via/;
/** Lines of n8n's output that mean it crashed or is going down. */
const FATAL_LINE = /Last session crashed|\bFATAL\b|uncaught exception|unhandled (promise )?rejection|heap out of memory|Segmentation fault|Received SIG(TERM|INT)|Stopping n8n|n8n crashed/i;

const log = makeLog('browser-install');

/**
 * Everything the test saw, written to observations.json (any step may add to it).
 * @typedef {import('../base-session').Observations & { health: Array<Record<string, unknown>>, timings: Record<string, number> }} Observations
 */

/** @extends {BaseSession<Observations>} */
class InstallSession extends BaseSession {
	/** @param {{ args: Set<string> }} options */
	constructor({ args }) {
		super({
			args,
			resultsDir: RESULTS_DIR,
			log,
			testName: 'install test',
			totalTimeoutMs: TOTAL_TIMEOUT_MS,
			restTimeoutMs: 120000,
			observations: { n8nVersion: runtime.N8N_VERSION, steps: [], health: [], timings: {} },
		});
		/** @type {Registry | undefined} */
		this.registryOrUndefined = undefined;
		/** @type {NpmShim | undefined} */
		this.shimOrUndefined = undefined;
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

	get registry() {
		assert(this.registryOrUndefined, 'the registry is not running');
		return this.registryOrUndefined;
	}

	get shim() {
		assert(this.shimOrUndefined, 'the npm shim is not set up');
		return this.shimOrUndefined;
	}

	/**
	 * The packed package: $HYPERSENDER_PACKAGE_TGZ, else build (unless --no-build) and `npm pack`
	 * into .e2e/; and a copy with the next patch version for the update.
	 */
	packageTarballs() {
		this.buildPackage();
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
		await this.startSandbox(INSTANCE_SIZE);

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

		const logFile = this.n8nLog();
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

		const auth = await this.signIn(OWNER);

		const installed = await this.rest('GET', '/rest/community-packages');
		assert(Array.isArray(installed) && installed.length === 0, `a fresh n8n lists community packages already: ${JSON.stringify(installed)}`);

		const page = await this.openTab(chromium, auth);
		await page.setViewportSize(VIEWPORT);
		// Leaving a workflow with unsaved changes asks "leave page?": always leave.
		page.on('dialog', (dialog) => void (dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss()).catch(() => {}));
		await this.openWorkflowList();
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
}

module.exports = { InstallSession, RESULTS_DIR, COMMITTED_SCREENSHOT, DEFAULT_INSTANCE, PACKAGE_NAME, log, rel, assert, nextPatch };
