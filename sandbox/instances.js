// @ts-check
'use strict';
// One instance's address book: its contacts (served by get-all, Get and Upsert alike), the sorted
// orders cached per sort key, lookups by chat id, upserts with their delay and repeat modes,
// hidden profile pictures and the phone numbers linked to LIDs.
const { generateContacts, linkedPhone, setLinkedPhone, sortContacts, stableHash } = require('./contacts');

/** @typedef {import('./types').Contact} Contact */
/** @typedef {import('./types').InstanceOptions} InstanceOptions */
/** @typedef {import('./chat-ids').ChatId} ChatId */
/** @typedef {{ id: string, name: string, visibleAt: number, seq: number }} PendingChange */

const DEFAULT_SIZE = 2500;
const DEFAULT_SEED = 42;

/**
 * Whether a contact id's picture is among the fixed ~25% hidden by privacy settings.
 * @param {string} id
 */
function hiddenBySeed(id) {
	return stableHash(`picture:${id}`) % 4 === 0;
}

/**
 * Sorting 100k contacts takes about 150 ms, far too slow per page, so each order is sorted once
 * and re-sorted only after the list changes.
 */
class Instance {
	/** @param {Contact[]} contacts */
	constructor(contacts) {
		/** @type {Contact[]} */
		this.source = [];
		/** @type {Contact[]} */
		this.handle = [];
		this.version = 0;
		/** @type {Map<string, { version: number, length: number, list: Contact[] }>} */
		this.sorted = new Map();
		/** @type {{ version: number, length: number, byId: Map<string, Contact>, byPhone: Map<string, Contact> } | null} */
		this.lookup = null;
		/** @type {PendingChange[]} */
		this.pending = [];
		this.seq = 0;
		/** @type {Map<string, number>} */
		this.upsertCounts = new Map();
		/** @type {Map<string, { key: string, count: number }>} */
		this.streaks = new Map();
		/** @type {Set<string>} */
		this.hiddenIds = new Set();
		this.seededHidden = true;
		this.replace(contacts);
	}

	/**
	 * A new address book: the list, and fresh upsert state and hidden pictures.
	 * @param {Contact[]} contacts
	 */
	replace(contacts) {
		if (!Array.isArray(contacts)) throw new Error('contacts must be an array');
		this.source = contacts;
		// Callers get a proxy so that push/splice/index assignment through sandbox.contacts()
		// invalidate the caches; edits to a contact object itself need setContacts().
		this.handle = new Proxy(contacts, {
			set: (target, property, value) => {
				this.version++;
				return Reflect.set(target, property, value);
			},
			deleteProperty: (target, property) => {
				this.version++;
				return Reflect.deleteProperty(target, property);
			},
		});
		this.touch();
		this.pending = [];
		this.upsertCounts.clear();
		this.streaks.clear();
		this.hiddenIds.clear();
		this.seededHidden = true;
	}

	/** Drops the cached orders and lookups, after contact objects were edited in place. */
	touch() {
		this.version++;
		this.sorted.clear();
		this.lookup = null;
	}

	/** Applies the upserts whose delay has passed. */
	settle(now = Date.now()) {
		if (this.pending.length === 0 || !this.pending.some((change) => change.visibleAt <= now)) return;
		const due = this.pending.filter((change) => change.visibleAt <= now);
		this.pending = this.pending.filter((change) => change.visibleAt > now);
		due.sort((a, b) => a.visibleAt - b.visibleAt || a.seq - b.seq);
		for (const change of due) this.apply(change.id, change.name);
	}

	/**
	 * @param {string} sortBy
	 * @param {string} sortOrder
	 * @returns {Contact[]}
	 */
	list(sortBy, sortOrder) {
		this.settle();
		const cacheKey = `${sortBy}:${sortOrder}`;
		const cached = this.sorted.get(cacheKey);
		// The length check also catches pushes made on the original array rather than the proxy.
		if (cached && cached.version === this.version && cached.length === this.source.length) return cached.list;
		const list = sortContacts(this.source, sortBy, sortOrder);
		this.sorted.set(cacheKey, { version: this.version, length: this.source.length, list });
		return list;
	}

	lookups() {
		const cached = this.lookup;
		if (cached && cached.version === this.version && cached.length === this.source.length) return cached;
		/** @type {Map<string, Contact>} */
		const byId = new Map();
		/** @type {Map<string, Contact>} */
		const byPhone = new Map();
		for (const contact of this.source) {
			if (typeof contact?.id !== 'string') continue;
			if (!byId.has(contact.id)) byId.set(contact.id, contact);
			const phone = linkedPhone(contact);
			if (phone !== undefined && !byPhone.has(phone)) byPhone.set(phone, contact);
		}
		this.lookup = { version: this.version, length: this.source.length, byId, byPhone };
		return this.lookup;
	}

	/**
	 * The visible contact a chat id names. With `@`, the exact id; a bare number matches
	 * `<n>@c.us`, then `<n>@s.whatsapp.net`, then a @lid contact whose linked phone is `<n>`.
	 * @param {ChatId} chat
	 * @returns {Contact | undefined}
	 */
	find(chat) {
		this.settle();
		const { byId, byPhone } = this.lookups();
		if (chat.form !== 'phone') return byId.get(chat.text);
		return byId.get(`${chat.digits}@c.us`) ?? byId.get(`${chat.digits}@s.whatsapp.net`) ?? byPhone.get(/** @type {string} */ (chat.digits));
	}

	/**
	 * The id an upsert for this chat writes to: the contact found, else the id a new contact gets.
	 * @param {ChatId} chat
	 */
	targetId(chat) {
		return this.find(chat)?.id ?? (chat.form === 'phone' ? `${chat.digits}@c.us` : chat.text);
	}

	/**
	 * @param {string} id
	 * @param {string} name
	 */
	apply(id, name) {
		const contact = this.lookups().byId.get(id);
		if (contact) contact.name = name;
		else this.source.push({ id, name });
		this.touch();
	}

	/**
	 * Records one upsert call and applies it when the mode allows: at the `callsNeeded`th identical
	 * call in a row for that chat, visible `delayMs` later.
	 * @param {ChatId} chat
	 * @param {{ firstName: string, lastName: string | null }} fields
	 * @param {{ now: number, delayMs: number, callsNeeded: number }} mode
	 * @returns {{ id: string, calls: number, applied: boolean, visibleAt: number | null }}
	 */
	upsert(chat, { firstName, lastName }, { now, delayMs, callsNeeded }) {
		const id = this.targetId(chat);
		const calls = (this.upsertCounts.get(id) ?? 0) + 1;
		this.upsertCounts.set(id, calls);
		const key = JSON.stringify([firstName, lastName]);
		const previous = this.streaks.get(id);
		const count = previous && previous.key === key ? previous.count + 1 : 1;
		this.streaks.set(id, { key, count });
		if (count < callsNeeded) return { id, calls, applied: false, visibleAt: null };
		const name = lastName === null ? firstName : `${firstName} ${lastName}`;
		if (delayMs <= 0) this.apply(id, name);
		else this.pending.push({ id, name, visibleAt: now + delayMs, seq: this.seq++ });
		return { id, calls, applied: true, visibleAt: now + delayMs };
	}

	/** @param {ChatId} chat */
	upsertCalls(chat) {
		return this.upsertCounts.get(this.targetId(chat)) ?? 0;
	}

	/** @param {string} id */
	pictureHidden(id) {
		return this.hiddenIds.has(id) || (this.seededHidden && hiddenBySeed(id));
	}

	/**
	 * @param {unknown} ids
	 * @param {{ seeded?: boolean }} [options] seeded: false shows the fixed ~25% again
	 */
	setHiddenPictures(ids, { seeded } = {}) {
		if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new Error('ids must be an array of chat ids');
		this.hiddenIds = new Set(ids);
		if (seeded !== undefined) this.seededHidden = Boolean(seeded);
	}

	/** @returns {string[]} */
	hiddenPictureIds() {
		this.settle();
		return this.source.filter((contact) => typeof contact?.id === 'string' && this.pictureHidden(contact.id)).map((contact) => contact.id);
	}

	/** @returns {Array<{ id: string, phone: string }>} */
	linkedPhones() {
		this.settle();
		/** @type {Array<{ id: string, phone: string }>} */
		const out = [];
		for (const contact of this.source) {
			const phone = linkedPhone(contact);
			if (phone !== undefined) out.push({ id: contact.id, phone });
		}
		return out;
	}

	/**
	 * @param {string} lid
	 * @param {string | null} phone
	 */
	setLinkedPhone(lid, phone) {
		const contact = this.lookups().byId.get(lid);
		if (!contact || !lid.endsWith('@lid')) throw new Error(`no @lid contact "${lid}" in this instance`);
		if (phone !== null && !/^[0-9]+$/.test(phone)) throw new Error(`phone must be digits only, got "${phone}"`);
		setLinkedPhone(contact, phone);
		this.touch();
	}
}

/**
 * @param {InstanceOptions} [options]
 * @returns {Instance}
 */
function instanceFromOptions(options = {}) {
	if (Array.isArray(options.contacts)) return new Instance(options.contacts);
	return new Instance(generateContacts(options.size ?? DEFAULT_SIZE, options.seed ?? DEFAULT_SEED));
}

module.exports = { DEFAULT_SEED, DEFAULT_SIZE, Instance, instanceFromOptions };
