// @ts-check
'use strict';
// Step 8: the node on the canvas after closing its details view, in light and dark color schemes.
const { assert } = require('../session');
const { byTestId, gone, need, panels } = require('../ui');
const { DEFAULT_LIMIT, NODE_TYPE } = require('./expected');

/** @typedef {import('../session').Session} Session */

/** @param {Session} session */
async function canvasNode(session) {
	const { page, observations } = session;
	const { ndv } = panels(page);
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
	await page.waitForFunction((img) => !!img && /** @type {HTMLImageElement} */ (img).complete, await darkIcon.elementHandle(), { timeout: 5000 }).catch(() => {});
	assert((await darkIcon.evaluate((img) => /** @type {HTMLImageElement} */ (img).naturalWidth)) > 0, 'the dark-theme icon did not load');
	const darkSrc = await darkIcon.getAttribute('src');
	await session.shot('canvas-dark');
	await page.emulateMedia({ colorScheme: 'light' });
	observations.canvasNode = { lines, icon, darkIcon: darkSrc };
	assert(observations.failedPackageRequests.length === 0, `the editor failed to load: ${observations.failedPackageRequests.join(', ')}`);
}

module.exports = {
	steps: [{ title: 'close the node: canvas node, subtitle, item count, light and dark icon', run: canvasNode }],
};
