// @ts-check
'use strict';
// The SMS gateway's controls on the object startSandbox() returns: its messages (with a count per
// request_id, so a test can check that every request_id was recorded exactly once), threads,
// heartbeats and phone, seeding a history, incoming SMS and heartbeats, and forgetting it all.
const { phoneView, threadView } = require('./sms-records');

/** @typedef {import('./instances').Instance} Instance */
/** @typedef {import('./gateway').Gateway} Gateway */
/** @typedef {import('./simulate').SimulationResult} SimulationResult */

const MINUTE = 60000;
const HEARTBEAT_EVERY_MS = 15 * MINUTE;

/**
 * A history of `messages` SMS over `threads` numbers (alternately sent, delivered, and received,
 * one a minute up to now) and `heartbeats` heartbeats (every 15 minutes up to now); no webhooks.
 * @param {import('./sms').SmsGateway} sms
 * @param {{ messages?: number, threads?: number, heartbeats?: number }} counts
 * @param {number} now
 */
function seedHistory(sms, { messages = 20, threads = 5, heartbeats = 0 }, now) {
	for (const [name, value] of Object.entries({ messages, threads, heartbeats })) {
		if (!Number.isInteger(value) || value < 0 || value > 100000) throw new Error(`${name} must be a whole number from 0 to 100000, got ${JSON.stringify(value)}`);
	}
	if (messages > 0 && threads < 1) throw new Error('threads must be at least 1 when there are messages');
	const base = sms.seq;
	for (let i = 0; i < messages; i++) {
		const at = now - (messages - i) * MINUTE;
		const other = `+1555010${String((base + (i % threads)) % 10000).padStart(4, '0')}`;
		const outgoing = i % 2 === 0;
		const { message } = outgoing
			? { message: sms.send({ to: other, content: `Seeded message ${i + 1}`, requestId: `seed-${base}-${i + 1}`, scheduleSendAt: null, maxSendAttempts: null, messageExpirationSeconds: null }, at).message }
			: sms.receive({ from: other, content: `Seeded reply ${i + 1}` }, at);
		if (outgoing) sms.force(message, 'delivered', at, null);
	}
	for (let i = 0; i < heartbeats; i++) sms.heartbeat({ batteryLevel: 100 - (i % 80), isCharging: i % 3 === 0, appVersion: 'v1.0.3' }, now - (heartbeats - 1 - i) * HEARTBEAT_EVERY_MS);
	sms.heartbeats.sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
	return { messages, threads: messages === 0 ? 0 : Math.min(threads, messages), heartbeats };
}

/**
 * @param {(id: string) => Instance} getInstance
 * @param {Gateway} gateway
 * @param {(instanceId: string, kind: string, input?: Record<string, unknown>) => Promise<SimulationResult>} simulate
 */
function smsControls(getInstance, gateway, simulate) {
	/** @param {string} instanceId */
	const gatewayOf = (instanceId) => {
		getInstance(instanceId);
		return gateway.sms.of(instanceId);
	};
	return {
		/**
		 * An instance's SMS (sent and received), oldest first, as GET messages shows them; only those
		 * with this request_id when `requestId` is given.
		 * @param {string} instanceId
		 * @param {{ requestId?: string }} [which]
		 */
		smsMessages(instanceId, which = {}) {
			const list = gatewayOf(instanceId).messageList();
			return which.requestId === undefined ? list : list.filter((message) => message.request_id === which.requestId);
		},
		/**
		 * How many messages each request_id has (sent messages with one): more than 1 is a message sent twice.
		 * @param {string} instanceId
		 * @returns {Record<string, number>}
		 */
		smsRequestIdCounts(instanceId) {
			/** @type {Record<string, number>} */
			const counts = {};
			for (const message of gatewayOf(instanceId).messages.values()) {
				if (message.type === 'sent_to_mobile' && message.requestId !== null) counts[message.requestId] = (counts[message.requestId] ?? 0) + 1;
			}
			return counts;
		},
		/** @param {string} instanceId the threads, oldest first */
		smsThreads(instanceId) {
			const sms = gatewayOf(instanceId);
			return [...sms.threads.values()].map((thread) => threadView(thread, sms.phone));
		},
		/** @param {string} instanceId the heartbeats, oldest first */
		smsHeartbeats(instanceId) {
			return gatewayOf(instanceId).heartbeatList();
		},
		/** @param {string} instanceId the phone, as messages embed it */
		smsPhone(instanceId) {
			return phoneView(gatewayOf(instanceId).phone);
		},
		/**
		 * Adds a history (no webhooks): `messages` SMS over `threads` numbers, `heartbeats` heartbeats.
		 * @param {string} instanceId
		 * @param {{ messages?: number, threads?: number, heartbeats?: number }} [counts] default 20 messages, 5 threads, no heartbeats
		 */
		seedSms(instanceId, counts = {}) {
			return seedHistory(gatewayOf(instanceId), counts, Date.now());
		},
		/**
		 * An SMS arrives from `from` (default +15550100001): a received message in its thread, and message.phone.received.
		 * @param {string} instanceId
		 * @param {{ from?: string, content?: string }} [input]
		 */
		receiveSms(instanceId, input = {}) {
			return simulate(instanceId, 'sms', { ...input, event: 'message.phone.received' });
		},
		/**
		 * The phone sends a heartbeat: recorded, and phone.heartbeat.received (and .online if it was offline).
		 * @param {string} instanceId
		 * @param {{ batteryLevel?: number, isCharging?: boolean, appVersion?: string }} [input]
		 */
		smsHeartbeat(instanceId, input = {}) {
			return simulate(instanceId, 'sms', { ...input, event: 'phone.heartbeat.received' });
		},
		/** @param {string} instanceId forgets its SMS, threads and heartbeats (the phone stays) */
		clearSms(instanceId) {
			gatewayOf(instanceId).clear();
		},
	};
}

module.exports = { seedHistory, smsControls };
