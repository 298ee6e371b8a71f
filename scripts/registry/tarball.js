// @ts-check
'use strict';
// A packed tarball with another version, for the update test: the same package, unpacked, its
// package.json's version changed, packed again with `npm pack` (so it holds what a real release
// of that version would: the same `files`, a fresh integrity).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { node24Env } = require('../toolchain');
const { packageInfo } = require('../n8n/homes');

/**
 * The next patch version: 0.1.0 → 0.1.1, 1.2.3-beta.1 → 1.2.4.
 * @param {string} version
 */
function nextPatch(version) {
	const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
	if (!match) throw new Error(`not a semver version: "${version}"`);
	return `${match[1]}.${match[2]}.${Number(match[3]) + 1}`;
}

/**
 * Packs a copy of `tgz` whose package.json says `version` into `outDir` (created); resolves to
 * the new tarball's path. The original is left as it is.
 * @param {string} tgz an `npm pack` tarball
 * @param {string} version
 * @param {string} outDir
 * @returns {string}
 */
function repackWithVersion(tgz, version, outDir) {
	const source = path.resolve(tgz);
	const { name, version: oldVersion } = packageInfo(source);
	if (version === oldVersion) throw new Error(`${path.basename(source)} already has version ${version}`);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hypersender-repack-'));
	try {
		execFileSync('tar', ['-xzf', source, '-C', work], { stdio: ['ignore', 'ignore', 'inherit'] });
		const packageDir = path.join(work, 'package');
		const manifestFile = path.join(packageDir, 'package.json');
		const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
		manifest.version = version;
		fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
		fs.mkdirSync(outDir, { recursive: true });
		const before = new Set(fs.readdirSync(outDir));
		execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', path.resolve(outDir), '--silent'], {
			cwd: packageDir,
			env: node24Env(),
			stdio: ['ignore', 'ignore', 'inherit'],
		});
		const made = fs.readdirSync(outDir).filter((file) => file.endsWith('.tgz') && !before.has(file));
		const expected = `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
		const file = made.find((candidate) => candidate === expected) ?? made[0];
		if (!file) throw new Error(`npm pack of ${name}@${version} produced no tarball in ${outDir}`);
		const result = path.join(path.resolve(outDir), file);
		const repacked = packageInfo(result);
		if (repacked.name !== name || repacked.version !== version) {
			throw new Error(`${result} holds ${repacked.name}@${repacked.version}, expected ${name}@${version}`);
		}
		return result;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

module.exports = { nextPatch, repackWithVersion };
