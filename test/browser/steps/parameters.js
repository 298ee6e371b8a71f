// @ts-check
'use strict';
// Step 4: the action added to the canvas, its parameters, the Options collection, the tooltips.
const { assert } = require('../session');
const { byTestId, exactly, gone, need, panels, parameterLabel, tooltipOf } = require('../ui');
const { ACTION_NAME, DEFAULT_LIMIT, NODE_TYPE, OPTIONS_REQUIRED, OPTION_PARAMS } = require('./expected');

/** @typedef {import('../session').Session} Session */

/** @param {Session} session */
async function addAction(session) {
	const { page, observations } = session;
	const { creator, ndv } = panels(page);
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

	/** @type {Record<string, string | null>} */
	const hints = {};
	for (const name of ['returnAll', 'limit']) {
		hints[name] = await tooltipOf(page, parameterLabel(page, name));
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
		const entry = page.locator(`${byTestId('collection-parameter-option')}:visible`).filter({ hasText: exactly(name) });
		await (await need(entry, `"${name}" in the Options dropdown`)).click();
		await need(ndv.locator(byTestId(`parameter-input-${OPTION_PARAMS[name]}`)), `the ${name} option's input after adding it`);
	}
	for (const name of OPTIONS_REQUIRED) {
		const param = OPTION_PARAMS[name];
		hints[param] = await tooltipOf(page, parameterLabel(page, param));
		assert(hints[param], `the ${name} option has no description tooltip`);
	}
	/** @type {Record<string, string | null>} */
	const placeholders = {};
	for (const param of ['instanceId', 'offset']) {
		placeholders[param] = await ndv.locator(`${byTestId(`parameter-input-${param}`)} input`).first().getAttribute('placeholder').catch(() => null);
	}
	/** @type {Record<string, string>} */
	const defaults = {};
	for (const param of ['offset', 'sortBy', 'sortOrder']) {
		defaults[param] = await ndv.locator(`${byTestId(`parameter-input-${param}`)} input`).first().inputValue();
	}

	// Return All on hides Limit; off shows it again.
	const toggle = ndv.locator(`${byTestId('parameter-input-returnAll')} .el-switch`);
	await toggle.click();
	await gone(ndv.locator(byTestId('parameter-input-limit')), 'Limit after turning Return All on');
	await session.shot('return-all-on');
	await toggle.click();
	await need(ndv.locator(byTestId('parameter-input-limit')), 'Limit after turning Return All off again');
	observations.parameters = { ndvTitle: title, resource, operation, addOptionText, optionsOffered, hints, placeholders, defaults };
}

module.exports = {
	steps: [{ title: 'add the action: Return All, Limit, Options (Offset, Sort By, Sort Order, Instance ID), hints', run: addAction }],
};
