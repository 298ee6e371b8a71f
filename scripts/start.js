#!/usr/bin/env node
// @ts-check
'use strict';
// `npm start`: a real n8n with the Hypersender node installed, a ready credential and the example
// workflows of examples/, talking to the local sandbox API (or to a real Hypersender account).
//
//   npm start                                   build, pack, then this file's main({ packageTgz })
//   node scripts/start.js [--package x.tgz]     the same without building (packs dist/ if no tgz)
//
// Options: --port N (editor, default 5678)  --sandbox-port N (default 8787)
//          --sandbox-size N (contacts, default 2500)  --sandbox-latency MS  --quiet  --fresh
//          --home DIR (n8n home, default .n8n-runtime/home; with --queue .n8n-runtime/home-queue)
//          --queue [--workers N]: n8n in queue mode (see below)
// Real account instead of the sandbox: HYPERSENDER_TOKEN, HYPERSENDER_INSTANCE and optionally
// HYPERSENDER_BASE_URL (default https://app.hypersender.com/api/whatsapp/v2).
// Login: HYPERSENDER_N8N_EMAIL / HYPERSENDER_N8N_PASSWORD (defaults printed at start).
//
// The n8n home (.n8n-runtime/home) is kept between starts: workflows and executions you make
// stay; --fresh starts over. Ctrl-C stops n8n and the sandbox.
//
// With the sandbox, three examples are activated:
//   - "Auto-reply to WhatsApp messages" (Hypersender Trigger → Send Text): the sandbox's webhook
//     points at its production URL with a secret made once per home (kept in
//     hypersender-start.json and in the credential's Webhook Secret);
//   - "WhatsApp assistant (AI agent)" (Hypersender Trigger → AI Agent with Hypersender tools), on a
//     second sandbox instance (a WhatsApp number of its own, with its own credential and secret),
//     its chat model the sandbox's scripted OpenAI-compatible endpoint;
//   - "WhatsApp tools for MCP clients" (MCP Server Trigger with five Hypersender tools), behind a
//     bearer token made once per home.
// The ready message prints the commands that simulate a customer's message for the first two,
// and the MCP server's URL and token.
//
// --queue: the same in n8n's queue mode (scripts/n8n/queue.js): PostgreSQL and Redis from Debian's
// packages (apt-get installs them when missing, as root), n8n main (editor, REST API, polls; on
// --port) + a webhook processor (production webhooks and the MCP server; on --port + 1 when free)
// + --workers workers (default 2; they run every execution, manual runs too), one home with the
// package. Its own home (.n8n-runtime/home-queue), its database in .n8n-runtime/queue/<home's
// name>/ (kept between starts; a new home or --fresh starts both over), one log file per process
// there. The sandbox's webhooks go to the webhook processor. Ctrl-C stops the n8n processes,
// Redis, PostgreSQL and the sandbox.
//
// The parts are in scripts/start/: options.js (the command line), state.js (the home and what this
// script keeps in it), api.js (the sandbox or an account), examples.js (the credentials and example
// workflows, imported when they changed), n8n.js (one n8n or the queue-mode cluster), activation.js
// (the examples on the sandbox, activated) and ready.js (the ready message).
const path = require('node:path');

const { log } = require('./toolchain');
const runtime = require('./n8n/runtime');
const { parseArgs, DEFAULT_HOME, DEFAULT_QUEUE_HOME } = require('./start/options');
const { prepareHome, ensureSecrets } = require('./start/state');
const { startApi } = require('./start/api');
const { examplesFor, ASSISTANT_INSTANCE } = require('./start/examples');
const { editorPort, startN8n } = require('./start/n8n');
const { startExamples } = require('./start/activation');
const { readyLines } = require('./start/ready');

/** @typedef {import('./start/options').StartOptions} StartOptions */
/** @typedef {import('./start/api').Api} Api */
/** @typedef {import('./start/n8n').RunningN8n} RunningN8n */
/** @typedef {import('./start/ready').ReadyInfo} ReadyInfo */

const DEFAULT_OWNER = { email: 'admin@example.com', password: 'Hypersender123' };

/**
 * Stopping: once (Ctrl-C / SIGTERM, n8n exiting, or the caller's stop()), n8n first, then the
 * API; a second signal while stopping exits at once.
 * @param {StartOptions} options
 */
function stopControl(options) {
	/** @type {{ api?: Api, n8n?: RunningN8n, stopping?: Promise<void> }} what is running, and the stop under way */
	const running = {};
	/** @type {() => void} */
	let stopAsked = () => {};
	/** @type {Promise<void>} */
	const stopRequested = new Promise((resolve) => {
		stopAsked = resolve;
	});
	/** @param {string} [reason] */
	const stop = async (reason) => {
		stopAsked();
		running.stopping ??= (async () => {
			if (reason) log(reason);
			await running.n8n?.stop().catch(() => {});
			await running.api?.close().catch(() => {});
		})();
		return running.stopping;
	};
	/** @param {NodeJS.Signals} signal */
	const onSignal = (signal) => {
		if (running.stopping) {
			log(`${signal} again: exiting now.`);
			running.n8n?.killNow();
			process.exit(130);
		}
		stop(`${signal}: stopping n8n${options.queue ? ' (main, webhook processor, workers), Redis, PostgreSQL' : ''} and the sandbox...`);
	};
	return { running, stop, stopRequested, onSignal, isStopping: () => running.stopping !== undefined };
}

/**
 * The owner account (made on a new home), signed in: the session activates the examples.
 * @param {string} url
 * @returns {Promise<{ owner: { email: string, password: string }, session: import('./n8n/runtime').Session | undefined, loginNote: string }>}
 */
async function signIn(url) {
	const owner = {
		email: process.env.HYPERSENDER_N8N_EMAIL || DEFAULT_OWNER.email,
		password: process.env.HYPERSENDER_N8N_PASSWORD || DEFAULT_OWNER.password,
	};
	try {
		const owned = await runtime.setupOwner(url, owner);
		return { owner, session: owned, loginNote: owned.created ? 'account created now' : 'existing account' };
	} catch (error) {
		return { owner, session: undefined, loginNote: `could not sign in with it (${error.message.split('\n')[0]}); use the password you set, or --fresh` };
	}
}

/**
 * Starts everything and resolves when n8n has stopped (Ctrl-C / SIGTERM, or n8n exiting).
 *   packageTgz  the packed package to install (default: --package, $HYPERSENDER_PACKAGE_TGZ, or a pack of dist/)
 *   args        command-line options (see usage())
 *   home        N8N_USER_FOLDER (default .n8n-runtime/home, or --home)
 *   onReady     called once everything is up with { url, owner, workflowId, workflowIds, credential, api, home, stop() }
 * @param {{ packageTgz?: string, args?: string[], home?: string, onReady?: (info: ReadyInfo) => unknown }} [params]
 */
async function main({ packageTgz, args = process.argv.slice(2), home, onReady } = {}) {
	const options = parseArgs(args);
	const userFolder = path.resolve(home ?? options.home ?? (options.queue ? DEFAULT_QUEUE_HOME : DEFAULT_HOME));
	const started = Date.now();
	const { running, stop, stopRequested, onSignal, isStopping } = stopControl(options);
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	try {
		const { store, newHome } = await prepareHome(userFolder, { packageTgz: packageTgz ?? options.packageTgz, fresh: options.fresh });
		if (isStopping()) return;
		const api = await startApi(options);
		running.api = api;
		ensureSecrets(store, api.kind);
		if (api.kind === 'sandbox') api.data.webhookSecret = store.get().webhookSecret;
		const examples = examplesFor(api, store.get());

		if (isStopping()) return;
		const port = await editorPort(options);
		const editor = await startN8n({
			userFolder, port, options, newHome, store, examples, baseUrl: api.data.baseUrl, isStopping,
			onStarted: (n8n) => {
				running.n8n = n8n;
			},
		});
		if (!editor) return;

		const { owner, session, loginNote } = await signIn(editor.url);
		const onSandbox = await startExamples({ editor, session, api, examples, store, isStopping });
		process.stdout.write(`${readyLines({ editor, owner, loginNote, api, examples, options, started }, onSandbox).join('\n')}\n`);
		if (onReady) {
			await onReady({
				url: editor.url,
				owner,
				workflowId: examples.workflows[0].id,
				workflowIds: examples.workflows.map((each) => each.id),
				credential: { id: examples.credential.id, name: examples.credential.name },
				api: { kind: api.kind, baseUrl: api.data.baseUrl, sandbox: api.sandbox },
				home: userFolder,
				...onSandbox,
				queue: editor.cluster,
				stop: () => stop(),
			});
		}

		const ending = await Promise.race([editor.ended, stopRequested.then(() => undefined)]);
		if (ending !== undefined && !isStopping()) {
			await stop();
			throw new Error(`${ending}; its last lines:\n${editor.lastLines()}`);
		}
		await running.stopping;
		log(`n8n${options.queue ? ', Redis, PostgreSQL' : ''} and the sandbox stopped.`);
	} catch (error) {
		await stop();
		throw error;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
}

module.exports = { main, parseArgs, DEFAULT_HOME, ASSISTANT_INSTANCE };

if (require.main === module) {
	main().then(
		() => process.exit(0),
		(error) => {
			log(`FAILED: ${error.message}`);
			process.exit(1);
		},
	);
}
