// @ts-check
'use strict';
// Step 11: the Hypersender Trigger in the editor. In a new workflow the nodes panel's search lists
// the node with its eight trigger events ("On message any", …) beside the Contact Trigger; "On
// message any" adds the trigger, whose panel shows the Webhook URLs section (Test URL and
// Production URL, both .../<webhookId>/webhook on this n8n), the setup notice that says to paste
// the Production URL into the dashboard, and the security notice about the Webhook Secret.
const { PACKAGE_NAME } = require('../../../scripts/fixtures');
const { assert } = require('../session');
const { byTestId, exactly, need, openNewWorkflow, panels } = require('../ui');
const { NODE_DISPLAY_NAME } = require('./expected');

/** @typedef {import('../session').Session} Session */

const TRIGGER_TYPE = `${PACKAGE_NAME}.hypersenderTrigger`;
const TRIGGER_DISPLAY_NAME = 'Hypersender Trigger';
const CONTACT_TRIGGER_DISPLAY_NAME = 'Hypersender Contact Trigger';
/** The trigger events n8n lists for the node, in the node's order. */
const TRIGGER_ACTIONS = [
	'On message any',
	'On message ack',
	'On message reaction',
	'On message revoked',
	'On message waiting',
	'On poll vote',
	'On poll vote failed',
	'On presence update',
	'On SMS phone missed call',
	'On SMS phone heartbeat disabled',
	'On SMS phone heartbeat missed',
	'On SMS phone heartbeat',
	'On SMS delivered',
	'On SMS expired',
	'On SMS failed',
	'On SMS received',
	'On SMS scheduled',
	'On SMS sent',
	'On SMS phone offline',
	'On SMS phone online',
];
const SECURITY_NOTICE = 'Without a secret, anyone who learns this URL can start the workflow';
const SETUP_NOTICE = 'Copy the Production URL above (Webhook URLs) into the Hypersender dashboard';

/** @param {Session} session */
async function triggerPanel(session) {
	const { page, url, observations } = session;
	const { creator, ndv } = panels(page);

	// A new workflow (leaving step 10's unsaved one).
	await openNewWorkflow(page, url);

	// The nodes panel of an empty workflow offers triggers: the node (its trigger events) and the Contact Trigger.
	await (await need(page.locator(byTestId('node-creator-plus-button')), 'the nodes panel button')).click();
	await (await need(page.locator('input[placeholder="Search nodes..."]'), 'the nodes panel search box')).fill('Hypersender');
	/** @param {string | RegExp} name an entry of the nodes panel, by its name */
	const entry = (name) =>
		creator
			.locator(byTestId('item-iterator-item'))
			.filter({ has: page.locator(byTestId('node-creator-item-name'), { hasText: typeof name === 'string' ? exactly(name) : name }) });
	await need(entry(NODE_DISPLAY_NAME), `a "${NODE_DISPLAY_NAME}" entry among the triggers`);
	await need(entry(CONTACT_TRIGGER_DISPLAY_NAME), `a "${CONTACT_TRIGGER_DISPLAY_NAME}" entry among the triggers`);
	const results = (await creator.locator(byTestId('node-creator-item-name')).allInnerTexts()).map((text) => text.trim());
	await entry(NODE_DISPLAY_NAME).first().click();
	await need(entry(TRIGGER_ACTIONS[0]), `the "${TRIGGER_ACTIONS[0]}" trigger in the Hypersender panel`);
	const triggerNames = creator.locator(
		`${byTestId('item-iterator-item')}[data-keyboard-nav-id^="${TRIGGER_TYPE}-"] ${byTestId('node-creator-item-name')}`,
	);
	const triggers = (await triggerNames.allInnerTexts()).map((text) => text.trim());
	assert(
		JSON.stringify(triggers) === JSON.stringify(TRIGGER_ACTIONS),
		`the Hypersender panel lists the triggers ${JSON.stringify(triggers)}, expected ${JSON.stringify(TRIGGER_ACTIONS)}`,
	);
	const panelText = (await creator.innerText()).trim();

	// "On message any": the trigger node, its panel open.
	await entry(TRIGGER_ACTIONS[0]).first().click();
	await need(ndv, 'the node details view after adding the trigger');
	await need(page.locator(`${byTestId('canvas-node')}[data-node-type="${TRIGGER_TYPE}"]`), 'the Hypersender Trigger on the canvas', 5000).catch(() => {});
	const title = (await ndv.locator(byTestId('node-title-container')).innerText().catch(() => '')).trim();
	assert(title.startsWith(TRIGGER_DISPLAY_NAME), `the node details view is titled "${title}", expected "${TRIGGER_DISPLAY_NAME}"`);
	const events = (await (await need(ndv.locator(byTestId('parameter-input-events')), 'the Events parameter')).innerText()).trim();
	assert(events.includes('Message (Any)'), `Events shows "${events}", expected "Message (Any)"`);

	// Webhook URLs: collapsed at first; opened, the Test URL, then the Production URL.
	const headline = await need(ndv.locator('.webhooks .headline'), 'the "Webhook URLs" section of the trigger\'s panel');
	const headlineText = (await headline.innerText()).trim();
	assert(headlineText === 'Webhook URLs', `the webhook section is headed "${headlineText}", expected "Webhook URLs"`);
	await headline.click();
	const webhookUrl = ndv.locator('.webhooks .webhook-url').first();
	const testButton = await need(ndv.locator(`.webhooks ${byTestId('radio-button-test')}`), 'the "Test URL" switch');
	const productionButton = await need(ndv.locator(`.webhooks ${byTestId('radio-button-production')}`), 'the "Production URL" switch');
	const switches = [(await testButton.innerText()).trim(), (await productionButton.innerText()).trim()];
	assert(JSON.stringify(switches) === JSON.stringify(['Test URL', 'Production URL']), `the webhook section offers ${JSON.stringify(switches)}`);
	const testUrl = (await (await need(webhookUrl, 'the Test URL')).innerText()).trim();
	const method = (await ndv.locator('.webhooks .http-method').first().innerText().catch(() => '')).trim();
	await productionButton.click();
	await page
		.waitForFunction(() => /\/webhook\//.test(document.querySelector('[data-test-id="ndv"] .webhooks .webhook-url')?.textContent ?? ''), undefined, { timeout: 5000 })
		.catch(() => {});
	const productionUrl = (await webhookUrl.innerText()).trim();
	const testMatch = new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/webhook-test/([0-9a-f-]{36})/webhook$`).exec(testUrl);
	assert(testMatch, `the Test URL is "${testUrl}", expected ${url}/webhook-test/<webhookId>/webhook`);
	assert(
		productionUrl === `${url}/webhook/${testMatch[1]}/webhook`,
		`the Production URL is "${productionUrl}", expected ${url}/webhook/${testMatch[1]}/webhook`,
	);
	assert(method === 'POST', `the webhook's method shows "${method}", expected POST`);

	// The notices: where the Production URL goes, and what a missing secret means.
	const ndvText = await ndv.innerText();
	assert(ndvText.includes(SETUP_NOTICE), `the trigger's panel lacks the setup notice ("${SETUP_NOTICE}…")`);
	assert(ndvText.includes(SECURITY_NOTICE), `the trigger's panel lacks the security notice ("${SECURITY_NOTICE}")`);
	const notices = [...new Set((await ndv.locator('.notice').allInnerTexts()).map((text) => text.trim()))];
	await session.shot('trigger-webhook-urls');
	observations.trigger = { results, triggers, panelText, title, events, headline: headlineText, method, testUrl, productionUrl, notices };
}

module.exports = {
	steps: [
		{
			title: 'Trigger: "On message any" from the nodes panel; the panel shows the Webhook URLs (Test and Production URL) and the security notice',
			run: triggerPanel,
		},
	],
};
