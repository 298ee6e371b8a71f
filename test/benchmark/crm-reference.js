// @ts-check
'use strict';
// The benchmark's own reference for Get Many's client-side options (Contact Kind, Name Search,
// Add Derived Fields), written from the option descriptions, not from the node's code
// (nodes/Hypersender/domain/contactFields.ts), so that the CRM variants' output is checked
// against an independent implementation:
//
//   kind         from the JID's suffix: @c.us / @s.whatsapp.net → phone, @lid → lid,
//                @g.us → group, anything else → other
//   phone        '+' + the user part of a phone JID, without any ':device' suffix, when it is
//                6 to 15 digits with no leading 0; null otherwise (and always null for @lid)
//   displayName  the first non-blank of name, pushname; else phone; else the id
//   nameSearch   NFD-normalised, combining marks removed, lower-cased, then a substring test
//                on name or pushname
//
// The derived fields come after the API's own fields, in the order kind, phone, displayName.

/**
 * A contact as the API lists it (only the fields the options read).
 * @typedef {{ id: string, name?: string | null, pushname?: string | null, [field: string]: unknown }} Contact
 */
/** Get Many's client-side options. @typedef {{ contactKind?: string[], nameSearch?: string, addDerivedFields?: boolean }} CrmOptions */

/** @type {Array<[RegExp, string]>} */
const KIND_BY_SUFFIX = [
	[/@c\.us$/i, 'phone'],
	[/@s\.whatsapp\.net$/i, 'phone'],
	[/@lid$/i, 'lid'],
	[/@g\.us$/i, 'group'],
];

/** @param {string} id */
function kindOf(id) {
	for (const [pattern, kind] of KIND_BY_SUFFIX) if (pattern.test(id)) return kind;
	return 'other';
}

/** @param {string} id */
function e164Of(id) {
	if (kindOf(id) !== 'phone') return null;
	const at = id.lastIndexOf('@');
	const user = id.slice(0, at).replace(/:.*$/, ''); // "4915123456789:12" → "4915123456789"
	if (user.length < 6 || user.length > 15 || user[0] === '0') return null;
	for (const ch of user) if (ch < '0' || ch > '9') return null;
	return `+${user}`;
}

/** @param {unknown} value @returns {value is string} */
const isNonBlank = (value) => typeof value === 'string' && /\S/.test(value);

/** @param {Contact} contact */
function displayNameOf(contact) {
	if (isNonBlank(contact.name)) return contact.name;
	if (isNonBlank(contact.pushname)) return contact.pushname;
	return e164Of(contact.id) ?? contact.id;
}

/** @param {string} text */
function fold(text) {
	return text.normalize('NFD').replace(/\p{Mark}/gu, '').toLowerCase();
}

/**
 * What Get Many returns for the API's list `contacts` (already in the API's order) with these
 * options: { contactKind?: string[], nameSearch?: string, addDerivedFields?: boolean }.
 * @param {Contact[]} contacts
 * @param {CrmOptions} [options]
 * @returns {Contact[]}
 */
function expectedContacts(contacts, options = {}) {
	const kinds = options.contactKind ? new Set(options.contactKind) : undefined;
	const needle = typeof options.nameSearch === 'string' ? fold(options.nameSearch.trim()) : '';
	const out = [];
	for (const contact of contacts) {
		if (kinds && !kinds.has(kindOf(contact.id))) continue;
		if (needle !== '') {
			const hit = [contact.name, contact.pushname].some((value) => typeof value === 'string' && fold(value).includes(needle));
			if (!hit) continue;
		}
		out.push(
			options.addDerivedFields
				? Object.assign({}, contact, { kind: kindOf(contact.id), phone: e164Of(contact.id), displayName: displayNameOf(contact) })
				: contact,
		);
	}
	return out;
}

module.exports = { expectedContacts, kindOf, e164Of, displayNameOf, fold };

if (require.main === module) {
	// Self-check on hand-written cases: node test/benchmark/crm-reference.js
	const assert = require('node:assert/strict');
	assert.equal(kindOf('4915123456789@c.us'), 'phone');
	assert.equal(kindOf('4915123456789@S.WHATSAPP.NET'), 'phone');
	assert.equal(kindOf('123456789012345@lid'), 'lid');
	assert.equal(kindOf('120363012345678901@g.us'), 'group');
	assert.equal(kindOf('status@broadcast'), 'other');
	assert.equal(e164Of('4915123456789@c.us'), '+4915123456789');
	assert.equal(e164Of('4915123456789:12@s.whatsapp.net'), '+4915123456789');
	assert.equal(e164Of('04915123456789@c.us'), null);
	assert.equal(e164Of('12345@c.us'), null);
	assert.equal(e164Of('123456@c.us'), '+123456');
	assert.equal(e164Of('1234567890123456@c.us'), null);
	assert.equal(e164Of('123456789012345@c.us'), '+123456789012345');
	assert.equal(e164Of('123456789012345@lid'), null);
	assert.equal(displayNameOf({ id: '4915123456789@c.us', name: '  ', pushname: 'Jo' }), 'Jo');
	assert.equal(displayNameOf({ id: '4915123456789@c.us', name: '', pushname: '' }), '+4915123456789');
	assert.equal(displayNameOf({ id: '123456789012345@lid' }), '123456789012345@lid');
	assert.equal(fold('José ÁLVAREZ'), 'jose alvarez');
	const list = [
		{ id: '4915123456789@c.us', name: 'José' },
		{ id: '123456789012345@lid', pushname: 'ANNA' },
		{ id: '120363012345678901@g.us', name: 'Family' },
	];
	assert.deepEqual(expectedContacts(list, { nameSearch: ' JOS ' }).map((c) => c.id), ['4915123456789@c.us']);
	assert.deepEqual(expectedContacts(list, { nameSearch: 'an' }).map((c) => c.id), ['123456789012345@lid']);
	assert.deepEqual(
		JSON.stringify(expectedContacts(list, { contactKind: ['phone', 'lid'], addDerivedFields: true })),
		JSON.stringify([
			{ id: '4915123456789@c.us', name: 'José', kind: 'phone', phone: '+4915123456789', displayName: 'José' },
			{ id: '123456789012345@lid', pushname: 'ANNA', kind: 'lid', phone: null, displayName: 'ANNA' },
		]),
	);
	process.stdout.write('crm-reference: ok\n');
}
