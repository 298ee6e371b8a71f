// @ts-check
'use strict';
// The controls of the object startSandbox() returns for the account's instances (health status,
// created instances) and the rate limits.
const { controlView } = require('./otp');
const { otpChat } = require('./routes/otp');
const { laravelDate } = require('./times');

/** @typedef {import('./instances').Instance} Instance */
/** @typedef {import('./gateway').Gateway} Gateway */

/**
 * @param {(id: string) => Instance} getInstance
 * @param {Gateway} gateway
 */
function instanceControls(getInstance, gateway) {
	/** @param {string} instanceId */
	const health = (instanceId) => {
		getInstance(instanceId);
		const { status, connectedAt } = gateway.registry.health(instanceId, Date.now());
		return { instance_id: instanceId, connected_at: connectedAt === null ? null : laravelDate(connectedAt), status };
	};
	return {
		/**
		 * What GET /{instance}/health answers now (without counting against its rate limit).
		 * @param {string} instanceId
		 */
		instanceHealth: health,
		/**
		 * Sets an instance's status (STOPPED, STARTING, WORKING, SCAN_QR_CODE, FAILED, PENDING); a
		 * restart under way ends. WORKING connects it now (connected_at), any other status disconnects it.
		 * @param {string} instanceId
		 * @param {string} status
		 */
		setInstanceStatus(instanceId, status) {
			getInstance(instanceId);
			gateway.registry.setStatus(instanceId, status, Date.now());
			return health(instanceId);
		},
		/** The instances made through POST /create-instance, oldest first, with their access tokens. */
		createdInstances() {
			return gateway.registry.createdList(Date.now());
		},
		/** Forgets every rate-limit count: each limited route starts a new window. */
		resetRateLimits() {
			gateway.rateLimiter.reset();
		},
		/** The rate-limit windows still open: `{key: '<caller>|<instance>|<route>', hits, resetsAt}`. */
		rateLimitWindows() {
			return gateway.rateLimiter.list(Date.now());
		},
	};
}

/**
 * The chat a control names, as the OTP API keeps it; throws on anything else.
 * @param {string} chatId
 */
function otpChatOf(chatId) {
	const chat = otpChat(chatId);
	if (chat === null) throw new Error(`"${chatId}" is not a phone number or a person's chat id`);
	return chat;
}

/**
 * The controls of the OTP codes.
 * @param {(id: string) => Instance} getInstance
 * @param {Gateway} gateway
 */
function otpControls(getInstance, gateway) {
	/** @param {string} instanceId */
	const store = (instanceId) => {
		getInstance(instanceId);
		return gateway.otp.of(instanceId);
	};
	return {
		/**
		 * An instance's OTP codes, oldest first, with the code and its status now (`pending`,
		 * `validated`, `expired`); only a chat's when `chatId` is given (any writing of the number).
		 * @param {string} instanceId
		 * @param {string} [chatId]
		 */
		otpCodes(instanceId, chatId) {
			const chat = chatId === undefined ? undefined : otpChatOf(chatId);
			const now = Date.now();
			return store(instanceId).records.filter((record) => chat === undefined || record.chatId === chat).map((record) => controlView(record, now));
		},
		/**
		 * The newest code of a chat (request-code or generate-link), or null.
		 * @param {string} instanceId
		 * @param {string} chatId
		 */
		lastOtpCode(instanceId, chatId) {
			const record = store(instanceId).latest(otpChatOf(chatId));
			return record ? controlView(record, Date.now()) : null;
		},
		/**
		 * Makes a code expire now: the one with this uuid, or the newest of a chat.
		 * @param {string} instanceId
		 * @param {{ uuid?: string, chatId?: string }} which
		 */
		expireOtpCode(instanceId, which) {
			const chat = which.chatId === undefined ? undefined : otpChatOf(which.chatId);
			const record = store(instanceId).find({ uuid: which.uuid, chatId: chat });
			if (!record) throw Object.assign(new Error('OTP code not found.'), { status: 404 });
			const now = Date.now();
			record.expiresAt = Math.min(record.expiresAt, now);
			return controlView(record, now);
		},
		/** @param {string} instanceId forgets its OTP codes */
		clearOtpCodes(instanceId) {
			store(instanceId).clear();
		},
	};
}

module.exports = { instanceControls, otpControls };
