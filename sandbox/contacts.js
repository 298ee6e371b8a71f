// @ts-check
'use strict';
// Seeded, realistic WhatsApp contact lists, and the phone numbers hidden behind some of their LIDs.
// (The order the API serves them in is in sorting.js; re-exported here.)

/** @typedef {import('./types').Contact} Contact */
/** @typedef {{ kind: string, name: string | undefined, pushname: string | undefined }} ContactSpec */

const { SORT_KEYS, SORT_ORDERS, sortContacts } = require('./sorting');

// Global lookups are slow inside vm contexts (jest runs modules in one); the hot loops use these locals.
const { floor, imul, min } = Math;

/**
 * mulberry32: tiny, fast, good enough for test data; the same seed always gives the same sequence.
 * @param {number} seed
 * @returns {() => number} numbers in [0, 1)
 */
function createRandom(seed) {
	let state = seed >>> 0;
	return function random() {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// Country calling code and the length of the national number that follows it.
/** @type {Array<{ code: string, digits: number[] }>} */
const COUNTRIES = [
	{ code: '1', digits: [10] },
	{ code: '20', digits: [10] },
	{ code: '44', digits: [10] },
	{ code: '49', digits: [10, 11] },
	{ code: '55', digits: [11] },
	{ code: '62', digits: [10, 11, 12] },
	{ code: '91', digits: [10] },
	{ code: '234', digits: [10] },
	{ code: '966', digits: [9] },
	{ code: '971', digits: [9] },
];

const FIRST_NAMES = [
	'Maria', 'John', 'Ahmed', 'Fatima', 'Olivia', 'Liam', 'Emma', 'Noah', 'Lucas', 'Sofia', 'Mohamed',
	'Ana', 'Pedro', 'Chinedu', 'Ngozi', 'Priya', 'Rahul', 'Budi', 'Siti', 'Hans', 'Anna', 'Sarah',
	'David', 'Aisha', 'Omar', 'Yusuf', 'Grace', 'James', 'Layla', 'Kofi', 'Mei', 'Daniel',
];
const LAST_NAMES = [
	'Doe', 'Silva', 'Santos', 'Smith', 'Schmidt', 'Okafor', 'Adeyemi', 'Sharma', 'Patel', 'Hassan',
	'Ali', 'Wijaya', 'Johnson', 'Brown', 'Costa', 'Khan', 'Mensah', 'Nguyen', 'Taylor', 'Fischer',
];
const ACCENTED_NAMES = [
	'José', 'Zoë', 'François', 'Chloé', 'Łukasz', 'Søren', 'Müller', 'Ángel Núñez', 'Björn', 'Çağla',
	'João Gonçalves', 'Renée', 'Ştefan', 'Dvořák',
];
const ARABIC_NAMES = ['محمد علي', 'فاطمة', 'أحمد', 'نور الهدى', 'خالد', 'سارة', 'يوسف حسن', 'ليلى'];
const CYRILLIC_NAMES = ['Иван Петров', 'Ольга', 'Дмитрий', 'Наталья Смирнова', 'Сергей', 'Анна'];
const CHINESE_NAMES = ['王伟', '李娜', '张敏', '陈静', '刘洋', '杨丽'];
const DEVANAGARI_NAMES = ['राहुल शर्मा', 'प्रिया', 'अमित', 'सुनीता देवी', 'विकास'];
const JAPANESE_NAMES = ['佐藤 花子', 'たなか', 'スズキ', '山田太郎', 'さくら', '高橋 健'];
const EMOJI_NAMES = ['Mom ❤️', 'Dad 👨‍🔧', '🍕 Pizza Place', 'Best friend 🌟', 'Gym 💪', 'Grandma 👵', '🏠 Landlord'];
const ODD_NAMES = ['  Leading Spaces', 'ALL CAPS', 'anna', '123 Plumber', '+44 7911 123456', 'Dr. Smith', 'Z', '_underscore'];
// Names people really give several contacts; they make ties in the name sort common.
const DUPLICATE_NAMES = ['John', 'Maria', 'Mom ❤️', 'Ahmed', 'Work', 'Anna'];
const GROUP_NAMES = [
	'Family 👨‍👩‍👧', 'Work Team', 'Football Sunday ⚽', 'عائلة', 'Class of 2010', 'Neighbours', 'Book Club 📚',
	'Семья', '家族', 'Project Alpha', 'Trip to Bali 🌴', 'Parents Committee',
];

// The first contacts of every list, so even a list of 20 has each id kind, missing and empty
// names, non-Latin scripts, emoji and duplicate names. `undefined` means the key is absent.
/** @type {ContactSpec[]} */
const GUARANTEED = [
	{ kind: 'c.us', name: 'Maria', pushname: 'Maria Doe' },
	{ kind: 'lid', name: 'John', pushname: 'John Doe' },
	{ kind: 'c.us', name: undefined, pushname: 'Ahmed Hassan' },
	{ kind: 's.whatsapp.net', name: '', pushname: 'Olga' },
	{ kind: 'c.us', name: 'محمد علي', pushname: 'Mohamed' },
	{ kind: 'lid', name: 'Иван Петров', pushname: undefined },
	{ kind: 'group-timestamp', name: 'Family 👨‍👩‍👧', pushname: undefined },
	{ kind: 'c.us', name: '王伟', pushname: '' },
	{ kind: 'c.us', name: 'राहुल शर्मा', pushname: 'Rahul' },
	{ kind: 'lid', name: 'たなか ゆき', pushname: '田中 由紀' },
	{ kind: 'c.us', name: 'José Álvarez', pushname: 'José' },
	{ kind: 'c.us', name: 'Zoë', pushname: 'Zoë 🌸' },
	{ kind: 'c.us', name: 'Mom ❤️', pushname: 'Mum' },
	{ kind: 'group-18', name: 'Work Team', pushname: '' },
	{ kind: 'c.us', name: 'Maria', pushname: 'Maria Santos' },
	{ kind: 'lid', name: undefined, pushname: undefined },
	{ kind: 's.whatsapp.net', name: 'John', pushname: undefined },
	{ kind: 'c.us', name: '', pushname: '' },
	{ kind: 'c.us', name: 'Dr. Chinedu Okafor', pushname: 'Chinedu' },
	{ kind: 'lid', name: 'anna', pushname: 'Anna Schmidt' },
];

/**
 * @template T
 * @param {() => number} random
 * @param {T[]} list
 * @returns {T}
 */
function pick(random, list) {
	return list[floor(random() * list.length)];
}

/**
 * @param {() => number} random
 * @param {number} count
 */
function digits(random, count) {
	let out = `${1 + floor(random() * 9)}`;
	while (out.length < count) {
		const chunk = min(9, count - out.length);
		out += `${floor(random() * 10 ** chunk)}`.padStart(chunk, '0');
	}
	return out;
}

/** @param {() => number} random */
function phoneNumber(random) {
	const country = pick(random, COUNTRIES);
	return country.code + digits(random, pick(random, country.digits));
}

/**
 * @param {() => number} random
 * @param {string} kind
 */
function makeId(random, kind) {
	switch (kind) {
		case 'c.us':
			return `${phoneNumber(random)}@c.us`;
		case 's.whatsapp.net':
			return `${phoneNumber(random)}@s.whatsapp.net`;
		case 'lid':
			return `${digits(random, random() < 0.5 ? 14 : 15)}@lid`;
		case 'group-timestamp':
			return `${phoneNumber(random)}-${1400000000 + floor(random() * 330000000)}@g.us`;
		case 'group-18':
			return `120363${digits(random, 12)}@g.us`;
		default:
			throw new Error(`unknown id kind ${kind}`);
	}
}

/** @param {() => number} random */
function randomKind(random) {
	const r = random();
	if (r < 0.65) return 'c.us';
	if (r < 0.7) return 's.whatsapp.net';
	if (r < 0.9) return 'lid';
	return random() < 0.5 ? 'group-timestamp' : 'group-18';
}

/** @param {() => number} random */
function randomPersonName(random) {
	const r = random();
	if (r < 0.3) return pick(random, FIRST_NAMES);
	if (r < 0.55) return `${pick(random, FIRST_NAMES)} ${pick(random, LAST_NAMES)}`;
	if (r < 0.63) return pick(random, ACCENTED_NAMES);
	if (r < 0.69) return pick(random, ARABIC_NAMES);
	if (r < 0.74) return pick(random, CYRILLIC_NAMES);
	if (r < 0.79) return pick(random, CHINESE_NAMES);
	if (r < 0.84) return pick(random, DEVANAGARI_NAMES);
	if (r < 0.88) return pick(random, JAPANESE_NAMES);
	if (r < 0.93) return pick(random, EMOJI_NAMES);
	if (r < 0.96) return pick(random, ODD_NAMES);
	return pick(random, DUPLICATE_NAMES);
}

/**
 * Returns a name, '' or undefined (key absent) with the given odds of absent and empty.
 * @param {() => number} random
 * @param {number} absentOdds
 * @param {number} emptyOdds
 * @param {() => string} makeName
 * @returns {string | undefined}
 */
function maybeName(random, absentOdds, emptyOdds, makeName) {
	const r = random();
	if (r < absentOdds) return undefined;
	if (r < absentOdds + emptyOdds) return '';
	return makeName();
}

/**
 * @param {() => number} random
 * @returns {ContactSpec}
 */
function randomSpec(random) {
	const kind = randomKind(random);
	if (kind.startsWith('group')) {
		const groupName = () => (random() < 0.7 ? pick(random, GROUP_NAMES) : `${pick(random, GROUP_NAMES)} ${1 + floor(random() * 50)}`);
		return { kind, name: maybeName(random, 0.05, 0.03, groupName), pushname: maybeName(random, 0.8, 0.2, groupName) };
	}
	const name = maybeName(random, 0.15, 0.07, () => randomPersonName(random));
	// A pushname is usually the person's own spelling of a similar name, sometimes something else entirely.
	const pushname = maybeName(random, 0.25, 0.08, () =>
		name && random() < 0.5 ? `${name.split(' ')[0]} ${pick(random, LAST_NAMES)}` : randomPersonName(random),
	);
	return { kind, name, pushname };
}

/**
 * @param {string} id
 * @param {ContactSpec} spec
 * @returns {Contact}
 */
function toContact(id, spec) {
	/** @type {Contact} */
	const contact = { id };
	if (spec.name !== undefined) contact.name = spec.name;
	if (spec.pushname !== undefined) contact.pushname = spec.pushname;
	return contact;
}

/**
 * Deterministic list of `size` contacts with unique ids; the same (size, seed) always gives the same
 * list. About half the `@lid` contacts get a linked phone number (see linkedPhone()).
 * @param {number} [size]
 * @param {number} [seed]
 * @returns {Contact[]}
 */
function generateContacts(size = 2500, seed = 42) {
	if (!Number.isInteger(size) || size < 0) throw new Error(`size must be a non-negative integer, got ${size}`);
	if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
	const random = createRandom(seed);
	const usedIds = new Set();
	/** @type {Contact[]} */
	const contacts = new Array(size);
	for (let i = 0; i < size; i++) {
		const spec = i < GUARANTEED.length ? GUARANTEED[i] : randomSpec(random);
		let id;
		do id = makeId(random, spec.kind);
		while (usedIds.has(id));
		usedIds.add(id);
		contacts[i] = toContact(id, spec);
	}
	linkPhones(contacts, seed);
	return contacts;
}

// The phone number hidden behind some @lid contacts, so that asking for a contact by its bare
// number finds its LID, as the API docs hint. Kept outside the contact objects: the API never
// lists it, and the generated lists stay exactly what they were before phones were linked.
/** @type {WeakMap<object, string>} */
const linkedPhones = new WeakMap();
// Of the guaranteed first contacts, the @lid ones at these indexes have a linked phone, the others not.
const GUARANTEED_LINKED = new Set([1, 9, 19]);
const LINKED_PHONE_SEED_OFFSET = 0x9e3779b9;

/**
 * @param {Contact[]} contacts
 * @param {number} seed
 */
function linkPhones(contacts, seed) {
	// A random stream of its own, so that linking never changes the contacts themselves.
	const random = createRandom(seed + LINKED_PHONE_SEED_OFFSET);
	const taken = new Set();
	for (const contact of contacts) {
		if (!contact.id.endsWith('@lid')) taken.add(contact.id.slice(0, contact.id.indexOf('@')));
	}
	for (let i = 0; i < contacts.length; i++) {
		if (!contacts[i].id.endsWith('@lid')) continue;
		const linked = i < GUARANTEED.length ? GUARANTEED_LINKED.has(i) : random() < 0.5;
		if (!linked) continue;
		let phone;
		do phone = phoneNumber(random);
		while (taken.has(phone));
		taken.add(phone);
		linkedPhones.set(contacts[i], phone);
	}
}

/**
 * The phone number linked to a contact (a @lid contact), or undefined.
 * @param {Contact} contact
 * @returns {string | undefined}
 */
function linkedPhone(contact) {
	return typeof contact === 'object' && contact !== null ? linkedPhones.get(contact) : undefined;
}

/**
 * Links a phone number to a contact object, or unlinks it with null.
 * @param {Contact} contact
 * @param {string | null} phone
 */
function setLinkedPhone(contact, phone) {
	if (phone === null) linkedPhones.delete(contact);
	else linkedPhones.set(contact, phone);
}

/**
 * FNV-1a: a fast, stable 32-bit hash, for choices that must follow from a contact id alone.
 * @param {string} text
 * @returns {number}
 */
function stableHash(text) {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) hash = imul(hash ^ text.charCodeAt(i), 0x01000193);
	return hash >>> 0;
}

module.exports = { createRandom, generateContacts, linkedPhone, setLinkedPhone, sortContacts, stableHash, SORT_KEYS, SORT_ORDERS };
