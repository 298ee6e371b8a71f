// @ts-check
'use strict';
// Debian's `chromium` for the browser test, driven by playwright-core (which never downloads a
// browser here). ensureChromium() installs the package with apt-get when it is missing.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** @returns {string | undefined} */
function chromiumVersion() {
	if (!fs.existsSync(CHROMIUM_PATH)) return undefined;
	const result = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', timeout: 30000 });
	return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * @param {string[]} args
 * @param {(line: string) => void} log
 * @returns {{ ok: boolean, output: string }}
 */
function aptGet(args, log) {
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	/** @type {[string, string[]]} */
	const [command, commandArgs] = asRoot ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]];
	log(`$ ${[command, ...commandArgs].join(' ')}`);
	const result = spawnSync(command, commandArgs, {
		encoding: 'utf8',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		timeout: 10 * 60 * 1000,
	});
	const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
	if (result.error) return { ok: false, output: `${result.error.message}\n${output}` };
	return { ok: result.status === 0, output };
}

/**
 * Resolves to { path, version, installed }. Installs Debian's `chromium` (apt-get, non-interactive,
 * as root or through passwordless sudo) when /usr/bin/chromium is missing; throws a clear error when
 * that is impossible.
 * @param {(line: string) => void} [log]
 * @returns {{ path: string, version: string, installed: boolean }}
 */
function ensureChromium(log = () => {}) {
	let version = chromiumVersion();
	if (version) return { path: CHROMIUM_PATH, version, installed: false };
	log(`${CHROMIUM_PATH} is missing: installing Debian's chromium package (about 15 s)...`);
	const hint =
		`The browser test needs Debian's chromium at ${CHROMIUM_PATH}. Install it yourself with ` +
		'`sudo apt-get update && sudo apt-get install -y chromium` and run the test again.';
	let install = aptGet(['install', '-y', '--no-install-recommends', 'chromium'], log);
	if (!install.ok) {
		const update = aptGet(['update'], log);
		if (!update.ok) throw new Error(`apt-get update failed:\n${update.output}\n${hint}`);
		install = aptGet(['install', '-y', '--no-install-recommends', 'chromium'], log);
	}
	if (!install.ok) throw new Error(`apt-get install chromium failed:\n${install.output}\n${hint}`);
	version = chromiumVersion();
	if (!version) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} --version does not run.\n${hint}`);
	return { path: CHROMIUM_PATH, version, installed: true };
}

/**
 * Launches headless Chromium with a fresh user-data-dir; resolves to { context, userDataDir, close() }.
 * @param {{ chromium: import('playwright-core').BrowserType }} options playwright-core's `chromium`
 * @returns {Promise<{ context: import('playwright-core').BrowserContext, userDataDir: string, close(): Promise<void> }>}
 */
async function launchChromium({ chromium }) {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hypersender-chromium-'));
	// launchPersistentContext is the only playwright API that takes a user-data-dir.
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1440, height: 900 },
		timeout: 60000,
		// The test closes the browser itself on Ctrl-C (with n8n and the sandbox); playwright's
		// own handlers would exit the process before that cleanup ran.
		handleSIGINT: false,
		handleSIGTERM: false,
		handleSIGHUP: false,
	});
	return {
		context,
		userDataDir,
		async close() {
			try {
				await context.close();
			} finally {
				fs.rmSync(userDataDir, { recursive: true, force: true });
			}
		},
	};
}

module.exports = { CHROMIUM_PATH, CHROMIUM_ARGS, ensureChromium, launchChromium };

if (require.main === module) {
	try {
		const result = ensureChromium((line) => process.stderr.write(`${line}\n`));
		process.stdout.write(`${JSON.stringify(result)}\n`);
	} catch (error) {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	}
}
