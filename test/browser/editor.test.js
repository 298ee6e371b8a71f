#!/usr/bin/env node
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
 * HYPERSENDER_BROWSER_KEEP=1 keeps the n8n home under .e2e/ after the run.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const toolchain = require(path.join(ROOT, 'scripts', 'toolchain.js'));

// ---------------------------------------------------------------------------------------
// Run on Node 24 (n8n's runtime module and the project's tooling expect it).

const REEXEC = Number(process.versions.node.split('.')[0]) < 24 && !process.env.HYPERSENDER_BROWSER_REEXEC;
if (REEXEC) {
	const child = spawn(toolchain.ensureNode24(), [__filename, ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: toolchain.node24Env({ HYPERSENDER_BROWSER_REEXEC: '1' }),
	});
	// Passed on, so that `kill <pid>` of this process also shuts down n8n, the sandbox and the browser.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
	child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

const runtime = require(path.join(ROOT, 'scripts', 'n8n', 'runtime.js'));
const { startSandbox, DEFAULT_INSTANCE } = require(path.join(ROOT, 'sandbox', 'server.js'));
const { ensureChromium, launchChromium } = require('./chromium');

const ARGS = new Set(process.argv.slice(2));
const RESULTS_DIR = path.join(ROOT, 'test-results', 'browser');
const COMMITTED_SCREENSHOT = path.join(__dirname, 'screenshot-editor.png');
const MAX_COMMITTED_SCREENSHOT_BYTES = 150 * 1024;
const NODE_TYPE = 'n8n-nodes-hypersender.hypersender';
const NODE_DISPLAY_NAME = 'Hypersender';
const ACTION_NAME = 'Get many contacts';
const OWNER = { email: 'browser-test@example.com', password: 'Browser-Test-1234', firstName: 'Browser', lastName: 'Test' };
const WRONG_TOKEN = 'wrong-token-browser-test';
const INSTANCE_SIZE = 2500;
const DEFAULT_LIMIT = 50;
const OPTIONS_REQUIRED = ['Offset', 'Sort By', 'Sort Order', 'Instance ID'];
const OPTION_PARAMS = { Offset: 'offset', 'Sort By': 'sortBy', 'Sort Order': 'sortOrder', 'Instance ID': 'instanceId' };
const TOTAL_TIMEOUT_MS = 3 * 60 * 1000; // the steps take about 45 s
const UI_TIMEOUT_MS = 15000;

const observations = { n8nVersion: runtime.N8N_VERSION, steps: [] };

function log(message) {
	process.stderr.write(`[browser] ${message}\n`);
}

function rel(file) {
	return path.relative(ROOT, file);
}

function slug(text) {
	return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48);
}

function assert(condition, message) {
	if (!condition) throw new Error(message);
}

// ---------------------------------------------------------------------------------------
// Steps: each one is checked, timed and followed by a screenshot.

let page; // the editor tab, once the browser runs
let stepNumber = 0;

async function screenshot(file) {
	if (!page) return undefined;
	try {
		await page.screenshot({ path: file, timeout: 10000 });
		return file;
	} catch (error) {
		log(`  (screenshot ${rel(file)} failed: ${error.message.split('\n')[0]})`);
		return undefined;
	}
}

async function step(title, fn) {
	stepNumber += 1;
	const number = String(stepNumber).padStart(2, '0');
	const shot = path.join(RESULTS_DIR, `${number}-${slug(title)}.png`);
	const started = Date.now();
	log(`${number} ${title}`);
	let result;
	try {
		result = await fn();
	} catch (error) {
		const failedShot = path.join(RESULTS_DIR, `${number}-${slug(title)}-FAILED.png`);
		const saved = await screenshot(failedShot);
		const where = saved ? `screenshot: ${rel(saved)}` : 'no screenshot (the browser was not running)';
		const wrapped = new Error(`step ${number} "${title}" failed: ${error.message}\n  ${where}`);
		wrapped.stack = `${wrapped.message}\n${error.stack}`;
		observations.steps.push({ number, title, ok: false, error: error.message, screenshot: saved && rel(saved) });
		throw wrapped;
	}
	const saved = await screenshot(shot);
	const seconds = (Date.now() - started) / 1000;
	observations.steps.push({ number, title, ok: true, seconds, screenshot: saved && rel(saved) });
	log(`   ok (${seconds.toFixed(1)} s)${saved ? ` → ${rel(saved)}` : ''}`);
	return result;
}

/** Waits until `locator` is visible; the error names what is missing and the selector. */
async function need(locator, what, timeout = UI_TIMEOUT_MS) {
	try {
		await locator.first().waitFor({ state: 'visible', timeout });
	} catch {
		throw new Error(`missing: ${what} (nothing visible matched ${locator} within ${timeout} ms)`);
	}
	return locator.first();
}

async function gone(locator, what, timeout = UI_TIMEOUT_MS) {
	try {
		await locator.first().waitFor({ state: 'hidden', timeout });
	} catch {
		throw new Error(`still visible: ${what} (${locator})`);
	}
}

const byTestId = (id) => `[data-test-id="${id}"]`;

/**
 * The tooltip (parameter description) of an n8n input label: hovers the label, then its
 * "?" icon, and reads the tooltip. Resolves to the text, or null when the label has no help.
 */
async function tooltipOf(label) {
	await page.mouse.move(2, 2);
	await page.locator('.n8n-tooltip:visible').first().waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
	await label.hover();
	const icon = label.locator('[data-icon="circle-help"]').first();
	if ((await icon.count()) === 0) return null;
	await icon.hover();
	const tip = page.locator('.n8n-tooltip:visible').last();
	try {
		await tip.waitFor({ state: 'visible', timeout: 3000 });
	} catch {
		return null;
	}
	const text = (await tip.innerText()).trim();
	await page.mouse.move(2, 2);
	return text;
}

/** The label row of the node parameter `name` in the NDV. */
function parameterLabel(name) {
	return page
		.locator(byTestId('parameter-item'))
		.filter({ has: page.locator(byTestId(`parameter-input-${name}`)) })
		.last()
		.locator(byTestId('input-label'))
		.first();
}

// ---------------------------------------------------------------------------------------
// Setup and shutdown

/** The packed package: $HYPERSENDER_PACKAGE_TGZ, else build (unless --no-build) and `npm pack` into .e2e/. */
function packageTarball() {
	if (!process.env.HYPERSENDER_PACKAGE_TGZ && !ARGS.has('--no-build')) {
		log('building the package (node scripts/dev.js build)...');
		execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'dev.js'), 'build'], {
			cwd: ROOT,
			env: toolchain.node24Env(),
			stdio: ['ignore', 'ignore', 'inherit'],
		});
	}
	const packDir = path.join(runtime.E2E_DIR, `browser-pack-${process.pid}`);
	cleanups.push(() => fs.rmSync(packDir, { recursive: true, force: true }));
	return runtime.resolvePackageTgz(packDir);
}

/**
 * n8n answers every route with "200 n8n is starting up. Please wait" while it migrates its
 * database, so a 200 from /rest/settings alone does not mean ready: wait for its JSON.
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

const cleanups = [];
let cleaningUp;

function cleanup() {
	if (!cleaningUp) {
		cleaningUp = (async () => {
			for (const fn of cleanups.reverse()) {
				try {
					await fn();
				} catch (error) {
					log(`cleanup: ${error.message}`);
				}
			}
		})();
	}
	return cleaningUp;
}

/** The time limit covers the steps only: a first run may spend minutes installing n8n before them. */
let watchdog;
function armWatchdog() {
	watchdog = setTimeout(() => {
		log(`the browser test steps did not finish within ${TOTAL_TIMEOUT_MS / 1000} s; stopping`);
		cleanup().finally(() => process.exit(1));
	}, TOTAL_TIMEOUT_MS);
	watchdog.unref();
}

// ---------------------------------------------------------------------------------------
// The test

async function main() {
	const started = Date.now();
	fs.rmSync(RESULTS_DIR, { recursive: true, force: true });
	fs.mkdirSync(RESULTS_DIR, { recursive: true });

	// Before the steps: a browser (installed if missing), n8n (installed if missing), the package.
	const chromiumInfo = ensureChromium(log);
	log(`${chromiumInfo.version}${chromiumInfo.installed ? ' (just installed with apt-get)' : ''}`);
	observations.chromium = chromiumInfo.version;
	await runtime.ensureN8n();
	const packageTgz = packageTarball();
	log(`package: ${rel(packageTgz)}`);
	const { chromium } = require('playwright-core');
	armWatchdog();

	let sandbox;
	let editor;
	let url;

	await step('start the sandbox and n8n, set up the owner, log in', async () => {
		sandbox = await startSandbox({ port: 0, quiet: true, instances: { [DEFAULT_INSTANCE]: { size: INSTANCE_SIZE, seed: 42 } } });
		cleanups.push(() => sandbox.close());
		const home = path.join(runtime.HOMES_DIR, `browser-${process.pid}`);
		await runtime.createN8nHome(home, { packageTgz, fresh: true });
		if (process.env.HYPERSENDER_BROWSER_KEEP !== '1') cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
		const logFile = fs.createWriteStream(path.join(RESULTS_DIR, 'n8n.log'));
		cleanups.push(() => new Promise((resolve) => logFile.end(resolve)));
		const port = await runtime.freePort();
		editor = await runtime.startEditor(home, { port, onLine: (line) => logFile.write(`${line}\n`) });
		cleanups.push(() => editor.stop(15000));
		url = editor.url;
		await waitForRest(url);
		const owner = await runtime.setupOwner(url, OWNER);
		const { cookie } = owner.cookie ? owner : await runtime.login(url, OWNER);
		const auth = /(?:^|;\s*)n8n-auth=([^;]+)/.exec(cookie);
		assert(auth, `n8n gave no n8n-auth cookie (got "${cookie}")`);

		const browser = await launchChromium({ chromium });
		cleanups.push(() => browser.close());
		await browser.context.addCookies([{ name: 'n8n-auth', value: auth[1], url }]);
		page = browser.context.pages()[0] ?? (await browser.context.newPage());
		page.setDefaultTimeout(UI_TIMEOUT_MS);
		// Anything of the package's that the editor fails to load (icon, types) is a failure.
		observations.failedPackageRequests = [];
		page.on('response', (res) => {
			if (res.status() >= 400 && /hypersender/i.test(res.url())) observations.failedPackageRequests.push(`${res.status()} ${res.url()}`);
		});
		observations.pageErrors = [];
		page.on('pageerror', (error) => observations.pageErrors.push(error.message));
		await page.goto(`${url}/home/workflows`);
		await need(page.locator(byTestId('main-sidebar-settings')), 'the signed-in editor (sidebar settings button); the login did not take');
		assert(!/\/signin/.test(page.url()), `the editor sent the browser to ${page.url()}`);
	});

	await step('open a new workflow', async () => {
		await page.goto(`${url}/workflow/new`);
		await need(page.locator(byTestId('canvas')), 'the workflow canvas');
		await need(page.locator(byTestId('node-creator-plus-button')), 'the nodes panel button (node-creator-plus-button)');
	});

	const creator = page.locator(byTestId('node-creator'));

	await step('nodes panel: search "Hypersender", icon, Contact › Get many contacts', async () => {
		await page.locator(byTestId('node-creator-plus-button')).click();
		const search = await need(page.locator('input[placeholder="Search nodes..."]'), 'the nodes panel search box');
		await search.fill('Hypersender');
		const item = creator
			.locator(byTestId('item-iterator-item'))
			.filter({ has: page.locator(byTestId('node-creator-item-name'), { hasText: new RegExp(`^${NODE_DISPLAY_NAME}$`) }) });
		await need(item, `a "${NODE_DISPLAY_NAME}" entry in the nodes panel search results`);
		const names = await creator.locator(byTestId('node-creator-item-name')).allInnerTexts();
		const description = (await item.first().locator(byTestId('node-creator-item-description')).innerText().catch(() => '')).trim();
		// The icon: a loaded <img> (or an inline <svg>) and no fallback letter.
		const icon = item.first().locator('.n8n-node-icon').first();
		await need(icon, 'the node icon next to "Hypersender"');
		const iconInfo = await icon.evaluate((el) => {
			const img = el.querySelector('img');
			return {
				img: img ? { src: img.getAttribute('src'), complete: img.complete, naturalWidth: img.naturalWidth } : null,
				svg: !!el.querySelector('svg'),
				text: el.innerText.trim(),
			};
		});
		assert(iconInfo.img || iconInfo.svg, `the node icon renders neither an <img> nor an <svg>: ${JSON.stringify(iconInfo)}`);
		if (iconInfo.img) {
			await page.waitForFunction((el) => el.querySelector('img').complete, await icon.elementHandle(), { timeout: 5000 }).catch(() => {});
			const natural = await icon.evaluate((el) => el.querySelector('img').naturalWidth);
			assert(natural > 0, `the node icon <img src="${iconInfo.img.src}"> did not load (naturalWidth 0)`);
			assert(/hypersender\.svg$/.test(iconInfo.img.src), `the node icon is not the package's SVG: ${iconInfo.img.src}`);
		}
		assert(iconInfo.text === '', `the node icon shows the fallback letter "${iconInfo.text}" instead of the SVG`);
		observations.nodesPanel = { results: names, description, icon: iconInfo };

		await item.first().click();
		const action = creator
			.locator(byTestId('item-iterator-item'))
			.filter({ has: page.locator(byTestId('node-creator-item-name'), { hasText: new RegExp(`^${ACTION_NAME}$`) }) });
		await need(action, `the "${ACTION_NAME}" action in the Hypersender actions list`);
		const panelText = (await creator.innerText()).trim();
		observations.nodesPanel.actionsPanel = panelText;
		observations.nodesPanel.actions = await creator
			.locator(`${byTestId('item-iterator-item')}[data-keyboard-nav-type="action"][data-keyboard-nav-id^="${NODE_TYPE}"] ${byTestId('node-creator-item-name')}`)
			.allInnerTexts();
		// n8n 2.41 lists the actions of a node with a single resource without a resource heading;
		// the resource (Contact) is checked in the parameters panel in the next step.
		observations.nodesPanel.resourceHeadingShown = /\bContact\b/.test(panelText.replace(ACTION_NAME, ''));
		const actionIcon = await action.first().locator('img').first().getAttribute('src').catch(() => null);
		assert(actionIcon && /hypersender\.svg$/.test(actionIcon), `the "${ACTION_NAME}" action has no Hypersender icon (${actionIcon})`);
	});

	const ndv = page.locator(byTestId('ndv'));

	await step('add the action: Return All, Limit, Options (Offset, Sort By, Sort Order, Instance ID), hints', async () => {
		await creator.locator(byTestId('item-iterator-item')).filter({ hasText: ACTION_NAME }).first().click();
		await need(ndv, 'the node details view after adding the action');
		await need(page.locator(`${byTestId('canvas-node')}[data-node-type="${NODE_TYPE}"]`), 'the Hypersender node on the canvas', 5000).catch(() => {});
		const title = (await ndv.locator(byTestId('node-title-container')).innerText().catch(() => '')).trim();
		const resource = await (await need(ndv.locator(`${byTestId('parameter-input-resource')} input`), 'the Resource parameter')).inputValue();
		const operation = await (await need(ndv.locator(`${byTestId('parameter-input-operation')} input`), 'the Operation parameter')).inputValue();
		assert(resource === 'Contact', `Resource shows "${resource}", expected "Contact"`);
		assert(operation === 'Get Many', `Operation shows "${operation}", expected "Get Many"`);
		await need(ndv.locator(byTestId('parameter-input-returnAll')), 'the Return All parameter');
		const limitInput = await need(ndv.locator(`${byTestId('parameter-input-limit')} input`), 'the Limit parameter');
		assert((await limitInput.inputValue()) === String(DEFAULT_LIMIT), `Limit shows "${await limitInput.inputValue()}", expected ${DEFAULT_LIMIT}`);
		const addOption = await need(ndv.locator(byTestId('collection-parameter-add')), 'the Options collection ("Add option")');
		const addOptionText = (await addOption.innerText().catch(() => '')).trim() || (await addOption.locator('input').getAttribute('placeholder').catch(() => ''));

		const hints = {};
		for (const name of ['returnAll', 'limit']) {
			hints[name] = await tooltipOf(parameterLabel(name));
			assert(hints[name], `the ${name} parameter has no description tooltip`);
		}

		// The option list, then add the four options one by one.
		await addOption.click();
		await need(page.locator(byTestId('collection-parameter-option')), 'the entries of the Options dropdown');
		const optionsOffered = await page.locator(`${byTestId('collection-parameter-option')}:visible`).allInnerTexts();
		await page.keyboard.press('Escape');
		for (const name of OPTIONS_REQUIRED) {
			assert(optionsOffered.includes(name), `the Options collection does not offer "${name}" (offers: ${optionsOffered.join(', ')})`);
		}
		for (const name of OPTIONS_REQUIRED) {
			await ndv.locator(byTestId('collection-parameter-add')).click();
			const entry = page.locator(`${byTestId('collection-parameter-option')}:visible`).filter({ hasText: new RegExp(`^${name}$`) });
			await (await need(entry, `"${name}" in the Options dropdown`)).click();
			await need(ndv.locator(byTestId(`parameter-input-${OPTION_PARAMS[name]}`)), `the ${name} option's input after adding it`);
		}
		for (const name of OPTIONS_REQUIRED) {
			const param = OPTION_PARAMS[name];
			hints[param] = await tooltipOf(parameterLabel(param));
			assert(hints[param], `the ${name} option has no description tooltip`);
		}
		const placeholders = {};
		for (const param of ['instanceId', 'offset']) {
			placeholders[param] = await ndv.locator(`${byTestId(`parameter-input-${param}`)} input`).first().getAttribute('placeholder').catch(() => null);
		}
		const defaults = {};
		for (const param of ['offset', 'sortBy', 'sortOrder']) {
			defaults[param] = await ndv.locator(`${byTestId(`parameter-input-${param}`)} input`).first().inputValue();
		}

		// Return All on hides Limit; off shows it again.
		const toggle = ndv.locator(`${byTestId('parameter-input-returnAll')} .el-switch`);
		await toggle.click();
		await gone(ndv.locator(byTestId('parameter-input-limit')), 'Limit after turning Return All on');
		await screenshot(path.join(RESULTS_DIR, `${String(stepNumber).padStart(2, '0')}-return-all-on.png`));
		await toggle.click();
		await need(ndv.locator(byTestId('parameter-input-limit')), 'Limit after turning Return All off again');
		observations.parameters = { ndvTitle: title, resource, operation, addOptionText, optionsOffered, hints, placeholders, defaults };
	});

	const modal = page.locator(byTestId('editCredential-modal'));

	await step('credential from the node: wrong token fails clearly, right token tests successfully', async () => {
		const emptyState = ndv.locator(`${byTestId('node-credentials-empty-state')} button`);
		const connectText = (await (await need(emptyState, 'the credential selector ("Connect to …" button) in the node')).innerText()).trim();
		await emptyState.click();
		await need(modal, 'the credential dialog');
		const header = (await modal.locator('.el-dialog__header, header').first().innerText().catch(() => '')).trim();
		const fieldLabels = {};
		const fieldHints = {};
		for (const field of ['apiToken', 'instanceId', 'baseUrl']) {
			const label = await need(modal.locator(byTestId(field)), `the ${field} field label in the credential dialog`);
			fieldLabels[field] = (await label.innerText()).split('\n')[0].trim();
			fieldHints[field] = await tooltipOf(label);
			assert(fieldHints[field], `the credential field ${fieldLabels[field]} has no description tooltip`);
		}
		const baseUrlDefault = await modal.locator(`${byTestId('parameter-input-baseUrl')} input`).inputValue();
		const instancePlaceholder = await modal.locator(`${byTestId('parameter-input-instanceId')} input`).getAttribute('placeholder');
		const docsLinks = await modal.locator('a[href^="http"]').evaluateAll((links) => links.map((a) => ({ text: a.innerText.trim(), href: a.href })));

		// Wrong token.
		sandbox.resetRequests();
		await modal.locator(`${byTestId('parameter-input-apiToken')} input`).fill(WRONG_TOKEN);
		await modal.locator(`${byTestId('parameter-input-instanceId')} input`).fill(DEFAULT_INSTANCE);
		await modal.locator(`${byTestId('parameter-input-baseUrl')} input`).fill(sandbox.baseUrl);
		await modal.locator(byTestId('credential-save-button')).click();
		const failure = await need(modal.getByText(/Couldn.t connect with these settings/), 'the failed credential test banner for a wrong token', 30000);
		const failureTitle = (await failure.innerText()).trim();
		const moreDetails = modal.getByText('More details');
		if (await moreDetails.isVisible().catch(() => false)) await moreDetails.click();
		// The visible banner (n8n also keeps a hidden "Please check the errors below" tag around).
		const banner = modal.locator('.el-tag--danger').filter({ hasText: /Couldn.t connect/ }).first();
		let failureText = '';
		let failureDetails = '';
		for (const deadline = Date.now() + 5000; !failureDetails && Date.now() < deadline; ) {
			failureText = (await banner.innerText().catch(() => failureTitle)).replace(/\s*Retry\s*$/, '').trim();
			failureDetails = failureText.replace(failureTitle, '').replace('More details', '').replace(/^\s*Retry\s*/m, '').trim();
			if (!failureDetails) await page.waitForTimeout(100);
		}
		assert(failureDetails, `the failed test shows no reason (banner: "${failureText}")`);
		await screenshot(path.join(RESULTS_DIR, `${String(stepNumber).padStart(2, '0')}-credential-wrong-token.png`));
		const wrongRequests = sandbox.requests.filter((r) => r.authorization === 'wrong');
		assert(wrongRequests.length > 0 && wrongRequests.every((r) => r.status === 401), `the sandbox saw no 401 test request: ${JSON.stringify(sandbox.requests)}`);

		// Right token: n8n 2.41 tests on save and closes the dialog when the test passes.
		sandbox.resetRequests();
		await modal.locator(`${byTestId('parameter-input-apiToken')} input`).fill(sandbox.token);
		await modal.locator(byTestId('credential-save-button')).click();
		const success = modal.locator(byTestId('credentials-config-container-test-success'));
		await Promise.race([
			success.waitFor({ state: 'visible', timeout: 30000 }),
			modal.waitFor({ state: 'hidden', timeout: 30000 }),
		]).catch(() => {});
		if (!(await modal.isVisible())) {
			// Reopen it from the node: n8n tests the stored credential again and shows the result.
			await (await need(ndv.locator(byTestId('credential-edit-button')), 'the edit (pencil) button of the selected credential')).click();
			await need(modal, 'the credential dialog, reopened');
		}
		await need(success, 'the "tested successfully" banner for the right token', 30000);
		const successText = (await success.innerText()).replace(/\s*Retry\s*$/, '').trim();
		const okRequests = sandbox.requests.filter((r) => r.authorization === 'present' && r.status === 200);
		assert(okRequests.length > 0, `the sandbox saw no successful test request: ${JSON.stringify(sandbox.requests)}`);
		assert(okRequests.every((r) => r.query.limit === '1' && r.instance === DEFAULT_INSTANCE), `unexpected test request: ${JSON.stringify(okRequests)}`);
		await screenshot(path.join(RESULTS_DIR, `${String(stepNumber).padStart(2, '0')}-credential-success.png`));
		await modal.locator('button[aria-label="Close this dialog"]').click();
		await gone(modal, 'the credential dialog after closing it');
		const selected = await (await need(ndv.locator(`${byTestId('node-credentials-select')} input`), 'the selected credential in the node')).inputValue();
		assert(selected, 'the node has no credential selected after creating one');
		observations.credential = {
			connectButton: connectText,
			dialogHeader: header,
			fieldLabels,
			fieldHints,
			baseUrlDefault,
			instancePlaceholder,
			docsLinks,
			wrongToken: { title: failureTitle, details: failureDetails },
			rightToken: successText,
			selectedInNode: selected,
			testRequest: okRequests[0] && { path: okRequests[0].path, query: okRequests[0].query },
		};
	});

	const output = page.locator(byTestId('output-panel'));

	await step('execute with the Instance ID option added but left empty (records what the editor shows)', async () => {
		sandbox.resetRequests();
		await ndv.locator(byTestId('node-execute-button')).click();
		const error = output.locator(byTestId('node-error-message'));
		const status = output.locator(`${byTestId('node-run-status-success')}, ${byTestId('node-error-message')}`);
		await need(status, 'a result (success or error) in the output panel', 60000);
		const result = { requests: sandbox.requests.length };
		if (await error.isVisible().catch(() => false)) {
			result.error = (await error.innerText()).trim();
			result.description = (await output.locator(byTestId('node-error-description')).innerText().catch(() => '')).trim();
		} else {
			result.itemsCount = (await output.locator(byTestId('ndv-items-count')).innerText().catch(() => '')).trim();
		}
		observations.emptyInstanceOption = result;
	});

	await step(`execute: ${DEFAULT_LIMIT} contacts in table view, matching the sandbox`, async () => {
		const instanceInput = ndv.locator(`${byTestId('parameter-input-instanceId')} input`);
		await instanceInput.fill(DEFAULT_INSTANCE);
		await instanceInput.blur();
		sandbox.resetRequests();
		await ndv.locator(byTestId('node-execute-button')).click();
		await need(output.locator(byTestId('node-run-status-success')), 'the success status of the run in the output panel', 60000);
		const tableButton = await need(output.locator(byTestId('radio-button-table')), 'the Table view switch of the output panel');
		await tableButton.click();
		const count = (await (await need(output.locator(byTestId('ndv-items-count')), 'the item count of the output')).innerText()).trim();
		const expected = sandbox.expected(DEFAULT_INSTANCE, 'name', 'asc').slice(0, DEFAULT_LIMIT);
		assert(expected.length === DEFAULT_LIMIT, `the sandbox has fewer than ${DEFAULT_LIMIT} contacts`);
		assert(count === `${DEFAULT_LIMIT} items`, `the output shows "${count}", expected "${DEFAULT_LIMIT} items"`);

		// Show all 50 rows on one page, then compare them with the sandbox's first 50 contacts.
		const pageSize = output.locator(`${byTestId('ndv-data-pagination')} .el-select`);
		if (await pageSize.isVisible().catch(() => false)) {
			await pageSize.click();
			await (await need(page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${DEFAULT_LIMIT}$`) }), `the page size option ${DEFAULT_LIMIT}`)).click();
		}
		const table = await need(output.locator(`${byTestId('ndv-data-container')} table`), 'the output table');
		const headers = (await table.locator('thead th').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
		assert(headers[0] === 'id', `the first table column is "${headers[0]}", expected "id" (columns: ${headers.join(', ')})`);
		await page.waitForFunction(
			({ el, n }) => el.querySelectorAll('tbody tr').length === n,
			{ el: await table.elementHandle(), n: DEFAULT_LIMIT },
			{ timeout: 5000 },
		).catch(() => {});
		const ids = (await table.locator('tbody tr td:first-child').allInnerTexts()).map((text) => text.trim());
		assert(ids.length === DEFAULT_LIMIT, `the table shows ${ids.length} rows, expected ${DEFAULT_LIMIT}`);
		const mismatch = ids.findIndex((id, index) => id !== expected[index].id);
		assert(mismatch === -1, `row ${mismatch + 1} shows "${ids[mismatch]}", the sandbox serves "${expected[mismatch]?.id}" there`);
		const known = expected.find((contact) => contact.name && /^[\x20-\x7e]+$/.test(contact.name)) ?? expected.find((contact) => contact.pushname);
		const knownText = known.name || known.pushname;
		await need(table.locator('tbody tr').filter({ hasText: known.id }).filter({ hasText: knownText }), `the row of contact ${known.id} ("${knownText}")`);
		assert(sandbox.requests.length >= 1 && sandbox.requests.every((r) => r.status === 200), `unexpected API traffic: ${JSON.stringify(sandbox.requests)}`);
		observations.output = {
			itemsCount: count,
			columns: headers,
			firstRow: (await table.locator('tbody tr').first().innerText()).replace(/\s+/g, ' ').trim(),
			knownContact: { id: known.id, text: knownText },
			hints: await output.locator(byTestId('node-hint')).allInnerTexts().catch(() => []),
			requests: sandbox.requests.map((r) => r.query),
		};

		// The parameters and the output panels (the input panel of a manual trigger is empty).
		const box = await ndv.boundingBox();
		const params = await ndv.locator(byTestId('node-parameters')).boundingBox();
		const left = params ? Math.max(box.x, params.x - 16) : box.x;
		const clip = { x: left, y: box.y, width: box.x + box.width - left, height: box.height };
		const file = ARGS.has('--update-screenshot') ? COMMITTED_SCREENSHOT : path.join(RESULTS_DIR, 'screenshot-editor.png');
		await saveSmallScreenshot(file, clip);
		observations.screenshot = rel(file);
	});

	await step('close the node: canvas node, subtitle, item count, light and dark icon', async () => {
		await ndv.locator(byTestId('ndv-close-button')).click();
		await gone(ndv, 'the node details view after closing it');
		const node = await need(page.locator(`${byTestId('canvas-node')}[data-node-type="${NODE_TYPE}"]`), 'the Hypersender node on the canvas');
		const lines = (await node.innerText()).split('\n').map((line) => line.trim()).filter(Boolean);
		const icon = await node.locator('img').first().getAttribute('src').catch(() => null);
		assert(icon && /hypersender\.svg$/.test(icon), `the canvas node has no Hypersender icon (${icon})`);
		assert(lines.includes(`${DEFAULT_LIMIT} items`), `the canvas node does not show "${DEFAULT_LIMIT} items": ${lines.join(' | ')}`);
		// In a dark theme the editor switches to the package's dark icon.
		await page.emulateMedia({ colorScheme: 'dark' });
		const darkIcon = node.locator('img[src$="hypersender.dark.svg"]').first();
		await need(darkIcon, 'the dark-theme icon (hypersender.dark.svg) on the canvas node with a dark color scheme', 5000);
		await page.waitForFunction((img) => img.complete, await darkIcon.elementHandle(), { timeout: 5000 }).catch(() => {});
		assert((await darkIcon.evaluate((img) => img.naturalWidth)) > 0, 'the dark-theme icon did not load');
		const darkSrc = await darkIcon.getAttribute('src');
		await screenshot(path.join(RESULTS_DIR, `${String(stepNumber).padStart(2, '0')}-canvas-dark.png`));
		await page.emulateMedia({ colorScheme: 'light' });
		observations.canvasNode = { lines, icon, darkIcon: darkSrc };
		assert(observations.failedPackageRequests.length === 0, `the editor failed to load: ${observations.failedPackageRequests.join(', ')}`);
	});

	observations.seconds = (Date.now() - started) / 1000;
	log(`all ${stepNumber} steps passed in ${observations.seconds.toFixed(0)} s`);
}

/** Saves a PNG of `clip` no larger than 150 KB: shrinks it in the browser (canvas) until it fits. */
async function saveSmallScreenshot(file, clip) {
	await page.mouse.move(2, 2); // no hover highlight in the table
	await page.waitForTimeout(200);
	const png = await page.screenshot({ clip: clip ?? undefined });
	let best = png;
	// Some headroom under the limit: the same view is a few KB larger or smaller from run to run.
	for (const scale of [0.85, 0.75, 0.65, 0.5, 0.4]) {
		if (best.length <= MAX_COMMITTED_SCREENSHOT_BYTES - 20 * 1024) break;
		const dataUrl = await page.evaluate(
			async ({ src, scale }) => {
				const img = new Image();
				img.src = src;
				await img.decode();
				const canvas = document.createElement('canvas');
				canvas.width = Math.round(img.width * scale);
				canvas.height = Math.round(img.height * scale);
				const context = canvas.getContext('2d');
				context.imageSmoothingQuality = 'high';
				context.drawImage(img, 0, 0, canvas.width, canvas.height);
				return canvas.toDataURL('image/png');
			},
			{ src: `data:image/png;base64,${png.toString('base64')}`, scale },
		);
		best = Buffer.from(dataUrl.split(',')[1], 'base64');
	}
	assert(best.length <= MAX_COMMITTED_SCREENSHOT_BYTES, `could not shrink the screenshot below 150 KB (${best.length} bytes)`);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, best);
	log(`   screenshot ${rel(file)} (${Math.round(best.length / 1024)} KB)`);
}

function start() {
	let interrupted = false;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		// `on`, not `once`: Ctrl-C may arrive twice (from the terminal and from the re-exec parent).
		process.on(signal, () => {
			if (interrupted) return;
			interrupted = true;
			log(`${signal}: stopping browser, n8n and sandbox...`);
			cleanup().finally(() => process.exit(130));
		});
	}
	main()
		.then(
			() => 0,
			(error) => {
				log(`FAILED: ${error.stack || error.message}`);
				return 1;
			},
		)
		.then(async (code) => {
			fs.mkdirSync(RESULTS_DIR, { recursive: true });
			fs.writeFileSync(path.join(RESULTS_DIR, 'observations.json'), `${JSON.stringify(observations, null, 2)}\n`);
			await cleanup();
			log(`observations: ${rel(path.join(RESULTS_DIR, 'observations.json'))}`);
			clearTimeout(watchdog);
			process.exit(code);
		});
}

if (!REEXEC) start();
