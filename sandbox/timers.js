// @ts-check
'use strict';
// The sandbox's timers (request latency, webhook timeouts, queued requests becoming done), kept in
// one set so that close() can clear them all at once and stay prompt.

class Timers {
	constructor() {
		/** @type {Set<NodeJS.Timeout>} */
		this.active = new Set();
		this.closed = false;
	}

	/**
	 * Runs `callback` after `ms`; nothing runs once the timers are cleared.
	 * @param {() => void} callback
	 * @param {number} ms
	 */
	set(callback, ms) {
		const timer = setTimeout(() => {
			this.active.delete(timer);
			callback();
		}, Math.max(0, ms));
		if (this.closed) clearTimeout(timer);
		else this.active.add(timer);
		return timer;
	}

	/** @param {NodeJS.Timeout | null | undefined} timer */
	clear(timer) {
		if (!timer) return;
		clearTimeout(timer);
		this.active.delete(timer);
	}

	/**
	 * A promise resolved after `ms`, or undefined for no delay (callers await either). Pending at close: never resolved.
	 * @param {number} ms
	 * @returns {Promise<void> | undefined}
	 */
	delay(ms) {
		if (ms <= 0) return undefined;
		return new Promise((resolve) => this.set(() => resolve(), ms));
	}

	/** Clears every timer; later ones are cleared at once (the sandbox is closing). */
	clearAll() {
		this.closed = true;
		for (const timer of this.active) clearTimeout(timer);
		this.active.clear();
	}
}

module.exports = { Timers };
