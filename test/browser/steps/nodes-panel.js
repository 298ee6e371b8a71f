// @ts-check
'use strict';
// Steps 2-3: a new workflow, then the nodes panel: search, the node's icon, its actions.
const { assert } = require('../session');
const { byTestId, exactly, need, openActions, panels } = require('../ui');
const { ACTION_NAME, CONTACT_ACTIONS, NODE_DISPLAY_NAME, NODE_TYPE } = require('./expected');

/** @typedef {import('../session').Session} Session */

/** @param {Session} session */
async function openNewWorkflow(session) {
	const { page, url } = session;
	await page.goto(`${url}/workflow/new`);
	await need(page.locator(byTestId('canvas')), 'the workflow canvas');
	await need(page.locator(byTestId('node-creator-plus-button')), 'the nodes panel button (node-creator-plus-button)');
}

/** @param {Session} session */
async function searchNodesPanel(session) {
	const { page, observations } = session;
	const { creator } = panels(page);
	/** @param {string} name an entry of the nodes panel, by its exact name */
	const entry = (name) =>
		creator
			.locator(byTestId('item-iterator-item'))
			.filter({ has: page.locator(byTestId('node-creator-item-name'), { hasText: exactly(name) }) });

	await page.locator(byTestId('node-creator-plus-button')).click();
	const search = await need(page.locator('input[placeholder="Search nodes..."]'), 'the nodes panel search box');
	await search.fill('Hypersender');
	const item = entry(NODE_DISPLAY_NAME);
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
			text: /** @type {HTMLElement} */ (el).innerText.trim(),
		};
	});
	assert(iconInfo.img || iconInfo.svg, `the node icon renders neither an <img> nor an <svg>: ${JSON.stringify(iconInfo)}`);
	if (iconInfo.img) {
		await page
			.waitForFunction((el) => /** @type {HTMLImageElement} */ (el.querySelector('img')).complete, await icon.elementHandle(), { timeout: 5000 })
			.catch(() => {});
		const natural = await icon.evaluate((el) => /** @type {HTMLImageElement} */ (el.querySelector('img')).naturalWidth);
		assert(natural > 0, `the node icon <img src="${iconInfo.img.src}"> did not load (naturalWidth 0)`);
		assert(/hypersender\.svg$/.test(iconInfo.img.src ?? ''), `the node icon is not the package's SVG: ${iconInfo.img.src}`);
	}
	assert(iconInfo.text === '', `the node icon shows the fallback letter "${iconInfo.text}" instead of the SVG`);
	observations.nodesPanel = { results: names, description, icon: iconInfo };

	// The node's actions: every Contact operation, each under its action name.
	await item.first().click();
	await openActions(page);
	const action = entry(ACTION_NAME);
	await need(action, `the "${ACTION_NAME}" action in the Hypersender actions list`);
	const panelText = (await creator.innerText()).trim();
	observations.nodesPanel.actionsPanel = panelText;
	const actions = await creator
		.locator(`${byTestId('item-iterator-item')}[data-keyboard-nav-type="action"][data-keyboard-nav-id^="${NODE_TYPE}"] ${byTestId('node-creator-item-name')}`)
		.allInnerTexts();
	observations.nodesPanel.actions = actions;
	const missing = [];
	for (const name of CONTACT_ACTIONS) {
		if (!(await entry(name).first().isVisible())) missing.push(name);
	}
	assert(
		missing.length === 0,
		`the Hypersender actions list lacks ${missing.map((name) => `"${name}"`).join(', ')} (it lists: ${actions.map((name) => `"${name}"`).join(', ')})`,
	);
	// n8n 2.41 lists the actions of a node with a single resource without a resource heading;
	// the resource (Contact) is checked in the parameters panel in the next step.
	observations.nodesPanel.resourceHeadingShown = /\bContact\b/.test(CONTACT_ACTIONS.reduce((text, name) => text.replace(name, ''), panelText));
	const actionIcon = await action.first().locator('img').first().getAttribute('src').catch(() => null);
	assert(actionIcon && /hypersender\.svg$/.test(actionIcon), `the "${ACTION_NAME}" action has no Hypersender icon (${actionIcon})`);
}

module.exports = {
	steps: [
		{ title: 'open a new workflow', run: openNewWorkflow },
		{ title: `nodes panel: search "Hypersender", icon, Contact › ${ACTION_NAME} and the other Contact actions`, run: searchNodesPanel },
	],
};
