// @ts-check
'use strict';
// The ready message `npm start` prints once everything is up: the editor, the login, the examples,
// the API, and per example on the sandbox how to try it (what to run, where to look); with --queue,
// the cluster's processes.
const { AUTO_REPLY_ID, ASSISTANT_ID } = require('./examples');

/** @typedef {import('./api').Api} Api */
/** @typedef {import('./activation').AutoReplyInfo} AutoReplyInfo */
/** @typedef {import('./activation').McpInfo} McpInfo */
/** @typedef {import('./activation').OtpInfo} OtpInfo */
/** @typedef {import('./n8n').RunningN8n} RunningN8n */
/** @typedef {import('./examples').Examples} Examples */
/** @typedef {import('./options').StartOptions} StartOptions */

/**
 * @typedef {object} ReadyInfo
 * @property {string} url
 * @property {{ email: string, password: string }} owner
 * @property {string} workflowId the example the ready message points at
 * @property {string[]} workflowIds every example imported
 * @property {{ id: string, name: string }} credential
 * @property {{ kind: Api['kind'], baseUrl: string, sandbox?: any }} api
 * @property {string} home
 * @property {AutoReplyInfo} [autoReply] the auto-reply example, when it runs on the sandbox
 * @property {AutoReplyInfo} [assistant] the AI assistant example, when it runs on the sandbox
 * @property {McpInfo} mcp the MCP server example
 * @property {OtpInfo} [otp] the one-time code example (its form's URL)
 * @property {import('../n8n/queue').QueueCluster} [queue] with --queue: the cluster (its processes, executions from PostgreSQL)
 * @property {() => Promise<void>} stop
 */

/**
 * The ready message's lines about the auto-reply example.
 * @param {string} url
 * @param {AutoReplyInfo | undefined} autoReply
 * @param {Api['kind']} kind
 * @returns {string[]}
 */
function autoReplyLines(url, autoReply, kind) {
	return triggerExampleLines(url, 'Auto-reply', AUTO_REPLY_ID, autoReply, kind);
}

/**
 * The ready message's lines about a trigger example.
 * @param {string} url
 * @param {string} label
 * @param {string} workflowId
 * @param {AutoReplyInfo | undefined} info
 * @param {Api['kind']} kind
 * @returns {string[]}
 */
function triggerExampleLines(url, label, workflowId, info, kind) {
	const head = `  ${label.padEnd(10)} ${url}/workflow/${workflowId}`;
	if (!info) {
		if (kind !== 'account') return [];
		return [
			'',
			`${head}   inactive: it would answer your real customers. Paste its Production URL`,
			'             into the Hypersender dashboard (Hypersender must be able to reach it), then activate it.',
		];
	}
	if (!info.active) return ['', `${head}   inactive: ${info.problem}`];
	return [
		'',
		`${head}   active; the sandbox sends its webhooks to ${info.webhookUrl}`,
		'             Simulate a customer writing to you (in another terminal):',
		'',
		`    ${info.simulateCommand}`,
		'',
		`             then see the run in ${url}/workflow/${info.workflowId}/executions`,
		`             and the reply the sandbox received in ${info.messagesUrl}`,
	];
}

/**
 * The ready message's lines about the MCP server example.
 * @param {string} url
 * @param {McpInfo} mcp
 * @returns {string[]}
 */
function mcpLines(url, mcp) {
	const head = `  MCP server ${url}/workflow/${mcp.workflowId}`;
	if (!mcp.active) return ['', `${head}   inactive: ${mcp.problem}`];
	return [
		'',
		`${head}   active: five Hypersender tools for MCP clients (Claude Desktop, Cursor, …)`,
		`             URL   ${mcp.url}   (Streamable HTTP; docs/ai-agents-and-mcp.md shows a client config)`,
		`             Token ${mcp.token}   (header Authorization: Bearer <token>)`,
	];
}

/**
 * The ready message's lines about the one-time code example.
 * @param {string} url
 * @param {OtpInfo | undefined} otp
 * @returns {string[]}
 */
function otpLines(url, otp) {
	if (!otp) return [];
	const head = `  OTP form   ${url}/workflow/${otp.workflowId}`;
	if (!otp.active) return ['', `${head}   inactive: ${otp.problem}`];
	return [
		'',
		`${head}   active: open ${otp.formUrl}`,
		'             and type a WhatsApp number (e.g. +49 151 23456789); the code it sends is in',
		`             ${otp.messagesUrl ?? 'the WhatsApp chat'}; type it on the next page.`,
	];
}

/**
 * The ready message's lines.
 * @param {{ editor: RunningN8n, owner: { email: string, password: string }, loginNote: string, api: Api, examples: Examples, options: StartOptions, started: number }} params
 * @param {{ autoReply: AutoReplyInfo | undefined, assistant: AutoReplyInfo | undefined, mcp: McpInfo, otp?: OtpInfo }} running the examples on the sandbox
 * @returns {string[]}
 */
function readyLines({ editor, owner, loginNote, api, examples, options, started }, { autoReply, assistant, mcp, otp }) {
	const [workflow, ...otherWorkflows] = examples.workflows;
	const { url } = editor;
	return [
		'',
		'  n8n with the Hypersender node is ready.',
		'',
		`  Editor     ${editor.url}`,
		`  Login      ${owner.email}  /  ${owner.password}   (${loginNote})`,
		`  Workflow   ${editor.url}/workflow/${workflow.id}   "${workflow.name}": click "Execute workflow"`,
		...otherWorkflows.map((other) => `  Also       ${url}/workflow/${other.id}   "${other.name}"`),
		api.kind === 'sandbox'
			? `  API        sandbox ${api.data.baseUrl} (${options.sandboxSize} contacts, token "${api.data.apiToken}", instance ${api.data.instanceId})`
			: `  API        ${api.data.baseUrl} (your account from HYPERSENDER_TOKEN / HYPERSENDER_INSTANCE)`,
		`  Credential "${examples.credential.name}"`,
		...autoReplyLines(url, autoReply, api.kind),
		...triggerExampleLines(url, 'Assistant', ASSISTANT_ID, assistant, api.kind),
		...mcpLines(url, mcp),
		...otpLines(url, otp),
		...editor.readyLines,
		'',
		`  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl-C to stop ${options.queue ? 'n8n (main, webhook processor, workers), Redis, PostgreSQL' : 'n8n'}${api.kind === 'sandbox' ? ' and the sandbox' : ''}.`,
		'',
	];
}

module.exports = { readyLines };
