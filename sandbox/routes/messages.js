// @ts-check
'use strict';
// The queued send-* routes: send-text(-safe), send-image, send-video, send-file, send-voice,
// send-location, send-contact-card and send-poll. Each checks its fields (422 at once) and, once
// done, shows the WhatsApp message it sent (201).
const { envelope, sendContent } = require('../messages');
const { isBlank } = require('../validation');
const { queuedRoute } = require('./queued');

/** @typedef {import('../validation').Checker} Checker */
/** @typedef {import('../multipart').UploadedFile} UploadedFile */
/** @typedef {import('./queued').Work} Work */
/** @typedef {import('./queued').QueuedSpec} QueuedSpec */

const MAX_TEXT = 65536;

/**
 * A send's outcome: the message, remembered so forward, react, star, delete and send-seen find it.
 * @param {Work} work
 */
function sendMessage({ endpoint, remoteJid, input, file, queue, doneAt }) {
	const sent = envelope(remoteJid, sendContent(endpoint, input, file, doneAt), doneAt);
	queue.remember(sent.key, sent.message, { timestamp: Number(sent.messageTimestamp) });
	return { status: 201, body: sent };
}

/**
 * @param {Checker} check
 * @param {Record<string, unknown>} input
 */
function checkReplyTo(check, input) {
	check.string('reply_to', input.reply_to);
}

/** @type {QueuedSpec['validate']} */
function checkText(check, input) {
	check.string('text', input.text, { required: true, max: MAX_TEXT });
	checkReplyTo(check, input);
	check.boolean('link_preview', input.link_preview);
	check.boolean('link_preview_high_quality', input.link_preview_high_quality);
}

/**
 * Media: exactly one of `url` and an uploaded `file`; optional filename, mimetype, caption, reply_to.
 * @param {{ image?: boolean, asNote?: boolean }} [options]
 * @returns {QueuedSpec['validate']}
 */
function checkMedia({ image = false, asNote = false } = {}) {
	return (check, input, files) => {
		const file = files.file;
		const hasUrl = !isBlank(input.url);
		if (!isBlank(input.file) && !file) check.fail('file', 'must be a file.');
		if (!hasUrl && !file) {
			check.fail('url', 'The url field is required when file is not present.');
			if (isBlank(input.file)) check.fail('file', 'The file field is required when url is not present.');
		} else if (hasUrl && file) check.fail('url', 'The url field prohibits file from being present.');
		else if (hasUrl) check.url('url', input.url);
		if (image && file && !file.mimetype.toLowerCase().startsWith('image/')) check.fail('file', 'must be an image.');
		for (const field of ['filename', 'mimetype', 'caption']) check.string(field, input[field]);
		if (image && typeof input.mimetype === 'string' && !isBlank(input.mimetype) && !input.mimetype.trim().toLowerCase().startsWith('image/')) {
			check.fail('mimetype', 'The selected mimetype is invalid.');
		}
		checkReplyTo(check, input);
		if (asNote) check.boolean('asNote', input.asNote);
	};
}

/** @type {QueuedSpec['validate']} */
function checkLocation(check, input) {
	check.number('latitude', input.latitude, { required: true, min: -90, max: 90 });
	check.number('longitude', input.longitude, { required: true, min: -180, max: 180 });
	check.string('title', input.title);
	checkReplyTo(check, input);
}

/** @type {QueuedSpec['validate']} */
function checkContactCards(check, input) {
	if (!check.list('contacts', input.contacts, { min: 1 })) return;
	input.contacts.forEach((contact, index) => {
		const field = `contacts.${index}`;
		if (!check.object(field, contact)) return;
		for (const key of ['vcard', 'fullName', 'phoneNumber', 'organization', 'whatsappId']) check.string(`${field}.${key}`, contact[key]);
		if (!isBlank(contact.vcard)) return;
		for (const key of ['fullName', 'phoneNumber']) {
			if (isBlank(contact[key])) check.fail(`${field}.${key}`, `The ${field}.${key === 'fullName' ? 'full name' : 'phone number'} field is required when ${field}.vcard is not present.`);
		}
	});
}

/** @type {QueuedSpec['validate']} */
function checkPoll(check, input) {
	checkReplyTo(check, input);
	if (!check.object('poll', input.poll)) return;
	const poll = input.poll;
	check.string('poll.name', poll.name, { required: true });
	check.boolean('poll.multipleAnswers', poll.multipleAnswers);
	if (!check.list('poll.options', poll.options, { min: 2, max: 12 })) return;
	/** @type {Set<string>} */
	const seen = new Set();
	poll.options.forEach((option, index) => {
		const field = `poll.options.${index}`;
		if (!check.string(field, option, { required: true })) return;
		const key = String(option).trim();
		if (seen.has(key)) check.fail(field, 'has a duplicate value.');
		seen.add(key);
	});
}

/** @type {Record<string, QueuedSpec>} */
const SPECS = {
	'send-text': { validate: checkText, perform: sendMessage },
	'send-text-safe': { validate: checkText, perform: sendMessage, safe: true },
	'send-image': { validate: checkMedia({ image: true }), perform: sendMessage, files: true },
	'send-video': { validate: checkMedia({ asNote: true }), perform: sendMessage, files: true },
	'send-file': { validate: checkMedia(), perform: sendMessage, files: true },
	'send-voice': { validate: checkMedia(), perform: sendMessage, files: true },
	'send-location': { validate: checkLocation, perform: sendMessage },
	'send-contact-card': { validate: checkContactCards, perform: sendMessage },
	'send-poll': { validate: checkPoll, perform: sendMessage },
};

/** @type {Record<string, import('../types').ApiRoute>} */
const SEND_ROUTES = Object.fromEntries(Object.entries(SPECS).map(([endpoint, spec]) => [endpoint, queuedRoute(endpoint, spec)]));

module.exports = { SEND_ROUTES };
