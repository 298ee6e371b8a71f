// @ts-check
'use strict';
// The controls of the object startSandbox() returns for the account's instances (health status,
// created instances) and the rate limits.
const { laravelDate } = require('./times');

/** @typedef {import('./instances').Instance} Instance */
/** @typedef {import('./gateway').Gateway} Gateway */

/**
 * @param {(id: string) => Instance} getInstance
 * @param {Gateway} gateway
 */
function instanceControls(getInstance, gateway) {
	/** @param {string} instanceId */
	const health = (instanceId) => {
		getInstance(instanceId);
		const { status, connectedAt } = gateway.registry.health(instanceId, Date.now());
		return { instance_id: instanceId, connected_at: connectedAt === null ? null : laravelDate(connectedAt), status };
	};
	return {
		/**
		 * What GET /{instance}/health answers now (without counting against its rate limit).
		 * @param {string} instanceId
		 */
		instanceHealth: health,
		/**
		 * Sets an instance's status (STOPPED, STARTING, WORKING, SCAN_QR_CODE, FAILED, PENDING); a
		 * restart under way ends. WORKING connects it now (connected_at), any other status disconnects it.
		 * @param {string} instanceId
		 * @param {string} status
		 */
		setInstanceStatus(instanceId, status) {
			getInstance(instanceId);
			gateway.registry.setStatus(instanceId, status, Date.now());
			return health(instanceId);
		},
		/** The instances made through POST /create-instance, oldest first, with their access tokens. */
		createdInstances() {
			return gateway.registry.createdList(Date.now());
		},
		/** Forgets every rate-limit count: each limited route starts a new window. */
		resetRateLimits() {
			gateway.rateLimiter.reset();
		},
		/** The rate-limit windows still open: `{key: '<caller>|<instance>|<route>', hits, resetsAt}`. */
		rateLimitWindows() {
			return gateway.rateLimiter.list(Date.now());
		},
	};
}

module.exports = { instanceControls };
