// @ts-check
'use strict';
// The address-book controls of the object startSandbox() returns: an instance's contacts (the
// live list, the expected order, replacing them), adding instances, one contact as Get Contact
// finds it, upsert calls, hidden pictures and linked phones.
const { requireChatId } = require('./chat-ids');
const { Instance } = require('./instances');

/** @typedef {import('./types').Contact} Contact */
/** @typedef {import('./types').InstanceOptions} InstanceOptions */

/**
 * The sandbox's instance and address-book controls.
 * @param {Map<string, Instance>} instances
 * @param {(id: string) => Instance} getInstance
 * @param {(id: string, instanceOptions: InstanceOptions) => void} createInstance
 */
function bookControls(instances, getInstance, createInstance) {
	return {
	/**
	 * The live list: pushing, splicing or assigning entries changes what the next request sees.
	 * @param {string} instanceId
	 * @returns {Contact[]}
	 */
	contacts(instanceId) {
		const instance = getInstance(instanceId);
		instance.settle();
		return instance.handle;
	},
	/**
	 * Every contact in the order get-all serves them (a copy of the list).
	 * @param {string} instanceId
	 * @param {string} [sortBy]
	 * @param {string} [sortOrder]
	 * @returns {Contact[]}
	 */
	expected(instanceId, sortBy = 'name', sortOrder = 'asc') {
		return getInstance(instanceId).list(sortBy, sortOrder).slice();
	},
	/**
	 * Replaces an instance's contacts (a new book: pending upserts, upsert counts and hidden
	 * pictures start afresh) or, given the list contacts() returned, only rebuilds the caches.
	 * @param {string} instanceId
	 * @param {Contact[]} list
	 */
	setContacts(instanceId, list) {
		const instance = instances.get(instanceId);
		if (instance && (list === instance.handle || list === instance.source)) instance.touch();
		else if (instance) instance.replace(list);
		else instances.set(instanceId, new Instance(list));
	},
	/**
	 * @param {string} id
	 * @param {InstanceOptions} [instanceOptions] `webhookUrl`/`webhookSecret`: its own webhook
	 */
	addInstance(id, instanceOptions = {}) {
		createInstance(id, instanceOptions);
	},
	/** The instance ids, the main one first. */
	instanceIds() {
		return [...instances.keys()];
	},
	};
}

/**
 * The sandbox's controls of single contacts.
 * @param {(id: string) => Instance} getInstance
 */
function contactControls(getInstance) {
	return {
	/**
	 * The contact a chat id finds, as Get Contact would (a copy), or null.
	 * @param {string} instanceId
	 * @param {string} chatId
	 * @returns {Contact | null}
	 */
	contact(instanceId, chatId) {
		const found = getInstance(instanceId).find(requireChatId(chatId));
		return found ? { ...found } : null;
	},
	/**
	 * Upsert calls received (and not faulted before acting) for the contact a chat id names.
	 * @param {string} instanceId
	 * @param {string} chatId
	 */
	upsertCalls(instanceId, chatId) {
		return getInstance(instanceId).upsertCalls(requireChatId(chatId));
	},
	/**
	 * @param {string} instanceId
	 * @returns {Record<string, number>} upsert calls by contact id
	 */
	upsertCallCounts(instanceId) {
		return Object.fromEntries(getInstance(instanceId).upsertCounts);
	},
	/**
	 * Hides these contacts' pictures, besides the fixed ~25% (replacing the previous call's ids).
	 * @param {string} instanceId
	 * @param {string[]} ids
	 * @param {{ seeded?: boolean }} [hideOptions] seeded: false shows the fixed ~25% again
	 */
	setHiddenPictures(instanceId, ids, hideOptions = {}) {
		getInstance(instanceId).setHiddenPictures(ids, hideOptions);
	},
	/**
	 * Ids of the contacts whose picture is hidden.
	 * @param {string} instanceId
	 */
	hiddenPictures(instanceId) {
		return getInstance(instanceId).hiddenPictureIds();
	},
	/**
	 * The phone numbers linked to @lid contacts (the bare number finds the LID).
	 * @param {string} instanceId
	 */
	linkedPhones(instanceId) {
		return getInstance(instanceId).linkedPhones();
	},
	/**
	 * @param {string} instanceId
	 * @param {string} lid an existing @lid contact
	 * @param {string | null} phone digits, or null to unlink
	 */
	setLinkedPhone(instanceId, lid, phone) {
		getInstance(instanceId).setLinkedPhone(lid, phone);
	},
	};
}

/**
 * The sandbox's controls of the queued requests (send-*, actions) and the messages they sent.
 * @param {(id: string) => Instance} getInstance
 * @param {import('./queue').MessageQueues} queues
 */
function queueControls(getInstance, queues) {
	return {
		/**
		 * Queued requests (send-*, actions) accepted, in order (copies); not those faulted in phase before.
		 * @param {string} instanceId
		 */
		messages(instanceId) {
			getInstance(instanceId);
			return queues.list(instanceId);
		},
		/** @param {string} instanceId forgets its queued requests and sent messages (uuids, ids) */
		clearMessages(instanceId) {
			getInstance(instanceId);
			queues.of(instanceId).clear();
		},
	};
}

module.exports = { bookControls, contactControls, queueControls };
