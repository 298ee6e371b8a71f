// @ts-check
'use strict';
// The examples `npm start` imports (examples/*.json) and the credentials they use: which ones,
// pointed at the API's credential (on the sandbox, the assistant at its own number's), and imported
// into n8n's database when they changed since the last start.
const fs = require('node:fs');
const path = require('node:path');

const { CREDENTIAL_TYPE, PACKAGE_NAME, SANDBOX_CREDENTIAL } = require('../fixtures');
const { ROOT, log } = require('../toolchain');
const { hash } = require('./state');

/** @typedef {import('./api').Api} Api */
/** @typedef {import('./state').StartState} StartState */
/** @typedef {import('./state').HomeState} HomeState */
/** @typedef {{ id: string, name: string, type: string, data: Record<string, unknown> }} Credential */

// The examples imported into the home, in this order; the first is the one the ready message
// points at. All of them run on the sandbox as they are (no account needed).
const EXAMPLE_FILES = [
	'enrich-contacts.json',
	'export-all-contacts.json',
	'send-text-to-contacts.json',
	'auto-reply.json',
	'whatsapp-assistant.json',
	'mcp-server.json',
	'otp-verification.json',
	'instance-watchdog.json',
].map((file) => path.join(ROOT, 'examples', file));
/** The examples with a Hypersender Trigger, activated on the sandbox. */
const AUTO_REPLY_ID = 'hsAutoReply';
const ASSISTANT_ID = 'hsWhatsappAssistant';
/** The MCP server example, activated on the sandbox. */
const MCP_ID = 'hsMcpServer';
/** The one-time code form example, activated on the sandbox (its form is a production URL to open). */
const OTP_ID = 'hsOtpVerification';
/**
 * The sandbox instance the assistant answers on: a WhatsApp number of its own, so the auto-reply
 * and the assistant each answer their own customers (Hypersender sets one webhook per instance).
 */
const ASSISTANT_INSTANCE = '5e0c8b7a-3d2f-4c1b-9a8e-7f6d5c4b3a21';
const ASSISTANT_CREDENTIAL = Object.freeze({ id: 'hsSandboxAssistant', name: 'Hypersender (sandbox, assistant number)' });
const MCP_CREDENTIAL = Object.freeze({ id: 'hsMcpBearer', name: 'MCP clients (bearer token)' });
const CHAT_MODEL_CREDENTIAL = Object.freeze({ id: 'hsSandboxChatModel', name: 'Sandbox chat model (OpenAI-compatible)' });
const TRIGGER_TYPE = `${PACKAGE_NAME}.hypersenderTrigger`;
/** The customer the printed simulate command pretends to be, and what they write. */
const SIMULATED_CUSTOMER = { from: '+4915123456789', text: 'Hi, is my order on its way?' };
/** What the assistant's customer writes (the customer is a named contact of its instance). */
const ASSISTANT_QUESTION = 'Hello! Can I change the delivery address of my order?';
// The credential keeps the sandbox credential's id with a real account too: the example
// workflow points at that id.
const CREDENTIAL_ID = SANDBOX_CREDENTIAL.id;

/**
 * What a start imports: the credentials, the example workflows, and a hash of each list.
 * @typedef {object} Examples
 * @property {{ id: string, name: string, type: string, data: Api['data'] }} credential the one the examples use
 * @property {Credential[]} credentials
 * @property {string} credentialHash
 * @property {any[]} workflows the first is the one the ready message points at
 * @property {string} workflowHash
 */

/**
 * The credentials and example workflows for this API and home.
 * @param {Api} api @param {StartState} state
 * @returns {Examples}
 */
function examplesFor(api, state) {
	const credential = { id: CREDENTIAL_ID, name: api.credentialName, type: CREDENTIAL_TYPE, data: api.data };
	/** @type {Credential[]} */
	const credentials = [credential, { ...MCP_CREDENTIAL, type: 'httpBearerAuth', data: { token: String(state.mcpToken) } }];
	if (api.kind === 'sandbox') {
		credentials.push(
			{ ...ASSISTANT_CREDENTIAL, type: CREDENTIAL_TYPE, data: { ...api.data, instanceId: ASSISTANT_INSTANCE, webhookSecret: String(state.assistantSecret) } },
			// Any key does for the sandbox's scripted model; n8n wants one.
			{ ...CHAT_MODEL_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sandbox', url: `${api.sandbox.url}/openai/v1` } },
		);
	}
	const credentialHash = hash(credentials);

	const workflows = EXAMPLE_FILES.map((file) => {
		const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
		// On the sandbox the assistant answers on its own instance; with an account, every
		// example uses the account's credential.
		const own = api.kind === 'sandbox' && workflow.id === ASSISTANT_ID ? ASSISTANT_CREDENTIAL : { id: CREDENTIAL_ID, name: credential.name };
		for (const node of workflow.nodes) {
			if (node.credentials?.[CREDENTIAL_TYPE]) node.credentials[CREDENTIAL_TYPE] = { id: own.id, name: own.name };
		}
		return workflow;
	});
	// Imported once: later starts keep the user's edits to them. Re-imported when an example
	// file itself changes (or the credential's name does).
	const workflowHash = hash(workflows);
	return { credential, credentials, credentialHash, workflows, workflowHash };
}

/**
 * Imports what changed since the last start into n8n's database.
 * @param {Examples} examples @param {HomeState} store @param {string} baseUrl the API's (the message names it)
 * @param {{ credentials: (list: Credential[]) => Promise<unknown>, workflows: (list: any[]) => Promise<unknown> }} into
 */
async function importChanged({ credentials, credentialHash, workflows, workflowHash }, store, baseUrl, into) {
	if (store.get().credentialHash !== credentialHash) {
		log(`Importing the credentials ${credentials.map((each) => `"${each.name}"`).join(', ')} (${baseUrl})...`);
		await into.credentials(credentials);
		store.save({ credentialHash });
	}
	if (store.get().workflowHash !== workflowHash) {
		log(`Importing the example workflows ${workflows.map((each) => `"${each.name}"`).join(', ')}...`);
		await into.workflows(workflows);
		store.save({ workflowHash });
	}
}

module.exports = {
	examplesFor,
	importChanged,
	AUTO_REPLY_ID,
	ASSISTANT_ID,
	MCP_ID,
	OTP_ID,
	ASSISTANT_INSTANCE,
	CREDENTIAL_ID,
	TRIGGER_TYPE,
	SIMULATED_CUSTOMER,
	ASSISTANT_QUESTION,
};
