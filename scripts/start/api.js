// @ts-check
'use strict';
// The API the example credential points at: a real Hypersender account (HYPERSENDER_TOKEN,
// HYPERSENDER_INSTANCE, optionally HYPERSENDER_BASE_URL), or the local sandbox with two instances
// (the main one, and the assistant's WhatsApp number).
const { SANDBOX_CREDENTIAL } = require('../fixtures');
const { log } = require('../toolchain');
const runtime = require('../n8n/runtime');
const { ASSISTANT_INSTANCE } = require('./examples');

/** @typedef {import('./options').StartOptions} StartOptions */

const ACCOUNT_CREDENTIAL_NAME = 'Hypersender (my account)';
const OFFICIAL_BASE_URL = 'https://app.hypersender.com/api/whatsapp/v2';

/**
 * @typedef {object} Api
 * @property {'account' | 'sandbox'} kind
 * @property {string} credentialName
 * @property {{ apiToken: string, instanceId: string, baseUrl: string, webhookSecret?: string }} data
 * @property {any} [sandbox] the running sandbox (sandbox/server.js)
 * @property {() => Promise<void>} close
 */

/**
 * The API the credential points at: a real account from the environment, or the sandbox.
 * @param {StartOptions} options
 * @returns {Promise<Api>}
 */
async function startApi(options) {
	const token = process.env.HYPERSENDER_TOKEN;
	const instance = process.env.HYPERSENDER_INSTANCE;
	if (token || instance || process.env.HYPERSENDER_BASE_URL) {
		if (!token || !instance) {
			throw new Error('to use a real account set both HYPERSENDER_TOKEN and HYPERSENDER_INSTANCE (and optionally HYPERSENDER_BASE_URL)');
		}
		return {
			kind: 'account',
			credentialName: ACCOUNT_CREDENTIAL_NAME,
			data: { apiToken: token, instanceId: instance, baseUrl: process.env.HYPERSENDER_BASE_URL || OFFICIAL_BASE_URL },
			close: async () => {},
		};
	}
	const { startSandbox, DEFAULT_INSTANCE, DEFAULT_TOKEN } = require('../../sandbox/server');
	let port = options.sandboxPort;
	if (port !== 0 && (await runtime.freePort(port)) !== port) {
		log(`Port ${port} is busy; the sandbox uses a free port instead (the credential is updated to match).`);
		port = 0;
	}
	const sandbox = await startSandbox({
		port,
		token: DEFAULT_TOKEN,
		instances: { [DEFAULT_INSTANCE]: { size: options.sandboxSize, seed: 42 }, [ASSISTANT_INSTANCE]: { size: 200, seed: 7 } },
		latencyMs: options.sandboxLatency,
		quiet: options.quiet,
	});
	return {
		kind: 'sandbox',
		sandbox,
		credentialName: SANDBOX_CREDENTIAL.name,
		data: { apiToken: DEFAULT_TOKEN, instanceId: DEFAULT_INSTANCE, baseUrl: sandbox.baseUrl },
		close: () => sandbox.close(),
	};
}

module.exports = { startApi };
