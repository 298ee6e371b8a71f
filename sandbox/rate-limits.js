// @ts-check
'use strict';
// The documented per-minute limits of the enterprise routes, counted the way Laravel's throttle
// middleware counts them: per key (token, instance, route) a fixed window that starts with its
// first hit; a hit past the limit is refused (429) without being counted. Every answer of a
// limited route carries X-RateLimit-Limit and X-RateLimit-Remaining; a 429 also Retry-After
// (seconds until the window ends) and X-RateLimit-Reset (that moment, Unix seconds).

/** @typedef {import('./types').Reply} Reply */

class RateLimiter {
	constructor() {
		/** @type {Map<string, { hits: number, resetsAt: number }>} */
		this.windows = new Map();
	}

	/**
	 * Counts a hit; answers the 429 reply when the limit is reached, else the headers to add.
	 * @param {string} key
	 * @param {number} limit
	 * @param {number} windowMs
	 * @param {number} now
	 * @returns {{ refused: Reply } | { headers: Record<string, string> }}
	 */
	hit(key, limit, windowMs, now) {
		let window = this.windows.get(key);
		if (!window || window.resetsAt <= now) {
			window = { hits: 0, resetsAt: now + windowMs };
			this.windows.set(key, window);
		}
		if (window.hits >= limit) {
			const retryAfter = Math.max(1, Math.ceil((window.resetsAt - now) / 1000));
			return {
				refused: {
					status: 429,
					json: { message: 'Too Many Attempts.' },
					headers: {
						'Retry-After': String(retryAfter),
						'X-RateLimit-Limit': String(limit),
						'X-RateLimit-Remaining': '0',
						'X-RateLimit-Reset': String(Math.floor(now / 1000) + retryAfter),
					},
				},
			};
		}
		window.hits++;
		return { headers: { 'X-RateLimit-Limit': String(limit), 'X-RateLimit-Remaining': String(limit - window.hits) } };
	}

	/** Forgets every count (a new window for every key). */
	reset() {
		this.windows.clear();
	}

	/**
	 * The windows still open: `{key, hits, resetsAt}` (key: `<token kind>|<instance>|<route>`).
	 * @param {number} now
	 */
	list(now) {
		return [...this.windows.entries()].filter(([, window]) => window.resetsAt > now).map(([key, window]) => ({ key, hits: window.hits, resetsAt: window.resetsAt }));
	}
}

module.exports = { RateLimiter };
