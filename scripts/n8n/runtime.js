// @ts-check
'use strict';
// A real n8n (the version pinned in ./package.json + ./package-lock.json) for `npm start`,
// the end-to-end tests, the benchmark and the browser test. This file gathers the modules
// beside it; callers may require it or the one module they need:
//
//   paths.js     RUNTIME_DIR (.n8n-runtime), HOMES_DIR, E2E_DIR, N8N_VERSION, N8N_LINE, N8N_BIN, NODE_BIN
//   install.js   ensureN8n({ force, verbose })  install or reuse n8n: { n8nBin, version, cached, seconds }
//   homes.js     createN8nHome(dir, { packageTgz, fresh }), installPackage(home, tgz), packageInfo(tgz),
//                n8nEnv(home, extra)  an N8N_USER_FOLDER with the packed node, and n8n's environment
//   cli.js       n8nCommand(home, args), importCredentials(home, creds), importWorkflow(home, wf | wf[]),
//                executeWorkflow(home, id, { nodeName })  (`n8n execute --id --rawOutput`, parsed), newId()
//   run-data.js  parseRun(stdout), runItems(run, nodeName)  n8n's run object and a node's items
//   editor.js    startEditor(home, { port, onLine }), setupOwner(url, owner), login(url, creds),
//                runInEditor(url, session, workflowId, { nodeName }), activateWorkflow(url, session, id),
//                waitForPublished(url, session, id), listExecutions(url, session, workflowId),
//                getExecution(url, session, executionId)  `n8n start` and its REST API
//   executions.js savedExecutions(home, { workflowId, afterId, withData }), savedItems(execution, nodeName)
//                the executions a home's database holds (read-only, while n8n runs)
//   net.js       request(url, opts), freePort(preferred)  JSON over HTTP, free ports on 127.0.0.1
//   pack.js      packPackage(packDir), resolvePackageTgz(packDir)  `npm pack` of dist/
//
// n8n is installed into <ROOT>/.n8n-runtime (git-ignored), never into the project's own
// node_modules, and every n8n process runs on the Node 24 from scripts/toolchain.js. Only Node's
// built-in modules are used. Types are the JSDoc of each module (TypeScript callers import them
// from here: `import type { ExecuteResult } from '../../scripts/n8n/runtime'`).
const path = require('node:path');
const { spawn } = require('node:child_process');

const { node24Env, log } = require('../toolchain');
const paths = require('./paths');
const install = require('./install');
const homes = require('./homes');
const cli = require('./cli');
const runData = require('./run-data');
const editor = require('./editor');
const net = require('./net');
const executions = require('./executions');
const pack = require('./pack');

/** @typedef {import('./install').EnsureN8nResult} EnsureN8nResult */
/** @typedef {import('./homes').EnvExtra} EnvExtra */
/** @typedef {import('./cli').CommandResult} CommandResult */
/** @typedef {import('./cli').PlainCredential} PlainCredential */
/** @typedef {import('./cli').WorkflowNode} WorkflowNode */
/** @typedef {import('./cli').Workflow} Workflow */
/** @typedef {import('./cli').ExecuteResult} ExecuteResult */
/** @typedef {import('./run-data').RunItem} RunItem */
/** @typedef {import('./run-data').N8nRun} N8nRun */
/** @typedef {import('./editor').Editor} Editor */
/** @typedef {import('./editor').Session} Session */
/** @typedef {import('./editor').EditorRunResult} EditorRunResult */
/** @typedef {import('./net').HttpResponse} HttpResponse */
/** @typedef {import('./executions').SavedExecution} SavedExecution */

module.exports = {
	packPackage: pack.packPackage,
	resolvePackageTgz: pack.resolvePackageTgz,
	ROOT: paths.ROOT,
	RUNTIME_DIR: paths.RUNTIME_DIR,
	E2E_DIR: paths.E2E_DIR,
	HOMES_DIR: paths.HOMES_DIR,
	N8N_VERSION: paths.N8N_VERSION,
	N8N_LINE: paths.N8N_LINE,
	N8N_BIN: paths.N8N_BIN,
	NODE_BIN: paths.NODE_BIN,
	ensureN8n: install.ensureN8n,
	createN8nHome: homes.createN8nHome,
	installPackage: homes.installPackage,
	packageInfo: homes.packageInfo,
	n8nEnv: homes.n8nEnv,
	n8nCommand: cli.n8nCommand,
	importCredentials: cli.importCredentials,
	importWorkflow: cli.importWorkflow,
	executeWorkflow: cli.executeWorkflow,
	parseRun: runData.parseRun,
	runItems: runData.runItems,
	startEditor: editor.startEditor,
	setupOwner: editor.setupOwner,
	login: editor.login,
	runInEditor: editor.runInEditor,
	parseExecutionData: editor.parseExecutionData,
	getExecution: editor.getExecution,
	listExecutions: editor.listExecutions,
	activateWorkflow: editor.activateWorkflow,
	waitForPublished: editor.waitForPublished,
	savedExecutions: executions.savedExecutions,
	savedItems: executions.savedItems,
	startQueueCluster: require('./queue').startQueueCluster,
	request: net.request,
	freePort: net.freePort,
	newId: cli.newId,
	node24Env,
	log,
};

// Command line:
//   node scripts/n8n/runtime.js [install] [--force] [--verbose]   install n8n (or check the install)
//   node scripts/n8n/runtime.js n8n [--home DIR] -- <n8n args>    run any n8n command, e.g. `-- export:workflow --all`
//                                                                (home default: .n8n-runtime/home, the one `npm start` uses)
/**
 * @param {string[]} argv
 * @returns {Promise<number>} the exit code
 */
async function main(argv) {
	const [command = 'install', ...rest] = argv;
	if (command === 'install' || command.startsWith('--')) {
		const flags = command.startsWith('--') ? argv : rest;
		const result = await install.ensureN8n({ force: flags.includes('--force'), verbose: flags.includes('--verbose') });
		log(`n8n ${result.version}: ${result.cached ? 'already installed' : `installed in ${result.seconds.toFixed(0)} s`} (${paths.N8N_BIN})`);
		return 0;
	}
	if (command === 'n8n') {
		const dash = rest.indexOf('--');
		const own = dash === -1 ? [] : rest.slice(0, dash);
		const n8nArgs = dash === -1 ? rest : rest.slice(dash + 1);
		const homeIndex = own.indexOf('--home');
		const home = path.resolve(homeIndex === -1 ? path.join(paths.RUNTIME_DIR, 'home') : own[homeIndex + 1]);
		await install.ensureN8n();
		await homes.createN8nHome(home);
		const child = spawn(paths.NODE_BIN, [paths.N8N_BIN, ...n8nArgs], { cwd: home, env: homes.n8nEnv(home), stdio: 'inherit' });
		return await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
	}
	throw new Error(`unknown command "${command}"; use "install" or "n8n [--home DIR] -- <args>"`);
}

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error) => {
			log(error.stack || String(error));
			process.exit(1);
		},
	);
}
