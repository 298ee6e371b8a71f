import { createHash, timingSafeEqual } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../Hypersender/helpers/interfaces';
import { contactKind, phoneNumber } from '../Hypersender/domain/contactFields';

/**
 * Hypersender's WhatsApp webhooks, as data: which events exist, whether a call is allowed
 * (secret, instance), whether its body is an event, and the item it becomes. No I/O here; the
 * trigger node answers the HTTP request.
 */

export const WEBHOOK_EVENTS = [
	{ value: 'message.any', name: 'Message (Any)', description: 'A message was created in a chat: received, or sent by you or the API' },
	{ value: 'message.ack', name: 'Message Ack', description: 'A sent message was delivered, read or played' },
	{ value: 'message.reaction', name: 'Message Reaction', description: 'A reaction was added to a message, or removed (empty text)' },
	{ value: 'message.revoked', name: 'Message Revoked', description: 'A message was deleted for everyone' },
	{ value: 'message.waiting', name: 'Message Waiting', description: 'WhatsApp shows "Waiting for this message"' },
	{ value: 'poll.vote', name: 'Poll Vote', description: 'Someone voted in a poll' },
	{ value: 'poll.vote.failed', name: 'Poll Vote Failed', description: 'A vote arrived but could not be read' },
	{ value: 'presence.update', name: 'Presence Update', description: 'Someone is typing, recording, online or offline' },
] as const;

export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number]['value'];

/** The largest body accepted; WhatsApp events are small (media come as links). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The deepest body accepted, in nested objects and arrays (`{}` is 1 level). Real events are at
 * most about 11 deep (a reply's quoted message: envelope › data › payload › _data › message ›
 * extendedTextMessage › contextInfo › quotedMessage › …); 32 leaves room for engines that nest more,
 * while a body built to be deep (1 MB of brackets nests 500,000 levels) is refused before code that walks
 * it recursively, here or in n8n when it saves the execution, can run out of stack.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * How deep `value` nests objects and arrays, counted without recursion (an explicit stack), so a
 * hostile body cannot overflow the call stack; the count stops as soon as it passes `stopAbove`.
 */
export function nestingDepth(value: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
	let deepest = 0;
	const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
	while (pending.length > 0) {
		const current = pending.pop()!;
		if (typeof current.value !== 'object' || current.value === null) continue;
		deepest = Math.max(deepest, current.depth);
		if (deepest > stopAbove) break;
		const children = Array.isArray(current.value) ? current.value : Object.values(current.value);
		for (const child of children) {
			if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: current.depth + 1 });
		}
	}
	return deepest;
}

/**
 * The Webhook Secret as configured, trimmed (spaces copied along with it are not part of it), or
 * undefined when there is none: empty, or only spaces, which no HTTP header can carry anyway
 * (the header's surrounding spaces are not part of its value).
 */
export function configuredSecret(value: unknown): string | undefined {
	const secret = typeof value === 'string' ? value.trim() : '';
	return secret === '' ? undefined : secret;
}

/**
 * Whether the Authorization header carries the secret, as is or as `Bearer <secret>`; the
 * surrounding spaces of the header, of the part after `Bearer` and of the secret do not count. Compared
 * as SHA-256 digests in constant time, so neither the content nor the length leaks. A secret that is
 * empty after trimming matches nothing: the caller treats it as no secret (see configuredSecret).
 */
export function authorizationMatches(header: string | string[] | undefined, secret: string): boolean {
	const value = Array.isArray(header) ? header[0] : header;
	const wanted = secret.trim();
	if (typeof value !== 'string' || wanted === '') return false;
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	const expected = digest(wanted);
	const raw = value.trim();
	const bearer = /^bearer\s+/i.test(raw) ? raw.replace(/^bearer\s+/i, '').trim() : undefined;
	const rawMatches = timingSafeEqual(digest(raw), expected);
	const bearerMatches = timingSafeEqual(digest(bearer ?? ''), expected) && bearer !== undefined;
	return rawMatches || bearerMatches;
}

export interface WebhookEnvelope {
	event: string;
	data: IDataObject;
	payload: IDataObject;
}

/** The envelope `{ event, data: { payload, … } }`, or what is wrong with the body. */
export function parseEnvelope(body: unknown): WebhookEnvelope | { problem: string } {
	if (!isObject(body)) return { problem: 'the body is not a JSON object' };
	const data = isObject(body.data) ? body.data : undefined;
	const event = typeof body.event === 'string' ? body.event : typeof data?.event === 'string' ? data.event : undefined;
	if (!event) return { problem: 'the body has no "event"' };
	if (!data) return { problem: 'the body has no "data" object' };
	const payload = data.payload === undefined || data.payload === null ? {} : data.payload;
	if (!isObject(payload)) return { problem: '"data.payload" is not an object' };
	return { event, data, payload };
}

/** The instance a call says it is for: the `x-instanceId` header, else the body's `data.instanceId`. */
export function claimedInstance(header: string | string[] | undefined, data: IDataObject | undefined): string | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return typeof data?.instanceId === 'string' && data.instanceId.trim() !== '' ? data.instanceId.trim() : undefined;
}

/** Events about messages, where "your own" makes sense; acks and presence are not filtered by it. */
const OWN_MESSAGE_EVENTS = new Set(['message.any', 'message.reaction', 'message.revoked', 'message.waiting', 'poll.vote', 'poll.vote.failed']);

/** The object an event is about: the payload, or its `after` (revoked) or `vote` (polls). */
function subject(event: string, payload: IDataObject): IDataObject {
	if (event === 'message.revoked' && isObject(payload.after)) return payload.after;
	if (event.startsWith('poll.vote') && isObject(payload.vote)) return payload.vote;
	return payload;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

export interface EventFacts {
	fromMe: boolean;
	/** The chat the event belongs to (the other person, or the group). */
	chatId: string | undefined;
	chatType: 'direct' | 'group';
	/** Who did it: you, the person, or in a group the member. */
	sender: string | undefined;
}

export function eventFacts(envelope: WebhookEnvelope): EventFacts {
	const { event, payload, data } = envelope;
	const about = subject(event, payload);
	const raw = isObject(about._data) ? about._data : isObject(payload._data) ? payload._data : {};
	const key = isObject(raw.key) ? raw.key : {};
	const fromMe = about.fromMe === true || (about.fromMe === undefined && key.fromMe === true);
	const me = isObject(data.me) ? text(data.me.id) : undefined;
	const myIds = new Set([me, isObject(data.me) ? text(data.me.lid) : undefined].filter(Boolean));
	const from = text(about.from);
	const to = text(about.to);
	// Engines differ on which of from/to is the chat for your own messages: the chat is the one that is not you.
	const candidates = event === 'presence.update' ? [text(payload.id)] : fromMe ? [to, text(key.remoteJid), from] : [from, text(key.remoteJid), to];
	const chatId = candidates.find((id) => id !== undefined && !myIds.has(id)) ?? candidates.find((id) => id !== undefined);
	const chatType = chatId?.endsWith('@g.us') ? 'group' : 'direct';
	const member = text(about.participant) ?? text(key.participant) ?? text(about.author);
	const sender = fromMe ? (me ?? from) : chatType === 'group' ? (member ?? from) : from;
	return { fromMe, chatId, chatType, sender };
}

export interface FilterOptions {
	events: string[];
	ignoreOwnMessages: boolean;
	chatTypes: string[] | undefined;
}

/** Why the event starts no execution, or undefined when it does. */
export function skipReason(envelope: WebhookEnvelope, facts: EventFacts, options: FilterOptions): string | undefined {
	if (!options.events.includes(envelope.event)) return `the event "${envelope.event}" is not selected`;
	if (options.ignoreOwnMessages && facts.fromMe && OWN_MESSAGE_EVENTS.has(envelope.event)) return 'it is your own';
	if (options.chatTypes && options.chatTypes.length > 0 && !options.chatTypes.includes(facts.chatType)) {
		return `it is from a ${facts.chatType} chat`;
	}
	return undefined;
}

/** The text of the message, reaction or poll the event is about, when it has one. */
function messageText(event: string, payload: IDataObject): string | null {
	if (event === 'message.reaction' && isObject(payload.reaction)) return typeof payload.reaction.text === 'string' ? payload.reaction.text : null;
	if (typeof payload.body === 'string') return payload.body;
	if (event.startsWith('poll.vote') && isObject(payload.vote) && Array.isArray(payload.vote.selectedOptions)) {
		return payload.vote.selectedOptions.map(String).join(', ');
	}
	return null;
}

/** The item fields the node sets itself, in this order; a payload field of the same name does not replace them. */
export const ITEM_FIELDS = ['event', 'instanceId', 'userId', 'eventId', 'chatId', 'chatType', 'fromMe', 'me', 'payload'] as const;

/** The fields Add Derived Fields sets; with it on, they too win over the payload's. */
export const DERIVED_FIELDS = ['sender', 'senderKind', 'senderPhone', 'displayName', 'messageText'] as const;

/**
 * Payload keys never copied to the item's top level: the node's own fields, the engine's raw
 * `_data`, and `__proto__`, whose assignment would set the item's prototype instead of a field.
 * The payload's values stay in the item under `payload`.
 */
const NOT_COPIED = new Set<string>([...ITEM_FIELDS, '_data', '__proto__']);
const NOT_COPIED_WITH_DERIVED = new Set<string>([...NOT_COPIED, ...DERIVED_FIELDS]);

/**
 * One output item per event: `event`, `instanceId`, `userId`, `eventId`, the chat it belongs
 * to, the payload's own fields (without the engine's raw `_data`, and without those named like the
 * node's own, which keep the node's values), `fromMe`, `me`, and the whole payload as it came under
 * `payload`; then the derived fields when asked for.
 */
export function eventItem(
	envelope: WebhookEnvelope,
	facts: EventFacts,
	context: { instanceId: string | undefined; userId: string | undefined; addDerivedFields: boolean },
): IDataObject {
	const { event, data, payload } = envelope;
	const item: IDataObject = {
		event,
		instanceId: context.instanceId ?? null,
		userId: context.userId ?? (typeof data.userId === 'string' ? data.userId : null),
		eventId: typeof data.id === 'string' ? data.id : null,
		chatId: facts.chatId ?? null,
		chatType: facts.chatType,
	};
	const notCopied = context.addDerivedFields ? NOT_COPIED_WITH_DERIVED : NOT_COPIED;
	for (const [name, value] of Object.entries(payload)) if (!notCopied.has(name)) item[name] = value;
	item.fromMe = facts.fromMe;
	item.me = data.me ?? null;
	item.payload = payload;
	if (context.addDerivedFields) {
		const sender = facts.sender ?? null;
		const raw = isObject(payload._data) ? payload._data : {};
		const pushName = text(raw.pushName) ?? text(raw.notifyName) ?? text(payload.notifyName);
		const phone = sender ? phoneNumber(sender) : null;
		item.sender = sender;
		item.senderKind = sender ? contactKind(sender) : null;
		item.senderPhone = phone;
		item.displayName = (facts.fromMe ? undefined : pushName) ?? phone ?? sender;
		item.messageText = messageText(event, payload);
	}
	return item;
}
