// @ts-check
'use strict';
// Small helpers over playwright's page for n8n's editor: waiting with errors that say what is
// missing, data-test-id selectors, parameter labels and their description tooltips.

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

const UI_TIMEOUT_MS = 15000;

/** @param {string} id */
const byTestId = (id) => `[data-test-id="${id}"]`;

/** A RegExp matching exactly `text`. @param {string} text */
function exactly(text) {
	return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Waits until `locator` is visible; the error names what is missing and the selector.
 * @param {Locator} locator
 * @param {string} what
 * @returns {Promise<Locator>} its first match
 */
async function need(locator, what, timeout = UI_TIMEOUT_MS) {
	try {
		await locator.first().waitFor({ state: 'visible', timeout });
	} catch {
		throw new Error(`missing: ${what} (nothing visible matched ${locator} within ${timeout} ms)`);
	}
	return locator.first();
}

/**
 * Waits until `locator` is hidden.
 * @param {Locator} locator
 * @param {string} what
 */
async function gone(locator, what, timeout = UI_TIMEOUT_MS) {
	try {
		await locator.first().waitFor({ state: 'hidden', timeout });
	} catch {
		throw new Error(`still visible: ${what} (${locator})`);
	}
}

/**
 * The tooltip (parameter description) of an n8n input label: hovers the label, then its
 * "?" icon, and reads the tooltip. Resolves to the text, or null when the label has no help.
 * @param {Page} page
 * @param {Locator} label
 * @returns {Promise<string | null>}
 */
async function tooltipOf(page, label) {
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

/**
 * The label row of the node parameter `name` in the NDV.
 * @param {Page} page
 * @param {string} name
 */
function parameterLabel(page, name) {
	return page
		.locator(byTestId('parameter-item'))
		.filter({ has: page.locator(byTestId(`parameter-input-${name}`)) })
		.last()
		.locator(byTestId('input-label'))
		.first();
}

/**
 * Opens a node's "Actions (N)" section in the nodes panel when it is folded: in an empty workflow
 * the panel offers triggers first, so for Hypersender (which has the Hypersender Trigger) it lists
 * the trigger events and folds the actions under them.
 * @param {Page} page
 */
async function openActions(page) {
	const folded = panels(page).creator.locator(
		`[data-category-collapsed="true"] > ${byTestId('node-creator-category-item')}[data-keyboard-nav-id="Actions"]`,
	);
	if ((await folded.count()) > 0) await folded.first().click();
}

/**
 * Opens a new, empty workflow, leaving an unsaved one without the browser's "leave page?", and
 * waits for its canvas (not for the page's load event).
 * @param {Page} page
 * @param {string} url the editor's address
 */
async function openNewWorkflow(page, url) {
	/** @param {import('playwright-core').Dialog} dialog */
	const leave = (dialog) => void (dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss()).catch(() => {});
	page.on('dialog', leave);
	try {
		await page.goto(`${url}/workflow/new`, { waitUntil: 'domcontentloaded' });
	} finally {
		page.off('dialog', leave);
	}
	await need(page.locator(byTestId('canvas')), 'the workflow canvas');
}

/**
 * The editor's panels: the nodes panel (node creator), the node details view, the credential
 * dialog and the NDV's output panel.
 * @param {Page} page
 */
function panels(page) {
	return {
		creator: page.locator(byTestId('node-creator')),
		ndv: page.locator(byTestId('ndv')),
		modal: page.locator(byTestId('editCredential-modal')),
		output: page.locator(byTestId('output-panel')),
	};
}

module.exports = { UI_TIMEOUT_MS, byTestId, exactly, need, gone, tooltipOf, parameterLabel, panels, openActions, openNewWorkflow };
