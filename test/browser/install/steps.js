// @ts-check
'use strict';
// The install test's steps after the start: Settings → Community nodes → Install, the node in a
// workflow, Update to a newer version, the saved workflow on it, Uninstall, and n8n afterwards.
// Every step that changes the package ends with session.checkN8n().
const fs = require('node:fs');
const path = require('node:path');

const runtime = require('../../../scripts/n8n/runtime');
const { manualTriggerNode } = require('../../../scripts/fixtures');
const { DEFAULT_INSTANCE, PACKAGE_NAME, assert, log } = require('./session');
const { TEXT, affectedWorkflows, closeToasts, confirmDialog, openCommunityNodes, packageCard, readCard, waitForPackages, waitForToast } = require('./community-nodes');
const { byTestId, exactly, gone, need, openActions, panels } = require('../ui');
const { ACTION_NAME, CREDENTIAL_TYPE, NODE_DISPLAY_NAME, NODE_TYPE } = require('../steps/expected');

/** @typedef {import('./session').InstallSession} InstallSession */

/** The Limit the workflow sets on Get Many, and so the items it returns. */
const LIMIT = 5;
/** How long n8n may take to download and load the package (npm pack + npm install + loading). */
const PACKAGE_CHANGE_TIMEOUT_MS = 180_000;
const CREDENTIAL_NAME = 'Hypersender (local sandbox)';
const NODE_NAME = ACTION_NAME.charAt(0).toUpperCase() + ACTION_NAME.slice(1); // the name n8n gives the added action node

/** @param {InstallSession} session */
async function settingsPageEmpty(session) {
	const { page, url, observations } = session;
	await openCommunityNodes(page, url);
	await need(page.getByText(TEXT.emptyTitle), `the empty state "${TEXT.emptyTitle}"`);
	const button = await need(page.getByRole('button', { name: TEXT.emptyButton }), `the "${TEXT.emptyButton}" button`);
	const emptyState = page.locator('div').filter({ has: page.getByText(TEXT.emptyTitle) }).filter({ has: button }).last();
	const lines = (await emptyState.innerText()).split('\n').map((line) => line.trim()).filter(Boolean);
	const description = lines.filter((line) => line !== TEXT.emptyTitle && line !== TEXT.emptyButton).join(' ');
	assert((await page.locator(byTestId('community-package-card')).count()) === 0, 'the Community nodes page lists a package before any was installed');
	observations.emptyState = { url: page.url(), title: TEXT.emptyTitle, description, button: TEXT.emptyButton };
}

/**
 * Install → the dialog → package name, risk checkbox, Install → "Package installed" → the card.
 * @param {InstallSession} session
 */
async function installThroughDialog(session) {
	const { page, observations, registry, shim } = session;
	await page.getByRole('button', { name: TEXT.emptyButton }).click();
	const modal = await need(page.locator(byTestId('communityPackageInstall-modal')), 'the install dialog');
	const title = (await modal.locator('h1').first().innerText()).trim();
	assert(title === TEXT.installModalTitle, `the install dialog is titled "${title}", expected "${TEXT.installModalTitle}"`);
	const texts = (await modal.innerText()).split('\n').map((line) => line.trim()).filter(Boolean);
	const nameInput = await need(modal.locator(byTestId('package-name-input')), 'the package name input');
	const placeholder = await nameInput.getAttribute('placeholder');
	const checkbox = await need(modal.locator(byTestId('user-agreement-checkbox')), 'the risk checkbox');
	const checkboxLabel = (await modal.locator(`label[for="${await checkbox.getAttribute('id')}"]`).innerText().catch(() => '')).split('\n')[0].trim();
	assert(checkboxLabel === TEXT.riskCheckbox, `the risk checkbox reads "${checkboxLabel}", expected "${TEXT.riskCheckbox}"`);
	const installButton = modal.locator(byTestId('install-community-package-button'));
	assert(await installButton.isDisabled(), 'Install is enabled before a package name and the risk checkbox');
	await nameInput.fill(PACKAGE_NAME);
	assert(await installButton.isDisabled(), 'Install is enabled before the risk checkbox is ticked');
	await checkbox.click();
	assert((await checkbox.getAttribute('aria-checked')) === 'true', 'the risk checkbox did not tick');
	assert(await installButton.isEnabled(), 'Install stays disabled with a package name and the risk checkbox ticked');
	await session.shot('install-dialog-filled');
	observations.installDialog = { title, texts, placeholder, checkboxLabel, packageName: PACKAGE_NAME };

	const callsBefore = shim.calls().length;
	const started = Date.now();
	await installButton.click();
	const toast = await waitForToast(page, [TEXT.installed, TEXT.installError, 'Package not compatible with this n8n version'], PACKAGE_CHANGE_TIMEOUT_MS);
	if (toast.title !== TEXT.installed) {
		const versions = await registry.versions(PACKAGE_NAME).catch((error) => [`(could not ask the registry: ${error.message})`]);
		throw new Error(
			`n8n could not install ${PACKAGE_NAME}: "${toast.title}"${toast.message ? `: ${toast.message}` : ''}\n` +
				`  the local registry ${registry.url} has ${PACKAGE_NAME} versions: ${versions.join(', ') || 'none (nothing was published)'}`,
		);
	}
	const card = packageCard(page, PACKAGE_NAME);
	await need(card.filter({ hasText: `v${session.version}` }), `the ${PACKAGE_NAME} card with v${session.version}`, 30000);
	const seconds = (Date.now() - started) / 1000;
	observations.timings.install = seconds;
	await gone(modal, 'the install dialog after installing');
	const shown = await readCard(card.first());
	assert(shown.name === PACKAGE_NAME, `the card is named "${shown.name}"`);
	assert(shown.version === `v${session.version}`, `the card shows "${shown.version}", expected "v${session.version}"`);
	assert(/^3 nodes:/.test(shown.nodes) && /Hypersender\b/.test(shown.nodes), `the card lists "${shown.nodes}", expected 3 nodes with Hypersender`);
	assert(!shown.updateButton, 'the card offers an update right after installing the newest version');
	// The screenshot for the README: the page with the card, without the toast (which fades out
	// at its own pace, so a screenshot with it would differ from run to run).
	await closeToasts(page);
	await gone(page.locator('.el-notification'), 'the toasts after closing them', 10000);
	await session.saveInstallScreenshot();
	observations.installed = { toast, card: shown, seconds };
	log(`   installed ${PACKAGE_NAME}@${session.version} through the UI in ${seconds.toFixed(1)} s: "${toast.title}", card "${shown.text}"`);

	// It came from the local registry: n8n's `npm pack` ran against it, Verdaccio served the tarball.
	const calls = shim.calls().slice(callsBefore);
	const pack = calls.find((call) => call.args[0] === 'pack');
	assert(pack, `n8n ran no \`npm pack\` (npm calls: ${JSON.stringify(calls)})`);
	assert(pack.args.includes(`--registry=${registry.url}`), `n8n's npm pack did not go to the local registry: ${pack.args.join(' ')}`);
	const verdaccioLog = fs.readFileSync(registry.logFile, 'utf8');
	const tarball = `${PACKAGE_NAME}-${session.version}.tgz`;
	assert(verdaccioLog.includes(`/-/${tarball}`), `the local registry's log shows no download of ${tarball}`);
	assert(session.installedVersionOnDisk() === session.version, `the home holds ${PACKAGE_NAME}@${session.installedVersionOnDisk()} after the install`);
	observations.npmCallsForInstall = calls.map((call) => call.args.join(' '));
	await session.checkN8n('after the install');
}

/**
 * A new workflow with the Hypersender node (Contact › Get Many, Limit 5) using a credential that
 * points at the sandbox; executed from the node: 5 items. n8n saves it by itself.
 * @param {InstallSession} session
 */
async function useNode(session) {
	const { page, url, sandbox, observations } = session;
	const credential = await session.rest('POST', '/rest/credentials', {
		name: CREDENTIAL_NAME,
		type: CREDENTIAL_TYPE,
		data: { apiToken: sandbox.token, instanceId: DEFAULT_INSTANCE, baseUrl: sandbox.baseUrl },
	});
	assert(credential?.id, `POST /rest/credentials gave no id: ${JSON.stringify(credential).slice(0, 200)}`);

	await page.goto(`${url}/workflow/new`, { waitUntil: 'domcontentloaded' });
	await need(page.locator(byTestId('canvas')), 'the workflow canvas');
	const { creator, ndv, output } = panels(page);
	await (await need(page.locator(byTestId('node-creator-plus-button')), 'the nodes panel button')).click();
	await (await need(page.locator('input[placeholder="Search nodes..."]'), 'the nodes panel search box')).fill(NODE_DISPLAY_NAME);
	const item = creator
		.locator(byTestId('item-iterator-item'))
		.filter({ has: page.locator(byTestId('node-creator-item-name'), { hasText: exactly(NODE_DISPLAY_NAME) }) });
	await (await need(item, `"${NODE_DISPLAY_NAME}" in the nodes panel (the installed package's node)`)).click();
	await openActions(page);
	const action = creator.locator(byTestId('item-iterator-item')).filter({ hasText: exactly(ACTION_NAME) });
	await (await need(action, `the "${ACTION_NAME}" action`)).click();
	await need(ndv, 'the node details view');
	const selected = await (await need(ndv.locator(`${byTestId('node-credentials-select')} input`), 'the credential of the node')).inputValue();
	assert(selected === CREDENTIAL_NAME, `the node selected the credential "${selected}", expected "${CREDENTIAL_NAME}"`);
	const limit = await need(ndv.locator(`${byTestId('parameter-input-limit')} input`), 'the Limit parameter');
	await limit.fill(String(LIMIT));
	await limit.blur();
	sandbox.resetRequests();
	await ndv.locator(byTestId('node-execute-button')).click();
	const result = output.locator(`${byTestId('node-run-status-success')}, ${byTestId('node-error-message')}`);
	await need(result, 'a result in the output panel', 60000);
	const error = await output.locator(byTestId('node-error-message')).innerText().catch(() => '');
	assert(!error, `the node failed: ${error}`);
	const count = (await (await need(output.locator(byTestId('ndv-items-count')), 'the item count')).innerText()).trim();
	assert(count === `${LIMIT} items`, `the output shows "${count}", expected "${LIMIT} items"`);
	const calls = sandbox.requests.filter((request) => request.kind === 'api');
	assert(calls.length > 0 && calls.every((request) => request.status === 200 && request.authorization === 'present'), `unexpected sandbox traffic: ${JSON.stringify(calls.map((r) => [r.path, r.status, r.authorization]))}`);
	assert(calls.some((request) => String(request.query.limit) === String(LIMIT)), `the node did not ask the sandbox for ${LIMIT} contacts: ${JSON.stringify(calls.map((r) => r.query))}`);
	await session.shot('node-output');
	await ndv.locator(byTestId('ndv-close-button')).click();
	await gone(ndv, 'the node details view after closing it');

	// n8n 2.41 saves a new workflow by itself (the address becomes /workflow/<id>).
	await page.waitForURL(/\/workflow\/(?!new)[A-Za-z0-9]+/, { timeout: 30000 });
	const workflowId = /\/workflow\/([A-Za-z0-9]+)/.exec(page.url())?.[1] ?? '';
	const deadline = Date.now() + 30000;
	/** @type {any} */
	let saved;
	for (;;) {
		saved = await session.rest('GET', `/rest/workflows/${workflowId}`).catch(() => undefined);
		const node = saved?.nodes?.find((/** @type {{ type: string }} */ n) => n.type === NODE_TYPE);
		if (node && node.parameters?.limit === LIMIT && node.credentials?.[CREDENTIAL_TYPE]?.id === credential.id) break;
		assert(Date.now() < deadline, `workflow ${workflowId} was not saved with the node (Limit ${LIMIT}, the credential): ${JSON.stringify(saved?.nodes ?? saved).slice(0, 500)}`);
		await page.waitForTimeout(500);
	}
	session.workflowId = workflowId;
	session.workflowName = saved.name;
	observations.workflow = { id: workflowId, name: saved.name, nodes: saved.nodes.map((/** @type {{ name: string, type: string }} */ n) => `${n.name} (${n.type})`), itemsCount: count };
	await session.checkN8n('after running the node');
}

/**
 * Publishes V′; the Community nodes page offers Update; Update → Confirm update → the card shows V′.
 * @param {InstallSession} session
 */
async function update(session) {
	const { page, url, observations, shim, registry } = session;
	await session.publish(session.newerTgz);
	await openCommunityNodes(page, url);
	const card = packageCard(page, PACKAGE_NAME);
	const updateButton = card.getByRole('button', { name: exactly(TEXT.updateButton) });
	await need(updateButton, `the "${TEXT.updateButton}" button on the ${PACKAGE_NAME} card (n8n's \`npm outdated\` sees ${session.newerVersion})`, 30000);
	const before = await readCard(card.first());
	assert(before.version === `v${session.version}`, `before the update the card shows "${before.version}"`);
	await updateButton.hover();
	const tooltip = (await page.locator('[role="tooltip"]:visible, .n8n-tooltip:visible').first().innerText().catch(() => '')).split('\n')[0].trim();
	await session.shot('update-offered');
	await updateButton.click();
	const dialog = await confirmDialog(page, TEXT.updateModalTitle);
	const affected = await affectedWorkflows(dialog, session.workflowName);
	const dialogText = (await dialog.innerText()).split('\n').map((line) => line.trim()).filter(Boolean);
	await session.shot('update-dialog');
	const callsBefore = shim.calls().length;
	const started = Date.now();
	await dialog.getByRole('button', { name: TEXT.confirmUpdate }).click();
	const toast = await waitForToast(page, [TEXT.updated, TEXT.updateError, 'Update not compatible with this n8n version'], PACKAGE_CHANGE_TIMEOUT_MS);
	assert(toast.title === TEXT.updated, `n8n could not update ${PACKAGE_NAME}: "${toast.title}"${toast.message ? `: ${toast.message}` : ''}`);
	await need(card.filter({ hasText: `v${session.newerVersion}` }), `the ${PACKAGE_NAME} card with v${session.newerVersion}`, 30000);
	const seconds = (Date.now() - started) / 1000;
	observations.timings.update = seconds;
	const after = await readCard(card.first());
	assert(!after.updateButton, `the card still offers an update after updating to ${session.newerVersion}`);
	assert(session.installedVersionOnDisk() === session.newerVersion, `the home holds ${PACKAGE_NAME}@${session.installedVersionOnDisk()} after the update`);
	const calls = shim.calls().slice(callsBefore);
	const pack = calls.find((call) => call.args[0] === 'pack');
	assert(pack && pack.args.includes(`--registry=${registry.url}`), `n8n's update ran no \`npm pack\` against the local registry: ${JSON.stringify(calls)}`);
	assert(fs.readFileSync(registry.logFile, 'utf8').includes(`/-/${PACKAGE_NAME}-${session.newerVersion}.tgz`), `the local registry's log shows no download of ${session.newerVersion}`);
	observations.updated = { tooltip, dialog: dialogText, affected, toast, before: before.text, after: after.text, seconds, npmCalls: calls.map((call) => call.args.join(' ')) };
	log(`   updated to ${session.newerVersion} through the UI in ${seconds.toFixed(1)} s: "${toast.title}${toast.message ? `: ${toast.message}` : ''}"`);
	await closeToasts(page);
	await session.checkN8n('after the update');
}

/**
 * Opens a saved workflow and runs it with "Execute workflow"; resolves to its execution.
 * @param {InstallSession} session
 * @param {string} workflowId
 * @param {string} [nodeName] whose items to return
 */
async function executeSavedWorkflow(session, workflowId, nodeName) {
	const { page, url } = session;
	await page.goto(`${url}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	await need(page.locator(byTestId('canvas-node')), `the nodes of workflow ${workflowId} on the canvas`, 30000);
	const before = await runtime.listExecutions(url, { cookie: session.cookie, user: undefined }, workflowId);
	await (await need(page.locator(byTestId('execute-workflow-button')), 'the "Execute workflow" button')).click();
	const toast = await waitForToast(page, ['Workflow executed successfully', 'Problem in node', 'Workflow has issues', 'Problem running workflow'], 60000).catch(async (error) => {
		// n8n titles failures after the node ("Problem in node ‘X‘"): read whatever toast shows.
		const any = (await page.locator('.el-notification:visible').allInnerTexts().catch(() => [])).join(' / ');
		throw new Error(`${error.message}${any ? ` (toasts: ${any})` : ''}`);
	});
	assert(toast.title === 'Workflow executed successfully', `running workflow ${workflowId}: "${toast.title}" ${toast.message}`);
	/** @type {Array<{ id: string, status: string }>} */
	let executions = [];
	const deadline = Date.now() + 30000;
	for (;;) {
		executions = await runtime.listExecutions(url, { cookie: session.cookie, user: undefined }, workflowId);
		if (executions.length > before.length && executions[0].status !== 'running' && executions[0].status !== 'new') break;
		assert(Date.now() < deadline, `no finished execution of workflow ${workflowId} appeared (${JSON.stringify(executions.slice(0, 2))})`);
		await page.waitForTimeout(300);
	}
	const execution = await runtime.getExecution(url, { cookie: session.cookie, user: undefined }, executions[0].id);
	assert(execution && execution.status === 'success', `execution ${executions[0].id} of workflow ${workflowId} ended "${execution?.status}"`);
	await closeToasts(page);
	return { executionId: executions[0].id, status: execution.status, items: nodeName ? runtime.runItems(execution.run, nodeName) : undefined };
}

/**
 * The workflow saved before the update opens on V′ and runs: 5 items again.
 * @param {InstallSession} session
 */
async function savedWorkflowRuns(session) {
	const { page, observations, sandbox } = session;
	sandbox.resetRequests();
	const run = await executeSavedWorkflow(session, session.workflowId, NODE_NAME);
	assert(run.items?.length === LIMIT, `the Hypersender node gave ${run.items?.length ?? 'no'} items on ${session.newerVersion}, expected ${LIMIT}`);
	const node = page.locator(`${byTestId('canvas-node')}[data-node-type="${NODE_TYPE}"]`);
	await need(node.filter({ hasText: `${LIMIT} items` }), `"${LIMIT} items" on the Hypersender node of the canvas`);
	assert(sandbox.requests.some((request) => request.kind === 'api' && request.status === 200), 'the sandbox saw no API call from the run');
	observations.afterUpdate = { executionId: run.executionId, status: run.status, items: run.items?.length };
	await session.checkN8n('after running the saved workflow on the newer version');
}

/**
 * ⋮ → Uninstall package → Confirm uninstall → "Package uninstalled"; the page is empty again.
 * @param {InstallSession} session
 */
async function uninstall(session) {
	const { page, url, observations } = session;
	// A workflow of n8n's own nodes only, for after the uninstall.
	const coreWorkflow = await session.rest('POST', '/rest/workflows', {
		name: 'Core nodes only',
		nodes: [
			manualTriggerNode(),
			{ id: 'a1b2c3d4-0000-4000-8000-000000000002', name: 'No Operation, do nothing', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { [manualTriggerNode().name]: { main: [[{ node: 'No Operation, do nothing', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	assert(coreWorkflow?.id, 'POST /rest/workflows gave no id for the core-nodes workflow');
	session.coreWorkflowId = coreWorkflow.id;

	await openCommunityNodes(page, url);
	const card = packageCard(page, PACKAGE_NAME);
	await need(card, `the ${PACKAGE_NAME} card`);
	await card.first().locator(`${byTestId('action-toggle')} button`).click();
	const menu = await need(page.locator(byTestId('action-toggle-dropdown')), 'the card\'s actions menu');
	const actions = (await menu.locator('[role="menuitem"]').allInnerTexts()).map((text) => text.trim());
	await menu.getByText(TEXT.uninstallAction).click();
	const dialog = await confirmDialog(page, TEXT.uninstallModalTitle);
	const affected = await affectedWorkflows(dialog, session.workflowName);
	const dialogText = (await dialog.innerText()).split('\n').map((line) => line.trim()).filter(Boolean);
	await session.shot('uninstall-dialog');
	const started = Date.now();
	await dialog.getByRole('button', { name: TEXT.confirmUninstall }).click();
	const toast = await waitForToast(page, [TEXT.uninstalled, TEXT.uninstallError], PACKAGE_CHANGE_TIMEOUT_MS);
	assert(toast.title === TEXT.uninstalled, `n8n could not uninstall ${PACKAGE_NAME}: "${toast.title}"${toast.message ? `: ${toast.message}` : ''}`);
	await waitForPackages(page);
	await need(page.getByText(TEXT.emptyTitle), 'the empty state after the uninstall');
	const seconds = (Date.now() - started) / 1000;
	observations.timings.uninstall = seconds;
	assert((await page.locator(byTestId('community-package-card')).count()) === 0, 'a package card is still listed after the uninstall');
	const listed = await session.rest('GET', '/rest/community-packages');
	assert(Array.isArray(listed) && listed.length === 0, `n8n still lists packages: ${JSON.stringify(listed).slice(0, 300)}`);
	assert(!fs.existsSync(session.installedPackageDir()), `${session.installedPackageDir()} is still there after the uninstall`);
	const ledger = JSON.parse(fs.readFileSync(path.join(session.home, '.n8n', 'nodes', 'package.json'), 'utf8'));
	assert(!ledger.dependencies?.[PACKAGE_NAME], `n8n's nodes/package.json still depends on ${PACKAGE_NAME}`);
	observations.uninstalled = { menu: actions, dialog: dialogText, affected, toast, seconds };
	log(`   uninstalled through the UI in ${seconds.toFixed(1)} s: "${toast.title}"`);
	await closeToasts(page);
	await session.checkN8n('after the uninstall');
}

/**
 * After the uninstall: the editor loads, a workflow of core nodes runs, the Hypersender workflow
 * opens with its node marked as not installed (n8n's "Install this node to use it").
 * @param {InstallSession} session
 */
async function afterUninstall(session) {
	const { page, url, observations } = session;
	await page.goto(`${url}/home/workflows`, { waitUntil: 'domcontentloaded' });
	for (const name of [session.workflowName, 'Core nodes only']) {
		await need(page.locator(byTestId('resources-list-item-workflow'), { hasText: name }).or(page.getByText(name, { exact: true })), `the workflow "${name}" in the workflow list`, 30000);
	}
	const core = await executeSavedWorkflow(session, session.coreWorkflowId, 'No Operation, do nothing');
	assert(core.items?.length === 1, `the core-nodes workflow gave ${core.items?.length ?? 'no'} items, expected 1`);

	await page.goto(`${url}/workflow/${session.workflowId}`, { waitUntil: 'domcontentloaded' });
	const node = page.locator(`${byTestId('canvas-node')}[data-node-type="${NODE_TYPE}"]`);
	await need(node, 'the (uninstalled) Hypersender node on the canvas', 30000);
	await need(page.locator(`${byTestId('canvas-node')}[data-node-type="n8n-nodes-base.manualTrigger"]`), 'the Manual Trigger of the workflow');
	const marker = await need(node.locator(byTestId('node-not-installed')), 'n8n\'s "not installed" mark on the Hypersender node');
	await marker.hover();
	const tooltip = (await page.locator('[role="tooltip"]:visible, .n8n-tooltip:visible').first().innerText().catch(() => '')).split('\n')[0].trim();
	assert(tooltip === 'Install the package to use this node', `the mark's tooltip reads "${tooltip}"`);
	await session.shot('node-not-installed');
	await node.dblclick();
	const { ndv } = panels(page);
	await need(ndv, 'the node details view of the uninstalled node');
	await need(ndv.getByText('Install this node to use it'), 'the "Install this node to use it" notice');
	const notice = (await ndv.getByText(/This node is not currently installed/).first().innerText()).trim();
	assert(notice.includes(PACKAGE_NAME), `the notice does not name the package: "${notice}"`);
	await session.shot('node-not-installed-details');
	await page.keyboard.press('Escape');
	await gone(ndv, 'the node details view after Escape').catch(() => {});
	observations.afterUninstall = { coreWorkflow: { executionId: core.executionId, status: core.status }, canvasTooltip: tooltip, notice };
	await session.checkN8n('after opening the workflows');
}

module.exports = {
	LIMIT,
	steps: [
		{ title: 'Settings → Community nodes: the empty state and "Install a community node"', run: settingsPageEmpty },
		{ title: 'Install dialog: package name, risk checkbox, Install → "Package installed", the card shows the version', run: installThroughDialog },
		{ title: `use the node: new workflow, Hypersender › ${ACTION_NAME}, Limit ${LIMIT}, execute → ${LIMIT} items (saved)`, run: useNode },
		{ title: 'publish a newer version: Update → Confirm update → "Package updated", the card shows it', run: update },
		{ title: 'the saved workflow opens and runs on the newer version', run: savedWorkflowRuns },
		{ title: 'Uninstall package → Confirm uninstall → "Package uninstalled", the list is empty', run: uninstall },
		{ title: 'after the uninstall: editor loads, a core-nodes workflow runs, the node shows as not installed', run: afterUninstall },
	],
};
