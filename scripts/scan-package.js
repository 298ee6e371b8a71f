#!/usr/bin/env node
// @ts-check
'use strict';
// The packed package as n8n verifies it, offline:
//
//   node scripts/scan-package.js [package.tgz]     (default: npm pack of dist/ into .e2e/pack)
//
// 1. The tarball's file list: package.json, README.md, LICENSE and files under dist/nodes and
//    dist/credentials only, with every file package.json's `n8n` section registers.
// 2. n8n's community-package scanner (@n8n/scan-community-package, what n8n's verification runs):
//    its analyzePackage() on the unpacked tarball (compiled .js and package.json) and on the
//    source (package.json, nodes/, credentials/), the two lint passes it makes on a published
//    version. Its provenance check and the download of the attested source need the registry and
//    GitHub and apply to a published version only; they are not run here.
// Every finding is printed with its file, line, rule and message; any finding, warnings included,
// or any file-list problem exits 1.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const { ROOT } = require('./toolchain');
const { packPackage } = require('./n8n/pack');

const PACK_DIR = path.join(ROOT, '.e2e', 'pack');
const ALWAYS_PUBLISHED = ['package.json', 'README.md', 'LICENSE'];
const PUBLISHED_DIRS = ['dist/nodes/', 'dist/credentials/'];
/** What analyzePackageByName() lints in the downloaded tarball. */
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

/**
 * The parts of the scanner's scanner.mjs used here.
 * @typedef {{ passed: boolean, message?: string, details?: string }} AnalysisResult
 * @typedef {{
 *   analyzePackage: (packageDir: string, filePatterns?: string[]) => Promise<AnalysisResult>,
 *   buildScanConfig: () => Promise<import('eslint').Linter.Config[]>,
 *   SOURCE_FILE_PATTERNS: string[],
 * }} Scanner
 * @typedef {{ file: string, line: number, column: number, severity: 'error' | 'warning', rule: string, message: string }} Finding
 */

const SCANNER_DIR = path.dirname(require.resolve('@n8n/scan-community-package/package.json'));

/**
 * The version of `name` as the scanner resolves it (its own node_modules first).
 * @param {string} name
 * @returns {string}
 */
function scannerDependencyVersion(name) {
	for (let dir = SCANNER_DIR; ; dir = path.dirname(dir)) {
		const manifest = path.join(dir, 'node_modules', name, 'package.json');
		if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
		if (path.dirname(dir) === dir) return 'not found';
	}
}

/** @param {number} count @param {string} noun */
function plural(count, noun) {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** @param {number} bytes */
function kB(bytes) {
	return `${(bytes / 1000).toFixed(1)} kB`;
}

/** @param {string} dir @returns {number} */
function sizeOf(dir) {
	let total = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		total += entry.isDirectory() ? sizeOf(full) : fs.statSync(full).size;
	}
	return total;
}

/**
 * Checks the tarball's file list; returns the problems found.
 * @param {string} tgz
 * @param {string} unpacked the tarball's package/ folder, unpacked
 * @returns {string[]}
 */
function checkFileList(tgz, unpacked) {
	const files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' })
		.split('\n')
		.filter((entry) => entry && !entry.endsWith('/'))
		.map((entry) => entry.replace(/^package\//, ''));
	const problems = [];
	const unexpected = files.filter((file) => !ALWAYS_PUBLISHED.includes(file) && !PUBLISHED_DIRS.some((dir) => file.startsWith(dir)));
	for (const file of unexpected) problems.push(`${file} is in the tarball: only ${ALWAYS_PUBLISHED.join(', ')} and files under ${PUBLISHED_DIRS.join(' and ')} belong there`);
	for (const file of ALWAYS_PUBLISHED) if (!files.includes(file)) problems.push(`${file} is missing from the tarball`);

	/** @type {{ n8n?: { nodes?: string[], credentials?: string[] } }} */
	const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, 'package.json'), 'utf8'));
	const registered = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	for (const file of registered) if (!files.includes(file)) problems.push(`${file} (registered in package.json's n8n section) is missing from the tarball`);

	const under = PUBLISHED_DIRS.map((dir) => `${files.filter((file) => file.startsWith(dir)).length} under ${dir.slice(0, -1)}`);
	console.log(`Tarball ${path.relative(ROOT, tgz)}: ${files.length} files, ${kB(fs.statSync(tgz).size)} packed, ${kB(sizeOf(unpacked))} unpacked`);
	console.log(`  ${ALWAYS_PUBLISHED.filter((file) => files.includes(file)).join(', ')}; ${under.join(', ')}; ${unexpected.length} elsewhere`);
	console.log(`  registered in package.json's n8n section: ${registered.filter((file) => files.includes(file)).length} of ${registered.length} in the tarball`);
	return problems;
}

/**
 * One lint pass of the scanner over `dir`: its own verdict (analyzePackage, which reports errors
 * only), and every finding, warnings included, from ESLint run with the scanner's config and
 * options. Returns the problems found.
 * @param {Scanner} scanner
 * @param {import('eslint').Linter.Config[]} config
 * @param {string} label
 * @param {string} dir
 * @param {string[]} patterns
 * @returns {Promise<string[]>}
 */
async function scanPass(scanner, config, label, dir, patterns) {
	/** @type {typeof import('fast-glob')} */
	const glob = require(require.resolve('fast-glob', { paths: [SCANNER_DIR] }));
	/** @type {typeof import('eslint')} */
	const { ESLint } = require(require.resolve('eslint', { paths: [SCANNER_DIR] }));
	// The file set and the ESLint options are analyzePackage()'s.
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const verdict = await scanner.analyzePackage(dir, patterns);
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: config });
	/** @type {Finding[]} */
	const findings = [];
	for (const result of await eslint.lintFiles(files)) {
		for (const message of result.messages) {
			findings.push({
				file: path.relative(dir, result.filePath),
				line: message.line,
				column: message.column,
				severity: message.severity === 2 ? 'error' : 'warning',
				rule: message.ruleId ?? '(parser)',
				message: message.message,
			});
		}
	}

	const outcome = verdict.passed ? 'passed' : `FAILED (${verdict.message ?? 'no reason given'})`;
	console.log(`  ${label}: ${files.length} files (${patterns.join(', ')}): ${outcome}, ${findings.length ? plural(findings.length, 'finding') : 'no findings'}`);
	for (const finding of findings) {
		console.log(`    ${finding.file}:${finding.line}:${finding.column}  ${finding.severity}  ${finding.rule}  ${finding.message}`);
	}
	if (!verdict.passed && verdict.details && findings.length === 0) console.log(verdict.details);

	if (findings.length > 0) return [`${label}: ${plural(findings.length, 'finding')} of the scanner (listed above)`];
	if (!verdict.passed) return [`${label}: the scanner failed: ${verdict.message ?? 'no reason given'}`];
	return [];
}

/** @param {string} [tgzArgument] */
async function main(tgzArgument) {
	const tgz = tgzArgument ? path.resolve(tgzArgument) : packPackage(PACK_DIR);
	if (!fs.existsSync(tgz)) throw new Error(`no tarball at ${tgz}`);
	const unpackDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hypersender-scan-'));
	try {
		// Unpacked the way the scanner unpacks a downloaded package.
		execFileSync('tar', ['-xzf', tgz, '-C', unpackDir, '--strip-components=1']);
		const problems = checkFileList(tgz, unpackDir);

		/** @type {Scanner} */
		const scanner = await import(pathToFileURL(path.join(SCANNER_DIR, 'scanner', 'scanner.mjs')).href);
		const config = await scanner.buildScanConfig();
		/** @type {Map<string, string>} rule → its level, as the last config entry that sets it says */
		const levels = new Map();
		for (const entry of config) {
			for (const [rule, setting] of Object.entries(entry.rules ?? {})) {
				const level = String(Array.isArray(setting) ? setting[0] : setting);
				levels.set(rule, { 0: 'off', 1: 'warn', 2: 'error' }[level] ?? level);
			}
		}
		/** @type {Record<string, number>} */
		const severities = {};
		for (const level of levels.values()) severities[level] = (severities[level] ?? 0) + 1;
		const version = JSON.parse(fs.readFileSync(path.join(SCANNER_DIR, 'package.json'), 'utf8')).version;
		console.log(`n8n's community-package scanner (@n8n/scan-community-package ${version}), offline: its two lint passes`);
		console.log(`  rules: ${severities.error ?? 0} errors, ${severities.warn ?? 0} warnings (${severities.off ?? 0} off), from @n8n/eslint-plugin-community-nodes ${scannerDependencyVersion('@n8n/eslint-plugin-community-nodes')}, eslint-plugin-n8n-nodes-base ${scannerDependencyVersion('eslint-plugin-n8n-nodes-base')} and no-console`);
		console.log('  not run: the provenance check and the download of the attested source (registry and GitHub, published versions only)');
		problems.push(...(await scanPass(scanner, config, 'tarball', unpackDir, TARBALL_PATTERNS)));
		problems.push(...(await scanPass(scanner, config, 'source', ROOT, scanner.SOURCE_FILE_PATTERNS)));

		if (problems.length > 0) {
			console.log(`\nFAILED: ${plural(problems.length, 'problem')}`);
			for (const problem of problems) console.log(`  ${problem}`);
			process.exitCode = 1;
			return;
		}
		console.log('Passed: the file list, and both scanner passes without a finding.');
	} finally {
		fs.rmSync(unpackDir, { recursive: true, force: true });
	}
}

main(process.argv[2]).catch((error) => {
	console.error(error);
	process.exit(1);
});
