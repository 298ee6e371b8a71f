// @ts-check
'use strict';
// The run-time settings configure() changes: defaults and checked application of changes.
const { normalizeFaults } = require('./faults');

/** @typedef {import('./types').SandboxConfig} SandboxConfig */
/** @typedef {import('./types').SandboxConfigChanges} SandboxConfigChanges */

const DEFAULT_PICTURE_TTL_MS = 5 * 60 * 1000;
const DEFAULT_PROCESSING_DELAY_MS = 500;
/** The `x-userId` of every webhook delivery, unless configured otherwise. */
const DEFAULT_WEBHOOK_USER_ID = '5c1d7e0a-3f4b-4a8e-9b2c-6d7e8f9a0b1c';
const DEFAULT_WEBHOOK_TIMEOUT_MS = 10000;
/** What configure() returns for a webhook secret that is set; given back to configure(), it keeps the secret. */
const REDACTED_SECRET = '[redacted]';
const WEBHOOK_AUTH_STYLES = ['bearer', 'raw'];
/** The account plans: a trial account may not use send-link-custom-preview. */
const PLANS = ['subscribed', 'trial'];
const DEFAULT_RATE_LIMIT_WINDOW_MS = 60000;
const DEFAULT_RESTART_DELAY_MS = 2000;
const DEFAULT_SMS_SEND_DELAY_MS = 1000;
const DEFAULT_SMS_DELIVERY_DELAY_MS = 1000;
/** The settings configure() takes; startSandbox() options pass these on. */
const CONFIG_KEYS = /** @type {const} */ ([
	'latencyMs',
	'faults',
	'maxPageSize',
	'maxPageStatus',
	'endless',
	'upsertDelayMs',
	'upsertCallsNeeded',
	'pictureTtlMs',
	'processingDelayMs',
	'safeDelayMs',
	'notOnWhatsapp',
	'webhookUrl',
	'webhookSecret',
	'webhookAuthStyle',
	'webhookUserId',
	'webhookTimeoutMs',
	'plan',
	'rateLimits',
	'rateLimitWindowMs',
	'restartDelayMs',
	'smsSendDelayMs',
	'smsDeliveryDelayMs',
]);

/** @returns {SandboxConfig} */
function defaultConfig() {
	return {
		latencyMs: 0,
		faults: normalizeFaults(),
		maxPageSize: null,
		maxPageStatus: 504,
		endless: false,
		upsertDelayMs: 0,
		upsertCallsNeeded: 1,
		pictureTtlMs: DEFAULT_PICTURE_TTL_MS,
		processingDelayMs: DEFAULT_PROCESSING_DELAY_MS,
		safeDelayMs: 0,
		notOnWhatsapp: [],
		webhookUrl: null,
		webhookSecret: null,
		webhookAuthStyle: 'bearer',
		webhookUserId: DEFAULT_WEBHOOK_USER_ID,
		webhookTimeoutMs: DEFAULT_WEBHOOK_TIMEOUT_MS,
		plan: 'subscribed',
		rateLimits: true,
		rateLimitWindowMs: DEFAULT_RATE_LIMIT_WINDOW_MS,
		restartDelayMs: DEFAULT_RESTART_DELAY_MS,
		smsSendDelayMs: DEFAULT_SMS_SEND_DELAY_MS,
		smsDeliveryDelayMs: DEFAULT_SMS_DELIVERY_DELAY_MS,
	};
}

/**
 * @param {string} name
 * @param {unknown} value
 * @returns {number}
 */
function nonNegativeNumber(name, value) {
	if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new Error(`${name} must be a number >= 0, got ${value}`);
	return value;
}

/**
 * @param {unknown} value
 * @returns {number | null}
 */
function maxPageSize(value) {
	if (value === null || value === undefined) return null;
	if (!Number.isInteger(value) || /** @type {number} */ (value) < 1) throw new Error(`maxPageSize must be a positive integer or null, got ${value}`);
	return /** @type {number} */ (value);
}

/**
 * @param {unknown} value
 * @returns {number}
 */
function errorStatus(value) {
	if (!Number.isInteger(value) || /** @type {number} */ (value) < 400 || /** @type {number} */ (value) > 599) {
		throw new Error(`maxPageStatus must be an HTTP error status (400-599), got ${value}`);
	}
	return /** @type {number} */ (value);
}

/**
 * @param {unknown} value
 * @returns {number}
 */
function positiveInteger(value) {
	if (!Number.isInteger(value) || /** @type {number} */ (value) < 1) throw new Error(`upsertCallsNeeded must be an integer >= 1, got ${value}`);
	return /** @type {number} */ (value);
}

/**
 * @param {unknown} value
 * @returns {string[]}
 */
function phoneNumbers(value) {
	if (!Array.isArray(value) || !value.every((phone) => typeof phone === 'string' && /^[0-9]+$/.test(phone))) {
		throw new Error(`notOnWhatsapp must be an array of phone numbers (digits only), got ${JSON.stringify(value)}`);
	}
	return [...value];
}

/**
 * An http(s) URL a webhook may be delivered to, or null for none.
 * @param {string} name
 * @param {unknown} value
 * @returns {string | null}
 */
function webhookUrl(name, value) {
	if (value === null) return null;
	let url;
	try {
		url = typeof value === 'string' ? new URL(value) : undefined;
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new Error(`${name} must be an http or https URL or null, got ${JSON.stringify(value)}`);
	return String(value);
}

/**
 * A webhook secret (a non-empty string) or null; REDACTED_SECRET keeps the current one.
 * @param {string} name
 * @param {unknown} value
 * @param {string | null} current
 * @returns {string | null}
 */
function webhookSecret(name, value, current) {
	if (value === REDACTED_SECRET) return current;
	if (value === null) return null;
	if (typeof value !== 'string' || value === '' || /[\r\n]/.test(value)) throw new Error(`${name} must be a non-empty string (one line) or null`);
	return value;
}

/**
 * The settings after `changes`, all checked first: a bad change throws and changes nothing.
 * Keys left undefined keep their value; `faults` is replaced as a whole.
 * @param {SandboxConfig} config
 * @param {SandboxConfigChanges} changes
 * @returns {SandboxConfig}
 */
function applyChanges(config, changes) {
	const next = { ...config };
	if (changes.latencyMs !== undefined) next.latencyMs = nonNegativeNumber('latencyMs', changes.latencyMs);
	if (changes.faults !== undefined) next.faults = normalizeFaults(changes.faults ?? {});
	if ('maxPageSize' in changes) next.maxPageSize = maxPageSize(changes.maxPageSize);
	if (changes.maxPageStatus !== undefined) next.maxPageStatus = errorStatus(changes.maxPageStatus);
	if (changes.endless !== undefined) next.endless = Boolean(changes.endless);
	if (changes.upsertDelayMs !== undefined) next.upsertDelayMs = nonNegativeNumber('upsertDelayMs', changes.upsertDelayMs);
	if (changes.upsertCallsNeeded !== undefined) next.upsertCallsNeeded = positiveInteger(changes.upsertCallsNeeded);
	if (changes.pictureTtlMs !== undefined) next.pictureTtlMs = nonNegativeNumber('pictureTtlMs', changes.pictureTtlMs);
	if (changes.processingDelayMs !== undefined) next.processingDelayMs = nonNegativeNumber('processingDelayMs', changes.processingDelayMs);
	if (changes.safeDelayMs !== undefined) next.safeDelayMs = nonNegativeNumber('safeDelayMs', changes.safeDelayMs);
	if (changes.notOnWhatsapp !== undefined) next.notOnWhatsapp = phoneNumbers(changes.notOnWhatsapp);
	if (changes.webhookUrl !== undefined) next.webhookUrl = webhookUrl('webhookUrl', changes.webhookUrl);
	if (changes.webhookSecret !== undefined) next.webhookSecret = webhookSecret('webhookSecret', changes.webhookSecret, config.webhookSecret);
	if (changes.webhookAuthStyle !== undefined) {
		if (!WEBHOOK_AUTH_STYLES.includes(changes.webhookAuthStyle)) throw new Error(`webhookAuthStyle must be bearer or raw, got ${JSON.stringify(changes.webhookAuthStyle)}`);
		next.webhookAuthStyle = changes.webhookAuthStyle;
	}
	if (changes.webhookUserId !== undefined) {
		if (typeof changes.webhookUserId !== 'string' || changes.webhookUserId.trim() === '') throw new Error('webhookUserId must be a non-empty string');
		next.webhookUserId = changes.webhookUserId;
	}
	if (changes.webhookTimeoutMs !== undefined) {
		const ms = nonNegativeNumber('webhookTimeoutMs', changes.webhookTimeoutMs);
		if (ms === 0) throw new Error('webhookTimeoutMs must be more than 0');
		next.webhookTimeoutMs = ms;
	}
	return applyGatewayChanges(next, changes);
}

/**
 * The settings of the account, enterprise and SMS routes (plan, rate limits, restarts, SMS timing).
 * @param {SandboxConfig} next
 * @param {SandboxConfigChanges} changes
 * @returns {SandboxConfig}
 */
function applyGatewayChanges(next, changes) {
	if (changes.plan !== undefined) {
		if (!PLANS.includes(changes.plan)) throw new Error(`plan must be subscribed or trial, got ${JSON.stringify(changes.plan)}`);
		next.plan = changes.plan;
	}
	if (changes.rateLimits !== undefined) {
		if (typeof changes.rateLimits !== 'boolean') throw new Error(`rateLimits must be true or false, got ${JSON.stringify(changes.rateLimits)}`);
		next.rateLimits = changes.rateLimits;
	}
	if (changes.rateLimitWindowMs !== undefined) {
		const ms = nonNegativeNumber('rateLimitWindowMs', changes.rateLimitWindowMs);
		if (ms < 1) throw new Error('rateLimitWindowMs must be at least 1');
		next.rateLimitWindowMs = ms;
	}
	if (changes.restartDelayMs !== undefined) next.restartDelayMs = nonNegativeNumber('restartDelayMs', changes.restartDelayMs);
	if (changes.smsSendDelayMs !== undefined) next.smsSendDelayMs = nonNegativeNumber('smsSendDelayMs', changes.smsSendDelayMs);
	if (changes.smsDeliveryDelayMs !== undefined) next.smsDeliveryDelayMs = nonNegativeNumber('smsDeliveryDelayMs', changes.smsDeliveryDelayMs);
	return next;
}

/**
 * A copy callers may keep or change without touching the live settings. The webhook secret is
 * never shown: it reads REDACTED_SECRET when set (and configure() keeps the secret when given that).
 * @param {SandboxConfig} config
 * @returns {SandboxConfig}
 */
function copyConfig(config) {
	return {
		...config,
		faults: { ...config.faults, kinds: [...config.faults.kinds], routes: config.faults.routes === null ? null : [...config.faults.routes] },
		notOnWhatsapp: [...config.notOnWhatsapp],
		webhookSecret: config.webhookSecret === null ? null : REDACTED_SECRET,
	};
}

/**
 * The settings among startSandbox() options (the others are where to listen, the token, the instances).
 * @param {import('./types').SandboxOptions} options
 * @returns {SandboxConfigChanges}
 */
function configOptions(options) {
	/** @type {Record<string, unknown>} */
	const changes = {};
	for (const key of CONFIG_KEYS) changes[key] = options[key];
	return /** @type {SandboxConfigChanges} */ (changes);
}

module.exports = {
	CONFIG_KEYS,
	DEFAULT_PICTURE_TTL_MS,
	DEFAULT_PROCESSING_DELAY_MS,
	DEFAULT_RATE_LIMIT_WINDOW_MS,
	DEFAULT_RESTART_DELAY_MS,
	DEFAULT_SMS_DELIVERY_DELAY_MS,
	DEFAULT_SMS_SEND_DELAY_MS,
	DEFAULT_WEBHOOK_TIMEOUT_MS,
	DEFAULT_WEBHOOK_USER_ID,
	PLANS,
	REDACTED_SECRET,
	applyChanges,
	configOptions,
	copyConfig,
	defaultConfig,
	webhookSecret,
	webhookUrl,
};
