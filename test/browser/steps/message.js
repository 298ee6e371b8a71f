// @ts-check
'use strict';
// Step 10: the Message resource in the editor. In a new workflow the nodes panel lists the node's
// "Send a text message" action beside the Contact ones; the node, added by its Contact action,
// is switched to Resource = Message and Operation = Send Text in its details view, which then
// shows Chat ID, Text and the Options, among them Safe Mode (on) and Wait for Result (off).
const { assert } = require('../session');
const { byTestId, exactly, gone, need, openActions, openNewWorkflow, panels, parameterLabel, tooltipOf } = require('../ui');
const { ACTION_NAME, NODE_DISPLAY_NAME, NODE_TYPE } = require('./expected');

/** @typedef {import('../session').Session} Session */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** Send Text's action name in the nodes panel. */
const SEND_TEXT_ACTION = 'Send a text message';
/** The parameters Send Text shows, by name, with their labels. */
const SEND_TEXT_PARAMS = { chatId: 'Chat ID or Phone Number', text: 'Text' };
/** The options the step adds, their parameter names and the value each shows when added. */
const SEND_TEXT_OPTIONS = [
	{ label: 'Safe Mode', name: 'safeMode', on: true },
	{ label: 'Wait for Result', name: 'waitForResult', on: false },
];

/**
 * Picks `label` in the options parameter `name` of the node details view.
 * @param {Page} page
 * @param {Locator} ndv
 * @param {string} name
 * @param {string} label
 */
async function choose(page, ndv, name, label) {
	const input = await need(ndv.locator(`${byTestId(`parameter-input-${name}`)} input`), `the ${name} parameter`);
	await input.click();
	const items = page.locator(`${byTestId('parameter-input-item')}:visible`);
	await need(items, `the choices of the ${name} parameter`);
	const offered = (await items.locator('.option-headline').allInnerTexts()).map((text) => text.trim());
	const item = items.filter({ has: page.locator('.option-headline', { hasText: exactly(label) }) });
	assert((await item.count()) > 0, `the ${name} parameter does not offer "${label}" (it offers: ${offered.join(', ')})`);
	await item.first().click();
	await page.waitForFunction(
		({ selector, value }) => /** @type {HTMLInputElement | null} */ (document.querySelector(selector))?.value === value,
		{ selector: `[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] input`, value: label },
		{ timeout: 5000 },
	).catch(() => {});
	const shown = await input.inputValue();
	assert(shown === label, `${name} shows "${shown}" after choosing "${label}"`);
	return offered;
}

/**
 * Whether the boolean parameter `name` (a switch) is on.
 * @param {Locator} ndv
 * @param {string} name
 */
async function switchIsOn(ndv, name) {
	const toggle = await need(ndv.locator(`${byTestId(`parameter-input-${name}`)} .el-switch`), `the ${name} switch`);
	return (await toggle.getAttribute('class'))?.split(/\s+/).includes('is-checked') ?? false;
}

/** @param {Session} session */
async function sendTextParameters(session) {
	const { page, url, observations } = session;
	const { creator, ndv } = panels(page);
	const started = Date.now();
	/** @type {Record<string, number>} seconds from the start of the step to the end of each part */
	const timings = {};
	/** @param {string} part */
	const mark = (part) => void (timings[part] = (Date.now() - started) / 1000);

	// A new workflow (leaving the example of step 9).
	await openNewWorkflow(page, url);
	mark('new workflow');

	// The nodes panel: the node's actions include Send Text's.
	await (await need(page.locator(byTestId('node-creator-plus-button')), 'the nodes panel button')).click();
	await (await need(page.locator('input[placeholder="Search nodes..."]'), 'the nodes panel search box')).fill('Hypersender');
	/** @param {string} name an entry of the nodes panel, by its exact name */
	const entry = (name) =>
		creator
			.locator(byTestId('item-iterator-item'))
			.filter({ has: page.locator(byTestId('node-creator-item-name'), { hasText: exactly(name) }) });
	await (await need(entry(NODE_DISPLAY_NAME), `a "${NODE_DISPLAY_NAME}" entry in the nodes panel`)).click();
	await openActions(page);
	await need(entry(ACTION_NAME), `the "${ACTION_NAME}" action in the Hypersender actions list`);
	const actionNames = creator.locator(
		`${byTestId('item-iterator-item')}[data-keyboard-nav-type="action"][data-keyboard-nav-id^="${NODE_TYPE}"] ${byTestId('node-creator-item-name')}`,
	);
	const actions = (await actionNames.allInnerTexts()).map((text) => text.trim());
	assert(actions.includes(SEND_TEXT_ACTION), `the Hypersender actions list lacks "${SEND_TEXT_ACTION}" (it lists: ${actions.map((name) => `"${name}"`).join(', ')})`);
	await need(entry(SEND_TEXT_ACTION), `the "${SEND_TEXT_ACTION}" action, visible in the actions list`);
	const sendTextIcon = await entry(SEND_TEXT_ACTION).first().locator('img').first().getAttribute('src').catch(() => null);
	assert(sendTextIcon && /hypersender\.svg$/.test(sendTextIcon), `the "${SEND_TEXT_ACTION}" action has no Hypersender icon (${sendTextIcon})`);
	// Listed in the Message group (n8n 2.41 heads each resource's actions "<Resource> actions").
	const panelText = (await creator.innerText()).trim();
	const lower = panelText.toLowerCase();
	const [group, action, nextGroup] = ['message actions', SEND_TEXT_ACTION.toLowerCase(), 'queued request actions'].map((text) => lower.indexOf(text));
	assert(group !== -1 && group < action && (nextGroup === -1 || action < nextGroup), `"${SEND_TEXT_ACTION}" is not listed under "Message actions": ${panelText}`);
	mark('nodes panel');

	// Open the node by its Contact action, then switch it to Message › Send Text.
	await entry(ACTION_NAME).first().click();
	await need(ndv, 'the node details view after adding the node');
	const resourceBefore = await (await need(ndv.locator(`${byTestId('parameter-input-resource')} input`), 'the Resource parameter')).inputValue();
	assert(resourceBefore === 'Contact', `Resource shows "${resourceBefore}" for "${ACTION_NAME}", expected "Contact"`);
	const resources = await choose(page, ndv, 'resource', 'Message');
	await gone(ndv.locator(byTestId('parameter-input-returnAll')), 'Get Many\'s Return All after switching the Resource to Message');
	const operations = await choose(page, ndv, 'operation', 'Send Text');
	assert(operations.includes('Send Image') && operations.includes('Send Poll'), `the Message operations lack Send Image or Send Poll: ${operations.join(', ')}`);
	mark('resource and operation');

	// Send Text's parameters, each with its label and a description tooltip.
	/** @type {Record<string, { label: string, hint: string | null }>} */
	const parameters = {};
	for (const [name, label] of Object.entries(SEND_TEXT_PARAMS)) {
		await need(ndv.locator(byTestId(`parameter-input-${name}`)), `Send Text's ${label} parameter (${name})`);
		const labelRow = parameterLabel(page, name);
		const shown = (await labelRow.innerText()).split('\n')[0].trim();
		assert(shown.startsWith(label), `the ${name} parameter is labelled "${shown}", expected "${label}"`);
		parameters[name] = { label: shown, hint: await tooltipOf(page, labelRow) };
		assert(parameters[name].hint, `Send Text's ${label} parameter has no description tooltip`);
	}
	mark('parameters');
	const chatIdPlaceholder = await ndv.locator(`${byTestId('parameter-input-chatId')} input`).first().getAttribute('placeholder').catch(() => null);

	// The Options collection offers Safe Mode and Wait for Result; added, they show their defaults.
	const addOption = await need(ndv.locator(byTestId('collection-parameter-add')), 'Send Text\'s Options collection ("Add option")');
	await addOption.click();
	await need(page.locator(byTestId('collection-parameter-option')), 'the entries of the Options dropdown');
	const optionsOffered = (await page.locator(`${byTestId('collection-parameter-option')}:visible`).allInnerTexts()).map((text) => text.trim());
	await page.keyboard.press('Escape');
	for (const { label } of SEND_TEXT_OPTIONS) {
		assert(optionsOffered.includes(label), `Send Text's Options do not offer "${label}" (they offer: ${optionsOffered.join(', ')})`);
	}
	/** @type {Record<string, { on: boolean, hint: string | null }>} */
	const options = {};
	for (const { label, name, on } of SEND_TEXT_OPTIONS) {
		await ndv.locator(byTestId('collection-parameter-add')).click();
		const option = page.locator(`${byTestId('collection-parameter-option')}:visible`).filter({ hasText: exactly(label) });
		await (await need(option, `"${label}" in the Options dropdown`)).click();
		const isOn = await switchIsOn(ndv, name);
		assert(isOn === on, `the ${label} option is ${isOn ? 'on' : 'off'} when added, expected ${on ? 'on' : 'off'}`);
		options[name] = { on: isOn, hint: await tooltipOf(page, parameterLabel(page, name)) };
		assert(options[name].hint, `the ${label} option has no description tooltip`);
	}
	mark('options');
	await session.shot('send-text-parameters');
	observations.message = {
		actions,
		actionsPanel: panelText,
		resources,
		operations,
		parameters,
		chatIdPlaceholder,
		optionsOffered,
		options,
		timings,
	};
}

module.exports = {
	steps: [
		{
			title: `Message: "${SEND_TEXT_ACTION}" in the nodes panel; Resource Message, Operation Send Text: Chat ID, Text, Options (Safe Mode, Wait for Result)`,
			run: sendTextParameters,
		},
	],
};
