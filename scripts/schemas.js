#!/usr/bin/env node
// @ts-check
'use strict';
// The output schemas n8n's editor shows before a node has run (its schema preview). Each operation
// declares its `outputSchema` in TypeScript beside its parameters; n8n reads them as JSON files from
// the installed package, at `<node dir>/__schema__/v<x.y.z>/<resource>/<operation>.json` (n8n-core's
// resolveOutputSchemaPath). The build (`build()` in scripts/dev.js) runs this after `n8n-node build`:
// it writes the compiled operation table's schemas into dist/. The source tree holds no JSON copy.
//
//   node scripts/schemas.js   (after tsc: dist/nodes/Hypersender/v1/actions/operations.js → dist/nodes/Hypersender/__schema__/v1.0.0/)
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** The node's folder in the build. */
const NODE_DIST_DIR = path.join(ROOT, 'dist', 'nodes', 'Hypersender');
/** The node's versions as n8n pads them (x.y.z), each with its compiled operation table, under the node's folder. */
const VERSIONS = [{ version: '1.0.0', table: 'v1/actions/operations.js' }];

/**
 * What the generator needs of a node version's operation table (nodes/Hypersender/execution/kinds.ts
 * OperationTable): each resource's operations, each with its output schema.
 * @typedef {{ resources: Record<string, { operations: Record<string, { outputSchema?: unknown }> }> }} OperationTable
 */

/** A resource or operation value, as a path segment: nothing that could leave its folder. */
const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * JSON as the schema files are written: tab-indented, one key a line, and an array of plain values
 * on one line (`"type": ["string", "null"]`, `"required": ["id"]`).
 * @param {unknown} value
 * @param {string} [indent]
 * @returns {string}
 */
function formatJson(value, indent = '') {
	if (value === null || typeof value !== 'object') return JSON.stringify(value);
	const inner = `${indent}\t`;
	if (Array.isArray(value)) {
		if (value.length === 0) return '[]';
		if (value.every((entry) => entry === null || typeof entry !== 'object')) return `[${value.map((entry) => JSON.stringify(entry)).join(', ')}]`;
		return `[\n${value.map((entry) => `${inner}${formatJson(entry, inner)}`).join(',\n')}\n${indent}]`;
	}
	const entries = Object.entries(value).filter(([, entry]) => entry !== undefined);
	if (entries.length === 0) return '{}';
	return `{\n${entries.map(([key, entry]) => `${inner}${JSON.stringify(key)}: ${formatJson(entry, inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * One schema file's text: the schema as formatJson writes it, and a final newline.
 * @param {unknown} schema
 */
function schemaText(schema) {
	return `${formatJson(schema)}\n`;
}

/**
 * The schema files of one node version, by path under `__schema__/v<version>/`: `<resource>/<operation>.json`.
 * @param {OperationTable} table
 * @returns {Map<string, string>}
 */
function schemaFiles(table) {
	/** @type {Map<string, string>} */
	const files = new Map();
	for (const [resource, { operations }] of Object.entries(table.resources)) {
		for (const [operation, { outputSchema }] of Object.entries(operations)) {
			if (!SEGMENT.test(resource) || !SEGMENT.test(operation)) throw new Error(`"${resource}/${operation}" is not a resource/operation path`);
			if (outputSchema === null || typeof outputSchema !== 'object') throw new Error(`${resource}/${operation} has no outputSchema`);
			files.set(`${resource}/${operation}.json`, schemaText(outputSchema));
		}
	}
	return files;
}

/**
 * Writes every operation's output schema of the table to `<dir>/__schema__/v<version>/<resource>/<operation>.json`,
 * after removing what that version's folder held (a removed or renamed operation leaves no stale
 * file). Other versions' folders stay. Returns the files written.
 * @param {OperationTable} table
 * @param {string} version the node version as n8n pads it: `1.0.0`
 * @param {string} dir the node's folder (the one with its .node.js)
 * @returns {string[]}
 */
function writeOutputSchemas(table, version, dir) {
	if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`version "${version}" is not x.y.z`);
	const files = schemaFiles(table);
	const versionDir = path.join(dir, '__schema__', `v${version}`);
	fs.rmSync(versionDir, { recursive: true, force: true });
	return [...files].map(([file, text]) => {
		const target = path.join(versionDir, file);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, text);
		return target;
	});
}

function main() {
	for (const { version, table } of VERSIONS) {
		const tableFile = path.join(NODE_DIST_DIR, table);
		if (!fs.existsSync(tableFile)) throw new Error(`${tableFile} is missing: compile the node first (npm run build)`);
		/** @type {{ operations: OperationTable }} */
		const compiled = require(tableFile);
		const written = writeOutputSchemas(compiled.operations, version, NODE_DIST_DIR);
		process.stderr.write(`[hypersender] output schemas: ${written.length} files in ${path.relative(ROOT, path.join(NODE_DIST_DIR, '__schema__', `v${version}`))}\n`);
	}
}

module.exports = { VERSIONS, writeOutputSchemas, schemaFiles, schemaText, formatJson };

if (require.main === module) {
	try {
		main();
	} catch (error) {
		process.stderr.write(`[hypersender] output schemas: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exit(1);
	}
}
