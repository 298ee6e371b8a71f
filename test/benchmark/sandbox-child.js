// @ts-check
'use strict';
// The benchmark's sandbox, in its own process so that its CPU work (slicing pages and
// JSON.stringify of 1,000 contacts per request) never runs on the event loop being measured.
// Started by run.js with an IPC channel; argv[2] is the JSON of startSandbox() options.
// Reports { ready, url, baseUrl, token, port } once listening; the parent then talks to it
// through the control endpoints (/__sandbox/requests, /__sandbox/reset, /__sandbox/config).
const path = require('node:path');

const { startSandbox } = require(path.join(__dirname, '..', '..', 'sandbox', 'server.js'));

async function main() {
	const options = JSON.parse(process.argv[2] || '{}');
	const sandbox = await startSandbox({ port: 0, quiet: true, ...options });
	// Sort every instance once now (about 150 ms for 100,000 contacts), so the first measured
	// request does not pay for it.
	for (const id of Object.keys(options.instances ?? {})) sandbox.expected(id, 'name', 'asc');
	if (!process.send) throw new Error('sandbox-child.js runs in a process started by run.js, with an IPC channel');
	process.send({ ready: true, url: sandbox.url, baseUrl: sandbox.baseUrl, token: sandbox.token, port: sandbox.port });
	const stop = () => sandbox.close().then(() => process.exit(0));
	process.on('disconnect', stop);
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

main().catch((error) => {
	process.stderr.write(`bench sandbox: ${error.stack}\n`);
	process.exit(1);
});
