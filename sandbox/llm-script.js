// @ts-check
'use strict';
// The script of the sandbox's chat model (llm.js): one decision per completion request, from its
// `messages` and `tools` alone. Look the customer up (a contact tool and a chat ID in the text),
// then send one reply (a send/reply tool with a text property), then answer with what was done.

/**
 * What the script decided for one completion request.
 * @typedef {{ type: 'tool_call', tool: string, arguments: Record<string, string> } | { type: 'answer', content: string }} LlmDecision
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

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
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

module.exports = { decide, isRecord, contentText, parseJson, looksLikeError, nameFromLookup, toolsOf, pastCalls };
