// @ts-check
'use strict';
// The QR code an instance shows while it waits to be linked, as a PNG: a version 3 symbol (29x29
// modules) with the real function patterns (three finder patterns, timing patterns, the alignment
// pattern, the dark module) and random data modules, 8 pixels a module with a 4-module quiet zone.
// It looks like a WhatsApp linking code and decodes as a PNG, but scanning it links nothing.
const { randomBytes } = require('node:crypto');
const { encodePng } = require('./images');

const MODULES = 29;
const SCALE = 8;
const QUIET = 4;
/** The side of the PNG in pixels. */
const QR_PIXELS = (MODULES + 2 * QUIET) * SCALE;

/**
 * The symbol's modules (true = dark): function patterns fixed, data modules from `bits`.
 * @param {Buffer} bits at least 110 bytes of randomness
 * @returns {boolean[][]}
 */
function qrModules(bits) {
	/** @type {Array<Array<boolean | null>>} */
	const grid = Array.from({ length: MODULES }, () => new Array(MODULES).fill(null));
	/**
	 * A finder pattern (7x7 with its white separator) with its top-left corner at (x, y).
	 * @param {number} x
	 * @param {number} y
	 */
	const finder = (x, y) => {
		for (let dy = -1; dy <= 7; dy++) {
			for (let dx = -1; dx <= 7; dx++) {
				const row = y + dy;
				const col = x + dx;
				if (row < 0 || col < 0 || row >= MODULES || col >= MODULES) continue;
				const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
				grid[row][col] = ring !== 2 && ring !== 4;
			}
		}
	};
	finder(0, 0);
	finder(MODULES - 7, 0);
	finder(0, MODULES - 7);
	for (let i = 8; i < MODULES - 8; i++) {
		grid[6][i] = i % 2 === 0;
		grid[i][6] = i % 2 === 0;
	}
	// The alignment pattern of version 3, centred on (22, 22).
	for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) grid[22 + dy][22 + dx] = Math.max(Math.abs(dx), Math.abs(dy)) !== 1;
	grid[MODULES - 8][8] = true;
	let bit = 0;
	for (let row = 0; row < MODULES; row++) {
		for (let col = 0; col < MODULES; col++) {
			if (grid[row][col] !== null) continue;
			grid[row][col] = ((bits[(bit >> 3) % bits.length] >> (bit & 7)) & 1) === 1;
			bit++;
		}
	}
	return grid.map((row) => row.map((module) => module === true));
}

/**
 * A new QR-looking PNG (different every call), base64 without a `data:` prefix, as the API gives it.
 * @param {Buffer} [bits] the data modules' randomness (default: fresh random bytes)
 */
function qrCodePng(bits = randomBytes(128)) {
	const modules = qrModules(bits);
	const png = encodePng(QR_PIXELS, QR_PIXELS, (x, y) => {
		const col = Math.floor(x / SCALE) - QUIET;
		const row = Math.floor(y / SCALE) - QUIET;
		const dark = row >= 0 && col >= 0 && row < MODULES && col < MODULES && modules[row][col];
		return dark ? [0, 0, 0] : [255, 255, 255];
	});
	return png.toString('base64');
}

module.exports = { QR_MODULES: MODULES, QR_PIXELS, QR_QUIET_ZONE: QUIET, QR_SCALE: SCALE, qrCodePng, qrModules };
