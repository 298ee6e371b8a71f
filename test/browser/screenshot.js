// @ts-check
'use strict';
// The editor screenshot the README shows (test/browser/screenshot-editor.png, rewritten with
// --update-screenshot): small enough to commit.
const fs = require('node:fs');
const path = require('node:path');

/** @typedef {import('playwright-core').Page} Page */

const COMMITTED_SCREENSHOT = path.join(__dirname, 'screenshot-editor.png');
const MAX_COMMITTED_SCREENSHOT_BYTES = 150 * 1024;

/**
 * Saves a PNG of `clip` no larger than 150 KB: shrinks it in the browser (canvas) until it fits.
 * @param {Page} page
 * @param {string} file
 * @param {{ x: number, y: number, width: number, height: number }} [clip]
 * @returns {Promise<number>} its size in bytes
 */
async function saveSmallScreenshot(page, file, clip) {
	await page.mouse.move(2, 2); // no hover highlight in the table
	await page.waitForTimeout(200);
	const png = await page.screenshot({ clip: clip ?? undefined });
	let best = png;
	// Some headroom under the limit: the same view is a few KB larger or smaller from run to run.
	for (const scale of [0.85, 0.75, 0.65, 0.5, 0.4]) {
		if (best.length <= MAX_COMMITTED_SCREENSHOT_BYTES - 20 * 1024) break;
		const dataUrl = await page.evaluate(
			async ({ src, scale }) => {
				const img = new Image();
				img.src = src;
				await img.decode();
				const canvas = document.createElement('canvas');
				canvas.width = Math.round(img.width * scale);
				canvas.height = Math.round(img.height * scale);
				const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
				context.imageSmoothingQuality = 'high';
				context.drawImage(img, 0, 0, canvas.width, canvas.height);
				return canvas.toDataURL('image/png');
			},
			{ src: `data:image/png;base64,${png.toString('base64')}`, scale },
		);
		best = Buffer.from(dataUrl.split(',')[1], 'base64');
	}
	if (best.length > MAX_COMMITTED_SCREENSHOT_BYTES) throw new Error(`could not shrink the screenshot below 150 KB (${best.length} bytes)`);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, best);
	return best.length;
}

module.exports = { COMMITTED_SCREENSHOT, MAX_COMMITTED_SCREENSHOT_BYTES, saveSmallScreenshot };
