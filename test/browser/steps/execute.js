// @ts-check
'use strict';
// Steps 6-7: executing the node from its details view: with the Instance ID option left empty
// (recorded), then filled: the 50 contacts in table view, compared with the sandbox's list.
const { DEFAULT_INSTANCE, assert } = require('../session');
const { byTestId, exactly, need, panels } = require('../ui');
const { DEFAULT_LIMIT } = require('./expected');

/** @typedef {import('../session').Session} Session */

/** @param {Session} session */
async function executeWithEmptyInstance(session) {
	const { page, sandbox, observations } = session;
	const { ndv, output } = panels(page);
	sandbox.resetRequests();
	await ndv.locator(byTestId('node-execute-button')).click();
	const error = output.locator(byTestId('node-error-message'));
	const status = output.locator(`${byTestId('node-run-status-success')}, ${byTestId('node-error-message')}`);
	await need(status, 'a result (success or error) in the output panel', 60000);
	/** @type {Record<string, unknown>} */
	const result = { requests: sandbox.requests.length };
	if (await error.isVisible().catch(() => false)) {
		result.error = (await error.innerText()).trim();
		result.description = (await output.locator(byTestId('node-error-description')).innerText().catch(() => '')).trim();
	} else {
		result.itemsCount = (await output.locator(byTestId('ndv-items-count')).innerText().catch(() => '')).trim();
	}
	observations.emptyInstanceOption = result;
}

/** @param {Session} session */
async function executeTable(session) {
	const { page, sandbox, observations } = session;
	const { ndv, output } = panels(page);
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
		await (await need(page.locator('.el-select-dropdown__item:visible', { hasText: exactly(String(DEFAULT_LIMIT)) }), `the page size option ${DEFAULT_LIMIT}`)).click();
	}
	const table = await need(output.locator(`${byTestId('ndv-data-container')} table`), 'the output table');
	const headers = (await table.locator('thead th').allInnerTexts()).map((text) => text.trim()).filter(Boolean);
	assert(headers[0] === 'id', `the first table column is "${headers[0]}", expected "id" (columns: ${headers.join(', ')})`);
	await page
		.waitForFunction(({ el, n }) => !!el && el.querySelectorAll('tbody tr').length === n, { el: await table.elementHandle(), n: DEFAULT_LIMIT }, { timeout: 5000 })
		.catch(() => {});
	const ids = (await table.locator('tbody tr td:first-child').allInnerTexts()).map((text) => text.trim());
	assert(ids.length === DEFAULT_LIMIT, `the table shows ${ids.length} rows, expected ${DEFAULT_LIMIT}`);
	const mismatch = ids.findIndex((id, index) => id !== expected[index].id);
	assert(mismatch === -1, `row ${mismatch + 1} shows "${ids[mismatch]}", the sandbox serves "${expected[mismatch]?.id}" there`);
	const known = expected.find((contact) => contact.name && /^[\x20-\x7e]+$/.test(contact.name)) ?? expected.find((contact) => contact.pushname);
	assert(known, 'the sandbox has no contact with a plain-ASCII name or a pushname among the first ones');
	const knownText = known.name || known.pushname || '';
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
}

module.exports = {
	steps: [
		{ title: 'execute with the Instance ID option added but left empty (records what the editor shows)', run: executeWithEmptyInstance },
		{ title: `execute: ${DEFAULT_LIMIT} contacts in table view, matching the sandbox`, run: executeTable },
	],
};
