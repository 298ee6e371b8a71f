// @ts-check
'use strict';
// A scripted, deterministic OpenAI-compatible chat model under /openai/v1, so n8n's AI Agent
// (with the "OpenAI Chat Model" node, its credential's Base URL pointed here) can run a WhatsApp
// assistant workflow with no cloud model. Stateless: every answer follows from the request's
// `messages` and `tools` alone. The script: look the customer up (a contact tool and a chat ID
// in the text), then send one reply (a send/reply tool with a text property), then answer with
// what was done. GET /models, POST /chat/completions (JSON, or server-sent events with `stream`).

const { HttpError, readBody, sendJson } = require('./http');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/**
 * What the script decided for one completion request.
 * @typedef {{ type: 'tool_call', tool: string, arguments: Record<string, string> } | { type: 'answer', content: string }} LlmDecision
 */

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

/**
 * A function tool as the script sees it.
 * @typedef {object} ToolInfo
 * @property {string} name
 * @property {string} description
 * @property {Record<string, unknown>} properties the JSON schema's properties (empty when none)
 */

/**
 * A tool call found in an assistant message.
 * @typedef {object} PastCall
 * @property {string} id
 * @property {string} name
 * @property {string} arguments the JSON string as sent
 */

const LLM_PATH = '/openai/v1';
const MODEL_ID = 'sandbox-assistant';
/** The fixed `created` of the model (2025-01-01T00:00:00Z). */
const MODEL_CREATED = 1735689600;
const OWNER = 'hypersender-sandbox';
const FINGERPRINT = 'sandbox';
const MAX_CHAT_BODY_BYTES = 8 * 1024 * 1024;
const QUOTE_LENGTH = 80;
const ERROR_QUOTE_LENGTH = 200;
/** A WhatsApp chat ID in free text: a user (`c.us`, `s.whatsapp.net`, `lid`) or a group (`g.us`). */
const CHAT_ID_PATTERN = /(?<!\d)\d{5,20}@(?:c\.us|s\.whatsapp\.net|lid)\b|(?<![\d-])[\d-]{5,40}@g\.us\b/;
const LOOKUP_WORDS = /contact/i;
const REPLY_WORDS = /send|reply/i;
const CHAT_PROPERTY = /chat/i;
const TEXT_PROPERTY = /text|message|reply|body/i;
/** Text properties ending like this (messageId, reply_to) are references, so another match is preferred. */
const REFERENCE_PROPERTY = /(?:id|to)$/i;
const NAME_KEYS = ['name', 'pushname', 'displayName'];
/** How an agent prompt typically introduces the customer's words: `Customer <chat ID> wrote: …`. */
const HEADER_PATTERN = /^([^\n]*?)\b(?:wrote|writes|said|says)\s*:[^\S\n]*\n?/i;
const MISSING_KEY_MESSAGE = 'Missing or empty API key: send Authorization: Bearer <any key>.';

/** @type {Record<string, string>} the routes under LLM_PATH and their method */
const ROUTES = { '/models': 'GET', '/chat/completions': 'POST' };

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
 * The text of a message's content: a string, null, or an array of parts (`{type:'text', text}`).
 * @param {unknown} content
 * @returns {string}
 */
function contentText(content) {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part) => (typeof part === 'string' ? part : isRecord(part) && typeof part.text === 'string' ? part.text : ''))
		.filter((text) => text !== '')
		.join('\n');
}

/**
 * Whitespace collapsed, cut to `max` characters (code points) with `…` when longer.
 * @param {string} text
 * @param {number} max
 */
function quote(text, max) {
	const collapsed = text.replace(/\s+/g, ' ').trim();
	const chars = Array.from(collapsed);
	return chars.length > max ? `${chars.slice(0, max).join('').trimEnd()}…` : collapsed;
}

/**
 * @param {string} text
 * @returns {{ value: unknown } | undefined} undefined when the text is not JSON
 */
function parseJson(text) {
	try {
		return { value: JSON.parse(text) };
	} catch {
		return undefined;
	}
}

/**
 * Whether a tool result reads like a failure: text starting "Error" or "There was an error",
 * other non-JSON text mentioning an error, or JSON whose (first) object has a truthy `error` or
 * `errors` (n8n's tool errors: `{"error": "..."}` or `[{"error": "..."}]`) or is a serialized Error.
 * @param {string} text
 */
function looksLikeError(text) {
	const trimmed = text.trim();
	if (/^(?:error\b|there was an error)/i.test(trimmed)) return true;
	const parsed = parseJson(trimmed);
	if (!parsed) return /\berrors?\b/i.test(trimmed);
	const first = Array.isArray(parsed.value) ? parsed.value[0] : parsed.value;
	if (typeof first === 'string') return /\berrors?\b/i.test(first);
	if (!isRecord(first)) return false;
	if (first.error || first.errors) return true;
	return typeof first.name === 'string' && /Error$/.test(first.name) && typeof first.message === 'string';
}

/**
 * The customer's name in a lookup result (JSON: a list of item objects, or one object): the
 * first object's `name`, else `pushname`, else `displayName`; null when the lookup failed or
 * none is there.
 * @param {string | undefined} text
 * @returns {string | null}
 */
function nameFromLookup(text) {
	if (text === undefined || looksLikeError(text)) return null;
	const parsed = parseJson(text.trim());
	if (!parsed) return null;
	const first = Array.isArray(parsed.value) ? parsed.value[0] : parsed.value;
	if (!isRecord(first)) return null;
	for (const key of NAME_KEYS) {
		const value = first[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return null;
}

/**
 * Whether a JSON schema accepts strings.
 * @param {unknown} schema
 * @returns {boolean}
 */
function isStringSchema(schema) {
	if (!isRecord(schema)) return false;
	if (schema.type === 'string') return true;
	if (Array.isArray(schema.type) && schema.type.includes('string')) return true;
	const variants = [schema.anyOf, schema.oneOf].find(Array.isArray);
	return Array.isArray(variants) && variants.some(isStringSchema);
}

/**
 * The function tools of the request (other entries are skipped).
 * @param {unknown} tools
 * @returns {ToolInfo[]}
 */
function toolsOf(tools) {
	if (!Array.isArray(tools)) return [];
	/** @type {ToolInfo[]} */
	const out = [];
	for (const tool of tools) {
		if (!isRecord(tool) || (tool.type !== undefined && tool.type !== 'function') || !isRecord(tool.function)) continue;
		const { name, description, parameters } = tool.function;
		if (typeof name !== 'string' || name === '') continue;
		const properties = isRecord(parameters) && isRecord(parameters.properties) ? parameters.properties : {};
		out.push({ name, description: typeof description === 'string' ? description : '', properties });
	}
	return out;
}

/**
 * The first property whose name matches /chat/i, other than `except`.
 * @param {ToolInfo} tool
 * @param {string} [except]
 */
function chatProperty(tool, except) {
	return Object.keys(tool.properties).find((key) => CHAT_PROPERTY.test(key) && key !== except);
}

/**
 * The string property the reply text goes in: a name matching /text|message|reply|body/i (not a
 * chat property), one not ending in `id`/`to` preferred.
 * @param {ToolInfo} tool
 */
function textProperty(tool) {
	const matches = Object.entries(tool.properties)
		.filter(([key, schema]) => TEXT_PROPERTY.test(key) && !CHAT_PROPERTY.test(key) && isStringSchema(schema))
		.map(([key]) => key);
	return matches.find((key) => !REFERENCE_PROPERTY.test(key)) ?? matches[0];
}

/**
 * The first tool whose name matches `words` and that `fits`; else the first whose description
 * does (and whose name does not match `notNamed`).
 * @param {ToolInfo[]} tools
 * @param {RegExp} words
 * @param {RegExp | null} notNamed
 * @param {(tool: ToolInfo) => boolean} fits
 */
function pickTool(tools, words, notNamed, fits) {
	return (
		tools.find((tool) => words.test(tool.name) && fits(tool)) ??
		tools.find((tool) => words.test(tool.description) && !(notNamed && notNamed.test(tool.name)) && fits(tool))
	);
}

/**
 * The chat ID: the first in the customer text, else in the system (or developer) messages.
 * @param {string} customerText
 * @param {Record<string, unknown>[]} messages
 */
function findChatId(customerText, messages) {
	const texts = [customerText, ...messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => contentText(message.content))];
	for (const text of texts) {
		const match = CHAT_ID_PATTERN.exec(text);
		if (match) return match[0];
	}
	return null;
}

/**
 * The tool calls of the assistant messages, in order.
 * @param {Record<string, unknown>[]} messages
 * @returns {PastCall[]}
 */
function pastCalls(messages) {
	/** @type {PastCall[]} */
	const calls = [];
	for (const message of messages) {
		if (message.role !== 'assistant' || !Array.isArray(message.tool_calls)) continue;
		for (const call of message.tool_calls) {
			if (!isRecord(call)) continue;
			const fn = isRecord(call.function) ? call.function : {};
			calls.push({
				id: typeof call.id === 'string' ? call.id : '',
				name: typeof fn.name === 'string' ? fn.name : '',
				arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
			});
		}
	}
	return calls;
}

/**
 * The results of the tool calls: the `tool` messages' text by `tool_call_id`.
 * @param {Record<string, unknown>[]} messages
 */
function toolResults(messages) {
	/** @type {Map<string, string>} */
	const results = new Map();
	for (const message of messages) {
		if (message.role === 'tool' && typeof message.tool_call_id === 'string') results.set(message.tool_call_id, contentText(message.content));
	}
	return results;
}

/**
 * The customer's own words: the customer text without a leading `… <chat ID> … wrote:` header
 * (also `writes:`, `said:`, `says:`) when the header names the chat ID.
 * @param {string} customerText
 * @param {string | null} chatId
 */
function customerWords(customerText, chatId) {
	const header = HEADER_PATTERN.exec(customerText);
	return header && chatId !== null && header[1].includes(chatId) ? customerText.slice(header[0].length) : customerText;
}

/**
 * The reply the script sends.
 * @param {string | null} name
 * @param {string} customerText
 */
function replyText(name, customerText) {
	const greeting = `Hi ${name ?? 'there'}!`;
	const said = quote(customerText, QUOTE_LENGTH);
	if (said === '') return `${greeting} Thanks for your message. We will get back to you shortly.`;
	return `${greeting} Thanks for your message: "${said}". We will get back to you shortly.`;
}

/**
 * @param {string} text
 * @returns {Record<string, unknown>}
 */
function argumentsOf(text) {
	const parsed = parseJson(text);
	return parsed && isRecord(parsed.value) ? parsed.value : {};
}

/**
 * The script: one decision for a request's messages and tools (see the README).
 * @param {Record<string, unknown>[]} messages
 * @param {unknown} rawTools
 * @returns {{ decision: LlmDecision, callId: string | null }}
 */
function decide(messages, rawTools) {
	const tools = toolsOf(rawTools);
	let lastUser = -1;
	messages.forEach((message, index) => {
		if (message.role === 'user') lastUser = index;
	});
	const userText = lastUser === -1 ? '' : contentText(messages[lastUser].content);
	const chatId = findChatId(userText, messages);
	const customerText = customerWords(userText, chatId);
	const allCalls = pastCalls(messages);
	// Calls since the customer's last message: an earlier turn's lookup or reply does not count.
	const turnCalls = pastCalls(messages.slice(lastUser + 1));
	const results = toolResults(messages);
	const callId = `call_${allCalls.length + 1}`;

	const lookup = pickTool(tools, LOOKUP_WORDS, REPLY_WORDS, (tool) => chatProperty(tool) !== undefined);
	const reply = pickTool(tools, REPLY_WORDS, null, (tool) => tool !== lookup && textProperty(tool) !== undefined);
	/** @param {ToolInfo | undefined} tool */
	const lastCallOf = (tool) => (tool ? turnCalls.filter((call) => call.name === tool.name).pop() : undefined);
	const lookupCall = lastCallOf(lookup);
	const replyCall = lastCallOf(reply);

	if (lookup && chatId !== null && !lookupCall) {
		const property = /** @type {string} */ (chatProperty(lookup));
		return { decision: { type: 'tool_call', tool: lookup.name, arguments: { [property]: chatId } }, callId };
	}
	if (reply && !replyCall) {
		const name = lookupCall ? nameFromLookup(results.get(lookupCall.id)) : null;
		const text = /** @type {string} */ (textProperty(reply));
		/** @type {Record<string, string>} */
		const args = { [text]: replyText(name, customerText) };
		const chat = chatProperty(reply, text);
		if (chat !== undefined && chatId !== null) args[chat] = chatId;
		return { decision: { type: 'tool_call', tool: reply.name, arguments: args }, callId };
	}
	return { decision: { type: 'answer', content: finalAnswer({ tools, reply, replyCall, results, chatId, customerText }) }, callId: null };
}

/**
 * The final answer once nothing is left to call.
 * @param {{ tools: ToolInfo[], reply: ToolInfo | undefined, replyCall: PastCall | undefined, results: Map<string, string>, chatId: string | null, customerText: string }} state
 */
function finalAnswer({ tools, reply, replyCall, results, chatId, customerText }) {
	if (reply && replyCall) {
		const result = results.get(replyCall.id) ?? '';
		if (looksLikeError(result)) return `I could not send the reply: ${Array.from(result.trim()).slice(0, ERROR_QUOTE_LENGTH).join('')}`;
		const args = argumentsOf(replyCall.arguments);
		const text = textProperty(reply);
		const chat = chatProperty(reply, text);
		const sentTo = chat !== undefined && typeof args[chat] === 'string' ? args[chat] : (chatId ?? 'the customer');
		const sent = text !== undefined && typeof args[text] === 'string' ? args[text] : '';
		return `Replied to ${sentTo}: ${sent}`;
	}
	const said = quote(customerText, QUOTE_LENGTH);
	if (tools.length === 0) return `Sandbox model: no tools to call. You said: "${said}"`;
	return `Sandbox model: no reply tool among ${tools.map((tool) => tool.name).join(', ')}. You said: "${said}"`;
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
 * Creates the scripted model: its recorded completions and the handler of requests under LLM_PATH.
 */
function createScriptedModel() {
	/** @type {LlmCompletion[]} */
	const completions = [];
	let counter = 0;

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
		return chatCompletion(req, res);
	}

	return { completions, handle };
}

module.exports = { LLM_PATH, MODEL_ID, createScriptedModel, decide, looksLikeError, nameFromLookup };
