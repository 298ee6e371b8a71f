// @ts-check
'use strict';
// One-time codes, per instance: codes sent as a WhatsApp message (request-code) and "magic link"
// codes the customer sends back (generate-link). A code is valid until its expiry, once: the
// newest code of a chat is the one validate-code checks.
const { randomInt, randomUUID } = require('node:crypto');
const { isoOffset } = require('./times');

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The length of a link's code, as the SDK's fixture shows it (`RDYFQUBX`). */
const LINK_CODE_LENGTH = 8;

/**
 * One OTP code.
 * @typedef {object} OtpRecord
 * @property {string} uuid
 * @property {string} chatId `<digits>@c.us` or `<id>@lid`
 * @property {string} code
 * @property {'code' | 'link'} type
 * @property {number} createdAt ms since the epoch
 * @property {number} expiresAt
 * @property {number | null} validatedAt
 * @property {string | null} name
 * @property {number} attempts validate-code calls for this code (wrong ones included)
 * @property {string | null} whatsappLink generate-link: the wa.me link
 * @property {Record<string, unknown> | null} message generate-link: the texts given
 * @property {Record<string, unknown> | null} callback generate-link: the callback URLs given
 */

/**
 * A random code: digits and/or letters (lower and upper case, or upper case only with allCapital).
 * @param {{ length: number, useLetter: boolean, useNumber: boolean, allCapital: boolean }} spec
 */
function randomCode({ length, useLetter, useNumber, allCapital }) {
	const letters = allCapital ? UPPER : `${LOWER}${UPPER}`;
	const alphabet = `${useNumber ? DIGITS : ''}${useLetter ? letters : ''}`;
	let code = '';
	for (let i = 0; i < length; i++) code += alphabet[randomInt(alphabet.length)];
	return code;
}

/**
 * The status a code shows now.
 * @param {OtpRecord} record
 * @param {number} now
 * @returns {'pending' | 'validated' | 'expired'}
 */
function statusOf(record, now) {
	if (record.validatedAt !== null) return 'validated';
	return now >= record.expiresAt ? 'expired' : 'pending';
}

/**
 * A code as the controls show it (everything, the code included).
 * @param {OtpRecord} record
 * @param {number} now
 */
function controlView(record, now) {
	return {
		uuid: record.uuid,
		chat_id: record.chatId,
		code: record.code,
		otp_type: record.type,
		status: statusOf(record, now),
		name: record.name,
		expires_at: isoOffset(record.expiresAt),
		created_at: isoOffset(record.createdAt),
		validated_at: record.validatedAt === null ? null : isoOffset(record.validatedAt),
		attempts: record.attempts,
		...(record.type === 'link' ? { whatsapp_link: record.whatsappLink, message: record.message, callback: record.callback } : {}),
	};
}

/** An instance's codes, oldest first. */
class OtpStore {
	constructor() {
		/** @type {OtpRecord[]} */
		this.records = [];
	}

	/**
	 * @param {Omit<OtpRecord, 'uuid' | 'validatedAt' | 'attempts'>} fields
	 * @returns {OtpRecord}
	 */
	add(fields) {
		const record = { uuid: randomUUID(), validatedAt: null, attempts: 0, ...fields };
		this.records.push(record);
		return record;
	}

	/**
	 * The newest code of a chat (of the type), or undefined.
	 * @param {string} chatId
	 * @param {'code' | 'link'} [type]
	 */
	latest(chatId, type) {
		for (let i = this.records.length - 1; i >= 0; i--) {
			const record = this.records[i];
			if (record.chatId === chatId && (type === undefined || record.type === type)) return record;
		}
		return undefined;
	}

	/**
	 * Checks a code for a chat, as validate-code does: the newest code of the chat must match, be
	 * unused and unexpired; a match uses it up.
	 * @param {string} chatId
	 * @param {string} code
	 * @param {number} now
	 * @returns {{ record: OtpRecord } | { refused: 'none' | 'invalid' | 'used' | 'expired' }}
	 */
	validate(chatId, code, now) {
		const record = this.latest(chatId, 'code');
		if (!record) return { refused: 'none' };
		record.attempts++;
		if (record.code !== code) return { refused: 'invalid' };
		if (record.validatedAt !== null) return { refused: 'used' };
		if (now >= record.expiresAt) return { refused: 'expired' };
		record.validatedAt = now;
		return { record };
	}

	/**
	 * Finds a code by its uuid, or the newest of a chat.
	 * @param {{ uuid?: string, chatId?: string }} which
	 */
	find({ uuid, chatId }) {
		if (uuid !== undefined) return this.records.find((record) => record.uuid === uuid);
		return chatId === undefined ? undefined : this.latest(chatId);
	}

	clear() {
		this.records = [];
	}
}

/** Every instance's codes, each store made on first use. */
class OtpStores {
	constructor() {
		/** @type {Map<string, OtpStore>} */
		this.byInstance = new Map();
	}

	/** @param {string} instanceId */
	of(instanceId) {
		let store = this.byInstance.get(instanceId);
		if (!store) this.byInstance.set(instanceId, (store = new OtpStore()));
		return store;
	}
}

module.exports = { LINK_CODE_LENGTH, OtpStore, OtpStores, controlView, randomCode, statusOf };
