// @ts-check
'use strict';
// Laravel-style checks of the queued routes' inputs: each failed rule adds Laravel's message under
// the field name the API uses (`chatId`, `poll.options`, `contacts.0.fullName`). Like Laravel,
// a string that is empty after trimming counts as absent, and attribute names read snake-cased in
// messages (`chatId` -> "chat id").

const TRUE_VALUES = [true, 1, '1', 'true'];
const FALSE_VALUES = [false, 0, '0', 'false'];

/**
 * The attribute as Laravel's messages name it: `chatId` -> `chat id`, `reply_to` -> `reply to`.
 * @param {string} field
 */
function label(field) {
	return field
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.toLowerCase()
		.replace(/_/g, ' ');
}

/** @param {unknown} value */
function isBlank(value) {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** @param {unknown} value */
function isObject(value) {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The boolean a value stands for (true/false, 1/0, "1"/"0", "true"/"false"), or undefined.
 * @param {unknown} value
 * @returns {boolean | undefined}
 */
function booleanValue(value) {
	if (TRUE_VALUES.includes(/** @type {never} */ (value))) return true;
	if (FALSE_VALUES.includes(/** @type {never} */ (value))) return false;
	return undefined;
}

/**
 * A number, or a string holding one (as PHP's is_numeric reads it); undefined otherwise.
 * @param {unknown} value
 */
function numericValue(value) {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || !/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) return undefined;
	return Number(value);
}

/** Collects failed rules by field; `ok` is true while none failed. */
class Checker {
	constructor() {
		/** @type {Record<string, string[]>} */
		this.errors = {};
	}

	get ok() {
		return Object.keys(this.errors).length === 0;
	}

	/**
	 * @param {string} field
	 * @param {string} rule the message after "The <field> field " (or a whole message starting with "The ")
	 */
	fail(field, rule) {
		(this.errors[field] ??= []).push(rule.startsWith('The ') ? rule : `The ${label(field)} field ${rule}`);
		return false;
	}

	/**
	 * A string (required or not); a bare non-negative integer is taken as its digits when `digits`.
	 * @param {string} field
	 * @param {unknown} value
	 * @param {{ required?: boolean, max?: number, digits?: boolean }} [options]
	 */
	string(field, value, { required = false, max, digits = false } = {}) {
		if (isBlank(value)) return required ? this.fail(field, 'is required.') : true;
		if (digits && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return true;
		if (typeof value !== 'string') return this.fail(field, 'must be a string.');
		if (max !== undefined && [...value].length > max) return this.fail(field, `must not be greater than ${max} characters.`);
		return true;
	}

	/**
	 * @param {string} field
	 * @param {unknown} value
	 * @param {{ required?: boolean }} [options]
	 */
	boolean(field, value, { required = false } = {}) {
		if (isBlank(value)) return required ? this.fail(field, 'is required.') : true;
		return booleanValue(value) === undefined ? this.fail(field, 'must be true or false.') : true;
	}

	/**
	 * @param {string} field
	 * @param {unknown} value
	 * @param {{ required?: boolean, min?: number, max?: number, integer?: boolean }} [options]
	 */
	number(field, value, { required = false, min, max, integer = false } = {}) {
		if (isBlank(value)) return required ? this.fail(field, 'is required.') : true;
		const number = numericValue(value);
		if (number === undefined || (integer && !Number.isInteger(number))) return this.fail(field, `must be ${integer ? 'an integer' : 'a number'}.`);
		if (min !== undefined && max !== undefined && (number < min || number > max)) return this.fail(field, `must be between ${min} and ${max}.`);
		if (min !== undefined && number < min) return this.fail(field, `must be at least ${min}.`);
		return true;
	}

	/**
	 * An http(s) URL.
	 * @param {string} field
	 * @param {unknown} value
	 */
	url(field, value) {
		if (isBlank(value)) return true;
		if (typeof value !== 'string') return this.fail(field, 'must be a string.');
		try {
			const url = new URL(value.trim());
			if (url.protocol === 'http:' || url.protocol === 'https:') return true;
		} catch {
			// not a URL at all
		}
		return this.fail(field, 'must be a valid URL.');
	}

	/**
	 * A list of `min`..`max` items.
	 * @param {string} field
	 * @param {unknown} value
	 * @param {{ min?: number, max?: number }} [options]
	 * @returns {value is unknown[]}
	 */
	list(field, value, { min, max } = {}) {
		if (isBlank(value) || (Array.isArray(value) && value.length === 0 && min !== undefined)) {
			return isBlank(value) ? this.fail(field, 'is required.') : this.fail(field, `must have at least ${min} items.`);
		}
		if (!Array.isArray(value)) return this.fail(field, 'must be an array.');
		if (min !== undefined && value.length < min) return this.fail(field, `must have at least ${min} items.`);
		if (max !== undefined && value.length > max) return this.fail(field, `must not have more than ${max} items.`);
		return true;
	}

	/**
	 * A required object (Laravel calls it an array).
	 * @param {string} field
	 * @param {unknown} value
	 * @returns {value is Record<string, unknown>}
	 */
	object(field, value) {
		if (isBlank(value)) return this.fail(field, 'is required.');
		if (!isObject(value)) return this.fail(field, 'must be an array.');
		return true;
	}
}

module.exports = { Checker, booleanValue, isBlank, isObject, label, numericValue };
