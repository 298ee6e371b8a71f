// @ts-check
'use strict';
// Step 9: the example workflow examples/enrich-contacts.json in the editor: imported with its
// credential reference pointed at the credential of step 5, run with "Execute workflow", and the
// output of its last node ("Contact card") read in the table and binary views: the sandbox's
// first ten named phone contacts in ID order, each with its picture unless the contact hides
// it. The README's screenshot is taken here.
const fs = require('node:fs');
const { DEFAULT_INSTANCE, assert, rel } = require('../session');
const { byTestId, exactly, gone, need, panels } = require('../ui');
const { CREDENTIAL_TYPE, EXAMPLE_FILE, EXAMPLE_ITEMS, EXAMPLE_OUTPUT_NODE, isNamedPhoneContact } = require('./expected');

/** @typedef {import('../session').Session} Session */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** Wide enough for the input panel (a picture), the parameters and a four-column output table side by side. */
const SCREENSHOT_VIEWPORT = { width: 1600, height: 720 };
/** The input panel's width in the screenshot (its header fits from about 330 px). */
const INPUT_PANEL_WIDTH = 340;

/**
 * The example with its credential references pointed at `credential` (the file names the
 * credential `npm start` imports, which this n8n home does not have).
 * @param {{ id: string, name: string }} credential
 */
function exampleWorkflow(credential) {
	const workflow = JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8'));
	const withCredential = workflow.nodes.filter((/** @type {any} */ node) => node.credentials?.[CREDENTIAL_TYPE]);
	assert(withCredential.length > 0, `${rel(EXAMPLE_FILE)} has no node with a ${CREDENTIAL_TYPE} credential`);
	for (const node of withCredential) node.credentials[CREDENTIAL_TYPE] = { id: credential.id, name: credential.name };
	return workflow;
}

/**
 * The cells of a table column, by header text.
 * @param {Locator} table
 * @param {string[]} headers every header cell's text, in order
 * @param {string} column
 */
async function columnTexts(table, headers, column) {
	const index = headers.indexOf(column);
	assert(index !== -1, `the output table has no "${column}" column (columns: ${headers.filter(Boolean).join(', ')})`);
	return (await table.locator(`tbody tr td:nth-child(${index + 1})`).allInnerTexts()).map((text) => text.trim());
}

/**
 * Drags the node details view's middle panel so that the input panel is `width` px wide.
 * @param {Page} page
 * @param {Locator} ndv
 * @param {Locator} input
 * @param {number} width
 */
async function setInputPanelWidth(page, ndv, input, width) {
	const handle = await need(ndv.locator(byTestId('panel-drag-button')), 'the drag handle of the parameters panel');
	const [box, inputBox] = [await handle.boundingBox(), await input.boundingBox()];
	if (!box || !inputBox || Math.abs(inputBox.width - width) < 8) return;
	const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x + width - inputBox.width, y, { steps: 10 });
	await page.mouse.up();
	await page.mouse.move(2, 2);
}

/**
 * The sandbox's side of the run: the first ten named phone contacts in ID order (what the example
 * should give), no API error, a profile picture asked for each, a download (without the API token)
 * for each that shows one.
 * @param {Session['sandbox']} sandbox
 */
function checkSandboxCalls(sandbox) {
const expected = sandbox.expected(DEFAULT_INSTANCE, 'id', 'asc').filter(isNamedPhoneContact).slice(0, EXAMPLE_ITEMS);
assert(expected.length === EXAMPLE_ITEMS, `the sandbox has fewer than ${EXAMPLE_ITEMS} named phone contacts`);
const hidden = new Set(sandbox.hiddenPictures(DEFAULT_INSTANCE));
const withPicture = expected.filter((contact) => !hidden.has(contact.id));
const apiErrors = sandbox.requests.filter((r) => r.status !== 200);
assert(apiErrors.length === 0, `the sandbox answered with errors: ${JSON.stringify(apiErrors.map((r) => [r.path, r.status]))}`);
const pictureCalls = sandbox.requests.filter((r) => r.kind === 'api' && r.path.endsWith('/contacts/profile-picture')).map((r) => String(r.chat_id));
const expectedIds = expected.map((contact) => contact.id);
assert(
	JSON.stringify([...pictureCalls].sort()) === JSON.stringify([...expectedIds].sort()),
	`profile pictures asked for ${JSON.stringify(pictureCalls)}, expected ${JSON.stringify(expectedIds)}`,
);
const downloads = sandbox.pictureRequests;
assert(downloads.length === withPicture.length, `${downloads.length} picture downloads, expected ${withPicture.length} (the contacts that show theirs)`);
assert(downloads.every((r) => r.authorization === 'missing'), 'a picture download carried the API token to the picture CDN');
	return { expected, hidden, withPicture, downloads };
}

/**
 * The output's Binary view: one picture (`data`, an image) for each contact that shows theirs,
 * none for the others; its View shows the picture itself.
 * @param {Session['page']} page
 * @param {ReturnType<typeof panels>['output']} output
 * @param {Array<{ id: string }>} withPicture
 */
async function checkBinaryView(page, output, withPicture) {
await output.locator(byTestId('radio-button-binary')).click();
const cards = output.locator('[data-test-id^="ndv-binary-data_"]');
await need(cards, 'the binary data of the output (Binary view)');
const binary = (await cards.allInnerTexts()).map((text) => {
	const field = (/** @type {string} */ label) => new RegExp(`${label}:\\s*(\\S+)`).exec(text)?.[1] ?? '';
	return { fileName: field('File Name'), mimeType: field('Mime Type') };
});
const fileIds = binary.map((file) => file.fileName.replace(/\.[a-z]+$/, ''));
const pictureIds = withPicture.map((contact) => contact.id.split('@')[0]);
assert(
	JSON.stringify(fileIds) === JSON.stringify(pictureIds),
	`the binary view lists pictures of ${JSON.stringify(fileIds)}, expected those of the contacts that show theirs: ${JSON.stringify(pictureIds)}`,
);
const notImage = binary.find((file) => !/^image\//.test(file.mimeType));
assert(!notImage, `the binary data ${notImage?.fileName} is "${notImage?.mimeType}", not an image`);
// Its View shows the picture itself.
await cards.first().locator(byTestId('ndv-view-binary-data')).click();
const picture = await need(output.locator('.binary-data-window img'), 'the first picture, opened with "View"');
await page.waitForFunction((img) => !!img && /** @type {HTMLImageElement} */ (img).complete, await picture.elementHandle(), { timeout: 5000 }).catch(() => {});
const pictureSize = await picture.evaluate((img) => [/** @type {HTMLImageElement} */ (img).naturalWidth, /** @type {HTMLImageElement} */ (img).naturalHeight]);
assert(pictureSize[0] > 0 && pictureSize[1] > 0, 'the first picture did not load in the editor');
await output.locator('.binary-data-window-back').click();
await gone(output.locator('.binary-data-window'), 'the picture view after "Back to list"');
	return { binary, pictureSize };
}

/**
 * Opens `url` in the editor's page at the screenshot's size, leaving the current (unsaved)
 * workflow without the browser's "leave page?".
 * @param {Session} session @param {string} url
 */
async function openLeavingUnsaved(session, url) {
	const { page } = session;
	/** @param {import('playwright-core').Dialog} dialog */
	const leave = (dialog) => void (dialog.type() === 'beforeunload' ? dialog.accept() : dialog.dismiss()).catch(() => {});
	page.on('dialog', leave);
	try {
		await page.setViewportSize(SCREENSHOT_VIEWPORT);
		await page.goto(url);
	} finally {
		page.off('dialog', leave);
	}
}

/** @param {Session} session */
async function runExample(session) {
	const { page, sandbox, observations } = session;
	const { ndv, output } = panels(page);
	const input = ndv.locator(byTestId('ndv-input-panel'));

	// The credential of step 5, which points at the sandbox, stands in for the example's.
	const credentials = /** @type {Array<{ id: string, name: string, type: string }>} */ (await session.rest('GET', '/rest/credentials'));
	const ours = credentials.filter((credential) => credential.type === CREDENTIAL_TYPE);
	const credential = ours.find((c) => c.name === observations.credential?.selectedInNode) ?? ours[0];
	assert(credential, `n8n has no ${CREDENTIAL_TYPE} credential (step 5 makes one); it has: ${JSON.stringify(credentials)}`);
	const workflow = exampleWorkflow(credential);
	const saved = await session.rest('POST', '/rest/workflows', workflow);
	assert(saved?.id, `POST /rest/workflows gave no workflow id: ${JSON.stringify(saved).slice(0, 300)}`);

	// Open it (the workflow of steps 2-8 is unsaved: leave it without the browser's "leave page?").
	await openLeavingUnsaved(session, `${session.url}/workflow/${saved.id}`);
	const nodeNames = workflow.nodes.filter((/** @type {any} */ node) => !/stickyNote$/.test(node.type)).map((/** @type {any} */ node) => node.name);
	/** @param {string} name */
	const canvasNode = (name) => page.locator(`${byTestId('canvas-node')}[data-node-name="${name}"]`);
	for (const name of nodeNames) await need(canvasNode(name), `the example's node "${name}" on the canvas`);

	// Execute workflow: every node ends green, the last one with 10 items.
	sandbox.resetRequests();
	await (await need(page.locator(byTestId('execute-workflow-button')), 'the "Execute workflow" button')).click();
	const toast = await need(
		page.locator('.el-notification').filter({ hasText: /executed successfully|Problem in node|failed|error/i }),
		'a notification that the run ended',
		60000,
	);
	const toastText = (await toast.innerText()).trim();
	assert(/Workflow executed successfully/.test(toastText), `the run ended with "${toastText.replace(/\s+/g, ' ')}"`);
	/** @type {Record<string, string>} */
	const statuses = {};
	for (const name of nodeNames) {
		const status = canvasNode(name).locator('[data-test-id^="canvas-node-status-"]').first();
		statuses[name] = ((await status.getAttribute('data-test-id').catch(() => null)) ?? 'none').replace('canvas-node-status-', '');
	}
	const notGreen = Object.entries(statuses).filter(([, status]) => status !== 'success');
	assert(notGreen.length === 0, `nodes not marked successful after the run: ${notGreen.map(([name, status]) => `${name} (${status})`).join(', ')}`);
	const last = canvasNode(EXAMPLE_OUTPUT_NODE);
	await need(last.getByText(exactly(`${EXAMPLE_ITEMS} items`)), `"${EXAMPLE_ITEMS} items" on the canvas node "${EXAMPLE_OUTPUT_NODE}"`);
	await toast.locator('.el-notification__closeBtn').click({ timeout: 2000 }).catch(() => {}); // out of the screenshot

	// What the example should give: the first ten named phone contacts in ID order.
	const { expected, hidden, withPicture, downloads } = checkSandboxCalls(sandbox);

	// The "Contact card" node's output, table view.
	await last.dblclick();
	await need(ndv, `the node details view of "${EXAMPLE_OUTPUT_NODE}"`);
	await need(output.locator(byTestId('node-run-status-success')), 'the success status in the output panel');
	const count = (await (await need(output.locator(byTestId('ndv-items-count')), 'the item count of the output')).innerText()).trim();
	assert(count === `${EXAMPLE_ITEMS} items`, `the output shows "${count}", expected "${EXAMPLE_ITEMS} items"`);
	await (await need(output.locator(byTestId('radio-button-table')), 'the Table view switch of the output panel')).click();
	const table = await need(output.locator(`${byTestId('ndv-data-container')} table`), 'the output table');
	await page
		.waitForFunction(({ el, n }) => !!el && el.querySelectorAll('tbody tr').length === n, { el: await table.elementHandle(), n: EXAMPLE_ITEMS }, { timeout: 5000 })
		.catch(() => {});
	const headers = (await table.locator('thead th').allInnerTexts()).map((text) => text.trim());
	const ids = await columnTexts(table, headers, 'chatId');
	const names = await columnTexts(table, headers, 'name');
	const phones = await columnTexts(table, headers, 'phone');
	const urls = await columnTexts(table, headers, 'profilePictureUrl');
	assert(ids.length === EXAMPLE_ITEMS, `the table shows ${ids.length} rows, expected ${EXAMPLE_ITEMS}`);
	const blank = names.findIndex((name) => !name || name === 'empty' || name === 'undefined' || name === 'null');
	assert(blank === -1, `row ${blank + 1} has no name ("${names[blank]}")`);
	expected.forEach((contact, index) => {
		const row = `row ${index + 1}`;
		assert(ids[index] === contact.id, `${row} shows chatId "${ids[index]}", the sandbox's next named phone contact is ${contact.id}`);
		assert(names[index] === String(contact.name).trim(), `${row} (${contact.id}) shows the name "${names[index]}", the sandbox has "${contact.name}"`);
		assert(phones[index] === `+${contact.id.split('@')[0]}`, `${row} (${contact.id}) shows the phone "${phones[index]}"`);
		const shown = hidden.has(contact.id) ? urls[index] === 'null' : /^https?:\/\//.test(urls[index]);
		assert(shown, `${row} (${contact.id}, picture ${hidden.has(contact.id) ? 'hidden' : 'shown'}) has profilePictureUrl "${urls[index]}"`);
	});

	// Binary view: one picture (`data`, an image) for each contact that shows theirs, none for the others.
	const { binary, pictureSize } = await checkBinaryView(page, output, withPicture);

	// The screenshot: the input panel showing the first contact's picture, the node's fields, and
	// the output table with its rows collapsed to one line each (the picture URLs cut short).
	await setInputPanelWidth(page, ndv, input, INPUT_PANEL_WIDTH);
	await output.locator(byTestId('radio-button-table')).click();
	const nameHeader = await need(table.locator('thead th').filter({ hasText: exactly('name') }), 'the "name" column header');
	await nameHeader.hover();
	await nameHeader.locator('button').first().click();
	await (await need(input.locator(byTestId('radio-button-binary')), 'the Binary view switch of the input panel')).click();
	await (await need(input.locator(byTestId('ndv-view-binary-data')), 'the "View" button of the first input picture')).click();
	await need(input.locator('.binary-data-window img'), 'the first contact\'s picture in the input panel');
	const nameCells = table.locator(`tbody tr td:nth-child(${headers.indexOf('name') + 1})`);
	// Each name on one line, whole (the name column keeps the width it had before collapsing).
	const brokenNames = await nameCells.evaluateAll((cells) =>
		cells.filter((cell) => {
			const range = document.createRange();
			range.selectNodeContents(cell);
			const lines = new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top)));
			return lines.size > 1 || cell.scrollWidth > cell.clientWidth + 1;
		}).length,
	);
	assert(brokenNames === 0, `${brokenNames} name cells are wrapped or cut off in the collapsed table`);
	const box = await ndv.boundingBox();
	assert(box, 'the node details view has no bounding box');
	observations.example = {
		workflow: { file: rel(EXAMPLE_FILE), id: saved.id, name: saved.name, credential: credential.name },
		run: toastText,
		nodeStatuses: statuses,
		itemsCount: count,
		columns: headers.filter(Boolean),
		rows: expected.map((contact, index) => ({ chatId: ids[index], name: names[index], phone: phones[index], picture: !hidden.has(contact.id) })),
		binary,
		firstPicture: { width: pictureSize[0], height: pictureSize[1] },
		requests: { api: sandbox.requests.filter((r) => r.kind === 'api').length, pictureDownloads: downloads.length },
	};
	observations.screenshot = rel(await session.saveEditorScreenshot(box));
}

module.exports = {
	steps: [
		{
			title: `example "Enrich contacts with profile pictures": Execute workflow, ${EXAMPLE_ITEMS} named contacts with their pictures`,
			run: runExample,
		},
	],
};
