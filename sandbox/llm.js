// @ts-check
'use strict';
// A scripted, deterministic OpenAI-compatible chat model under /openai/v1, so n8n's AI Agent
// (with the "OpenAI Chat Model" node, its credential's Base URL pointed here) can run a WhatsApp
// assistant workflow with no cloud model. Stateless: every answer follows from the request's
// `messages` and `tools` alone. The script: look the customer up (a contact tool and a chat ID
// in the text), then send one reply (a send/reply tool with a text property), then answer with
// what was done. GET /models, POST /chat/completions (JSON, or server-sent events with `stream`),
// and POST /audio/transcriptions for the voice notes of simulated customers (llm-audio.js).
// This file answers the requests; the script itself is llm-script.js.

const { HttpError, readBody, sendJson } = require('./http');
const { TRANSCRIPTION_MODEL_ID, createTranscriber } = require('./llm-audio');
const { decide, isRecord, contentText, parseJson, looksLikeError, nameFromLookup, toolsOf, pastCalls } = require('./llm-script');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./llm-script').LlmDecision} LlmDecision */

/**
 * One completion request as recorded (never the API key).
 * @typedef {object} LlmCompletion
 * @property {string} id the completion id answered (`chatcmpl-sandbox-<n>`)
 * @property {number} at arrival time, ms since the epoch
 * @property {boolean} stream whether it was answered as server-sent events
 * @property {Record<string, unknown>[]} messages the request's `messages` as received
 * @property {string[]} toolNames the names of the function tools offered
 * @property {LlmDecision} decision
 */

const LLM_PATH = '/openai/v1';
const MODEL_ID = 'sandbox-assistant';
/** The fixed `created` of the model (2025-01-01T00:00:00Z). */
const MODEL_CREATED = 1735689600;
const OWNER = 'hypersender-sandbox';
const FINGERPRINT = 'sandbox';
const MAX_CHAT_BODY_BYTES = 8 * 1024 * 1024;
const MISSING_KEY_MESSAGE = 'Missing or empty API key: send Authorization: Bearer <any key>.';

/** @type {Record<string, string>} the routes under LLM_PATH and their method */
const ROUTES = { '/models': 'GET', '/chat/completions': 'POST', '/audio/transcriptions': 'POST' };

/**
 * An OpenAI-style error body.
 * @param {string} message
 * @param {string} type
 * @param {string | null} param
 * @param {string | null} code
 */
function openAiError(message, type, param = null, code = null) {
	return { error: { message, type, param, code } };
}

/**
 * Whether the Authorization header carries `Bearer <non-empty key>` (the key itself is not kept).
 * @param {string | undefined} header
 */
function hasApiKey(header) {
	return typeof header === 'string' && /^Bearer\s+\S/i.test(header.trim());
}

/**
 * Rough token counts: characters / 4, rounded up.
 * @param {Record<string, unknown>[]} messages
 * @param {number} outputChars
 */
function usageOf(messages, outputChars) {
	let chars = 0;
	for (const message of messages) {
		chars += contentText(message.content).length;
		for (const call of pastCalls([message])) chars += call.name.length + call.arguments.length;
	}
	const promptTokens = Math.ceil(chars / 4);
	const completionTokens = Math.ceil(outputChars / 4);
	return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

/**
 * Splits a text answer into two chunks at the space nearest its middle (one chunk when short).
 * @param {string} text
 */
function splitContent(text) {
	const middle = Math.floor(text.length / 2);
	const cut = text.lastIndexOf(' ', middle);
	return cut <= 0 ? [text] : [text.slice(0, cut), text.slice(cut)];
}

/**
 * The chat completion request's body, or the 400 error to answer.
 * @param {Buffer} body
 * @returns {{ request: Record<string, unknown>, messages: Record<string, unknown>[] } | { error: ReturnType<typeof openAiError> }}
 */
function parseRequest(body) {
	const parsed = parseJson(body.toString('utf8'));
	if (!parsed) {
		return { error: openAiError('We could not parse the JSON body of your request. The API expects a JSON object with a "messages" array.', 'invalid_request_error', 'messages') };
	}
	const request = parsed.value;
	if (!isRecord(request)) return { error: openAiError('The request body must be a JSON object.', 'invalid_request_error', 'messages') };
	const { messages } = request;
	if (!Array.isArray(messages)) return { error: openAiError("Missing required parameter: 'messages'.", 'invalid_request_error', 'messages') };
	if (messages.length === 0) {
		return { error: openAiError("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'invalid_request_error', 'messages') };
	}
	const bad = messages.findIndex((message) => !isRecord(message) || typeof message.role !== 'string');
	if (bad !== -1) return { error: openAiError(`Invalid 'messages[${bad}]': expected an object with a string 'role'.`, 'invalid_request_error', 'messages') };
	if (request.tools !== undefined && request.tools !== null && !Array.isArray(request.tools)) {
		return { error: openAiError("Invalid 'tools': expected an array.", 'invalid_request_error', 'tools') };
	}
	return { request, messages: /** @type {Record<string, unknown>[]} */ (messages) };
}

/**
 * Creates the scripted model: its recorded completions and transcriptions, and the handler of
 * requests under LLM_PATH.
 * @param {{ transcriptOf?: (sha256: string) => string | undefined }} [options] the transcript of a voice note the sandbox made, by the SHA-256 (hex) of its bytes
 */
function createScriptedModel({ transcriptOf = () => undefined } = {}) {
	/** @type {LlmCompletion[]} */
	const completions = [];
	let counter = 0;
	const transcriber = createTranscriber({ transcriptOf, openAiError });

	/**
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 */
	async function chatCompletion(req, res) {
		let body;
		try {
			body = await readBody(req, MAX_CHAT_BODY_BYTES);
		} catch (error) {
			if (!(error instanceof HttpError)) throw error;
			if (!res.destroyed) sendJson(res, error.status, openAiError('The request body is too large.', 'invalid_request_error'));
			return;
		}
		const parsed = parseRequest(body);
		if ('error' in parsed) return sendJson(res, 400, parsed.error);
		const { request, messages } = parsed;
		const stream = request.stream === true;
		const includeUsage = stream && isRecord(request.stream_options) && request.stream_options.include_usage === true;
		const { decision, callId } = decide(messages, request.tools);

		counter += 1;
		const id = `chatcmpl-sandbox-${counter}`;
		completions.push({ id, at: Date.now(), stream, messages, toolNames: toolsOf(request.tools).map((tool) => tool.name), decision });

		const model = typeof request.model === 'string' && request.model !== '' ? request.model : MODEL_ID;
		const created = Math.floor(Date.now() / 1000);
		const toolCall =
			decision.type === 'tool_call'
				? { id: /** @type {string} */ (callId), type: 'function', function: { name: decision.tool, arguments: JSON.stringify(decision.arguments) } }
				: null;
		const outputChars = toolCall ? toolCall.function.name.length + toolCall.function.arguments.length : decision.type === 'answer' ? decision.content.length : 0;
		const usage = usageOf(messages, outputChars);
		const finishReason = toolCall ? 'tool_calls' : 'stop';
		const content = decision.type === 'answer' ? decision.content : null;

		if (!stream) {
			/** @type {Record<string, unknown>} */
			const message = { role: 'assistant', content };
			if (toolCall) message.tool_calls = [toolCall];
			message.refusal = null;
			return sendJson(res, 200, {
				id,
				object: 'chat.completion',
				created,
				model,
				choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
				usage,
				system_fingerprint: FINGERPRINT,
			});
		}

		/**
		 * @param {unknown[]} choices
		 * @param {unknown} [chunkUsage]
		 */
		const chunk = (choices, chunkUsage) => {
			/** @type {Record<string, unknown>} */
			const data = { id, object: 'chat.completion.chunk', created, model, system_fingerprint: FINGERPRINT, choices };
			if (includeUsage) data.usage = chunkUsage ?? null;
			return `data: ${JSON.stringify(data)}\n\n`;
		};
		/**
		 * @param {Record<string, unknown>} delta
		 * @param {string | null} [finish]
		 */
		const choice = (delta, finish = null) => [{ index: 0, delta, logprobs: null, finish_reason: finish }];
		/** @type {string[]} */
		const events = [];
		if (toolCall) {
			events.push(
				chunk(choice({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.function.name, arguments: '' } }], refusal: null })),
				chunk(choice({ tool_calls: [{ index: 0, function: { arguments: toolCall.function.arguments } }] })),
			);
		} else {
			events.push(chunk(choice({ role: 'assistant', content: '', refusal: null })));
			for (const piece of splitContent(content ?? '')) events.push(chunk(choice({ content: piece })));
		}
		events.push(chunk(choice({}, finishReason)));
		if (includeUsage) events.push(chunk([], usage));
		events.push('data: [DONE]\n\n');
		res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
		for (const event of events) res.write(event);
		res.end();
	}

	/**
	 * Answers a request under LLM_PATH.
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 * @param {string} pathname
	 * @returns {Promise<void>}
	 */
	async function handle(req, res, pathname) {
		const method = req.method ?? 'GET';
		const route = pathname.slice(LLM_PATH.length).replace(/\/+$/, '');
		const expected = Object.hasOwn(ROUTES, route) ? ROUTES[route] : undefined;
		if (expected === undefined) return sendJson(res, 404, openAiError(`Invalid URL (${method} ${pathname})`, 'invalid_request_error'));
		if (method !== expected) {
			return sendJson(res, 405, openAiError(`Invalid method for URL (${method} ${pathname}); use ${expected}.`, 'invalid_request_error'), { Allow: expected });
		}
		if (!hasApiKey(req.headers.authorization)) return sendJson(res, 401, openAiError(MISSING_KEY_MESSAGE, 'invalid_request_error', null, 'invalid_api_key'));
		if (route === '/models') {
			return sendJson(res, 200, { object: 'list', data: [{ id: MODEL_ID, object: 'model', created: MODEL_CREATED, owned_by: OWNER }] });
		}
		if (route === '/audio/transcriptions') return transcriber.handle(req, res);
		return chatCompletion(req, res);
	}

	return { completions, transcriptions: transcriber.transcriptions, handle };
}

module.exports = { LLM_PATH, MODEL_ID, TRANSCRIPTION_MODEL_ID, createScriptedModel, decide, looksLikeError, nameFromLookup };
