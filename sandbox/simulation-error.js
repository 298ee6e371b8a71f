// @ts-check
'use strict';

/** A simulation that cannot be done as asked: answered with `status` by the control endpoint. */
class SimulationError extends Error {
	/**
	 * @param {number} status
	 * @param {string} message
	 */
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

module.exports = { SimulationError };
