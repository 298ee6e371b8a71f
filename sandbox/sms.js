// @ts-check
'use strict';
// One instance's SMS gateway (an Android phone, modelled on httpSMS): messages, threads (one per
// other number), heartbeats and the phone. A message sent through the API is `pending` (or
// `scheduled` until its schedule_send_at), `sent` smsSendDelayMs later and `delivered`
// smsDeliveryDelayMs after that; each change is applied when due (one timer per gateway) and
// delivered as a webhook (message.phone.sent, message.phone.delivered). Reads settle what is due
// first, so they never show a stale status.
const { randomUUID } = require('node:crypto');
const { heartbeatView, messageView } = require('./sms-records');

/** @typedef {import('./sms-records').SmsMessage} SmsMessage */
/** @typedef {import('./sms-records').SmsThread} SmsThread */
/** @typedef {import('./sms-records').SmsHeartbeat} SmsHeartbeat */
/** @typedef {import('./sms-records').SmsPhone} SmsPhone */
/** @typedef {{ event: string, data: Record<string, unknown> }} SmsEvent */

/**
 * What a gateway needs from the sandbox: its settings, timers and webhook delivery.
 * @typedef {object} SmsContext
 * @property {import('./types').SandboxConfig} config
 * @property {import('./timers').Timers} timers
 * @property {(event: SmsEvent) => void} emit delivers an event to the instance's webhook
 * @property {() => void} changed the gateway's pending work changed (for webhooksIdle)
 */

/** The fields of a new outgoing message (already checked). */
/** @typedef {{ to: string, content: string, requestId: string | null, scheduleSendAt: number | null, maxSendAttempts: number | null, messageExpirationSeconds: number | null }} Outgoing */

class SmsGateway {
	/**
	 * @param {{ phoneNumber: string, userId: string, startedAt: number }} identity
	 * @param {SmsContext} context
	 */
	constructor({ phoneNumber, userId, startedAt }, context) {
		this.context = context;
		/** @type {SmsPhone} */
		this.phone = {
			id: randomUUID(),
			recordId: randomUUID(),
			userId,
			phoneNumber,
			name: 'Sandbox phone',
			sim: 'SIM1',
			maxSendAttempts: 2,
			messageExpirationSeconds: 600,
			missedCallAutoReplyMessage: null,
			isOnline: true,
			lastOnlineAt: startedAt,
			lastOfflineAt: null,
			lastMessageAt: null,
			lastMissedCallAt: null,
			lastHeartbeatAt: startedAt,
			heartbeatEnabledAt: startedAt,
			createdAt: startedAt,
			updatedAt: startedAt,
		};
		/** @type {Map<string, SmsMessage>} */
		this.messages = new Map();
		/** @type {Map<string, SmsThread>} */
		this.threads = new Map();
		/** @type {SmsHeartbeat[]} */
		this.heartbeats = [];
		/** @type {Set<SmsMessage>} messages with a plan */
		this.pending = new Set();
		/** @type {NodeJS.Timeout | null} */
		this.timer = null;
		this.timerAt = Infinity;
		this.seq = 0;
	}

	/**
	 * The thread with this number, made (and counted) on first use.
	 * @param {string} other
	 * @param {string} from the first message's from
	 * @param {string} to the first message's to
	 * @param {number} now
	 */
	threadWith(other, from, to, now) {
		for (const thread of this.threads.values()) if (thread.other === other) return thread;
		/** @type {SmsThread} */
		const thread = { id: randomUUID(), seq: this.seq++, from, to, other, isArchived: false, lastMessageId: null, lastMessageContent: null, lastMessageAt: null, createdAt: now, updatedAt: now };
		this.threads.set(thread.id, thread);
		return thread;
	}

	/**
	 * Adds a message to its thread (opening one for a new number) and makes it the thread's last.
	 * @param {Omit<SmsMessage, 'id' | 'seq' | 'threadId' | 'plan'> & { plan?: SmsMessage['plan'] }} fields
	 */
	addMessage(fields) {
		const outgoing = fields.type === 'sent_to_mobile';
		const other = outgoing ? fields.to : fields.from;
		const thread = this.threadWith(other, fields.from, fields.to, fields.createdAt);
		/** @type {SmsMessage} */
		const message = { plan: [], ...fields, id: randomUUID(), seq: this.seq++, threadId: thread.id };
		this.messages.set(message.id, message);
		this.touchThread(thread, message);
		this.phone.lastMessageAt = Math.max(this.phone.lastMessageAt ?? 0, message.createdAt);
		if (message.plan.length > 0) this.pending.add(message);
		return { message, thread };
	}

	/**
	 * @param {SmsThread} thread
	 * @param {SmsMessage} message
	 */
	touchThread(thread, message) {
		thread.lastMessageId = message.id;
		thread.lastMessageContent = message.content;
		thread.lastMessageAt = message.createdAt;
		thread.updatedAt = Math.max(thread.updatedAt, message.createdAt);
	}

	/**
	 * A message sent through the API: pending now (scheduled for a later schedule_send_at), sent and
	 * delivered later. A scheduled one is announced at once (message.notification.scheduled).
	 * @param {Outgoing} fields
	 * @param {number} now
	 */
	send(fields, now) {
		const { config } = this.context;
		const scheduled = fields.scheduleSendAt !== null && fields.scheduleSendAt > now;
		const startAt = scheduled ? /** @type {number} */ (fields.scheduleSendAt) : now;
		const sentAt = startAt + config.smsSendDelayMs;
		const made = this.addMessage({
			requestId: fields.requestId,
			from: this.phone.phoneNumber,
			to: fields.to,
			content: fields.content,
			status: scheduled ? 'scheduled' : 'pending',
			type: 'sent_to_mobile',
			scheduleSendAt: fields.scheduleSendAt,
			scheduleOnPhoneAt: null,
			lastAttemptedAt: scheduled ? now : null,
			sentAt: null,
			deliveredAt: null,
			receivedAt: null,
			expiredAt: null,
			failedAt: null,
			sendAttemptCount: null,
			maxSendAttempts: fields.maxSendAttempts ?? this.phone.maxSendAttempts,
			failureReason: null,
			messageExpirationSeconds: fields.messageExpirationSeconds ?? this.phone.messageExpirationSeconds,
			sendDuration: null,
			createdAt: now,
			updatedAt: now,
			plan: [
				{ at: sentAt, status: 'sent' },
				{ at: sentAt + config.smsDeliveryDelayMs, status: 'delivered' },
			],
		});
		if (scheduled) this.context.emit({ event: 'message.notification.scheduled', data: messageView(made.message, this.phone, { phone: true }) });
		this.settle(now);
		return made;
	}

	/**
	 * An SMS the phone received from `from`: a new message in that number's thread.
	 * @param {{ from: string, content: string }} fields
	 * @param {number} now
	 */
	receive({ from, content }, now) {
		return this.addMessage({
			requestId: randomUUID(),
			from,
			to: this.phone.phoneNumber,
			content,
			status: 'received',
			type: 'received_from_mobile',
			scheduleSendAt: null,
			scheduleOnPhoneAt: null,
			lastAttemptedAt: null,
			sentAt: null,
			deliveredAt: null,
			receivedAt: now,
			expiredAt: null,
			failedAt: null,
			sendAttemptCount: null,
			maxSendAttempts: this.phone.maxSendAttempts,
			failureReason: null,
			messageExpirationSeconds: this.phone.messageExpirationSeconds,
			sendDuration: null,
			createdAt: now,
			updatedAt: now,
		});
	}

	/**
	 * Applies a status change to a message at `at`.
	 * @param {SmsMessage} message
	 * @param {'sent' | 'delivered' | 'failed' | 'expired'} status
	 * @param {number} at
	 * @param {string | null} [reason] failed: the failure_reason
	 */
	apply(message, status, at, reason = null) {
		message.status = status;
		message.updatedAt = at;
		if (status === 'sent') {
			const startedAt = Math.max(message.createdAt, message.scheduleSendAt ?? 0);
			message.scheduleOnPhoneAt = startedAt;
			message.lastAttemptedAt = startedAt;
			message.sentAt = at;
			message.sendAttemptCount = 1;
			message.sendDuration = Math.round((at - startedAt) / 10) / 100;
		} else if (status === 'delivered') message.deliveredAt = at;
		else if (status === 'failed') {
			message.failedAt = at;
			message.lastAttemptedAt = at;
			message.sendAttemptCount = Math.max(1, message.sendAttemptCount ?? 0);
			message.failureReason = reason ?? 'UNKNOWN';
		} else message.expiredAt = at;
	}

	/**
	 * Changes a message's status now, on demand (the planned changes are dropped).
	 * @param {SmsMessage} message
	 * @param {'sent' | 'delivered' | 'failed' | 'expired'} status
	 * @param {number} now
	 * @param {string | null} [reason]
	 */
	force(message, status, now, reason = null) {
		this.settle(now);
		message.plan = [];
		this.pending.delete(message);
		if (status === 'delivered' && message.sentAt === null) this.apply(message, 'sent', now);
		this.apply(message, status, now, reason);
		this.rearm();
	}

	/**
	 * Applies every planned change due by `now`, delivering its webhook, and waits for the next.
	 * @param {number} [now]
	 */
	settle(now = Date.now()) {
		/** @type {Array<{ at: number, seq: number, message: SmsMessage, status: 'sent' | 'delivered' }>} */
		const due = [];
		for (const message of this.pending) {
			while (message.plan.length > 0 && message.plan[0].at <= now) {
				const step = /** @type {SmsMessage['plan'][number]} */ (message.plan.shift());
				due.push({ at: step.at, seq: message.seq, message, status: step.status });
			}
			if (message.plan.length === 0) this.pending.delete(message);
		}
		due.sort((a, b) => a.at - b.at || a.seq - b.seq);
		for (const { at, message, status } of due) {
			this.apply(message, status, at);
			this.context.emit({ event: status === 'sent' ? 'message.phone.sent' : 'message.phone.delivered', data: messageView(message, this.phone) });
		}
		this.rearm();
	}

	/** One timer, for the next planned change. */
	rearm() {
		let next = Infinity;
		for (const message of this.pending) if (message.plan.length > 0) next = Math.min(next, message.plan[0].at);
		if (next === this.timerAt && this.timer !== null) return;
		this.context.timers.clear(this.timer);
		this.timer = null;
		this.timerAt = next;
		if (next !== Infinity) {
			this.timer = this.context.timers.set(() => {
				this.timer = null;
				this.settle();
			}, next - Date.now());
		}
		this.context.changed();
	}

	/** Whether a change is due within the send and delivery delays (scheduled messages do not count). */
	isBusy() {
		const { smsSendDelayMs, smsDeliveryDelayMs } = this.context.config;
		return this.timerAt <= Date.now() + smsSendDelayMs + smsDeliveryDelayMs;
	}

	/**
	 * Deletes a message; its thread's last message becomes the newest one left.
	 * @param {string} id
	 */
	deleteMessage(id) {
		const message = this.messages.get(id);
		if (!message) return false;
		this.messages.delete(id);
		this.pending.delete(message);
		const thread = this.threads.get(message.threadId);
		if (thread && thread.lastMessageId === id) {
			const rest = [...this.messages.values()].filter((other) => other.threadId === thread.id);
			const newest = rest.reduce((/** @type {SmsMessage | null} */ best, other) => (best === null || other.createdAt > best.createdAt || (other.createdAt === best.createdAt && other.seq > best.seq) ? other : best), null);
			thread.lastMessageId = newest?.id ?? null;
			thread.lastMessageContent = newest?.content ?? null;
			thread.lastMessageAt = newest?.createdAt ?? null;
		}
		this.rearm();
		return true;
	}

	/**
	 * Deletes a thread and its messages.
	 * @param {string} id
	 */
	deleteThread(id) {
		if (!this.threads.delete(id)) return false;
		for (const message of [...this.messages.values()]) {
			if (message.threadId === id) {
				this.messages.delete(message.id);
				this.pending.delete(message);
			}
		}
		this.rearm();
		return true;
	}

	/**
	 * A heartbeat from the phone: recorded, and the phone is online again.
	 * @param {{ batteryLevel: number, isCharging: boolean, appVersion: string | null }} fields
	 * @param {number} now
	 */
	heartbeat({ batteryLevel, isCharging, appVersion }, now) {
		/** @type {SmsHeartbeat} */
		const beat = { id: randomUUID(), seq: this.seq++, batteryLevel, isCharging, localTimestamp: now, appVersion, createdAt: now };
		this.heartbeats.push(beat);
		this.phone.lastHeartbeatAt = now;
		this.phone.updatedAt = now;
		return beat;
	}

	/**
	 * The phone goes online or offline.
	 * @param {boolean} online
	 * @param {number} now
	 */
	setOnline(online, now) {
		const changed = this.phone.isOnline !== online;
		this.phone.isOnline = online;
		if (online) this.phone.lastOnlineAt = now;
		else this.phone.lastOfflineAt = now;
		this.phone.updatedAt = now;
		return changed;
	}

	/** Forgets every message, thread and heartbeat (the phone stays). */
	clear() {
		this.messages.clear();
		this.threads.clear();
		this.heartbeats = [];
		this.pending.clear();
		this.rearm();
	}

	/**
	 * Every message as the API shows it, oldest first (settled first).
	 * @param {number} [now]
	 */
	messageList(now = Date.now()) {
		this.settle(now);
		return [...this.messages.values()].map((message) => messageView(message, this.phone));
	}

	/** @param {number} [now] */
	heartbeatList(now = Date.now()) {
		this.settle(now);
		return this.heartbeats.map((beat) => heartbeatView(beat, this.phone));
	}
}

module.exports = { SmsGateway };
