// @ts-check
'use strict';
// A table as aligned text (the printed report) or as markdown (bench-results/latest.md).

/** @typedef {import('./types').Table} Table */

/** @param {Table} table */
function textTable({ header, rows }) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
	const line = (/** @type {string[]} */ cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
	return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** @param {Table} table */
function markdownTable({ header, rows }) {
	const escape = (/** @type {string} */ cell) => String(cell).replace(/\|/g, '\\|');
	return [`| ${header.map(escape).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`)].join('\n');
}

/**
 * @param {Table} table
 * @param {boolean} markdown
 */
const renderTable = (table, markdown) => (markdown ? markdownTable(table) : textTable(table));

module.exports = { textTable, markdownTable, renderTable };
