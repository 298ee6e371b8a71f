// @ts-check
'use strict';
// The SMS gateway's records as the API and its webhooks show them, shaped like the official SDK's
// fixtures: messages, message threads, heartbeats and the phone. Times are kept in ms and shown
// as `YYYY-MM-DD HH:MM:SS` (UTC, the phone's `timezone`).
const { sqlDateTime } = require('./times');

/**
 * An SMS, sent (`sent_to_mobile`: the API handed it to the phone) or received (`received_from_mobile`).
 * @typedef {object} SmsMessage
 * @property {string} id uuid
 * @property {number} seq creation order, breaks ties when sorting
 * @property {string | null} requestId
 * @property {string} threadId
 * @property {string} from E.164
 * @property {string} to E.164
 * @property {string} content
 * @property {'pending' | 'scheduled' | 'sent' | 'delivered' | 'failed' | 'expired' | 'received'} status
 * @property {'sent_to_mobile' | 'received_from_mobile'} type
 * @property {number | null} scheduleSendAt
 * @property {number | null} scheduleOnPhoneAt
 * @property {number | null} lastAttemptedAt
 * @property {number | null} sentAt
 * @property {number | null} deliveredAt
 * @property {number | null} receivedAt
 * @property {number | null} expiredAt
 * @property {number | null} failedAt
 * @property {number | null} sendAttemptCount
 * @property {number} maxSendAttempts
 * @property {string | null} failureReason
 * @property {number} messageExpirationSeconds
 * @property {number | null} sendDuration seconds
 * @property {number} createdAt
 * @property {number} updatedAt
 * @property {Array<{ at: number, status: 'sent' | 'delivered' }>} plan what happens to it next, and when
 */

/**
 * A conversation with one number: its first message's from and to.
 * @typedef {object} SmsThread
 * @property {string} id
 * @property {number} seq
 * @property {string} from
 * @property {string} to
 * @property {string} other the number that is not the phone's
 * @property {boolean} isArchived
 * @property {string | null} lastMessageId
 * @property {string | null} lastMessageContent
 * @property {number | null} lastMessageAt
 * @property {number} createdAt
 * @property {number} updatedAt
 */

/**
 * @typedef {object} SmsHeartbeat
 * @property {string} id
 * @property {number} seq
 * @property {number} batteryLevel
 * @property {boolean} isCharging
 * @property {number} localTimestamp
 * @property {string | null} appVersion
 * @property {number} createdAt
 */

/**
 * The Android phone an instance sends SMS with.
 * @typedef {object} SmsPhone
 * @property {string} id
 * @property {string} recordId the id its status payloads (phone.heartbeat.online…) carry besides phone_id
 * @property {string} userId
 * @property {string} phoneNumber
 * @property {string} name
 * @property {string} sim
 * @property {number} maxSendAttempts
 * @property {number} messageExpirationSeconds
 * @property {string | null} missedCallAutoReplyMessage
 * @property {boolean} isOnline
 * @property {number | null} lastOnlineAt
 * @property {number | null} lastOfflineAt
 * @property {number | null} lastMessageAt
 * @property {number | null} lastMissedCallAt
 * @property {number | null} lastHeartbeatAt
 * @property {number | null} heartbeatEnabledAt
 * @property {number} createdAt
 * @property {number} updatedAt
 */

const TIMEZONE = 'UTC';

/**
 * The phone as messages embed it (`phone`, `include=phone`).
 * @param {SmsPhone} phone
 */
function phoneView(phone) {
	return {
		id: phone.id,
		user_id: phone.userId,
		phone_number: phone.phoneNumber,
		name: phone.name,
		sim: phone.sim,
		max_send_attempts: phone.maxSendAttempts,
		message_expiration_seconds: phone.messageExpirationSeconds,
		missed_call_auto_reply_message: phone.missedCallAutoReplyMessage,
		is_online: phone.isOnline,
		last_online_at: sqlDateTime(phone.lastOnlineAt),
		last_offline_at: sqlDateTime(phone.lastOfflineAt),
		last_message_at: sqlDateTime(phone.lastMessageAt),
		last_missed_call_at: sqlDateTime(phone.lastMissedCallAt),
		last_heartbeat_at: sqlDateTime(phone.lastHeartbeatAt),
		heartbeat_enabled_at: sqlDateTime(phone.heartbeatEnabledAt),
		timezone: TIMEZONE,
		created_at: sqlDateTime(phone.createdAt),
		updated_at: sqlDateTime(phone.updatedAt),
	};
}

/**
 * The phone as the phone.heartbeat.online / offline / missed / disabled webhooks carry it.
 * @param {SmsPhone} phone
 */
function phoneStatusView(phone) {
	const { id, user_id: userId, ...rest } = phoneView(phone);
	const { timezone, created_at: createdAt, updated_at: updatedAt, ...fields } = rest;
	return {
		id: phone.recordId,
		phone_id: id,
		user_id: userId,
		...fields,
		fcm_notifications_per_minute: 100,
		attributes: [],
		timezone,
		created_at: createdAt,
		updated_at: updatedAt,
	};
}

/**
 * @param {SmsThread} thread
 * @param {SmsPhone} phone
 * @param {string[]} [include]
 */
function threadView(thread, phone, include = []) {
	return {
		id: thread.id,
		phone_id: phone.id,
		last_message_id: thread.lastMessageId,
		from_phone_number: thread.from,
		to_phone_number: thread.to,
		is_archived: thread.isArchived,
		last_message_content: thread.lastMessageContent,
		last_message_at: sqlDateTime(thread.lastMessageAt),
		created_at: sqlDateTime(thread.createdAt),
		updated_at: sqlDateTime(thread.updatedAt),
		...(include.includes('phone') ? { phone: phoneView(phone) } : {}),
	};
}

/**
 * A message; `phone` and `message_thread` come along when asked for (include, the send-message answer).
 * @param {SmsMessage} message
 * @param {SmsPhone} phone
 * @param {{ phone?: boolean, thread?: SmsThread }} [extra]
 */
function messageView(message, phone, extra = {}) {
	return {
		id: message.id,
		request_id: message.requestId,
		...(extra.phone ? { phone: phoneView(phone) } : {}),
		...(extra.thread ? { message_thread: threadView(extra.thread, phone) } : {}),
		message_thread_id: message.threadId,
		phone_id: phone.id,
		from_phone_number: message.from,
		to_phone_number: message.to,
		content: message.content,
		send_duration: message.sendDuration,
		schedule_on_phone_at: sqlDateTime(message.scheduleOnPhoneAt),
		sent_at: sqlDateTime(message.sentAt),
		last_attempted_at: sqlDateTime(message.lastAttemptedAt),
		delivered_at: sqlDateTime(message.deliveredAt),
		received_at: sqlDateTime(message.receivedAt),
		expired_at: sqlDateTime(message.expiredAt),
		schedule_send_at: sqlDateTime(message.scheduleSendAt),
		failed_at: sqlDateTime(message.failedAt),
		send_attempt_count: message.sendAttemptCount,
		max_send_attempts: message.maxSendAttempts,
		failure_reason: message.failureReason,
		message_expiration_seconds: message.messageExpirationSeconds,
		timezone: TIMEZONE,
		sim: phone.sim,
		status: message.status,
		type: message.type,
		created_at: sqlDateTime(message.createdAt),
		updated_at: sqlDateTime(message.updatedAt),
	};
}

/**
 * @param {SmsHeartbeat} heartbeat
 * @param {SmsPhone} phone
 * @param {string[]} [include]
 */
function heartbeatView(heartbeat, phone, include = []) {
	return {
		id: heartbeat.id,
		phone_id: phone.id,
		battery_level: heartbeat.batteryLevel,
		is_charging: heartbeat.isCharging,
		local_timestamp: sqlDateTime(heartbeat.localTimestamp),
		app_version: heartbeat.appVersion,
		created_at: sqlDateTime(heartbeat.createdAt),
		updated_at: sqlDateTime(heartbeat.createdAt),
		...(include.includes('phone') ? { phone: phoneView(phone) } : {}),
	};
}

module.exports = { TIMEZONE, heartbeatView, messageView, phoneStatusView, phoneView, threadView };
