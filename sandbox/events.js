// @ts-check
'use strict';
// The webhook payloads (the envelope's `data.payload`), shaped like the API docs and the official
// SDK's fixtures (WAHA's shapes): message.any and message.ack for the node's own sends, and what a
// customer does (an incoming message, a reaction, a poll vote, a revoke, "waiting for this
// message", typing, an ack).
const { randomBytes } = require('node:crypto');
const { serializedId } = require('./queue');

/** @typedef {import('./queue').SentMessage} SentMessage */
/** @typedef {import('./queue').QueuedRecord} QueuedRecord */
/** @typedef {{ id: string, pushName: string, lid: string }} Me */
/** @typedef {{ remoteJid: string, fromMe: boolean, id: string, participant?: string }} Key */

/** WhatsApp's ack levels as the webhooks name them. */
const ACK_NAMES = /** @type {Record<string, string>} */ ({ '-1': 'ERROR', 0: 'PENDING', 1: 'SERVER', 2: 'DEVICE', 3: 'READ', 4: 'PLAYED' });
const MEDIA_TYPES = ['imageMessage', 'videoMessage', 'ptvMessage', 'documentMessage', 'audioMessage'];
/** The `lastKnownPresence` values a presence.update carries. */
const PRESENCES = ['typing', 'recording', 'paused', 'online', 'offline'];

/** A received message's key id, like a phone's: `3A` and 18 more upper-case hex digits. */
function incomingKeyId() {
	return `3A${randomBytes(9).toString('hex').toUpperCase()}`;
}

/** @param {number} [ms] */
function unixSeconds(ms = Date.now()) {
	return Math.floor(ms / 1000);
}

/**
 * The text a message shows: its text or caption, or `""` (locations, polls, contact cards, voice).
 * @param {Record<string, unknown>} message
 */
function messageBody(message) {
	for (const content of Object.values(message)) {
		if (typeof content === 'string') return content;
		if (typeof content !== 'object' || content === null) continue;
		const { text, caption } = /** @type {{ text?: unknown, caption?: unknown }} */ (content);
		if (typeof text === 'string') return text;
		if (typeof caption === 'string') return caption;
	}
	return '';
}

/**
 * `media` of a message.any: null, or where the media is, its type and file name.
 * @param {Record<string, unknown>} message
 * @param {string | null} fallbackName
 */
function messageMedia(message, fallbackName) {
	for (const type of MEDIA_TYPES) {
		const content = /** @type {{ url?: string, mimetype?: string, fileName?: string } | undefined} */ (message[type]);
		if (content) return { url: content.url ?? null, mimetype: content.mimetype ?? null, filename: content.fileName ?? fallbackName };
	}
	return null;
}

/**
 * `replyTo` of a message.any: the quoted message's key id, sender and text, or null.
 * @param {SentMessage | undefined} quoted
 * @param {Me} me
 */
function replyTo(quoted, me) {
	if (!quoted) return null;
	return { id: quoted.key.id, participant: quoted.key.fromMe ? me.id : quoted.key.participant ?? quoted.key.remoteJid, body: messageBody(quoted.message) };
}

/**
 * message.any then message.ack (DEVICE) for a send or forward of the node that is done (201).
 * @param {Me} me
 * @param {QueuedRecord} record
 * @param {SentMessage | undefined} quoted the message it replies to, if the sandbox knows it
 * @returns {Array<{ event: string, payload: Record<string, unknown> }>}
 */
function ownMessageEvents(me, record, quoted) {
	const sent = /** @type {{ key: Key, message: Record<string, unknown>, messageTimestamp: string }} */ (record.body);
	const id = serializedId(sent.key);
	const timestamp = Number(sent.messageTimestamp);
	const filename = record.file?.filename ?? (typeof record.request.filename === 'string' ? record.request.filename : null);
	const media = messageMedia(sent.message, filename);
	const any = {
		id,
		timestamp,
		from: me.id,
		to: sent.key.remoteJid,
		fromMe: true,
		source: 'api',
		body: messageBody(sent.message),
		hasMedia: media !== null,
		media,
		ack: 1,
		ackName: 'SERVER',
		replyTo: replyTo(quoted, me),
		_data: {
			key: { remoteJid: sent.key.remoteJid, fromMe: true, id: sent.key.id },
			messageTimestamp: timestamp,
			pushName: me.pushName,
			broadcast: false,
			status: 'SERVER_ACK',
			message: structuredClone(sent.message),
		},
	};
	const ack = { id, from: sent.key.remoteJid, to: me.id, participant: null, fromMe: true, ack: 2, ackName: 'DEVICE' };
	return [
		{ event: 'message.any', payload: any },
		{ event: 'message.ack', payload: ack },
	];
}

/**
 * What every received event says about where it came from: the chat, and in a group the sender.
 * @typedef {object} Origin
 * @property {string} chat `<digits>@c.us`, `<x>@lid` or `<x>@g.us`
 * @property {string} sender the person: the chat itself, or the group member
 */

/** @param {Origin} origin */
function isGroup({ chat }) {
	return chat.endsWith('@g.us');
}

/**
 * The `contextInfo` of a message quoting `quoted`.
 * @param {SentMessage} quoted
 * @param {Me} me
 */
function quoteContext(quoted, me) {
	return {
		stanzaId: quoted.key.id,
		participant: quoted.key.fromMe ? me.id : quoted.key.participant ?? quoted.key.remoteJid,
		quotedMessage: structuredClone(quoted.message),
	};
}

/**
 * A received message (message.any, fromMe false) and the key and content the sandbox remembers:
 * a text, or with `content` (one WhatsApp media message, e.g. `{imageMessage: {…}}`) and `media`
 * the payload's `media`, a media message (its body the caption, or "").
 * @param {Me} me
 * @param {Origin} origin
 * @param {{ text: string, pushName: string | null, remoteJidAlt?: string, quoted?: SentMessage, content?: Record<string, Record<string, unknown>>, media?: Record<string, unknown> }} details
 */
function incomingMessage(me, origin, { text, pushName, remoteJidAlt, quoted, content, media }) {
	const group = isGroup(origin);
	const keyId = incomingKeyId();
	const timestamp = unixSeconds();
	/** @type {Key & { remoteJidAlt?: string }} */
	const key = { remoteJid: origin.chat, ...(remoteJidAlt ? { remoteJidAlt } : {}), fromMe: false, id: keyId, ...(group ? { participant: origin.sender } : {}) };
	/** @type {Record<string, unknown>} */
	let message = quoted ? { extendedTextMessage: { text, contextInfo: quoteContext(quoted, me) } } : { conversation: text };
	if (content) {
		message = Object.fromEntries(Object.entries(content).map(([type, fields]) => [type, quoted ? { ...fields, contextInfo: quoteContext(quoted, me) } : fields]));
	}
	const payload = {
		id: `false_${origin.chat}_${keyId}`,
		timestamp,
		from: origin.chat,
		to: me.id,
		...(group ? { participant: origin.sender } : {}),
		fromMe: false,
		source: 'app',
		body: content ? messageBody(message) : text,
		hasMedia: media !== undefined,
		media: media ?? null,
		ack: 2,
		ackName: 'DEVICE',
		replyTo: replyTo(quoted, me),
		_data: { key, messageTimestamp: timestamp, pushName, broadcast: false, status: 'DELIVERY_ACK', message },
	};
	/** @type {Key} */
	const remembered = { remoteJid: origin.chat, fromMe: false, id: keyId, ...(group ? { participant: origin.sender } : {}) };
	return { payload, key: remembered, message, timestamp };
}

/**
 * message.reaction: `text` "" removes the reaction.
 * @param {Me} me
 * @param {Origin} origin
 * @param {SentMessage} target
 * @param {string} text
 */
function reaction(me, origin, target, text) {
	return {
		id: `false_${origin.chat}_${incomingKeyId()}`,
		timestamp: unixSeconds(),
		from: origin.chat,
		to: me.id,
		...(isGroup(origin) ? { participant: origin.sender } : {}),
		fromMe: false,
		reaction: { text, messageId: serializedId(target.key) },
	};
}

/**
 * poll.vote (or, with no options, poll.vote.failed) on a poll the node sent.
 * @param {Me} me
 * @param {Origin} origin the voter
 * @param {SentMessage} poll
 * @param {string[]} selectedOptions
 */
function pollVote(me, origin, poll, selectedOptions) {
	return {
		vote: {
			id: `false_${origin.chat}_${incomingKeyId()}`,
			to: me.id,
			from: origin.chat,
			...(isGroup(origin) ? { participant: origin.sender } : {}),
			fromMe: false,
			selectedOptions,
			timestamp: unixSeconds(),
		},
		poll: { id: serializedId(poll.key), to: poll.key.remoteJid, from: me.id, fromMe: true },
	};
}

/**
 * message.revoked: the sender deleted a message they sent for everyone.
 * @param {Me} me
 * @param {SentMessage} target a received message
 */
function revoked(me, target) {
	const chat = target.key.remoteJid;
	const sender = target.key.participant ?? chat;
	const keyId = incomingKeyId();
	const timestamp = unixSeconds();
	return {
		after: {
			id: `false_${chat}_${keyId}`,
			timestamp,
			from: chat,
			to: me.id,
			participant: sender,
			fromMe: false,
			body: '',
			hasMedia: false,
			_data: {
				key: { remoteJid: chat, fromMe: false, id: keyId, ...(target.key.participant ? { participant: sender } : {}) },
				messageTimestamp: timestamp,
				broadcast: false,
				message: { protocolMessage: { key: { remoteJid: chat, fromMe: false, id: target.key.id }, type: 'REVOKE' } },
			},
		},
		before: null,
	};
}

/**
 * message.waiting: WhatsApp shows "Waiting for this message" for a message from this chat.
 * @param {Me} me
 * @param {Origin} origin
 */
function waiting(me, origin) {
	return { id: `false_${origin.chat}_${incomingKeyId()}`, from: origin.chat, to: me.id, participant: origin.sender, fromMe: false, ack: 0, ackName: 'PENDING' };
}

/**
 * presence.update: someone in the chat is typing, recording, online…
 * @param {Origin} origin
 * @param {string} presence
 */
function presenceUpdate(origin, presence) {
	const lastSeen = presence === 'offline' ? unixSeconds() : null;
	return { id: origin.chat, presences: [{ participant: origin.sender, lastKnownPresence: presence, lastSeen }] };
}

/**
 * message.ack: a message's delivery or read state changed.
 * @param {Me} me
 * @param {SentMessage} target
 * @param {number} ack
 * @param {string | null} participant in a group, who acked
 */
function messageAck(me, target, ack, participant) {
	return { id: serializedId(target.key), from: target.key.remoteJid, to: me.id, participant, fromMe: target.key.fromMe, ack, ackName: ACK_NAMES[String(ack)] };
}

module.exports = {
	ACK_NAMES,
	PRESENCES,
	incomingMessage,
	messageAck,
	messageBody,
	ownMessageEvents,
	pollVote,
	presenceUpdate,
	reaction,
	revoked,
	unixSeconds,
	waiting,
};
