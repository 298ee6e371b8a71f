// @ts-check
'use strict';
// The OTP API under /api/otp/v2/{instance}: POST request-code (a code, sent to the chat as a
// WhatsApp text through the instance's queue, so it shows among the sent messages and their
// webhooks), POST validate-code (single use, expiry checked) and POST generate-link (a wa.me link
// whose prefilled text carries the code). The failure answers of validate-code are the sandbox's
// choice: the docs give none.
const { parseChatId } = require('../chat-ids');
const { validationFailure } = require('../http');
const { envelope } = require('../messages');
const { LINK_CODE_LENGTH, randomCode } = require('../otp');
const { isoOffset } = require('../times');
const { Checker, booleanValue, isBlank, isObject } = require('../validation');
const { enqueue } = require('./queued');

/** @typedef {import('../types').ApiRoute} ApiRoute */
/** @typedef {import('../types').Reply} Reply */
/** @typedef {import('../types').RouteCall} RouteCall */

/** validate-code's refusals (the sandbox's choice; the docs show only the success). */
const REFUSALS = /** @type {const} */ ({
	none: { status: 404, message: 'No active OTP code found for this chat.' },
	invalid: { status: 422, message: 'Invalid OTP code.' },
	used: { status: 422, message: 'OTP code has already been used.' },
	expired: { status: 422, message: 'OTP code has expired.' },
});

/**
 * The chat a `chatId` names, as the OTP API keeps it: a phone number in any writing (`+49 151 …`,
 * digits, `…@c.us`, `…@s.whatsapp.net`) as `<digits>@c.us`, a LID as it is; null for anything else.
 * @param {unknown} value
 */
function otpChat(value) {
	if (typeof value !== 'string' && typeof value !== 'number') return null;
	const text = String(value).trim();
	const phone = text.replace(/[\s().-]/g, '').replace(/^\+/, '');
	const chat = parseChatId(/^[0-9]+$/.test(phone) ? phone : text);
	if (!chat || chat.form === 'g.us') return null;
	return chat.digits === null ? chat.text : `${chat.digits}@c.us`;
}

/**
 * Checks chatId (required, a person); gives the chat, or null after recording the error.
 * @param {Checker} check
 * @param {unknown} value
 */
function checkChat(check, value) {
	if (!check.string('chatId', value, { required: true, digits: true })) return null;
	const chat = otpChat(value);
	if (chat === null) check.fail('chatId', 'format is invalid.');
	return chat;
}

/**
 * @param {Checker} check
 * @returns {Reply}
 */
function invalid(check) {
	return { status: 422, json: validationFailure(check.errors) };
}

/**
 * An optional whole number input, or its default.
 * @param {unknown} value
 * @param {number} fallback
 */
function wholeNumber(value, fallback) {
	return isBlank(value) ? fallback : Number(value);
}

/**
 * The text of the WhatsApp message that sends a code.
 * @param {string} code
 * @param {string | null} name
 * @param {number} expiresSeconds
 */
function codeText(code, name, expiresSeconds) {
	const within = expiresSeconds % 60 === 0 ? `${expiresSeconds / 60} minutes` : `${expiresSeconds} seconds`;
	return `${name ? `${name}: ` : ''}Your verification code is ${code}. It expires in ${within}.`;
}

/** @type {ApiRoute} */
const requestCode = {
	methods: ['POST'],
	readsBody: true,
	chatIdField: 'chatId',
	handle(call) {
		const { input, now, gateway, instanceId } = call;
		const check = new Checker();
		const chatId = checkChat(check, input.chatId);
		check.number('length', input.length, { min: 4, max: 10, integer: true });
		for (const field of ['useLetter', 'useNumber', 'allCapital']) check.boolean(field, input[field]);
		check.string('name', input.name, { max: 255 });
		check.number('expires', input.expires, { min: 60, max: 1800, integer: true });
		const useLetter = booleanValue(input.useLetter) ?? false;
		const useNumber = booleanValue(input.useNumber) ?? true;
		if (check.ok && !useLetter && !useNumber) check.fail('useNumber', 'must be accepted when use letter is false.');
		if (!check.ok || chatId === null) return invalid(check);

		const expires = wholeNumber(input.expires, 1800);
		const name = isBlank(input.name) ? null : String(input.name).trim();
		const code = randomCode({ length: wholeNumber(input.length, 6), useLetter, useNumber, allCapital: booleanValue(input.allCapital) ?? false });
		const record = gateway.otp.of(instanceId).add({ chatId, code, type: 'code', createdAt: now, expiresAt: now + expires * 1000, name, whatsappLink: null, message: null, callback: null });
		const text = codeText(code, name, expires);
		enqueue('otp/request-code', {
			validate: () => {},
			perform: ({ remoteJid, queue, doneAt }) => {
				const sent = envelope(remoteJid, { extendedTextMessage: { text } }, doneAt);
				queue.remember(sent.key, sent.message, { timestamp: Number(sent.messageTimestamp) });
				return { status: 201, body: sent };
			},
		}, { ...call, input: { chatId, text }, files: {} });
		const data = { uuid: record.uuid, chat_id: chatId, code, status: 'pending', otp_type: 'code', expires_at: isoOffset(record.expiresAt), created_at: isoOffset(now) };
		return { status: 200, json: { success: true, message: 'OTP code generated and message queued successfully', data } };
	},
};

/** @type {ApiRoute} */
const validateCode = {
	methods: ['POST'],
	readsBody: true,
	chatIdField: 'chatId',
	handle({ input, now, gateway, instanceId }) {
		const check = new Checker();
		const chatId = checkChat(check, input.chatId);
		check.string('code', input.code, { required: true, digits: true });
		if (!check.ok || chatId === null) return invalid(check);
		const outcome = gateway.otp.of(instanceId).validate(chatId, String(input.code).trim(), now);
		if ('refused' in outcome) {
			const { status, message } = REFUSALS[outcome.refused];
			return { status, json: { success: false, message } };
		}
		const { record } = outcome;
		const data = { uuid: record.uuid, chat_id: chatId, status: 'validated', validated_at: isoOffset(now) };
		return { status: 200, json: { success: true, message: 'OTP code validated successfully', data } };
	},
};

/**
 * Checks an optional object of optional strings (`message`) or URLs (`callback`).
 * @param {Checker} check
 * @param {string} field
 * @param {unknown} value
 * @param {string[]} keys
 * @param {boolean} urls
 */
function checkParts(check, field, value, keys, urls) {
	if (isBlank(value)) return;
	if (!isObject(value)) {
		check.fail(field, 'must be an array.');
		return;
	}
	const parts = /** @type {Record<string, unknown>} */ (value);
	for (const key of keys) {
		if (urls) check.url(`${field}.${key}`, parts[key]);
		else check.string(`${field}.${key}`, parts[key], { max: 1000 });
	}
}

/** @type {ApiRoute} */
const generateLink = {
	methods: ['POST'],
	readsBody: true,
	chatIdField: 'chatId',
	handle({ input, now, gateway, instanceId }) {
		const check = new Checker();
		const chatId = checkChat(check, input.chatId);
		check.number('expires', input.expires, { min: 60, max: 3600, integer: true });
		check.string('name', input.name, { max: 255 });
		checkParts(check, 'message', input.message, ['prompt', 'success', 'failed', 'expired'], false);
		checkParts(check, 'callback', input.callback, ['success', 'failed'], true);
		if (!check.ok || chatId === null) return invalid(check);

		const expires = wholeNumber(input.expires, 1800);
		const name = isBlank(input.name) ? null : String(input.name).trim();
		const message = isObject(input.message) ? /** @type {Record<string, unknown>} */ (input.message) : null;
		const code = randomCode({ length: LINK_CODE_LENGTH, useLetter: true, useNumber: false, allCapital: true });
		const prompt = typeof message?.prompt === 'string' && message.prompt.trim() !== '' ? message.prompt.trim() : `Give me link to login at ${name ?? 'Hypersender'}`;
		const phone = gateway.registry.of(instanceId).phone.replace(/[^0-9]/g, '');
		const whatsappLink = `https://wa.me/${phone}?${new URLSearchParams({ text: `${prompt} [${code}] - DO NOT CHANGE THIS MESSAGE` })}`;
		const callback = isObject(input.callback) ? /** @type {Record<string, unknown>} */ (input.callback) : null;
		const record = gateway.otp.of(instanceId).add({ chatId, code, type: 'link', createdAt: now, expiresAt: now + expires * 1000, name, whatsappLink, message, callback });
		const data = { uuid: record.uuid, code, chat_id: chatId, status: 'pending', otp_type: 'link', expires_at: isoOffset(record.expiresAt), created_at: isoOffset(now), whatsapp_link: whatsappLink };
		return { status: 200, json: { success: true, message: 'OTP link request created successfully', data } };
	},
};

/** @type {Record<string, ApiRoute>} */
const OTP_ROUTES = { 'request-code': requestCode, 'validate-code': validateCode, 'generate-link': generateLink };

module.exports = { OTP_ROUTES, REFUSALS, otpChat };
