// @ts-check
'use strict';
// The browser tests' entry files (editor.test.js, install.test.js) run on the project's Node 24
// (n8n's runtime module and the project's tooling expect it): started on an older Node, they run
// themselves again on Node 24 (scripts/toolchain.js). Loads nothing that needs Node 24.
const { spawn } = require('node:child_process');

const toolchain = require('../../scripts/toolchain');

/**
 * Calls `start` on Node 24 or later (or in the re-run); on an older Node runs `file` again with the
 * same arguments on the project's Node 24 and exits with its exit code. SIGINT, SIGTERM and SIGHUP
 * are passed on to the re-run, so that `kill <pid>` of this process also stops everything the test
 * started (n8n, the sandbox, the browser, the registry).
 * @param {string} file the entry file (its __filename)
 * @param {() => void} start
 */
function runOnNode24(file, start) {
	const reexec = Number(process.versions.node.split('.')[0]) < 24 && !process.env.HYPERSENDER_BROWSER_REEXEC;
	if (!reexec) {
		start();
		return;
	}
	const child = spawn(toolchain.ensureNode24(), [file, ...process.argv.slice(2)], {
		stdio: 'inherit',
		env: toolchain.node24Env({ HYPERSENDER_BROWSER_REEXEC: '1' }),
	});
	for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.on(signal, () => child.kill(signal));
	child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

module.exports = { runOnNode24 };
