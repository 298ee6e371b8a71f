// @ts-check
'use strict';
// The timestamp formats the Hypersender APIs answer with, all in UTC: Laravel's JSON dates
// (`2025-01-21T18:41:43.000000Z`, the enterprise routes), ISO 8601 with an offset
// (`2025-12-29T18:09:38+00:00`, OTP) and SQL date-times (`2025-01-21 18:41:43`, the SMS gateway).

/** @param {number} ms */
function laravelDate(ms) {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '.000000Z');
}

/** @param {number} ms */
function isoOffset(ms) {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * `YYYY-MM-DD HH:MM:SS` (UTC), or null for null.
 * @template {number | null} T
 * @param {T} ms
 * @returns {T extends number ? string : string | null}
 */
function sqlDateTime(ms) {
	if (ms === null) return /** @type {never} */ (null);
	return /** @type {never} */ (new Date(ms).toISOString().slice(0, 19).replace('T', ' '));
}

/**
 * A date or date-time as the SMS API takes it (`YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD`, or ISO 8601;
 * without an offset: UTC), in ms; undefined when it is none of those.
 * @param {string} text
 * @returns {number | undefined}
 */
function parseDateTime(text) {
	const trimmed = text.trim();
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(trimmed);
	if (!match) return undefined;
	const [, year, month, day, hour = '00', minute = '00', second = '00', zone] = match;
	const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}${zone === undefined ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) return undefined;
	// Date.parse rolls 2025-02-30 over into March; a date that does not exist is no date.
	if (new Date(Date.parse(`${year}-${month}-${day}T00:00:00Z`)).toISOString().slice(0, 10) !== `${year}-${month}-${day}`) return undefined;
	return ms;
}

module.exports = { isoOffset, laravelDate, parseDateTime, sqlDateTime };
