// @ts-check
'use strict';
// The enterprise (instance management) routes: GET /instances and POST /create-instance on the
// account, GET /{instance}/health, POST /{instance}/restart and POST /{instance}/request-new-qr-code,
// with the documented per-minute limits (counted by the pipeline, api.js).
const { randomUUID } = require('node:crypto');
const { validationFailure } = require('../http');
const { qrCodePng } = require('../qr');
const { laravelDate } = require('../times');
const { Checker, isBlank } = require('../validation');

/** @typedef {import('../types').ApiRoute} ApiRoute */
/** @typedef {import('../types').AccountRoute} AccountRoute */
/** @typedef {import('../types').AccountCall} AccountCall */

const E164 = /^\+[1-9][0-9]{6,14}$/;
const MAX_NAME = 50;
/** The `filter[…]` keys of GET /instances. */
const INSTANCE_FILTERS = ['uuid', 'name', 'phone', 'status'];

/** @type {ApiRoute} */
const health = {
	methods: ['GET', 'HEAD'],
	readsBody: false,
	rateLimit: 10,
	handle({ instanceId, gateway, now }) {
		const { status, connectedAt } = gateway.registry.health(instanceId, now);
		return { status: 200, json: { instance_id: instanceId, connected_at: connectedAt === null ? null : laravelDate(connectedAt), status } };
	},
};

/** @type {ApiRoute} */
const restart = {
	methods: ['POST'],
	readsBody: true,
	rateLimit: 5,
	handle({ instanceId, gateway, config, now }) {
		gateway.registry.restart(instanceId, now, config.restartDelayMs);
		return { status: 200, json: { message: 'WhatsApp instance restarted successfully.' } };
	},
};

/** @type {ApiRoute} */
const requestNewQrCode = {
	methods: ['POST'],
	readsBody: true,
	rateLimit: 1,
	handle({ instanceId, gateway, now }) {
		gateway.registry.awaitScan(instanceId, now);
		return { status: 200, json: { ...gateway.registry.view(instanceId, now), qr_code: qrCodePng() } };
	},
};

/**
 * The `filter[…]` values of a query (`filter[name]=x`), by key.
 * @param {Record<string, unknown>} input
 * @returns {Record<string, string>}
 */
function filtersOf(input) {
	/** @type {Record<string, string>} */
	const filters = {};
	for (const [key, value] of Object.entries(input)) {
		const match = /^filter\[([^\]]*)\]$/.exec(key);
		if (match && typeof value === 'string' && value.trim() !== '') filters[match[1]] = value.trim();
	}
	return filters;
}

/** @type {AccountRoute} */
const listInstances = {
	methods: ['GET', 'HEAD'],
	readsBody: false,
	handle({ input, gateway, now }) {
		const filters = filtersOf(input);
		const unknown = Object.keys(filters).filter((key) => !INSTANCE_FILTERS.includes(key));
		if (unknown.length > 0) {
			return { status: 400, json: { message: `Requested filter(s) \`${unknown.join(', ')}\` are not allowed. Allowed filter(s) are \`${INSTANCE_FILTERS.join(', ')}\`.` } };
		}
		const list = gateway.instanceIds()
			.map((id) => gateway.registry.view(id, now))
			.filter(
				(view) =>
					(filters.uuid === undefined || view.id === filters.uuid) &&
					(filters.name === undefined || view.name.toLowerCase().includes(filters.name.toLowerCase())) &&
					(filters.phone === undefined || view.phone === filters.phone) &&
					(filters.status === undefined || view.status === filters.status.toUpperCase()),
			);
		return { status: 200, json: list };
	},
};

/**
 * The create-instance checks: phone (E.164), name (≤ 50, unique), webhook_url (https).
 * @param {Record<string, unknown>} input
 * @param {AccountCall['gateway']} gateway
 */
function checkNewInstance(input, gateway) {
	const check = new Checker();
	if (check.string('phone', input.phone, { required: true }) && !E164.test(String(input.phone).trim())) check.fail('phone', 'format is invalid.');
	if (check.string('name', input.name, { required: true, max: MAX_NAME }) && gateway.registry.nameTaken(String(input.name))) check.fail('name', 'The name has already been taken.');
	if (!isBlank(input.webhook_url) && check.url('webhook_url', input.webhook_url) && !String(input.webhook_url).trim().startsWith('https://')) {
		check.fail('webhook_url', 'must start with one of the following: https://.');
	}
	return check;
}

/** @type {AccountRoute} */
const createInstance = {
	methods: ['POST'],
	readsBody: true,
	rateLimit: 5,
	handle({ input, gateway, now }) {
		const check = checkNewInstance(input, gateway);
		if (!check.ok) return { status: 422, json: validationFailure(check.errors) };
		const webhookUrl = isBlank(input.webhook_url) ? null : String(input.webhook_url).trim();
		const meta = gateway.createInstance({ id: randomUUID(), name: String(input.name).trim(), phone: String(input.phone).trim(), webhookUrl }, now);
		const view = gateway.registry.view(meta.id, now);
		return { status: 200, json: { ...view, webhook_url: webhookUrl, qr_code: qrCodePng(), access_token: meta.accessToken, created_at: view.created_at } };
	},
};

/** @type {Record<string, ApiRoute>} */
const ENTERPRISE_ROUTES = { health, restart, 'request-new-qr-code': requestNewQrCode };
/** @type {Record<string, AccountRoute>} */
const ACCOUNT_ROUTES = { instances: listInstances, 'create-instance': createInstance };

module.exports = { ACCOUNT_ROUTES, ENTERPRISE_ROUTES, filtersOf };
