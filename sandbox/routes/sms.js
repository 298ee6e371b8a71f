// @ts-check
'use strict';
// The SMS gateway API under /api/sms/v2/{instance}: POST send-message, GET messages, DELETE
// delete-message, GET message-threads, PUT edit-message-thread, DELETE delete-message-thread and
// GET heartbeats. The lists page and filter as spatie's query builder does (paginate.js); ids are
// taken under the SDK's names (`message_id`, `message_thread_id`) and the v1 docs' (`messageId`,
// `messageThreadId`).
const { validationFailure } = require('../http');
const { paginate, readListQuery } = require('../paginate');
const { heartbeatView, messageView, threadView } = require('../sms-records');
const { parseDateTime, sqlDateTime } = require('../times');
const { Checker, booleanValue, isBlank } = require('../validation');

/** @typedef {import('../types').ApiRoute} ApiRoute */
/** @typedef {import('../types').RouteCall} RouteCall */
/** @typedef {import('../sms-records').SmsMessage} SmsMessage */
/** @typedef {import('../sms-records').SmsThread} SmsThread */
/** @typedef {import('../sms-records').SmsHeartbeat} SmsHeartbeat */

const E164 = /^\+[1-9][0-9]{6,14}$/;
const MAX_CONTENT = 2048;
const MAX_SCHEDULE_AHEAD_MS = 3 * 24 * 3600 * 1000;

/** @type {import('../paginate').ListSpec<SmsMessage>} */
const MESSAGE_LIST = {
	filters: {
		request_id: { kind: 'exact', value: (m) => m.requestId },
		message_thread_id: { kind: 'exact', value: (m) => m.threadId },
		from_phone_number: { kind: 'partial', value: (m) => m.from },
		to_phone_number: { kind: 'partial', value: (m) => m.to },
		content: { kind: 'partial', value: (m) => m.content },
		status: { kind: 'exact', value: (m) => m.status },
		type: { kind: 'exact', value: (m) => m.type },
		delivered_at: { kind: 'date', value: (m) => m.deliveredAt },
		received_at: { kind: 'date', value: (m) => m.receivedAt },
		expired_at: { kind: 'date', value: (m) => m.expiredAt },
		failed_at: { kind: 'date', value: (m) => m.failedAt },
		schedule_send_at: { kind: 'date', value: (m) => m.scheduleSendAt },
		sent_at: { kind: 'date', value: (m) => m.sentAt },
		created_at: { kind: 'date', value: (m) => m.createdAt },
		updated_at: { kind: 'date', value: (m) => m.updatedAt },
	},
	sorts: {
		created_at: (m) => m.createdAt,
		updated_at: (m) => m.updatedAt,
		sent_at: (m) => m.sentAt,
		delivered_at: (m) => m.deliveredAt,
		received_at: (m) => m.receivedAt,
		failed_at: (m) => m.failedAt,
		expired_at: (m) => m.expiredAt,
		schedule_send_at: (m) => m.scheduleSendAt,
		status: (m) => m.status,
	},
	includes: ['phone', 'messageThread'],
	defaultSort: '-updated_at',
	seq: (m) => m.seq,
};

/** @type {import('../paginate').ListSpec<SmsThread>} */
const THREAD_LIST = {
	filters: {
		is_archived: { kind: 'boolean', value: (t) => t.isArchived },
		last_message_id: { kind: 'exact', value: (t) => t.lastMessageId },
		last_message_content: { kind: 'partial', value: (t) => t.lastMessageContent },
		from_or_to_number: { kind: 'partial', value: (t) => `${t.from} ${t.to}` },
		from_phone_number: { kind: 'partial', value: (t) => t.from },
		to_phone_number: { kind: 'partial', value: (t) => t.to },
		last_message_at: { kind: 'date', value: (t) => t.lastMessageAt },
		created_at: { kind: 'date', value: (t) => t.createdAt },
		updated_at: { kind: 'date', value: (t) => t.updatedAt },
	},
	sorts: { created_at: (t) => t.createdAt, updated_at: (t) => t.updatedAt, last_message_at: (t) => t.lastMessageAt },
	includes: ['phone'],
	defaultSort: '-updated_at',
	seq: (t) => t.seq,
};

/** @type {import('../paginate').ListSpec<SmsHeartbeat>} */
const HEARTBEAT_LIST = {
	filters: {
		app_version: { kind: 'exact', value: (h) => h.appVersion },
		battery_level: { kind: 'exact', value: (h) => h.batteryLevel },
		is_charging: { kind: 'boolean', value: (h) => h.isCharging },
		local_timestamp: { kind: 'date', value: (h) => h.localTimestamp },
		created_at: { kind: 'date', value: (h) => h.createdAt },
	},
	sorts: { created_at: (h) => h.createdAt, updated_at: (h) => h.createdAt, local_timestamp: (h) => h.localTimestamp, battery_level: (h) => h.batteryLevel },
	includes: ['phone'],
	defaultSort: '-created_at',
	seq: (h) => h.seq,
};

/**
 * The schedule_send_at check: a date (`YYYY-MM-DD HH:MM:SS` or ISO 8601, UTC without an offset)
 * at most three days ahead. Gives its time, or null when absent or invalid (the error recorded).
 * @param {Checker} check
 * @param {unknown} value
 * @param {number} now
 */
function checkSchedule(check, value, now) {
	if (isBlank(value)) return null;
	const at = typeof value === 'string' ? parseDateTime(value) : undefined;
	if (at === undefined) {
		check.fail('schedule_send_at', 'must be a valid date.');
		return null;
	}
	if (at > now + MAX_SCHEDULE_AHEAD_MS) {
		check.fail('schedule_send_at', `must be a date before or equal to ${sqlDateTime(now + MAX_SCHEDULE_AHEAD_MS)}.`);
		return null;
	}
	return at;
}

/** @type {ApiRoute} */
const sendMessage = {
	methods: ['POST'],
	readsBody: true,
	chatIdField: 'to',
	handle({ input, now, gateway, instanceId }) {
		const check = new Checker();
		check.string('content', input.content, { required: true, max: MAX_CONTENT });
		if (check.string('to', input.to, { required: true }) && !E164.test(String(input.to).trim())) check.fail('to', 'format is invalid.');
		check.string('request_id', input.request_id, { max: 255 });
		const scheduleSendAt = checkSchedule(check, input.schedule_send_at, now);
		check.number('max_send_attempts', input.max_send_attempts, { min: 1, max: 15, integer: true });
		check.number('message_expiration_seconds', input.message_expiration_seconds, { min: 1, integer: true });
		if (!check.ok) return { status: 422, json: validationFailure(check.errors) };
		const sms = gateway.sms.of(instanceId);
		const { message, thread } = sms.send(
			{
				to: String(input.to).trim(),
				content: String(input.content),
				requestId: isBlank(input.request_id) ? null : String(input.request_id).trim(),
				scheduleSendAt,
				maxSendAttempts: isBlank(input.max_send_attempts) ? null : Number(input.max_send_attempts),
				messageExpirationSeconds: isBlank(input.message_expiration_seconds) ? null : Number(input.message_expiration_seconds),
			},
			now,
		);
		return { status: 200, json: messageView(message, sms.phone, { phone: true, thread }) };
	},
};

/**
 * A GET list route: the gateway settled, the query read, the page answered.
 * @template T
 * @param {string} name the route, for the links' path
 * @param {import('../paginate').ListSpec<T>} spec
 * @param {(sms: import('../sms').SmsGateway) => T[]} items
 * @param {(item: T, sms: import('../sms').SmsGateway, include: string[]) => unknown} view
 * @returns {ApiRoute}
 */
function listRoute(name, spec, items, view) {
	return {
		methods: ['GET', 'HEAD'],
		readsBody: false,
		handle({ input, now, gateway, instanceId, instanceUrl }) {
			const query = readListQuery(input, spec);
			if ('reply' in query) return query.reply;
			const sms = gateway.sms.of(instanceId);
			sms.settle(now);
			const list = items(sms).filter(query.keep).sort(query.compare);
			return { status: 200, json: paginate(list, { perPage: query.perPage, page: query.page, path: `${instanceUrl}/${name}`, input, view: (item) => view(item, sms, query.include) }) };
		},
	};
}

/**
 * An id input under either name; gives it, or records `required` under the SDK's name.
 * @param {Checker} check
 * @param {Record<string, unknown>} input
 * @param {string} name e.g. `message_id`
 * @param {string} alias e.g. `messageId`
 */
function idInput(check, input, name, alias) {
	const value = isBlank(input[name]) ? input[alias] : input[name];
	return check.string(name, value, { required: true }) ? String(value).trim() : null;
}

/** @type {ApiRoute} */
const deleteMessage = {
	methods: ['DELETE'],
	readsBody: true,
	handle({ input, gateway, instanceId }) {
		const check = new Checker();
		const id = idInput(check, input, 'message_id', 'messageId');
		if (id === null) return { status: 422, json: validationFailure(check.errors) };
		if (!gateway.sms.of(instanceId).deleteMessage(id)) return { status: 404, json: { message: 'Message not found.' } };
		return { status: 200, json: { message: 'Message deleted successfully.' } };
	},
};

/** @type {ApiRoute} */
const editMessageThread = {
	methods: ['PUT'],
	readsBody: true,
	handle({ input, gateway, instanceId, now }) {
		const check = new Checker();
		const id = idInput(check, input, 'message_thread_id', 'messageThreadId');
		check.boolean('is_archived', input.is_archived, { required: true });
		if (id === null || !check.ok) return { status: 422, json: validationFailure(check.errors) };
		const sms = gateway.sms.of(instanceId);
		const thread = sms.threads.get(id);
		if (!thread) return { status: 404, json: { message: 'Message thread not found.' } };
		thread.isArchived = booleanValue(input.is_archived) === true;
		thread.updatedAt = now;
		return { status: 200, json: threadView(thread, sms.phone) };
	},
};

/** @type {ApiRoute} */
const deleteMessageThread = {
	methods: ['DELETE'],
	readsBody: true,
	handle({ input, gateway, instanceId }) {
		const check = new Checker();
		const id = idInput(check, input, 'message_thread_id', 'messageThreadId');
		if (id === null) return { status: 422, json: validationFailure(check.errors) };
		if (!gateway.sms.of(instanceId).deleteThread(id)) return { status: 404, json: { message: 'Message thread not found.' } };
		return { status: 200, json: { message: 'Message thread deleted successfully.' } };
	},
};

/** @type {Record<string, ApiRoute>} */
const SMS_ROUTES = {
	'send-message': sendMessage,
	messages: listRoute('messages', MESSAGE_LIST, (sms) => [...sms.messages.values()], (message, sms, include) =>
		messageView(message, sms.phone, { phone: include.includes('phone'), thread: include.includes('messageThread') ? sms.threads.get(message.threadId) : undefined }),
	),
	'delete-message': deleteMessage,
	'message-threads': listRoute('message-threads', THREAD_LIST, (sms) => [...sms.threads.values()], (thread, sms, include) => threadView(thread, sms.phone, include)),
	'edit-message-thread': editMessageThread,
	'delete-message-thread': deleteMessageThread,
	heartbeats: listRoute('heartbeats', HEARTBEAT_LIST, (sms) => sms.heartbeats, (beat, sms, include) => heartbeatView(beat, sms.phone, include)),
};

module.exports = { E164, SMS_ROUTES };
