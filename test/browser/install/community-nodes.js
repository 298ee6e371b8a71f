// @ts-check
'use strict';
// n8n's Settings → Community nodes page (n8n 2.41.1): reaching it through the sidebar, its empty
// state, the package cards, the confirm dialogs and the toasts.
const { assert } = require('./session');
const { byTestId, exactly, need } = require('../ui');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** The texts n8n 2.41.1 shows (its en locale), which the steps wait for. */
const TEXT = {
	pageTitle: 'Community nodes',
	emptyTitle: 'Supercharge your workflows with community nodes',
	emptyButton: 'Install a community node',
	installModalTitle: 'Install community nodes',
	packageNameLabel: 'npm Package Name',
	riskCheckbox: 'I understand the risks of installing unverified code from a public source.',
	installButton: 'Install',
	installed: 'Package installed',
	installError: 'Error installing new package',
	updateButton: 'Update',
	updateTooltip: 'A newer version is available',
	upToDateTooltip: 'You are up to date',
	updateModalTitle: 'Update node package',
	confirmUpdate: 'Confirm update',
	updated: 'Package updated',
	updateError: 'Problem updating package',
	uninstallAction: 'Uninstall package',
	uninstallModalTitle: 'Uninstall node package',
	confirmUninstall: 'Confirm uninstall',
	uninstalled: 'Package uninstalled',
	uninstallError: 'Problem uninstalling package',
};

/**
 * Opens Settings → Community nodes the way a user does: the settings button at the bottom of the
 * sidebar, then "Community nodes" in its menu. Waits until the page has loaded its packages (the
 * empty state or at least one card, not the loading skeletons).
 * @param {Page} page
 * @param {string} url the editor's address
 */
async function openCommunityNodes(page, url) {
	if (!/\/home\/workflows/.test(page.url())) {
		await page.goto(`${url}/home/workflows`, { waitUntil: 'domcontentloaded' });
	}
	await (await need(page.locator(byTestId('main-sidebar-settings')), 'the settings button at the bottom of the sidebar')).click();
	await (await need(page.locator(byTestId('settings-community-nodes')), 'the "Community nodes" entry of the settings menu')).click();
	await page.waitForURL(/\/settings\/community-nodes/, { timeout: 15000 });
	await waitForPackages(page);
	// n8n sets the tab's title once the page has mounted.
	const titled = await page.waitForFunction((wanted) => document.title.includes(wanted), TEXT.pageTitle, { timeout: 10000 }).then(() => true, () => false);
	assert(titled, `the page is titled "${await page.title()}", expected "${TEXT.pageTitle}"`);
}

/**
 * Waits until the page shows its empty state or a loaded package card.
 * @param {Page} page
 */
async function waitForPackages(page, timeout = 60000) {
	const loaded = page.locator(`${byTestId('community-package-card')}:has-text("${'n8n-nodes-'}"), :text("${TEXT.emptyTitle}")`);
	await need(loaded, 'the list of installed community packages (or its empty state)', timeout);
}

/**
 * The card of `packageName` on the Community nodes page.
 * @param {Page} page
 * @param {string} packageName
 */
function packageCard(page, packageName) {
	return page.locator(byTestId('community-package-card')).filter({ hasText: packageName });
}

/**
 * What a package card shows: name, "3 nodes: …", "vX.Y.Z", an Update button or the up-to-date icon.
 * @param {Locator} card
 * @returns {Promise<{ text: string, name: string, nodes: string, version: string, updateButton: boolean }>}
 */
async function readCard(card) {
	const text = (await card.innerText()).replace(/\u00a0/g, ' ');
	const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
	const version = lines.find((line) => /^v\d+\.\d+\.\d+/.test(line)) ?? '';
	const updateButton = await card.getByRole('button', { name: exactly(TEXT.updateButton) }).isVisible().catch(() => false);
	return { text: lines.join(' | '), name: lines[0] ?? '', nodes: lines.find((line) => /\bnodes?:/.test(line)) ?? '', version, updateButton };
}

/**
 * Waits for a toast whose title is one of `titles` and returns its title and message; the first
 * title is the one the caller hopes for, the others are the errors it may get instead.
 * @param {Page} page
 * @param {string[]} titles
 * @param {number} timeout
 * @returns {Promise<{ title: string, message: string }>}
 */
async function waitForToast(page, titles, timeout) {
	const toast = page.locator('.el-notification:visible').filter({ has: page.locator('h2', { hasText: new RegExp(`^(${titles.map(escape).join('|')})$`) }) });
	await need(toast, `a toast saying ${titles.map((title) => `"${title}"`).join(' or ')}`, timeout);
	const first = toast.first();
	const title = (await first.locator('h2').innerText()).trim();
	const message = (await first.locator('.el-notification__content, p').first().innerText().catch(() => '')).trim();
	return { title, message };
}

/** @param {string} text */
function escape(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Closes every visible toast (they would cover the next screenshot's corner).
 * @param {Page} page
 */
async function closeToasts(page) {
	const closers = page.locator('.el-notification:visible .el-notification__closeBtn');
	for (let i = await closers.count(); i > 0; i -= 1) await closers.first().click().catch(() => {});
}

/**
 * The workflows the update/uninstall confirm dialog lists as affected, once it lists `expected`
 * (n8n loads that table after opening the dialog).
 * @param {Locator} dialog
 * @param {string} expected a workflow name the table must show
 */
async function affectedWorkflows(dialog, expected) {
	const rows = dialog.locator('tbody tr td:first-child');
	await need(rows.filter({ hasText: exactly(expected) }), `the workflow "${expected}" in the dialog's list of affected workflows`, 20000).catch(async (error) => {
		const listed = (await rows.allInnerTexts()).map((text) => text.trim()).filter(Boolean);
		throw new Error(`${error.message}; it lists: ${listed.join(', ') || 'nothing'}`);
	});
	return (await rows.allInnerTexts()).map((text) => text.trim()).filter(Boolean);
}

/**
 * The confirm dialog n8n opens for Update and Uninstall.
 * @param {Page} page
 * @param {string} title
 */
async function confirmDialog(page, title) {
	const dialog = page.locator(byTestId('communityPackageManageConfirm-modal'));
	await need(dialog, `the "${title}" dialog`);
	const heading = (await dialog.locator('h1').first().innerText()).trim();
	assert(heading === title, `the dialog is titled "${heading}", expected "${title}"`);
	return dialog;
}

module.exports = { TEXT, openCommunityNodes, waitForPackages, packageCard, readCard, waitForToast, closeToasts, affectedWorkflows, confirmDialog };
