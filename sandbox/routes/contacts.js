// @ts-check
'use strict';
// GET /contacts/get, POST /contacts/upsert and GET /contacts/profile-picture, built to the API docs.
const { checkChatIdInput } = require('../chat-ids');
const { validationFailure } = require('../http');
const { avatarFormat } = require('../images');
const { getAll } = require('./get-all');

/** @typedef {import('../types').Reply} Reply */
/** @typedef {import('../types').RouteCall} RouteCall */

/**
 * @param {Record<string, string[]>} errors
 * @returns {Reply}
 */
function invalid(errors) {
	return { status: 422, json: validationFailure(errors) };
}

/**
 * A text input as Laravel's `string` rule sees it (trimmed, empty = absent).
 * @param {unknown} value
 * @param {string} label e.g. `first name`
 * @param {boolean} required
 * @returns {{ value: string | null } | { error: string }}
 */
function textInput(value, label, required) {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return required ? { error: `The ${label} field is required.` } : { value: null };
	}
	if (typeof value !== 'string') return { error: `The ${label} field must be a string.` };
	return { value: value.trim() };
}

/**
 * GET /contacts/get?chat_id=
 * @param {RouteCall} call
 * @returns {Reply}
 */
function getContact({ instance, input }) {
	const checked = checkChatIdInput(input.chat_id);
	if ('error' in checked) return invalid({ chat_id: [checked.error] });
	const contact = instance.find(checked.chat);
	if (!contact) return { status: 404, json: { message: 'Contact not found.' } };
	return { status: 200, json: { message: 'Contact retrieved successfully.', data: contact } };
}

/**
 * POST /contacts/upsert with `chat_id`, `first_name` and optional `last_name`. The name becomes
 * `first_name` or `first_name last_name`; a new chat id creates the contact (`<digits>@c.us` for a
 * bare number). Groups cannot be saved to the address book.
 * @param {RouteCall} call
 * @returns {Reply}
 */
function upsertContact({ instance, input, config, now }) {
	/** @type {Record<string, string[]>} */
	const errors = {};
	const chat = checkChatIdInput(input.chat_id, { allowGroups: false });
	if ('error' in chat) errors.chat_id = [chat.error];
	const firstName = textInput(input.first_name, 'first name', true);
	if ('error' in firstName) errors.first_name = [firstName.error];
	const lastName = textInput(input.last_name, 'last name', false);
	if ('error' in lastName) errors.last_name = [lastName.error];
	if ('error' in chat || 'error' in firstName || 'error' in lastName) return invalid(errors);

	instance.upsert(
		chat.chat,
		{ firstName: /** @type {string} */ (firstName.value), lastName: lastName.value },
		{ now, delayMs: config.upsertDelayMs, callsNeeded: config.upsertCallsNeeded },
	);
	return { status: 200, json: { message: 'Contact upserted successfully.', data: { success: true } } };
}

/**
 * GET /contacts/profile-picture?chat_id= : a signed, expiring URL on the sandbox's own picture
 * CDN, or null when the contact is unknown or hides its picture.
 * @param {RouteCall} call
 * @returns {Reply}
 */
function profilePicture({ instanceId, instance, input, config, pictures, origin, now }) {
	const checked = checkChatIdInput(input.chat_id);
	if ('error' in checked) return invalid({ chat_id: [checked.error] });
	const contact = instance.find(checked.chat);
	if (!contact || instance.pictureHidden(contact.id)) {
		return { status: 200, json: { message: 'Profile picture not available.', data: { profilePictureURL: null } } };
	}
	const url = pictures.url(origin, instanceId, contact.id, avatarFormat(contact.id), now + config.pictureTtlMs);
	return { status: 200, json: { message: 'Profile picture retrieved successfully.', data: { profilePictureURL: url } } };
}

/**
 * The API routes under `/{instance}/contacts/`, with the methods each accepts.
 * @type {Record<string, { methods: string[], readsBody: boolean, handle: (call: RouteCall) => Reply }>}
 */
const CONTACT_ROUTES = {
	'get-all': { methods: ['GET', 'HEAD'], readsBody: false, handle: getAll },
	get: { methods: ['GET', 'HEAD'], readsBody: false, handle: getContact },
	upsert: { methods: ['POST'], readsBody: true, handle: upsertContact },
	'profile-picture': { methods: ['GET', 'HEAD'], readsBody: false, handle: profilePicture },
};

module.exports = { CONTACT_ROUTES, getContact, profilePicture, upsertContact };
