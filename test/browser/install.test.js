#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Browser test of the install path users take: the packed package published to a local npm
 * registry (Verdaccio on 127.0.0.1, scripts/registry), and in the real n8n editor (the version
 * scripts/n8n pins), driven through headless Debian Chromium by playwright-core:
 * Settings → Community nodes → Install, the node in a workflow, Update to a newer version
 * published meanwhile, Uninstall; after each, n8n is checked to keep working.
 *
 *   node test/browser/install.test.js                      # builds + packs dist/, then runs
 *   node test/browser/install.test.js --no-build           # packs the current dist/ as it is
 *   HYPERSENDER_PACKAGE_TGZ=x.tgz node test/browser/install.test.js   # uses that tarball
 *   node test/browser/install.test.js --update-screenshot  # also rewrites test/browser/screenshot-install.png
 *   node test/browser/install.test.js --check-licence-gate # first shows n8n refusing N8N_COMMUNITY_PACKAGES_REGISTRY
 *   node test/browser/install.test.js --publish-nothing    # self-check: nothing is published, so the install must fail
 *
 * Any Node works to start it: it re-runs itself on the project's Node 24 (scripts/toolchain.js).
 * Exit code 0 = every step passed. Screenshots (one per step), n8n's log, the registry's log,
 * the npm commands n8n ran and observations.json go to test-results/browser-install/.
 * HYPERSENDER_BROWSER_KEEP=1 keeps the n8n home (.n8n-runtime/homes/install-<pid>) after the run.
 *
 * How n8n is pointed at the local registry: see scripts/registry/npm-shim.js (n8n 2.41.1 refuses
 * N8N_COMMUNITY_PACKAGES_REGISTRY without a licence, so n8n's `npm` is a small shim that swaps the
 * registry argument; --check-licence-gate shows the refusal).
 */
const { runOnNode24 } = require('./node24');

runOnNode24(__filename, start);

function start() {
	const runtime = require('../../scripts/n8n/runtime');
	const { InstallSession, log, rel } = require('./install/session');
	const { checkLicenceGate } = require('./install/licence-gate');
	const { ensureVerdaccio, REGISTRY_DIR } = require('../../scripts/registry');
	const { steps } = require('./install/steps');

	const KNOWN_FLAGS = new Set(['--no-build', '--update-screenshot', '--check-licence-gate', '--publish-nothing']);
	const args = new Set(process.argv.slice(2));
	for (const arg of args) {
		if (!KNOWN_FLAGS.has(arg)) {
			log(`unknown argument "${arg}" (known: ${[...KNOWN_FLAGS].join(', ')})`);
			process.exit(2);
		}
	}
	const session = new InstallSession({ args });

	async function main() {
		const started = Date.now();
		await session.prepareMachine();
		const verdaccio = await ensureVerdaccio();
		session.observations.timings.verdaccioInstall = verdaccio.seconds;
		log(`Verdaccio ${verdaccio.version}: ${verdaccio.cached ? `reused from ${rel(REGISTRY_DIR)}` : `installed into ${rel(REGISTRY_DIR)} in ${verdaccio.seconds.toFixed(0)} s`}`);
		session.packageTarballs();
		log(`package: ${rel(session.packageTgz)} (${session.version}); for the update: ${rel(session.newerTgz)} (${session.newerVersion})`);
		const { chromium } = require('playwright-core');
		session.armWatchdog();

		await session.step('start the local npm registry and publish the package', async () => {
			const registry = await session.startRegistry();
			log(`   Verdaccio ${registry.version} at ${registry.url} (${session.observations.timings.registryStart.toFixed(1)} s)`);
			if (args.has('--publish-nothing')) log('   --publish-nothing: publishing nothing, so the install step must fail');
			else await session.publish(session.packageTgz);
		});
		if (args.has('--check-licence-gate')) {
			await session.step('N8N_COMMUNITY_PACKAGES_REGISTRY is refused without a licence (why the npm shim)', () => checkLicenceGate(session));
		}
		await session.step('start the sandbox and n8n without the package (its npm pointed at the registry), owner, browser', async () => {
			await session.start(chromium);
			log(`   n8n ${runtime.N8N_VERSION} at ${session.url} (ready in ${session.observations.timings.n8nStart.toFixed(1)} s), home ${rel(session.home)}`);
			await session.checkN8n('at the start');
		});
		for (const { title, run } of steps) await session.step(title, () => run(session));

		const { timings } = session.observations;
		timings.total = (Date.now() - started) / 1000;
		log(`all ${session.stepNumber} steps passed in ${timings.total.toFixed(0)} s`);
		log(
			`summary: install ${session.version} ${timings.install.toFixed(1)} s, update to ${session.newerVersion} ${timings.update.toFixed(1)} s, ` +
				`uninstall ${timings.uninstall.toFixed(1)} s (each from the click to the page showing the result); ` +
				`registry start ${timings.registryStart.toFixed(1)} s, n8n start ${timings.n8nStart.toFixed(1)} s; n8n stayed up (pid ${session.observations.n8nPid}, ${session.observations.health.length} health checks)`,
		);
	}

	session.runToExit(main, { stopping: 'browser, n8n, registry and sandbox', guardProcess: true });
}
