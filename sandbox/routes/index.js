// @ts-check
'use strict';
// Which route a path names, for every API family on the sandbox's origin: WhatsApp
// (`/api/whatsapp/v2/{instance}/…`, plus the account routes `/api/whatsapp/v2/instances` and
// `/create-instance`), OTP (`/api/otp/v2/{instance}/…`) and SMS (`/api/sms/v2/{instance}/…`).
// Each match names its route `<family>/<route>` (`whatsapp/contacts/get-all`, `sms/send-message`):
// the fault settings and the rate limits key on it.
const { ACTION_ROUTES } = require('./actions');
const { CONTACT_ROUTES } = require('./contacts');
const { ACCOUNT_ROUTES, ENTERPRISE_ROUTES } = require('./enterprise');
const { SEND_LINK_PREVIEW_ROUTE } = require('./link-preview');
const { SEND_ROUTES } = require('./messages');
const { OTP_ROUTES } = require('./otp');
const { SMS_ROUTES } = require('./sms');
const { QUEUED_REQUEST_ROUTE } = require('./queued');

/** @typedef {import('../types').ApiRoute} ApiRoute */
/** @typedef {import('../types').AccountRoute} AccountRoute */

/**
 * @typedef {{ kind: 'instance', family: string, base: string, name: string, instanceId: string, route: ApiRoute, params: Record<string, string> }} InstanceMatch
 * @typedef {{ kind: 'account', family: string, base: string, name: string, route: AccountRoute }} AccountMatch
 */

const API_BASE_PATH = '/api/whatsapp/v2';

/**
 * The API families: base path, the routes under an instance, the routes of the account.
 * @type {Record<string, { base: string, routes: Record<string, ApiRoute>, account: Record<string, AccountRoute> }>}
 */
const FAMILIES = {
	whatsapp: { base: API_BASE_PATH, routes: { ...SEND_ROUTES, 'send-link-custom-preview': SEND_LINK_PREVIEW_ROUTE, ...ACTION_ROUTES, ...ENTERPRISE_ROUTES }, account: ACCOUNT_ROUTES },
	otp: { base: '/api/otp/v2', routes: OTP_ROUTES, account: {} },
	sms: { base: '/api/sms/v2', routes: SMS_ROUTES, account: {} },
};

/**
 * A path segment decoded; a malformed escape is kept raw, so it simply names nothing.
 * @param {string} segment
 */
function decodeSegment(segment) {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * The route of a path under an instance, with its name and parameters.
 * @param {string} family
 * @param {string[]} segments the path after the instance segment
 * @returns {{ name: string, route: ApiRoute, params: Record<string, string> } | undefined}
 */
function findRoute(family, segments) {
	const { routes } = FAMILIES[family];
	const [first, second] = segments;
	if (segments.length === 1 && Object.hasOwn(routes, first)) return { name: first, route: routes[first], params: {} };
	if (family !== 'whatsapp' || segments.length !== 2 || second === '') return undefined;
	if (first === 'contacts' && Object.hasOwn(CONTACT_ROUTES, second)) return { name: `contacts/${second}`, route: CONTACT_ROUTES[second], params: {} };
	if (first === 'queued-requests') return { name: 'queued-requests', route: QUEUED_REQUEST_ROUTE, params: { uuid: decodeSegment(second) } };
	return undefined;
}

/**
 * The family, instance (or account route), route and path parameters of an API path, or undefined.
 * @param {string} pathname
 * @returns {InstanceMatch | AccountMatch | undefined}
 */
function matchRoute(pathname) {
	for (const [family, { base, account }] of Object.entries(FAMILIES)) {
		if (!pathname.startsWith(`${base}/`)) continue;
		const segments = pathname.slice(base.length + 1).split('/');
		const [instanceSegment, ...rest] = segments;
		if (instanceSegment === '') return undefined;
		if (rest.length === 0 && Object.hasOwn(account, instanceSegment)) {
			return { kind: 'account', family, base, name: `${family}/${instanceSegment}`, route: account[instanceSegment] };
		}
		const found = findRoute(family, rest);
		if (!found) return undefined;
		return { kind: 'instance', family, base, name: `${family}/${found.name}`, instanceId: decodeSegment(instanceSegment), route: found.route, params: found.params };
	}
	return undefined;
}

module.exports = { API_BASE_PATH, FAMILIES, matchRoute };
