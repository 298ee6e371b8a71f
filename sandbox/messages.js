// @ts-check
'use strict';
// The WhatsApp side of the queued routes: which chats are on WhatsApp, message keys and ids, and
// the message objects a finished send carries as its response_body (shaped like the API docs and
// the official SDK's fixtures).
const { createHash, randomBytes } = require('node:crypto');
const { parseMessageId } = require('./queue');

/** @typedef {import('./chat-ids').ChatId} ChatId */
/** @typedef {import('./multipart').UploadedFile} UploadedFile */
/** @typedef {{ remoteJid: string, fromMe: boolean, id: string }} MessageKey */

/** Phone numbers whose digits end in this are not on WhatsApp, unless the instance has them as a contact. */
const NOT_ON_WHATSAPP_SUFFIX = '0000';

/** @type {Record<string, string>} */
const MIME_BY_EXTENSION = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	gif: 'image/gif',
	webp: 'image/webp',
	mp4: 'video/mp4',
	'3gp': 'video/3gpp',
	mov: 'video/quicktime',
	webm: 'video/webm',
	mp3: 'audio/mpeg',
	ogg: 'audio/ogg; codecs=opus',
	opus: 'audio/ogg; codecs=opus',
	m4a: 'audio/mp4',
	wav: 'audio/wav',
	pdf: 'application/pdf',
	txt: 'text/plain',
	zip: 'application/zip',
};
/** @type {Record<string, string>} */
const DEFAULT_MIME = { image: 'image/jpeg', video: 'video/mp4', document: 'application/octet-stream', audio: 'audio/ogg; codecs=opus' };

/**
 * Whether a chat can receive messages. Groups and LIDs always exist. A phone number is not on
 * WhatsApp when its digits are in `notOnWhatsapp`, or when they end in 0000 and the instance has
 * no contact for it; every other number is.
 * @param {import('./instances').Instance} instance
 * @param {string[]} notOnWhatsapp
 * @param {ChatId} chat
 */
function isOnWhatsapp(instance, notOnWhatsapp, chat) {
	if (chat.digits === null) return true;
	if (notOnWhatsapp.includes(chat.digits)) return false;
	if (!chat.digits.endsWith(NOT_ON_WHATSAPP_SUFFIX)) return true;
	return instance.find(chat) !== undefined;
}

/**
 * The jid a message to this chat is sent to: `<digits>@c.us` for a phone number in any form.
 * @param {ChatId} chat
 */
function remoteJidFor(chat) {
	return chat.digits === null ? chat.text : `${chat.digits}@c.us`;
}

/** A new message id like WhatsApp Web's: `3EB0` and 20 more upper-case hex digits. */
function newKeyId() {
	return `3EB0${randomBytes(10).toString('hex').toUpperCase()}`;
}

/**
 * A sent message as the API answers it once done.
 * @param {string} remoteJid
 * @param {Record<string, unknown>} message
 * @param {number} doneAt
 */
function envelope(remoteJid, message, doneAt) {
	/** @type {MessageKey} */
	const key = { remoteJid, fromMe: true, id: newKeyId() };
	return { key, message, messageTimestamp: String(Math.floor(doneAt / 1000)), status: 'PENDING' };
}

/**
 * `contextInfo` of a reply: the quoted message's id (from a serialized id or a bare one).
 * @param {unknown} replyTo
 */
function replyContext(replyTo) {
	if (typeof replyTo !== 'string' || replyTo.trim() === '') return {};
	const parsed = parseMessageId(replyTo);
	return { contextInfo: { stanzaId: parsed?.id ?? replyTo.trim(), ...(parsed?.jid ? { remoteJid: parsed.jid } : {}) } };
}

/** @param {unknown} value */
function text(value) {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The file name at the end of a URL path, decoded when it can be.
 * @param {string} pathname
 */
function lastSegment(pathname) {
	const segment = pathname.split('/').pop() ?? '';
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * The media part of a message: where it was stored on the (fake) CDN, its type and, for an
 * upload, its size and SHA-256 (base64, as WhatsApp carries it).
 * @param {'image' | 'video' | 'document' | 'audio'} kind
 * @param {Record<string, unknown>} input
 * @param {UploadedFile | undefined} file
 * @param {number} doneAt
 */
function media(kind, input, file, doneAt) {
	const url = text(input.url);
	const urlName = url ? lastSegment(new URL(url.trim()).pathname) : '';
	const extension = /\.([a-z0-9]+)$/i.exec(file?.filename ?? urlName)?.[1]?.toLowerCase() ?? '';
	const mimetype = text(input.mimetype) ?? file?.mimetype ?? MIME_BY_EXTENSION[extension] ?? DEFAULT_MIME[kind];
	const path = `/v/t62.7118-24/${randomBytes(8).toString('hex')}_n.enc?ccb=11-4`;
	return {
		url: `https://mmg.whatsapp.net${path}&mms3=true`,
		mimetype,
		...(file ? { fileSha256: createHash('sha256').update(file.data).digest('base64'), fileLength: file.size } : {}),
		directPath: path,
		mediaKeyTimestamp: Math.floor(doneAt / 1000),
		...(kind === 'document' ? { fileName: text(input.filename) ?? file?.filename ?? (urlName || 'file') } : {}),
	};
}

/**
 * The message content of a send-* request (already validated).
 * @param {string} endpoint
 * @param {Record<string, unknown>} input
 * @param {UploadedFile | undefined} file
 * @param {number} doneAt
 * @returns {Record<string, unknown>}
 */
function sendContent(endpoint, input, file, doneAt) {
	const reply = replyContext(input.reply_to);
	const caption = text(input.caption) === undefined ? {} : { caption: input.caption };
	switch (endpoint) {
		case 'send-text':
		case 'send-text-safe':
			return { extendedTextMessage: { text: input.text, ...reply } };
		case 'send-image':
			return { imageMessage: { ...media('image', input, file, doneAt), ...caption, ...reply } };
		case 'send-video': {
			const asNote = input.asNote === true || input.asNote === 1 || input.asNote === '1' || input.asNote === 'true';
			return { [asNote ? 'ptvMessage' : 'videoMessage']: { ...media('video', input, file, doneAt), ...caption, gifPlayback: false, ...reply } };
		}
		case 'send-file':
			return { documentMessage: { ...media('document', input, file, doneAt), ...caption, ...reply } };
		case 'send-voice':
			return { audioMessage: { ...media('audio', input, file, doneAt), ptt: true, ...reply } };
		case 'send-location':
			return {
				locationMessage: {
					degreesLatitude: Number(input.latitude),
					degreesLongitude: Number(input.longitude),
					...(text(input.title) ? { name: input.title } : {}),
					...reply,
				},
			};
		case 'send-contact-card':
			return contactCards(/** @type {Array<Record<string, unknown>>} */ (input.contacts));
		case 'send-poll': {
			const poll = /** @type {{ name: string, options: string[], multipleAnswers?: unknown }} */ (input.poll);
			const multiple = poll.multipleAnswers === true || poll.multipleAnswers === 1 || poll.multipleAnswers === '1' || poll.multipleAnswers === 'true';
			return {
				pollCreationMessageV3: {
					name: poll.name,
					options: poll.options.map((option) => ({ optionName: option })),
					selectableOptionsCount: multiple ? poll.options.length : 1,
					...reply,
				},
			};
		}
		default:
			throw new Error(`no message content for ${endpoint}`);
	}
}

/**
 * One contact card (`contactMessage`) or several (`contactsArrayMessage`).
 * @param {Array<Record<string, unknown>>} contacts
 */
function contactCards(contacts) {
	const cards = contacts.map((contact) => {
		if (text(contact.vcard)) {
			const name = /^FN:(.*)$/m.exec(String(contact.vcard))?.[1]?.trim() ?? '';
			return { displayName: name, vcard: String(contact.vcard) };
		}
		const phone = String(contact.phoneNumber);
		const waid = text(contact.whatsappId) ? String(contact.whatsappId).replace(/@.*$/, '') : phone.replace(/[^0-9]/g, '');
		const lines = ['BEGIN:VCARD', 'VERSION:3.0', `FN:${contact.fullName}`];
		if (text(contact.organization)) lines.push(`ORG:${contact.organization};`);
		lines.push(`TEL;type=CELL;type=VOICE;waid=${waid}:${phone}`, 'END:VCARD');
		return { displayName: String(contact.fullName), vcard: lines.join('\n') };
	});
	if (cards.length === 1) return { contactMessage: cards[0] };
	return { contactsArrayMessage: { displayName: `${cards.length} contacts`, contacts: cards } };
}

/**
 * A forwarded copy of a message's content: the same content, marked forwarded.
 * @param {Record<string, unknown>} message
 */
function forwardedContent(message) {
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [type, content] of Object.entries(structuredClone(message))) {
		if (typeof content !== 'object' || content === null) {
			out[type] = content;
			continue;
		}
		// A forward drops the original's reply context and is marked forwarded instead.
		out[type] = { ...content, contextInfo: { forwardingScore: 1, isForwarded: true } };
	}
	return out;
}

module.exports = {
	NOT_ON_WHATSAPP_SUFFIX,
	envelope,
	forwardedContent,
	isOnWhatsapp,
	newKeyId,
	remoteJidFor,
	replyContext,
	sendContent,
};
