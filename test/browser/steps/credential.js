// @ts-check
'use strict';
// Step 5: a credential made from the node's "Connect to Hypersender": the dialog's fields and
// hints, a wrong token's failed test, the right token's successful one.
const { DEFAULT_INSTANCE, assert } = require('../session');
const { byTestId, gone, need, panels, tooltipOf } = require('../ui');
const { WRONG_TOKEN } = require('./expected');

/** @typedef {import('../session').Session} Session */

/** @param {Session} session */
async function createCredential(session) {
	const { page, sandbox, observations } = session;
	const { ndv, modal } = panels(page);
	const emptyState = ndv.locator(`${byTestId('node-credentials-empty-state')} button`);
	const connectText = (await (await need(emptyState, 'the credential selector ("Connect to …" button) in the node')).innerText()).trim();
	await emptyState.click();
	await need(modal, 'the credential dialog');
	const header = (await modal.locator('.el-dialog__header, header').first().innerText().catch(() => '')).trim();
	/** @type {Record<string, string>} */
	const fieldLabels = {};
	/** @type {Record<string, string | null>} */
	const fieldHints = {};
	for (const field of ['apiToken', 'instanceId', 'baseUrl']) {
		const label = await need(modal.locator(byTestId(field)), `the ${field} field label in the credential dialog`);
		fieldLabels[field] = (await label.innerText()).split('\n')[0].trim();
		fieldHints[field] = await tooltipOf(page, label);
		assert(fieldHints[field], `the credential field ${fieldLabels[field]} has no description tooltip`);
	}
	const baseUrlDefault = await modal.locator(`${byTestId('parameter-input-baseUrl')} input`).inputValue();
	const instancePlaceholder = await modal.locator(`${byTestId('parameter-input-instanceId')} input`).getAttribute('placeholder');
	const docsLinks = await modal
		.locator('a[href^="http"]')
		.evaluateAll((links) => links.map((a) => ({ text: /** @type {HTMLAnchorElement} */ (a).innerText.trim(), href: /** @type {HTMLAnchorElement} */ (a).href })));

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
	await session.shot('credential-wrong-token');
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
	await session.shot('credential-success');
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
}

module.exports = {
	steps: [{ title: 'credential from the node: wrong token fails clearly, right token tests successfully', run: createCredential }],
};
