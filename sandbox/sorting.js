// @ts-check
'use strict';
// The order the Hypersender API serves contacts in.

/** @typedef {import('./types').Contact} Contact */

const SORT_KEYS = ['id', 'name'];
const SORT_ORDERS = ['asc', 'desc'];

/** @param {Contact} contact */
function nameSortKey(contact) {
	return contact.name == null ? '' : `${contact.name}`;
}

/** @param {Contact} contact */
function idSortKey(contact) {
	return contact.id == null ? '' : `${contact.id}`;
}

/**
 * New array in the order the API serves: by `id` or `name` (missing name sorts as ''), plain
 * UTF-16 code-unit comparison, ties broken by id ascending in both orders so paging is stable.
 * @template {Contact} T
 * @param {T[]} list
 * @param {string} [sortBy] `id` or `name`
 * @param {string} [sortOrder] `asc` or `desc`
 * @returns {T[]}
 */
function sortContacts(list, sortBy = 'name', sortOrder = 'asc') {
	if (!SORT_KEYS.includes(sortBy)) throw new Error(`sortBy must be one of ${SORT_KEYS.join(', ')}, got ${sortBy}`);
	if (!SORT_ORDERS.includes(sortOrder)) throw new Error(`sortOrder must be one of ${SORT_ORDERS.join(', ')}, got ${sortOrder}`);
	const direction = sortOrder === 'desc' ? -1 : 1;
	const byName = sortBy === 'name';
	const entries = new Array(list.length);
	for (let i = 0; i < list.length; i++) {
		const contact = list[i];
		const id = idSortKey(contact);
		entries[i] = { contact, id, key: byName ? nameSortKey(contact) : id };
	}
	entries.sort((a, b) => {
		if (a.key !== b.key) return a.key < b.key ? -direction : direction;
		if (a.id === b.id) return 0;
		return a.id < b.id ? -1 : 1;
	});
	return entries.map((entry) => entry.contact);
}

module.exports = { sortContacts, SORT_KEYS, SORT_ORDERS };
