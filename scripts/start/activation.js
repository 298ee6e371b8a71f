// @ts-check
'use strict';
// The examples that run on the sandbox, activated: the auto-reply and the assistant (the sandbox's
// webhooks pointed at their production URLs, with their secrets) and the MCP server. Each is
// activated the first time it is imported and remembered so; one the user deactivated stays so.
const runtime = require('../n8n/runtime');
const { AUTO_REPLY_ID, ASSISTANT_ID, MCP_ID, OTP_ID, ASSISTANT_INSTANCE, TRIGGER_TYPE, SIMULATED_CUSTOMER, ASSISTANT_QUESTION } = require('./examples');

/** @typedef {import('./state').StartState} StartState */
/** @typedef {import('./state').HomeState} HomeState */
/** @typedef {import('./api').Api} Api */
/** @typedef {import('./examples').Examples} Examples */
/** @typedef {import('./n8n').RunningN8n} RunningN8n */

/**
 * The MCP server example: where MCP clients connect, with which token.
 * @typedef {object} McpInfo
 * @property {string} workflowId
 * @property {boolean} active
 * @property {string} url the MCP Server Trigger's production URL (Streamable HTTP)
 * @property {string} token the bearer token of the credential "MCP clients (bearer token)"
 * @property {string} [problem] why it is not active, when it is not
 */

/**
 * The one-time code example: its form's production URL, and where the sandbox shows the code it sent.
 * @typedef {object} OtpInfo
 * @property {string} workflowId
 * @property {boolean} active
 * @property {string} formUrl the Form Trigger's production URL
 * @property {string} [messagesUrl] on the sandbox: its list of the messages sent (the code)
 * @property {string} [problem] why it is not active, when it is not
 */

/**
 * A trigger example on the sandbox (the auto-reply, the assistant): its production webhook and how
 * to simulate a customer.
 * @typedef {object} AutoReplyInfo
 * @property {string} workflowId
 * @property {boolean} active whether n8n reports its trigger live
 * @property {string} webhookUrl the trigger's production URL, the sandbox's webhook URL
 * @property {string[]} simulateArgs `node sandbox/cli.js` arguments that simulate a customer's message
 * @property {string} simulateCommand the same as the one-liner the ready message prints
 * @property {string} messagesUrl the sandbox's list of the messages sent (the replies)
 * @property {string} [problem] why it is not active, when it is not
 */

/**
 * Activates an example the first time it is imported; n8n keeps it active after that. One the
 * user deactivated stays so (until the example file changes).
 * @param {{ url: string, session: import('../n8n/runtime').Session | undefined, workflowId: string, state: StartState, workflowHash: string }} params
 * @returns {Promise<{ active: boolean, problem?: string }>}
 */
async function activateExample({ url, session, workflowId, state, workflowHash }) {
	if (!session) return { active: false, problem: 'not signed in, so it could not be activated' };
	try {
		const current = await runtime.request(`${url}/rest/workflows/${encodeURIComponent(workflowId)}`, { headers: { cookie: session.cookie } });
		const isActive = !!current.body?.data?.activeVersionId;
		if (isActive) await runtime.waitForPublished(url, session, workflowId, { timeoutMs: 30000 });
		else if (activatedHash(state, workflowId) === workflowHash) return { active: false, problem: 'you deactivated it; activate it in the editor to try it' };
		else await runtime.activateWorkflow(url, session, workflowId, { timeoutMs: 30000 });
		return { active: true };
	} catch (error) {
		return { active: false, problem: `could not be activated: ${error.message.split('\n')[0]}` };
	}
}

/** @param {StartState} state @param {string} workflowId */
function activatedHash(state, workflowId) {
	return state.activated?.[workflowId] ?? (workflowId === AUTO_REPLY_ID ? state.activatedHash : undefined);
}

/**
 * A trigger example on the sandbox: the sandbox's webhook pointed at its production URL with the
 * secret (the sandbox-wide webhook for the main instance, the instance's own for another), and
 * the example activated.
 * @param {{ url: string, webhookBase: string, session: import('../n8n/runtime').Session | undefined, workflow: any, sandbox: any, instanceId: string, main: boolean, secret: string, customer: { from: string, text: string }, state: StartState, workflowHash: string }} params
 * @returns {Promise<AutoReplyInfo>}
 */
async function startTriggerExample({ url, webhookBase, session, workflow, sandbox, instanceId, main, secret, customer, state, workflowHash }) {
	const trigger = workflow.nodes.find((/** @type {{ type: string }} */ node) => node.type === TRIGGER_TYPE);
	if (!trigger?.webhookId) throw new Error(`the example "${workflow.name}" has no ${TRIGGER_TYPE} node with a webhookId`);
	// n8n's production URL of the trigger's webhook (its description's path is "webhook").
	const webhookUrl = `${webhookBase}/webhook/${trigger.webhookId}/webhook`;
	if (main) sandbox.configure({ webhookUrl, webhookSecret: secret });
	else sandbox.setWebhook(instanceId, { url: webhookUrl, secret });
	const instanceArgs = main ? [] : ['--instance', instanceId];
	const simulateArgs = ['simulate', 'message', '--sandbox', sandbox.url, ...instanceArgs, '--from', customer.from, '--text', customer.text];
	const simulateCommand = `npm run sandbox -- ${simulateArgs.slice(0, -1).join(' ')} "${customer.text}"`;
	const messagesUrl = `${sandbox.url}/__sandbox/messages/${encodeURIComponent(instanceId)}`;
	const activation = await activateExample({ url, session, workflowId: workflow.id, state, workflowHash });
	return { workflowId: workflow.id, webhookUrl, simulateArgs, simulateCommand, messagesUrl, ...activation };
}

/**
 * The phone number of the first named phone contact of an instance: the assistant greets it by name.
 * @param {any} sandbox
 * @param {string} instanceId
 */
function namedCustomerPhone(sandbox, instanceId) {
	const contacts = /** @type {Array<{ id: string, name?: string | null }>} */ (sandbox.expected(instanceId, 'id', 'asc'));
	const named = contacts.find((contact) => contact.id.endsWith('@c.us') && typeof contact.name === 'string' && contact.name.trim() !== '');
	return `+${(named ?? contacts[0]).id.split('@')[0]}`;
}

/**
 * The examples of the sandbox activated (with an account: none, and the MCP server's info says
 * why), each remembered in the home's state once active.
 * @param {{ editor: RunningN8n, session: import('../n8n/runtime').Session | undefined, api: Api, examples: Examples, store: HomeState, isStopping: () => boolean }} params
 * @returns {Promise<{ autoReply: AutoReplyInfo | undefined, assistant: AutoReplyInfo | undefined, mcp: McpInfo, otp: OtpInfo }>}
 */
async function startExamples({ editor, session, api, examples: { workflows, workflowHash }, store, isStopping }) {
	/** @param {string} workflowId @param {boolean} active */
	const remember = (workflowId, active) => {
		const state = store.get();
		if (!active || activatedHash(state, workflowId) === workflowHash) return;
		store.save({ activated: { ...state.activated, [workflowId]: workflowHash }, ...(workflowId === AUTO_REPLY_ID ? { activatedHash: workflowHash } : {}) });
	};
	const byId = (/** @type {string} */ id) => workflows.find((each) => each.id === id);
	/** @type {AutoReplyInfo | undefined} */
	let autoReply;
	/** @type {AutoReplyInfo | undefined} */
	let assistant;
	const mcpWorkflow = byId(MCP_ID);
	const mcpTrigger = mcpWorkflow?.nodes.find((/** @type {{ type: string }} */ node) => node.type === '@n8n/n8n-nodes-langchain.mcpTrigger');
	/** @type {McpInfo} */
	let mcp = {
		workflowId: MCP_ID,
		active: false,
		url: `${editor.webhookBase}/mcp/${mcpTrigger?.parameters?.path ?? 'hypersender'}`,
		token: String(store.get().mcpToken),
		problem: 'its tools would act on your real account: activate it in the editor when you want MCP clients to',
	};
	const otpTrigger = byId(OTP_ID)?.nodes.find((/** @type {{ type: string }} */ node) => node.type === 'n8n-nodes-base.formTrigger');
	/** @type {OtpInfo} */
	let otp = {
		workflowId: OTP_ID,
		active: false,
		formUrl: `${editor.webhookBase}/form/${otpTrigger?.parameters?.options?.path ?? otpTrigger?.webhookId ?? ''}`,
		problem: 'it would send real WhatsApp codes from your account: activate it in the editor when you want to',
	};
	if (api.kind === 'sandbox' && api.sandbox && !isStopping()) {
		const state = store.get();
		const common = { url: editor.url, webhookBase: editor.webhookBase, session, sandbox: api.sandbox, state, workflowHash };
		const autoReplyWorkflow = byId(AUTO_REPLY_ID);
		if (autoReplyWorkflow) {
			autoReply = await startTriggerExample({ ...common, workflow: autoReplyWorkflow, instanceId: api.data.instanceId, main: true, secret: String(state.webhookSecret), customer: SIMULATED_CUSTOMER });
			remember(AUTO_REPLY_ID, autoReply.active);
		}
		const assistantWorkflow = byId(ASSISTANT_ID);
		if (assistantWorkflow && !isStopping()) {
			const customer = { from: namedCustomerPhone(api.sandbox, ASSISTANT_INSTANCE), text: ASSISTANT_QUESTION };
			assistant = await startTriggerExample({ ...common, workflow: assistantWorkflow, instanceId: ASSISTANT_INSTANCE, main: false, secret: String(state.assistantSecret), customer });
			remember(ASSISTANT_ID, assistant.active);
		}
		const otpWorkflow = byId(OTP_ID);
		if (otpWorkflow && !isStopping()) {
			const activation = await activateExample({ url: editor.url, session, workflowId: OTP_ID, state: store.get(), workflowHash });
			otp = { ...otp, ...activation, messagesUrl: `${api.sandbox.url}/__sandbox/messages/${encodeURIComponent(api.data.instanceId)}` };
			if (!activation.problem) delete otp.problem;
			remember(OTP_ID, activation.active);
		}
		if (mcpWorkflow && !isStopping()) {
			const { problem, ...activation } = await activateExample({ url: editor.url, session, workflowId: MCP_ID, state: store.get(), workflowHash });
			mcp = { ...mcp, ...activation, problem };
			if (!problem) delete mcp.problem;
			remember(MCP_ID, activation.active);
		}
	}
	return { autoReply, assistant, mcp, otp };
}

module.exports = { startExamples };
