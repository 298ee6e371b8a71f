// @ts-check
'use strict';
// The account's state beyond the address books, shared by the routes and the controls: the
// instances as the enterprise routes see them, the rate-limit counters, the OTP codes and the SMS
// gateways (one Android phone per instance).
const { InstanceRegistry } = require('./enterprise');
const { OtpStores } = require('./otp');
const { RateLimiter } = require('./rate-limits');

/** @typedef {import('./types').InstanceOptions} InstanceOptions */
/** @typedef {ReturnType<typeof createGateway>} Gateway */

/**
 * @param {{ instanceIds: () => string[], addInstance: (id: string, options: InstanceOptions) => void, webhooks: import('./webhooks').Webhooks, startedAt: number }} context
 */
function createGateway({ instanceIds, addInstance, webhooks, startedAt }) {
	const registry = new InstanceRegistry({ startedAt, ids: instanceIds, phoneOf: (id) => `+${webhooks.me(id).id.replace(/@c\.us$/, '')}` });
	const rateLimiter = new RateLimiter();
	return {
		registry,
		rateLimiter,
		otp: new OtpStores(),
		instanceIds,
		/**
		 * A new instance (POST /create-instance): an empty address book, its phone as `me`, its
		 * webhook URL, and its enterprise record with an access token.
		 * @param {{ id: string, name: string, phone: string, webhookUrl: string | null }} fields
		 * @param {number} now
		 */
		createInstance(fields, now) {
			webhooks.phones.set(fields.id, fields.phone.replace(/^\+/, ''));
			addInstance(fields.id, { contacts: [], ...(fields.webhookUrl === null ? {} : { webhookUrl: fields.webhookUrl }) });
			return registry.create(fields, now);
		},
	};
}

module.exports = { createGateway };
