// @ts-check
'use strict';
// Numbers for the tables: medians, ratios, MB, and the way every figure is printed.

/**
 * The median of the finite numbers among `values` (undefined when there are none).
 * @param {unknown[]} values
 * @returns {number | undefined}
 */
function median(values) {
	const sorted = /** @type {number[]} */ (values.filter((value) => typeof value === 'number' && Number.isFinite(value))).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** @param {number | undefined} bytes */
const mb = (bytes) => (typeof bytes === 'number' ? bytes / (1024 * 1024) : undefined);

/**
 * A figure with thousands separators and `digits` decimals; 'n/a' when there is none.
 * @param {number | undefined | null} value
 * @param {number} [digits]
 */
const fmt = (value, digits = 0) =>
	typeof value === 'number' && Number.isFinite(value)
		? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
		: 'n/a';

/**
 * a / b, undefined unless both are numbers and b > 0.
 * @param {number | undefined} a
 * @param {number | undefined} b
 */
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : undefined);

module.exports = { median, mb, fmt, ratio };
