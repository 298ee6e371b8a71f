// @ts-check
'use strict';
// What a customer does, simulated: an incoming message or media message (remembered, so
// send-seen, react, forward and reply_to find it), a reaction, a poll vote, a revoke, "waiting for this message", typing, an
// ack; contacts added or renamed (no webhook: Hypersender has no contact event; the Contact
// Trigger polls get-all); or any event as given. Each webhook event is delivered through the
// instance's queue, and simulate() resolves once delivery was attempted.
const { parseChatId } = require('./chat-ids');
const { linkedPhone } = require('./contacts');
const events = require('./events');
const { sameJid } = require('./queue');
const { SimulationError } = require('./simulation-error');
const { mediaMessage, readMediaSpec } = require('./simulate-media');
const { SMS_EVENTS, smsEvent } = require('./simulate-sms');

/** @typedef {import('./queue').SentMessage} SentMessage */
/** @typedef {import('./queue').MessageQueue} MessageQueue */
/** @typedef {import('./instances').Instance} Instance */
/** @typedef {import('./events').Origin} Origin */
/** @typedef {import('./webhooks').DeliveryResult} DeliveryResult */

/**
 * What simulate() resolves with, once delivery was attempted.
 * @typedef {object} SimulationResult
 * @property {string} kind
 * @property {string} instanceId
 * @property {DeliveryResult[]} events one per webhook event (none for contact-add and contact-rename)
 * @property {unknown} payload the event's payload; null for the contact kinds
 * @property {string} [messageId] `message`, `media`: the serialized id (`false_<chat>_<id>`)
 * @property {import('./media').MediaRecord} [media] `media`: the media (id, kind, url, size, seed, sha256…)
 * @property {import('./types').Contact} [contact] contact-add, contact-rename: the contact now
 * @property {unknown} [message] sms: the SMS the event is about, as the API shows it
 * @property {unknown} [heartbeat] sms (phone.heartbeat.received): the heartbeat recorded
 */

const SIMULATION_KINDS = ['message', 'media', 'reaction', 'poll-vote', 'poll-vote-failed', 'revoke', 'waiting', 'presence', 'ack', 'contact-add', 'contact-rename', 'event', 'sms'];
const DEFAULT_TEXT = 'Hello from the sandbox';
const FALLBACK_SENDER = '15551234567@c.us';


/**
 * An optional string input.
 * @param {Record<string, unknown>} input
 * @param {string} field
 * @returns {string | undefined}
 */
function text(input, field) {
	const value = input[field];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') throw new SimulationError(400, `${field} must be a string`);
	return value;
}

/**
 * A person's chat id from a phone number in any common writing (`+49 151 2345-6789`) or a chat id.
 * @param {string} value
 * @param {string} field
 */
function personJid(value, field) {
	const trimmed = value.trim();
	const phone = trimmed.replace(/[\s().-]/g, '').replace(/^\+/, '');
	if (/^[0-9]{5,20}$/.test(phone)) return `${phone}@c.us`;
	const chat = parseChatId(trimmed);
	if (chat && chat.digits !== null && chat.form !== 'phone') return `${chat.digits}@c.us`;
	if (chat && chat.form === 'lid') return chat.text;
	throw new SimulationError(400, `${field} must be a phone number (like +49 151 23456789) or a person's chat id (<digits>@c.us or <id>@lid), got "${value}"`);
}

/**
 * Where a simulated event comes from: `group` (a group, with `from` the member) or `from` (a
 * person); `fallback` when neither is given. Null when neither is given and there is no fallback.
 * @param {Record<string, unknown>} input
 * @param {string | undefined} [fallback] a chat id
 * @returns {Origin | null}
 */
function originOf(input, fallback) {
	const group = text(input, 'group');
	const from = text(input, 'from');
	if (group !== undefined) {
		if (!/^[^@\s]+@g\.us$/.test(group.trim())) throw new SimulationError(400, `group must be a group id (<id>@g.us), got "${group}"`);
		if (from === undefined) throw new SimulationError(400, 'a group event needs from: the member who acts');
		return { chat: group.trim(), sender: personJid(from, 'from') };
	}
	if (from !== undefined) {
		const sender = personJid(from, 'from');
		return { chat: sender, sender };
	}
	if (fallback === undefined) return null;
	if (fallback.endsWith('@g.us')) throw new SimulationError(400, 'the message is in a group: give from, the member who acts');
	return { chat: fallback, sender: fallback };
}

/**
 * The message `messageId` names, or else the newest one in the origin's chat (or anywhere) that
 * `accepts`; 404 / 400 when there is none.
 * @param {MessageQueue} queue
 * @param {Record<string, unknown>} input
 * @param {(message: SentMessage) => boolean} accepts
 * @param {string} what e.g. "a message to react to"
 */
function pickMessage(queue, input, accepts, what) {
	const messageId = text(input, 'messageId');
	if (messageId !== undefined) {
		const found = queue.find(messageId);
		if (!found) throw new SimulationError(404, 'Message not found.');
		if (!accepts(found)) throw new SimulationError(400, `messageId does not name ${what}`);
		return found;
	}
	const chat = originOf(input)?.chat;
	const found = queue.latest((message) => accepts(message) && (chat === undefined || sameJid(message.key.remoteJid) === sameJid(chat)));
	if (!found) throw new SimulationError(400, `there is no ${what}${chat ? ` in ${chat}` : ''}: give messageId`);
	return found;
}

/**
 * The other identity of a person (phone <-> LID), when the address book links them.
 * @param {Instance} instance
 * @param {string} jid
 */
function alternateJid(instance, jid) {
	const { byId, byPhone } = instance.lookups();
	if (jid.endsWith('@lid')) {
		const contact = byId.get(jid);
		const phone = contact ? linkedPhone(contact) : undefined;
		return phone ? `${phone}@s.whatsapp.net` : undefined;
	}
	return byPhone.get(jid.replace(/@c\.us$/, ''))?.id;
}

/**
 * The poll's option names (a poll the node sent), or undefined for other messages.
 * @param {SentMessage} message
 */
function pollOptions(message) {
	const poll = /** @type {{ options?: Array<{ optionName: string }>, selectableOptionsCount?: number } | undefined} */ (message.message.pollCreationMessageV3);
	return poll?.options ? { names: poll.options.map((option) => option.optionName), single: poll.selectableOptionsCount === 1 } : undefined;
}

/**
 * The contact id `id` or `phone` names (`id` any chat id form, `phone` any phone writing).
 * @param {Record<string, unknown>} input
 */
function contactChat(input) {
	const id = text(input, 'id');
	const phone = text(input, 'phone');
	const value = id ?? (phone === undefined ? undefined : personJid(phone, 'phone'));
	const chat = value === undefined ? null : parseChatId(value);
	if (!chat) throw new SimulationError(400, value === undefined ? 'give id or phone: the contact' : `id must be a chat id or a phone number (digits), got "${value}"`);
	return chat;
}

/**
 * Sets or (null) removes `name` and `pushname` on a contact, as given.
 * @param {import('./types').Contact} contact
 * @param {Record<string, unknown>} input
 */
function applyNames(contact, input) {
	for (const field of /** @type {const} */ (['name', 'pushname'])) {
		if (!Object.hasOwn(input, field)) continue;
		const value = input[field];
		if (value === null) delete contact[field];
		else if (typeof value === 'string') contact[field] = value;
		else throw new SimulationError(400, `${field} must be a string or null`);
	}
}

/**
 * Who sends an incoming message (`from`/`group`, default a `@c.us` contact), what it quotes
 * (`replyTo`; 404 when unknown), the sender's push name and their other identity.
 * @param {Instance} instance
 * @param {MessageQueue} queue
 * @param {Record<string, unknown>} input
 */
function incomingSender(instance, queue, input) {
	const firstPhone = instance.list('id', 'asc').find((contact) => typeof contact?.id === 'string' && contact.id.endsWith('@c.us'));
	const origin = /** @type {Origin} */ (originOf(input, firstPhone?.id ?? FALLBACK_SENDER));
	const replyTo = text(input, 'replyTo');
	const quoted = replyTo === undefined ? undefined : queue.find(replyTo);
	if (replyTo !== undefined && !quoted) throw new SimulationError(404, 'Message not found.');
	const contact = origin.sender.endsWith('@lid') ? instance.lookups().byId.get(origin.sender) : instance.find(/** @type {import('./chat-ids').ChatId} */ (parseChatId(origin.sender.replace(/@c\.us$/, ''))));
	const pushName = contact?.pushname ?? text(input, 'name') ?? null;
	const remoteJidAlt = origin.chat === origin.sender ? alternateJid(instance, origin.sender) : undefined;
	return { origin, quoted, pushName, remoteJidAlt };
}

/**
 * @param {{ getInstance: (id: string) => Instance, queueFor: (id: string) => MessageQueue, webhooks: import('./webhooks').Webhooks, media: import('./media').MediaStore, smsOf: (id: string) => import('./sms').SmsGateway }} context
 */
function createSimulator({ getInstance, queueFor, webhooks, media, smsOf }) {
	/**
	 * `sms`: what the instance's SMS phone does (`event`, default message.phone.received).
	 * @param {string} instanceId
	 * @param {Record<string, unknown>} input
	 * @returns {Promise<SimulationResult>}
	 */
	async function simulateSms(instanceId, input) {
		const event = text(input, 'event') ?? 'message.phone.received';
		if (!SMS_EVENTS.includes(event)) throw new SimulationError(400, `event must be an SMS event: ${SMS_EVENTS.join(', ')}; got "${event}"`);
		const { planned, extra } = smsEvent(smsOf(instanceId), event, input, Date.now());
		const results = await Promise.all(planned.map(({ event: name, data }) => webhooks.deliver(instanceId, name, data, { sms: true })));
		return { kind: 'sms', instanceId, events: results, payload: planned[0].data, ...extra };
	}

	/**
	 * Simulates one thing a customer does and delivers its webhook event (if any).
	 * @param {string} instanceId
	 * @param {string} kind one of SIMULATION_KINDS
	 * @param {Record<string, unknown>} [input]
	 * @returns {Promise<SimulationResult>}
	 */
	async function simulate(instanceId, kind, input = {}) {
		const instance = getInstance(instanceId);
		if (!SIMULATION_KINDS.includes(kind)) throw new SimulationError(400, `unknown simulation "${kind}"; known: ${SIMULATION_KINDS.join(', ')}`);
		if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new SimulationError(400, 'the input must be an object');
		if (kind === 'sms') return simulateSms(instanceId, input);
		const queue = queueFor(instanceId);
		const me = webhooks.me(instanceId);
		/** @type {{ messageId?: string, contact?: import('./types').Contact, media?: import('./media').MediaRecord }} */
		const extra = {};
		/** @type {Array<{ event: string, payload: unknown }>} */
		const planned = [];

		if (kind === 'message' || kind === 'media') {
			const sender = incomingSender(instance, queue, input);
			/** @type {Parameters<typeof events.incomingMessage>[2]} */
			const details = { text: text(input, 'text') ?? DEFAULT_TEXT, ...sender };
			if (kind === 'media') {
				const { spec, caption } = readMediaSpec(input);
				const record = media.add(instanceId, spec);
				Object.assign(details, mediaMessage(record, media.bytesOf(record), caption));
				extra.media = { ...record };
			}
			const made = events.incomingMessage(me, sender.origin, details);
			queue.remember(made.key, made.message, { timestamp: made.timestamp, read: false });
			extra.messageId = made.payload.id;
			planned.push({ event: 'message.any', payload: made.payload });
		} else if (kind === 'reaction') {
			const target = pickMessage(queue, input, () => true, 'message to react to');
			const origin = /** @type {Origin} */ (originOf(input, target.key.remoteJid));
			const reaction = text(input, 'reaction') ?? text(input, 'text') ?? '👍';
			planned.push({ event: 'message.reaction', payload: events.reaction(me, origin, target, reaction) });
		} else if (kind === 'poll-vote' || kind === 'poll-vote-failed') {
			const poll = pickMessage(queue, input, (message) => message.key.fromMe && pollOptions(message) !== undefined, 'poll the node sent');
			const { names, single } = /** @type {{ names: string[], single: boolean }} */ (pollOptions(poll));
			const origin = /** @type {Origin} */ (originOf(input, poll.key.remoteJid));
			let selected = /** @type {string[]} */ ([]);
			if (kind === 'poll-vote') {
				const options = input.options ?? [names[0]];
				if (!Array.isArray(options) || options.length === 0 || !options.every((option) => typeof option === 'string')) throw new SimulationError(400, 'options must be a non-empty list of option names');
				const unknown = options.find((option) => !names.includes(option));
				if (unknown !== undefined) throw new SimulationError(400, `"${unknown}" is not an option of the poll; its options: ${names.join(', ')}`);
				if (single && options.length > 1) throw new SimulationError(400, 'the poll allows one answer only');
				selected = [...new Set(options)];
			}
			planned.push({ event: kind === 'poll-vote' ? 'poll.vote' : 'poll.vote.failed', payload: events.pollVote(me, origin, poll, selected) });
		} else if (kind === 'revoke') {
			const target = pickMessage(queue, input, (message) => !message.key.fromMe, 'received message to revoke (a customer can revoke only their own)');
			queue.forget(target.key.id);
			planned.push({ event: 'message.revoked', payload: events.revoked(me, target) });
		} else if (kind === 'waiting') {
			const origin = /** @type {Origin} */ (originOf(input, FALLBACK_SENDER));
			planned.push({ event: 'message.waiting', payload: events.waiting(me, origin) });
		} else if (kind === 'presence') {
			const origin = /** @type {Origin} */ (originOf(input, FALLBACK_SENDER));
			const presence = text(input, 'presence') ?? 'typing';
			if (!events.PRESENCES.includes(presence)) throw new SimulationError(400, `presence must be one of ${events.PRESENCES.join(', ')}, got "${presence}"`);
			planned.push({ event: 'presence.update', payload: events.presenceUpdate(origin, presence) });
		} else if (kind === 'ack') {
			const target = pickMessage(queue, input, (message) => text(input, 'messageId') !== undefined || message.key.fromMe, 'message the node sent');
			const level = input.ack ?? 'READ';
			const ack = typeof level === 'string' && !/^-?[0-9]+$/.test(level) ? Number(Object.entries(events.ACK_NAMES).find(([, name]) => name === level.toUpperCase())?.[0] ?? NaN) : Number(level);
			if (!Object.hasOwn(events.ACK_NAMES, String(ack))) throw new SimulationError(400, `ack must be one of ${Object.values(events.ACK_NAMES).join(', ')} or -1..4, got ${JSON.stringify(level)}`);
			const from = text(input, 'from');
			const participant = target.key.remoteJid.endsWith('@g.us') && from !== undefined ? personJid(from, 'from') : null;
			planned.push({ event: 'message.ack', payload: events.messageAck(me, target, ack, participant) });
		} else if (kind === 'contact-add') {
			const chat = contactChat(input);
			const id = chat.form === 'phone' ? `${chat.digits}@c.us` : chat.text;
			instance.settle();
			if (instance.lookups().byId.has(id)) throw new SimulationError(409, `${id} is already in the address book; use contact-rename`);
			/** @type {import('./types').Contact} */
			const contact = { id };
			applyNames(contact, input);
			instance.source.push(contact);
			instance.touch();
			extra.contact = { ...contact };
		} else if (kind === 'contact-rename') {
			const contact = instance.find(contactChat(input));
			if (!contact) throw new SimulationError(404, 'Contact not found.');
			if (!Object.hasOwn(input, 'name') && !Object.hasOwn(input, 'pushname')) throw new SimulationError(400, 'give name and/or pushname (null removes one)');
			applyNames(contact, input);
			instance.touch();
			extra.contact = { ...contact };
		} else {
			const event = text(input, 'event');
			if (event === undefined || event.trim() === '') throw new SimulationError(400, 'event must be the event name, e.g. message.any');
			planned.push({ event, payload: input.payload === undefined ? {} : input.payload });
		}

		/** @type {DeliveryResult[]} */
		const results = await Promise.all(planned.map(({ event, payload }) => webhooks.deliver(instanceId, event, payload)));
		return { kind, instanceId, events: results, payload: planned[0]?.payload ?? null, ...extra };
	}
	return simulate;
}

module.exports = { SIMULATION_KINDS, SimulationError, createSimulator };
