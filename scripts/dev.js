#!/usr/bin/env node
// @ts-check
'use strict';
// The project's commands (`npm start`, `npm test`, `npm run bench`, ...). They start on the
// machine's Node (20 is enough): this file only uses built-in modules, fetches Node 24 and
// installs the dev dependencies with it, then runs every step on Node 24.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, log, node24Env, run } = require('./toolchain');
const { packPackage } = require('./n8n/pack');

const DEPS_STAMP = path.join(ROOT, 'node_modules', '.hypersender-deps-stamp');
const PACK_DIR = path.join(ROOT, '.e2e', 'pack');

/** @param {string} file */
function fileHash(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function ensureDependencies() {
	const lockHash = fileHash(path.join(ROOT, 'package-lock.json'));
	if (fs.existsSync(DEPS_STAMP) && fs.readFileSync(DEPS_STAMP, 'utf8') === lockHash) return;
	log('Installing dev dependencies with Node 24 (npm ci, about a minute the first time)...');
	// --ignore-scripts: n8n-workflow pulls in isolated-vm, a native addon only n8n's expression
	// sandbox uses; nothing in this project's build or tests needs it compiled.
	await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund']);
	fs.writeFileSync(DEPS_STAMP, lockHash);
}

/**
 * Runs n8n's node CLI (@n8n/node-cli) without a terminal to ask from; when the output is not a
 * terminal, CI=true has its spinners print each step once instead of animating.
 * @param {string[]} args
 * @param {string} [cwd]
 */
function n8nNode(args, cwd = ROOT) {
	const env = node24Env(process.stdout.isTTY ? {} : { CI: 'true' });
	return run('n8n-node', args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

// n8n's own build, as n8n's submission asks: it empties dist/, runs tsc (tsconfig.json) and copies
// every .png/.svg outside dist/ and node_modules/ into dist/ (test screenshots too: package.json's
// `files` publishes only dist/nodes and dist/credentials). It copies the node icons itself, so
// gulpfile.js's build:icons is no longer part of the build.
async function build() {
	log('Building (n8n-node build: tsc + static files)...');
	await n8nNode(['build']);
	// Then each operation's outputSchema, from the compiled table, as the __schema__/ JSON files n8n reads.
	await run('node', [path.join(ROOT, 'scripts', 'schemas.js')]);
}

/**
 * `n8n-node lint`: in strict mode it first checks that eslint.config.mjs is n8n's template, then runs
 * `eslint .` with it. That config ignores only dist/, and ESLint lints dot-folders, so in place it
 * would also parse the git-ignored .n8n-runtime/ and .e2e/ (n8n's editor bundles, 47 MB per n8n
 * home: minutes). It runs in a copy of the files git sees (node_modules linked), except with --fix,
 * which runs in place so that the fixes land.
 * @param {boolean} fix
 */
async function n8nNodeLint(fix) {
	const { execFileSync } = require('node:child_process');
	const os = require('node:os');
	if (fix) {
		log('n8n-node lint --fix (eslint.config.mjs, n8n\'s template, strict mode)...');
		await n8nNode(['lint', '--fix']);
		return;
	}
	const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT });
	const files = listed
		.toString('utf8')
		.split('\0')
		.filter((file) => file && file.split('/')[0] !== 'node_modules' && fs.existsSync(path.join(ROOT, file)));
	const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'hypersender-n8n-lint-'));
	try {
		for (const file of files) {
			const [from, to] = [path.join(ROOT, file), path.join(copy, file)];
			fs.mkdirSync(path.dirname(to), { recursive: true });
			if (fs.lstatSync(from).isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
			else fs.copyFileSync(from, to);
		}
		fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
		log(`n8n-node lint (eslint.config.mjs, n8n's template, strict mode) on a copy of the ${files.length} files git sees, in ${copy}...`);
		await n8nNode(['lint'], copy);
	} finally {
		fs.rmSync(copy, { recursive: true, force: true });
	}
}

async function lint(fix = false) {
	log('Linting with eslint.project.config.mjs (n8n\'s community-node config + the JavaScript tooling)...');
	await run('eslint', ['-c', 'eslint.project.config.mjs', '.', '--max-warnings=0', ...(fix ? ['--fix'] : [])]);
	await n8nNodeLint(fix);
	log('Checking the Markdown links (README.md, CONTRIBUTING.md, CHANGELOG.md, docs/)...');
	await run('node', [path.join(ROOT, 'scripts', 'check-links.js')]);
	log('Checking the GitHub Actions workflows (actionlint)...');
	await run('node', [path.join(ROOT, 'scripts', 'actionlint.js')]);
	// The tooling is JavaScript typed by JSDoc under // @ts-check: these checks are what keep those types true.
	log('Type-checking tests and tooling (tsc --noEmit: test/, scripts/, sandbox/, browser test, benchmark)...');
	for (const project of ['test/tsconfig.json', 'test/browser/tsconfig.json', 'test/benchmark/tsconfig.json']) {
		await run('tsc', ['--noEmit', '-p', project]);
	}
}

/** n8n's community-package scanner on the packed tarball, offline; also its file list (scripts/scan-package.js). @param {string} packageTgz */
async function scanPackage(packageTgz) {
	log('Scanning the packed package (n8n\'s @n8n/scan-community-package, offline)...');
	await run('node', [path.join(ROOT, 'scripts', 'scan-package.js'), packageTgz]);
}

/** @param {string[]} [extraArgs] */
async function unitTests(extraArgs = []) {
	log('Unit and integration tests (jest, n8n-core against the sandbox on 127.0.0.1)...');
	await run('jest', ['--ci', ...extraArgs]);
}

/** @param {string} packageTgz @param {string[]} [extraArgs] */
async function e2eTests(packageTgz, extraArgs = []) {
	log('End-to-end tests in a real n8n (installs n8n into .n8n-runtime the first time: 3-5 minutes)...');
	await run('jest', ['-c', 'jest.e2e.config.js', '--ci', '--runInBand', ...extraArgs], {
		env: node24Env({ HYPERSENDER_PACKAGE_TGZ: packageTgz }),
	});
}

/**
 * Queue mode (test/queue, jest.queue.config.js): PostgreSQL and Redis from Debian's packages
 * (apt-get installs them when missing, as root), n8n main + a webhook processor + two workers on
 * one home with the package, and `npm start -- --queue`. About 12 minutes.
 * @param {string} packageTgz @param {string[]} [extraArgs]
 */
async function queueTests(packageTgz, extraArgs = []) {
	log('Queue-mode tests: n8n main, a webhook processor and workers on PostgreSQL and Redis...');
	await run('jest', ['-c', 'jest.queue.config.js', '--ci', '--runInBand', ...extraArgs], {
		env: node24Env({ HYPERSENDER_PACKAGE_TGZ: packageTgz }),
	});
}

/** The n8n lines the compatibility stage runs the smoke suite in (scripts/n8n/paths.js): the oldest supported first. */
const COMPAT_LINES = ['1', '2'];

/**
 * The compatibility stage (test/compat, jest.compat.config.js): the smoke suite once per n8n line,
 * each in its own n8n install (the first run of a line installs it: 3-5 minutes).
 * `npm run compat -- --line=1` runs one line.
 * @param {string} packageTgz @param {string[]} [extraArgs]
 */
async function compatTests(packageTgz, extraArgs = []) {
	const lineArg = extraArgs.find((arg) => arg.startsWith('--line='));
	const lines = lineArg ? [lineArg.slice('--line='.length)] : COMPAT_LINES;
	for (const line of lines) {
		if (!COMPAT_LINES.includes(line)) throw new Error(`--line is "${line}"; allowed values: ${COMPAT_LINES.join(', ')}`);
	}
	const jestArgs = extraArgs.filter((arg) => arg !== lineArg);
	for (const line of lines) {
		log(`Compatibility smoke suite in n8n line ${line} (${line === '1' ? 'the oldest supported n8n' : 'the n8n the full suite runs in'})...`);
		await run('jest', ['-c', 'jest.compat.config.js', '--ci', '--runInBand', ...jestArgs], {
			env: node24Env({ HYPERSENDER_PACKAGE_TGZ: packageTgz, HYPERSENDER_N8N_LINE: line }),
		});
	}
}

/** @param {string} packageTgz */
async function browserTest(packageTgz) {
	log('Browser test: the node in the real n8n editor, in headless Chromium...');
	await run('node', [path.join(ROOT, 'test', 'browser', 'editor.test.js'), '--no-build'], {
		env: node24Env({ HYPERSENDER_PACKAGE_TGZ: packageTgz }),
	});
}

/**
 * The install path users take: the package from a local npm registry through Settings →
 * Community nodes (install, use, update, uninstall) in headless Chromium.
 * @param {string} packageTgz
 */
async function installTest(packageTgz) {
	log('Install test: Settings → Community nodes → Install / Update / Uninstall from a local npm registry...');
	await run('node', [path.join(ROOT, 'test', 'browser', 'install.test.js'), '--no-build'], {
		env: node24Env({ HYPERSENDER_PACKAGE_TGZ: packageTgz }),
	});
}

/** The loop to run while working, and the first stages of `npm test`: lint (with the type checks), build, unit + n8n-core tests; no real n8n. */
async function fastChecks() {
	await ensureDependencies();
	await lint();
	await build();
	await unitTests();
}

/**
 * What `npm test` runs after the fast checks, in order, on one packed tarball. Each is also an npm
 * script of its own (dependencies, build, pack, then the stage with the script's arguments), and the
 * CI workflow runs each script in a job (test/unit/workflows.test.ts checks that none is left out).
 * @type {Array<{ script: string, run: (packageTgz: string, args?: string[]) => Promise<void> }>}
 */
const TEST_STAGES = [
	{ script: 'scan', run: scanPackage },
	{ script: 'e2e', run: e2eTests },
	{ script: 'compat', run: compatTests },
	{ script: 'queue', run: queueTests },
	{ script: 'browser', run: browserTest },
	{ script: 'install-test', run: installTest },
];

/** @type {Record<string, (args: string[]) => Promise<void>>} */
const commands = {
	async build() {
		await ensureDependencies();
		await build();
	},
	async lint() {
		await ensureDependencies();
		await lint();
	},
	async lintfix() {
		await ensureDependencies();
		await lint(true);
	},
	async scan(args) {
		await ensureDependencies();
		// A tarball given as the argument is scanned as it is; otherwise the package is built and packed.
		if (args[0]) {
			await scanPackage(path.resolve(args[0]));
			return;
		}
		await build();
		await scanPackage(packPackage(PACK_DIR));
	},
	async unit(args) {
		await ensureDependencies();
		await unitTests(args);
	},
	/**
	 * The fast loop while editing: tsc rebuilds dist/ on every save, and jest re-runs the unit and
	 * n8n-core tests of the files changed since the last commit (its own keys: `a` runs all). Stops
	 * on Ctrl+C. `npm start` in a second terminal runs the rebuilt node in a real n8n when restarted.
	 */
	async watch(args) {
		await ensureDependencies();
		await build();
		log('Watching: tsc rebuilds dist/ on save; jest re-runs the tests of what you change (Ctrl+C stops both)...');
		await Promise.all([
			run('tsc', ['-p', 'tsconfig.json', '--watch', '--preserveWatchOutput']),
			run('jest', ['--watch', ...args]),
		]);
	},
	async check() {
		const started = Date.now();
		await fastChecks();
		log(`Fast checks passed in ${Math.round((Date.now() - started) / 1000)} s (npm test adds the real-n8n stages).`);
	},
	async test() {
		const started = Date.now();
		/** @type {string[]} */
		const times = [];
		/** @param {string} name @param {() => Promise<void>} stage */
		const timed = async (name, stage) => {
			const stageStarted = Date.now();
			await stage();
			times.push(`${name} ${Math.round((Date.now() - stageStarted) / 1000)} s`);
		};
		await timed('check', fastChecks);
		const packageTgz = packPackage(PACK_DIR);
		for (const stage of TEST_STAGES) await timed(stage.script, () => stage.run(packageTgz));
		log(`All checks passed in ${Math.round((Date.now() - started) / 1000)} s (${times.join(', ')}).`);
	},
	async start(args) {
		await ensureDependencies();
		await build();
		const packageTgz = packPackage(PACK_DIR);
		await require('./start').main({ packageTgz, args });
	},
	async bench(args) {
		await ensureDependencies();
		await build();
		const packageTgz = packPackage(PACK_DIR);
		await run('node', [path.join(ROOT, 'test', 'benchmark', 'run.js'), ...args], {
			env: node24Env({ HYPERSENDER_PACKAGE_TGZ: packageTgz }),
		});
	},
};

// Each stage alone (`npm run e2e -- <jest args>`, ...); scan keeps its own command above, which
// also scans a tarball given as its argument.
for (const stage of TEST_STAGES) {
	commands[stage.script] ??= async (args) => {
		await ensureDependencies();
		await build();
		await stage.run(packPackage(PACK_DIR), args);
	};
}

async function main() {
	const [name, ...args] = process.argv.slice(2);
	const command = commands[name];
	if (!command) {
		process.stderr.write(`usage: node scripts/dev.js <${Object.keys(commands).join('|')}> [args]\n`);
		process.exit(2);
	}
	await command(args);
}

module.exports = { TEST_STAGES };

if (require.main === module) {
	main().catch((error) => {
		log(`FAILED: ${error.message}`);
		process.exit(1);
	});
}
