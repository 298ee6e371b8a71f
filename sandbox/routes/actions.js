// @ts-check
'use strict';
// The queued message and chat actions: forward-message, react-to-message, star-message,
// delete-message (query), read-chat, send-seen, start-typing and stop-typing. The ones that name a
// message find it among the messages this instance sent (serialized `true_<jid>_<id>` or the bare
// key id) or received (simulate: `false_<jid>_<id>`); any other id is 404 "Message not found." in
// the record.
const { envelope, forwardedContent } = require('../messages');
const { booleanValue } = require('../validation');
const { queuedRoute } = require('./queued');

/** @typedef {import('./queued').Outcome} Outcome */
/** @typedef {import('./queued').QueuedSpec} QueuedSpec */
/** @typedef {import('./queued').Work} Work */
/** @typedef {import('../queue').SentMessage} SentMessage */

/** @type {Outcome} */
const NOT_FOUND = { status: 404, body: { message: 'Message not found.' } };

/**
 * Runs `found` with the message the request's messageId names, or answers 404.
 * @param {(message: SentMessage, work: Work) => Outcome} found
 * @returns {(work: Work) => Outcome}
 */
function withMessage(found) {
	return (work) => {
		const message = work.queue.find(String(work.input.messageId));
		return message ? found(message, work) : NOT_FOUND;
	};
}

/**
 * @param {import('../validation').Checker} check
 * @param {Record<string, unknown>} input
 */
function checkMessageId(check, input) {
	check.string('messageId', input.messageId, { required: true });
}

/** @type {QueuedSpec} */
const forward = {
	validate: checkMessageId,
	perform: withMessage((original, { remoteJid, queue, doneAt }) => {
		const sent = envelope(remoteJid, forwardedContent(original.message), doneAt);
		queue.remember(sent.key, sent.message, { timestamp: Number(sent.messageTimestamp) });
		return { status: 201, body: sent };
	}),
};

/** @type {QueuedSpec} */
const react = {
	methods: ['PUT'],
	validate(check, input) {
		checkMessageId(check, input);
		// `""` removes the reaction, so the field must be present but may be empty.
		if (!Object.hasOwn(input, 'reaction')) check.fail('reaction', 'must be present.');
		else if (input.reaction !== null && typeof input.reaction !== 'string') check.fail('reaction', 'must be a string.');
	},
	perform: withMessage((original, { input, doneAt }) => {
		const reaction = { key: { ...original.key }, text: typeof input.reaction === 'string' ? input.reaction : '', senderTimestampMs: doneAt };
		return { status: 201, body: envelope(original.key.remoteJid, { reactionMessage: reaction }, doneAt) };
	}),
};

/** @type {QueuedSpec} */
const star = {
	methods: ['PUT'],
	validate(check, input) {
		checkMessageId(check, input);
		check.boolean('star', input.star, { required: true });
	},
	perform: withMessage((message, { input }) => {
		message.starred = booleanValue(input.star) === true;
		return { status: 200, body: {} };
	}),
};

/** @type {QueuedSpec} */
const remove = {
	methods: ['DELETE'],
	validate: checkMessageId,
	perform: withMessage((original, { queue, doneAt }) => {
		queue.forget(original.key.id);
		return { status: 201, body: envelope(original.key.remoteJid, { protocolMessage: { key: { ...original.key }, type: 'REVOKE' } }, doneAt) };
	}),
};

/** @type {QueuedSpec} */
const readChat = {
	validate(check, input) {
		check.number('messages', input.messages, { integer: true, min: 1 });
		check.number('days', input.days, { integer: true, min: 1 });
	},
	// Marks the chat's unread received messages (from simulate) read: the newest `messages`, of the last `days`.
	perform: ({ remoteJid, input, queue, doneAt }) => {
		const limit = input.messages === undefined || input.messages === null || input.messages === '' ? undefined : Number(input.messages);
		const days = input.days === undefined || input.days === null || input.days === '' ? undefined : Number(input.days);
		const sinceSeconds = days === undefined ? undefined : Math.floor(doneAt / 1000) - days * 86400;
		return { status: 200, body: { ids: queue.markRead(remoteJid, { limit, sinceSeconds }) } };
	},
};

/** @type {QueuedSpec} */
const sendSeen = {
	validate(check, input) {
		checkMessageId(check, input);
		check.string('participant', input.participant);
	},
	perform: withMessage((message) => {
		message.read = true;
		return { status: 200, body: {} };
	}),
};

/** @type {QueuedSpec} */
const typing = { validate: () => {}, perform: () => ({ status: 200, body: {} }) };

/** @type {Record<string, import('../types').ApiRoute>} */
const ACTION_ROUTES = {
	'forward-message': queuedRoute('forward-message', forward),
	'react-to-message': queuedRoute('react-to-message', react),
	'star-message': queuedRoute('star-message', star),
	'delete-message': queuedRoute('delete-message', remove),
	'read-chat': queuedRoute('read-chat', readChat),
	'send-seen': queuedRoute('send-seen', sendSeen),
	'start-typing': queuedRoute('start-typing', typing),
	'stop-typing': queuedRoute('stop-typing', typing),
};

module.exports = { ACTION_ROUTES };
