// @ts-check
'use strict';
// The webhook and simulation controls of the object startSandbox() returns.

/** @typedef {import('./instances').Instance} Instance */
/** @typedef {import('./webhooks').Webhooks} Webhooks */

/**
 * The sandbox's webhook and simulation controls.
 * @param {(id: string) => Instance} getInstance
 * @param {Webhooks} webhooks
 * @param {ReturnType<typeof import('./simulate').createSimulator>} simulate
 */
function webhookControls(getInstance, webhooks, simulate) {
	return {
		/** Every webhook delivery so far (copies), in the order they started; never the secret. */
		webhookDeliveries: () => webhooks.list(),
		clearWebhookDeliveries: () => webhooks.clearLog(),
		/** Resolves once every instance's deliveries are done, those of sends still processing included. */
		webhooksIdle: () => webhooks.idle(),
		/** Whether no delivery is queued, under way or still to come (a send processing). */
		webhooksIdleNow: () => webhooks.isIdle(),
		/**
		 * Where an instance's events go: `{url, authorization: 'present' | 'none', source: 'instance' | 'global' | null}`.
		 * @param {string} instanceId
		 */
		webhook(instanceId) {
			getInstance(instanceId);
			return webhooks.describe(instanceId);
		},
		/**
		 * Gives an instance its own webhook URL (winning over `webhookUrl`), or with null (or url
		 * null) takes it away. `secret` absent: the global `webhookSecret`; null: none.
		 * @param {string} instanceId
		 * @param {{ url: string | null, secret?: string | null } | null} setting
		 */
		setWebhook(instanceId, setting) {
			getInstance(instanceId);
			webhooks.setInstance(instanceId, setting);
			return webhooks.describe(instanceId);
		},
		/**
		 * The envelope's `me` for an instance: `{id: '<digits>@c.us', pushName: 'Sandbox', lid: '<digits>@lid'}`.
		 * @param {string} instanceId
		 */
		me(instanceId) {
			getInstance(instanceId);
			return webhooks.me(instanceId);
		},
		simulate,
	};
}

module.exports = { webhookControls };
