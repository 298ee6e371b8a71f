// @ts-check
'use strict';
// The node's own sends as webhook events: when a queued send-*, forward-message or OTP code message that succeeded
// (201) becomes done, message.any (fromMe) and then message.ack (DEVICE) are delivered. Records are
// done in order per instance, so one timer per instance, set for the next record's doneAt, is
// enough; the sandbox's Timers clears it on close().
const { ownMessageEvents } = require('./events');

/** @typedef {import('./queue').QueuedRecord} QueuedRecord */
/** @typedef {import('./queue').MessageQueue} MessageQueue */

/** The queued routes that send a message, and so cause message.any and message.ack once done. */
const SENDING_ENDPOINTS = new Set([
	'send-text',
	'send-text-safe',
	'send-image',
	'send-video',
	'send-file',
	'send-voice',
	'send-location',
	'send-contact-card',
	'send-poll',
	'send-link-custom-preview',
	'forward-message',
	'otp/request-code',
]);

class Outbox {
	/**
	 * @param {{ timers: import('./timers').Timers, webhooks: import('./webhooks').Webhooks, queueFor: (instanceId: string) => MessageQueue }} context
	 */
	constructor({ timers, webhooks, queueFor }) {
		this.timers = timers;
		this.webhooks = webhooks;
		this.queueFor = queueFor;
		/** @type {Map<string, { records: QueuedRecord[], timer: NodeJS.Timeout | null }>} sends not yet done, per instance */
		this.waiting = new Map();
		webhooks.busySources.push(() => this.waiting.size > 0);
	}

	/**
	 * A queue accepted a record: a send that will succeed is delivered once done.
	 * @param {string} instanceId
	 * @param {QueuedRecord} record
	 */
	added(instanceId, record) {
		if (!SENDING_ENDPOINTS.has(record.endpoint) || record.status !== 201) return;
		const entry = this.waiting.get(instanceId) ?? { records: [], timer: null };
		entry.records.push(record);
		this.waiting.set(instanceId, entry);
		this.arm(instanceId);
	}

	/**
	 * A queue was cleared: its sends are forgotten, none is delivered.
	 * @param {string} instanceId
	 */
	cleared(instanceId) {
		const entry = this.waiting.get(instanceId);
		if (!entry) return;
		this.timers.clear(entry.timer);
		this.waiting.delete(instanceId);
		this.webhooks.checkIdle();
	}

	/** @param {string} instanceId */
	arm(instanceId) {
		const entry = this.waiting.get(instanceId);
		if (!entry || entry.timer !== null) return;
		entry.timer = this.timers.set(() => {
			entry.timer = null;
			this.flush(instanceId);
		}, entry.records[0].doneAt - Date.now());
	}

	/**
	 * Delivers the events of every record done by now, in order, and waits for the next one.
	 * @param {string} instanceId
	 */
	flush(instanceId, now = Date.now()) {
		const entry = this.waiting.get(instanceId);
		if (!entry) return;
		while (entry.records.length > 0 && entry.records[0].doneAt <= now) {
			const record = /** @type {QueuedRecord} */ (entry.records.shift());
			this.emit(instanceId, record);
		}
		if (entry.records.length === 0) {
			this.timers.clear(entry.timer);
			this.waiting.delete(instanceId);
			this.webhooks.checkIdle();
		} else this.arm(instanceId);
	}

	/**
	 * @param {string} instanceId
	 * @param {QueuedRecord} record
	 */
	emit(instanceId, record) {
		if (!this.webhooks.target(instanceId)) return;
		const replyTo = record.request.reply_to;
		const quoted = typeof replyTo === 'string' && replyTo.trim() !== '' ? this.queueFor(instanceId).find(replyTo) : undefined;
		for (const { event, payload } of ownMessageEvents(this.webhooks.me(instanceId), record, quoted)) {
			void this.webhooks.deliver(instanceId, event, payload);
		}
	}
}

module.exports = { Outbox, SENDING_ENDPOINTS };
