// @ts-check
'use strict';
// The chat id forms the contacts endpoints accept, and the Laravel-style check of a `chat_id` input.

/**
 * A parsed chat id. `digits` is the phone number for `phone`, `c.us` and `s.whatsapp.net`.
 * @typedef {object} ChatId
 * @property {'phone' | 'c.us' | 's.whatsapp.net' | 'lid' | 'g.us'} form
 * @property {string} text the chat id as given (trimmed)
 * @property {string | null} digits
 */

const MAX_LENGTH = 128;
/** @type {Array<[ChatId['form'], RegExp]>} */
const FORMS = [
	['phone', /^([0-9]+)$/],
	['c.us', /^([0-9]+)@c\.us$/],
	['s.whatsapp.net', /^([0-9]+)@s\.whatsapp\.net$/],
	['lid', /^[^@\s]+@lid$/],
	['g.us', /^[^@\s]+@g\.us$/],
];

/**
 * The chat id, or null when it has none of the accepted forms: a bare phone number (digits only,
 * no `+`), `<digits>@c.us`, `<digits>@s.whatsapp.net`, `<x>@lid` or `<x>@g.us`.
 * @param {string} text
 * @returns {ChatId | null}
 */
function parseChatId(text) {
	const trimmed = text.trim();
	if (trimmed.length === 0 || trimmed.length > MAX_LENGTH) return null;
	for (const [form, pattern] of FORMS) {
		const match = pattern.exec(trimmed);
		if (match) return { form, text: trimmed, digits: match[1] ?? null };
	}
	return null;
}

/**
 * The chat id, for code that calls the sandbox directly; throws when it has none of the accepted forms.
 * @param {string} text
 * @returns {ChatId}
 */
function requireChatId(text) {
	const chat = parseChatId(String(text));
	if (!chat) throw new Error(`"${text}" is not a phone number (digits only) or a chat id (@c.us, @s.whatsapp.net, @lid, @g.us)`);
	return chat;
}

/**
 * Checks a `chat_id` input as the API's validation does. Laravel trims strings and turns empty
 * ones into null; JSON numbers are taken as their digits.
 * @param {unknown} value
 * @param {{ allowGroups?: boolean }} [options]
 * @returns {{ chat: ChatId } | { error: string }}
 */
function checkChatIdInput(value, { allowGroups = true } = {}) {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return { error: 'The chat id field is required.' };
	}
	const text = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
	if (typeof text !== 'string') return { error: 'The chat id field must be a string.' };
	const chat = parseChatId(text);
	if (!chat || (!allowGroups && chat.form === 'g.us')) return { error: 'The chat id field format is invalid.' };
	return { chat };
}

/**
 * The chat id text of an input value for the request log, or null.
 * @param {unknown} value
 * @returns {string | null}
 */
function chatIdText(value) {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return null;
}

module.exports = { checkChatIdInput, chatIdText, parseChatId, requireChatId };
