// @ts-check
'use strict';
// GET /{instance}/contacts/get-all: validated paging and sorting, plus the maxPage and endless modes.
const { SORT_KEYS, SORT_ORDERS } = require('../sorting');
const { errorStatusReply } = require('../faults');

/** @typedef {import('../types').RawQuery} RawQuery */
/** @typedef {import('../types').Reply} Reply */
/** @typedef {import('../types').RouteCall} RouteCall */

// PHP's FILTER_VALIDATE_INT, which Laravel's `integer` rule uses: optional sign, no leading zeros.
const INTEGER_PATTERN = /^[+-]?(0|[1-9][0-9]*)$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** @param {string} text */
function isInteger(text) {
	if (!INTEGER_PATTERN.test(text)) return false;
	const value = BigInt(text);
	return value <= INT64_MAX && value >= INT64_MIN;
}

/**
 * Laravel-style validation of the query; returns { values } or { errors } keyed by field.
 * @param {Omit<RawQuery, 'chat_id'>} query
 * @returns {{ values: { limit: number, offset: number, sortBy: string, sortOrder: string } } | { errors: Record<string, string[]> }}
 */
function validateQuery(query) {
	/** @type {Record<string, string[]>} */
	const errors = {};
	/**
	 * @param {string} field
	 * @param {string} message
	 */
	const fail = (field, message) => (errors[field] ??= []).push(message);
	// Laravel trims strings and turns empty ones into null, so `limit=` means "use the default".
	/** @param {string | null} value */
	const present = (value) => (value === null ? null : value.trim() || null);

	const limitText = present(query.limit);
	const offsetText = present(query.offset);
	const sortBy = present(query.sort_by) ?? 'name';
	const sortOrder = present(query.sort_order) ?? 'asc';
	let limit = 100;
	let offset = 0;

	if (limitText !== null) {
		if (!isInteger(limitText)) fail('limit', 'The limit field must be an integer.');
		else {
			limit = Number(limitText);
			if (limit < 1) fail('limit', 'The limit field must be at least 1.');
			else if (limit > 1000) fail('limit', 'The limit field must not be greater than 1000.');
		}
	}
	if (offsetText !== null) {
		if (!isInteger(offsetText)) fail('offset', 'The offset field must be an integer.');
		else {
			offset = Number(offsetText);
			if (offset < 0) fail('offset', 'The offset field must be at least 0.');
		}
	}
	if (!SORT_KEYS.includes(sortBy)) fail('sort_by', 'The selected sort by is invalid.');
	if (!SORT_ORDERS.includes(sortOrder)) fail('sort_order', 'The selected sort order is invalid.');

	if (Object.keys(errors).length > 0) return { errors };
	return { values: { limit, offset, sortBy, sortOrder } };
}

/**
 * The 422 body of get-all, which carries `statusCode` as well.
 * @param {Record<string, string[]>} errors
 */
function validationBody(errors) {
	const messages = Object.values(errors).flat();
	const more = messages.length - 1;
	const suffix = more === 0 ? '' : ` (and ${more} more error${more === 1 ? '' : 's'})`;
	return { message: `${messages[0]}${suffix}`, errors, statusCode: 422 };
}

/**
 * @param {RouteCall} call
 * @returns {Reply}
 */
function getAll({ instance, entry, config }) {
	const validation = validateQuery(entry.query);
	if ('errors' in validation) return { status: 422, json: validationBody(validation.errors) };
	const { limit, offset, sortBy, sortOrder } = validation.values;

	if (config.maxPageSize !== null && limit > config.maxPageSize) {
		return { ...errorStatusReply(config.maxPageStatus, config.faults.retryAfter), fault: 'maxPage' };
	}

	const sorted = instance.list(sortBy, sortOrder);
	let data;
	if (config.endless) {
		data = [];
		// A broken server: every page is full, so a client that trusts "short page = last page" never stops.
		for (let i = 0; i < limit && sorted.length > 0; i++) data.push(sorted[i % sorted.length]);
	} else {
		data = sorted.slice(offset, offset + limit);
	}
	return { status: 200, json: { message: 'Contacts retrieved successfully.', data } };
}

module.exports = { getAll, validateQuery };
