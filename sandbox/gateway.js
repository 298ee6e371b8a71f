// @ts-check
'use strict';
// The account's state beyond the address books, shared by the routes and the controls: the
// instances as the enterprise routes see them, the rate-limit counters, the OTP codes and the SMS
// gateways (one Android phone per instance).
const { InstanceRegistry } = require('./enterprise');
const { OtpStores } = require('./otp');
const { RateLimiter } = require('./rate-limits');
const { SmsGateway } = require('./sms');

/** @typedef {import('./types').InstanceOptions} InstanceOptions */
/** @typedef {ReturnType<typeof createGateway>} Gateway */

/**
 * Every instance's SMS gateway, each made on first use with the instance's phone number.
 * @param {{ config: import('./types').SandboxConfig, timers: import('./timers').Timers, webhooks: import('./webhooks').Webhooks, phoneOf: (id: string) => string, startedAt: number }} context
 */
function smsGateways({ config, timers, webhooks, phoneOf, startedAt }) {
	/** @type {Map<string, SmsGateway>} */
	const byInstance = new Map();
	webhooks.busySources.push(() => [...byInstance.values()].some((sms) => sms.isBusy()));
	return {
		/** @param {string} instanceId */
		of(instanceId) {
			let sms = byInstance.get(instanceId);
			if (!sms) {
				sms = new SmsGateway(
					{ phoneNumber: phoneOf(instanceId), userId: config.webhookUserId, startedAt },
					{
						config,
						timers,
						emit: ({ event, data }) => void webhooks.deliver(instanceId, event, data, { sms: true }),
						changed: () => webhooks.checkIdle(),
					},
				);
				byInstance.set(instanceId, sms);
			}
			return sms;
		},
	};
}

/**
 * @param {{ instanceIds: () => string[], addInstance: (id: string, options: InstanceOptions) => void, webhooks: import('./webhooks').Webhooks, startedAt: number, config: import('./types').SandboxConfig, timers: import('./timers').Timers }} context
 */
function createGateway({ instanceIds, addInstance, webhooks, startedAt, config, timers }) {
	const registry = new InstanceRegistry({ startedAt, ids: instanceIds, phoneOf: (id) => `+${webhooks.me(id).id.replace(/@c\.us$/, '')}` });
	const rateLimiter = new RateLimiter();
	return {
		sms: smsGateways({ config, timers, webhooks, phoneOf: (id) => registry.of(id).phone, startedAt }),
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
