// @ts-check
'use strict';
// What every queued route shares: the synchronous check (422, nothing recorded), acceptance into
// the instance's queue with the immediate `{queued: true, …}` answer, the outcome the record shows
// once done (422 malformed chatId, 404 not on WhatsApp, or the route's own), and
// GET /queued-requests/{uuid}.
const { randomUUID } = require('node:crypto');
const { checkChatIdInput, chatIdText } = require('../chat-ids');
const { MAX_UPLOAD_BYTES, validationFailure } = require('../http');
const { isOnWhatsapp, remoteJidFor } = require('../messages');
const { fileDigest, fileSummary } = require('../multipart');
const { MessageQueue } = require('../queue');
const { Checker } = require('../validation');

/** @typedef {import('../types').ApiRoute} ApiRoute */
/** @typedef {import('../types').Reply} Reply */
/** @typedef {import('../types').RouteCall} RouteCall */
/** @typedef {import('../multipart').UploadedFile} UploadedFile */

const INVALID = 'The given data was invalid.';

/**
 * The result a queued request shows once done.
 * @typedef {{ status: number, body: unknown }} Outcome
 */

/**
 * What a route's work gets, once the chat is known to be valid and on WhatsApp.
 * @typedef {object} Work
 * @property {string} endpoint
 * @property {import('../chat-ids').ChatId} chat
 * @property {string} remoteJid
 * @property {Record<string, unknown>} input
 * @property {UploadedFile | undefined} file
 * @property {MessageQueue} queue
 * @property {number} doneAt
 */

/**
 * A queued route: `validate` adds the synchronous 422 errors (chatId is checked for every route),
 * `perform` gives the outcome.
 * @typedef {object} QueuedSpec
 * @property {string[]} [methods] default POST
 * @property {boolean} [files] takes a multipart upload (in the part `fileField`)
 * @property {string} [fileField] the upload's part name (default `file`)
 * @property {boolean} [safe] adds safeDelayMs to the processing time
 * @property {(check: Checker, input: Record<string, unknown>, files: Record<string, UploadedFile>) => void} validate
 * @property {(work: Work) => Outcome} perform
 */

/**
 * @param {Record<string, string[]>} errors
 * @returns {Reply}
 */
function invalid(errors) {
	return { status: 422, json: validationFailure(errors, INVALID) };
}

/**
 * @param {string} endpoint
 * @param {QueuedSpec} spec
 * @param {RouteCall} call
 * @param {UploadedFile | undefined} file
 * @param {number} doneAt
 * @returns {Outcome}
 */
function outcome(endpoint, spec, { instance, input, queue, config }, file, doneAt) {
	const checked = checkChatIdInput(input.chatId);
	if ('error' in checked) return { status: 422, body: validationFailure({ chatId: [checked.error] }, INVALID) };
	if (!isOnWhatsapp(instance, config.notOnWhatsapp, checked.chat)) return { status: 404, body: { message: 'The number is not on WhatsApp.' } };
	return spec.perform({ endpoint, chat: checked.chat, remoteJid: remoteJidFor(checked.chat), input, file, queue, doneAt });
}

/**
 * Checks the request, and when it passes records it in the queue and answers at once.
 * @param {string} endpoint
 * @param {QueuedSpec} spec
 * @param {RouteCall} call
 * @returns {Reply}
 */
function accept(endpoint, spec, call) {
	const { input, files, queue, config, now, method, instanceUrl } = call;
	const check = new Checker();
	check.string('chatId', input.chatId, { required: true, digits: true });
	spec.validate(check, input, spec.files ? files : {});
	if (!check.ok) return invalid(check.errors);

	const file = spec.files ? files[spec.fileField ?? 'file'] : undefined;
	const doneAt = queue.doneAtFor(now, config.processingDelayMs + (spec.safe ? config.safeDelayMs : 0));
	const { status, body } = outcome(endpoint, spec, call, file, doneAt);
	const uuid = randomUUID();
	queue.add({
		uuid,
		endpoint,
		method,
		chatId: chatIdText(input.chatId),
		request: { ...input, ...(file ? { [spec.fileField ?? 'file']: fileSummary(file) } : {}) },
		file: file ? fileDigest(file) : null,
		acceptedAt: now,
		doneAt,
		status,
		body,
	});
	return {
		status: 200,
		json: { queued: true, message: 'Processing your request...', queued_request_uuid: uuid, queued_request_link: `${instanceUrl}/queued-requests/${uuid}` },
	};
}

/**
 * @param {string} endpoint
 * @param {QueuedSpec} spec
 * @returns {ApiRoute}
 */
function queuedRoute(endpoint, spec) {
	return {
		methods: spec.methods ?? ['POST'],
		readsBody: true,
		files: Boolean(spec.files),
		bodyLimit: spec.files ? MAX_UPLOAD_BYTES : undefined,
		chatIdField: 'chatId',
		handle: (call) => accept(endpoint, spec, call),
	};
}

/**
 * GET /queued-requests/{uuid}: another instance's uuid is not found either.
 * @type {ApiRoute}
 */
const QUEUED_REQUEST_ROUTE = {
	methods: ['GET', 'HEAD'],
	readsBody: false,
	handle({ queue, params, now }) {
		const record = queue.get(params.uuid ?? '');
		if (!record) return { status: 404, json: { message: 'Queued request not found.' } };
		return { status: 200, json: MessageQueue.view(record, now) };
	},
};

module.exports = { INVALID, QUEUED_REQUEST_ROUTE, enqueue: accept, queuedRoute };
