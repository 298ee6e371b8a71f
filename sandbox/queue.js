// @ts-check
'use strict';
// One instance's queued requests and the messages its sends created (and those it received, from
// simulate). A request's outcome is worked out when it is accepted (processing is strictly in order
// per instance, so everything it depends on was accepted before it) and shown once its doneAt has
// passed. The queue sets no timers itself: a listener hears of each record (the webhook outbox,
// which delivers `message.any` when a send is done).

/**
 * A file part as stored with a queued request.
 * @typedef {object} StoredFile
 * @property {string} filename
 * @property {string} mimetype
 * @property {number} size bytes
 * @property {string} sha256 hex
 */

/**
 * One accepted (queued) request.
 * @typedef {object} QueuedRecord
 * @property {string} uuid
 * @property {string} endpoint e.g. `send-text`
 * @property {string} method
 * @property {string | null} chatId the chatId input as sent
 * @property {Record<string, unknown>} request the stored payload: the inputs, a file as `{filename, mimetype, size}`
 * @property {StoredFile | null} file
 * @property {number} acceptedAt ms since the epoch
 * @property {number} doneAt when processing ends, ms since the epoch
 * @property {number} status the response_status once done
 * @property {unknown} body the response_body once done
 */

/**
 * A message the sandbox sent (or, `fromMe: false`, received from simulate), as forward, react,
 * star, delete and send-seen find it.
 * @typedef {object} SentMessage
 * @property {{ remoteJid: string, fromMe: boolean, id: string, participant?: string }} key `participant`: the sender in a group
 * @property {Record<string, unknown>} message the content, e.g. `{ extendedTextMessage: { text } }`
 * @property {boolean} starred
 * @property {number | null} timestamp Unix seconds; null for a send not yet done
 * @property {boolean} read a received message seen (send-seen, read-chat); sent messages: true
 */

/**
 * Hears of a queue's records: each one accepted, and the queue being cleared.
 * @typedef {object} QueueListener
 * @property {(instanceId: string, record: QueuedRecord) => void} added
 * @property {(instanceId: string) => void} cleared
 */

/**
 * `true_<jid>_<id>` (or `false_…`) split up; a bare key id gives only `id`; null for anything else.
 * @param {string} text
 * @returns {{ fromMe: boolean | null, jid: string | null, id: string } | null}
 */
function parseMessageId(text) {
	const trimmed = text.trim();
	const match = /^(true|false)_(.+)_([A-Za-z0-9]+)$/.exec(trimmed);
	if (match) return { fromMe: match[1] === 'true', jid: match[2], id: match[3] };
	return /^[A-Za-z0-9]+$/.test(trimmed) ? { fromMe: null, jid: null, id: trimmed } : null;
}

/** @param {string} jid `@s.whatsapp.net` and `@c.us` name the same person */
function sameJid(jid) {
	return jid.replace(/@s\.whatsapp\.net$/, '@c.us');
}

/** @param {{ remoteJid: string, fromMe: boolean, id: string }} key */
function serializedId(key) {
	return `${key.fromMe}_${key.remoteJid}_${key.id}`;
}

class MessageQueue {
	/**
	 * @param {string} [instanceId]
	 * @param {QueueListener} [listener]
	 */
	constructor(instanceId = '', listener = undefined) {
		this.instanceId = instanceId;
		this.listener = listener;
		/** @type {QueuedRecord[]} */
		this.records = [];
		/** @type {Map<string, QueuedRecord>} */
		this.byUuid = new Map();
		/** @type {Map<string, SentMessage>} by key id */
		this.sent = new Map();
		this.lastDoneAt = 0;
	}

	/** Forgets every request and message. */
	clear() {
		this.records = [];
		this.byUuid.clear();
		this.sent.clear();
		this.lastDoneAt = 0;
		this.listener?.cleared(this.instanceId);
	}

	/**
	 * When a request accepted at `acceptedAt` is done: after its own processing time, and never
	 * before the request accepted before it (pipelined, in order).
	 * @param {number} acceptedAt
	 * @param {number} processingMs
	 */
	doneAtFor(acceptedAt, processingMs) {
		return Math.max(acceptedAt + processingMs, this.lastDoneAt);
	}

	/** @param {QueuedRecord} record */
	add(record) {
		this.records.push(record);
		this.byUuid.set(record.uuid, record);
		this.lastDoneAt = Math.max(this.lastDoneAt, record.doneAt);
		this.listener?.added(this.instanceId, record);
	}

	/** @param {string} uuid */
	get(uuid) {
		return this.byUuid.get(uuid);
	}

	/**
	 * @param {SentMessage['key']} key
	 * @param {Record<string, unknown>} message
	 * @param {{ timestamp?: number | null, read?: boolean }} [details] a received message: its time, unread
	 */
	remember(key, message, { timestamp = null, read = true } = {}) {
		this.sent.set(key.id, { key, message, starred: false, timestamp, read });
	}

	/**
	 * The newest message (sent or received) that `accepts`, or undefined.
	 * @param {(message: SentMessage) => boolean} accepts
	 */
	latest(accepts) {
		const all = [...this.sent.values()];
		for (let i = all.length - 1; i >= 0; i--) if (accepts(all[i])) return all[i];
		return undefined;
	}

	/**
	 * Marks a chat's unread received messages read (the newest `limit` of them, not older than
	 * `sinceSeconds`) and gives their serialized ids, oldest first.
	 * @param {string} remoteJid
	 * @param {{ limit?: number, sinceSeconds?: number }} [bounds]
	 */
	markRead(remoteJid, { limit = Infinity, sinceSeconds = -Infinity } = {}) {
		const unread = [...this.sent.values()].filter(
			(message) => !message.read && sameJid(message.key.remoteJid) === sameJid(remoteJid) && (message.timestamp ?? 0) >= sinceSeconds,
		);
		const marked = unread.slice(Math.max(0, unread.length - limit));
		for (const message of marked) message.read = true;
		return marked.map((message) => serializedId(message.key));
	}

	/**
	 * The sent message a messageId names (serialized `true_<jid>_<id>` or the bare key id), or undefined.
	 * @param {string} messageId
	 */
	find(messageId) {
		const parsed = parseMessageId(messageId);
		const found = parsed ? this.sent.get(parsed.id) : undefined;
		if (!parsed || !found) return undefined;
		if (parsed.fromMe !== null && parsed.fromMe !== found.key.fromMe) return undefined;
		if (parsed.jid !== null && sameJid(parsed.jid) !== sameJid(found.key.remoteJid)) return undefined;
		return found;
	}

	/** @param {string} keyId */
	forget(keyId) {
		this.sent.delete(keyId);
	}

	/**
	 * The record as GET /queued-requests/{uuid} answers it; the result is null while processing.
	 * @param {QueuedRecord} record
	 * @param {number} now
	 */
	static view(record, now) {
		const done = now >= record.doneAt;
		return {
			uuid: record.uuid,
			request: record.request,
			response_status: done ? record.status : null,
			response_body: done ? record.body : null,
			response_header: done ? { date: [new Date(record.doneAt).toUTCString()], 'content-type': ['application/json'] } : null,
		};
	}

	/**
	 * The record as the control list shows it.
	 * @param {QueuedRecord} record
	 * @param {number} now
	 */
	static summary(record, now) {
		const done = now >= record.doneAt;
		return {
			uuid: record.uuid,
			endpoint: record.endpoint,
			method: record.method,
			chatId: record.chatId,
			body: structuredClone(record.request),
			...(record.file ? { file: { ...record.file } } : {}),
			acceptedAt: record.acceptedAt,
			doneAt: record.doneAt,
			done,
			response_status: done ? record.status : null,
		};
	}
}

/** The queues of all instances, each made on first use. */
class MessageQueues {
	/** @param {QueueListener} [listener] hears of every queue's records */
	constructor(listener = undefined) {
		/** @type {Map<string, MessageQueue>} */
		this.byInstance = new Map();
		this.listener = listener;
	}

	/** @param {string} instanceId */
	of(instanceId) {
		let queue = this.byInstance.get(instanceId);
		if (!queue) this.byInstance.set(instanceId, (queue = new MessageQueue(instanceId, this.listener)));
		return queue;
	}

	/**
	 * An instance's records as the control list shows them (copies), in acceptance order.
	 * @param {string} instanceId
	 */
	list(instanceId, now = Date.now()) {
		return this.of(instanceId).records.map((record) => MessageQueue.summary(record, now));
	}
}

module.exports = { MessageQueue, MessageQueues, parseMessageId, sameJid, serializedId };
