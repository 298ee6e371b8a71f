// @ts-check
'use strict';
// Webhook delivery, as Hypersender POSTs events to the instance's webhook URL: the documented
// envelope, `x-userId` and `x-instanceId` headers, and `Authorization` carrying the secret when one
// is set. Per instance one delivery at a time, in order; no retries; each given up after
// webhookTimeoutMs. Every delivery is logged (never the secret). Only the configured URL is ever
// contacted, and redirects are not followed.
const http = require('node:http');
const https = require('node:https');
const { randomBytes } = require('node:crypto');
const { webhookSecret, webhookUrl } = require('./config');
const { stableHash } = require('./contacts');

/** @typedef {import('./types').SandboxConfig} SandboxConfig */
/** @typedef {import('./types').WebhookDelivery} WebhookDelivery */
/** @typedef {import('./timers').Timers} Timers */
/** @typedef {import('./events').Me} Me */
/** @typedef {{ url: string, secret?: string | null }} InstanceWebhook */
/** @typedef {{ url: string, secret: string | null, source: 'instance' | 'global' }} WebhookTarget */
/** @typedef {{ event: string, eventId: string, delivered: boolean, url: string | null, status: number | null, error: string | null, durationMs: number | null }} DeliveryResult */
/** @typedef {{ target: WebhookTarget, eventId: string, envelope: { event: string, data: unknown }, resolve: (result: DeliveryResult) => void }} Pending */

const NO_URL = 'no webhook URL is configured for this instance';

/** @param {string} url user and password in a URL are never logged */
function loggedUrl(url) {
	const parsed = new URL(url);
	if (parsed.username === '' && parsed.password === '') return url;
	parsed.username = '[redacted]';
	parsed.password = '';
	return parsed.toString();
}

class Webhooks {
	/**
	 * @param {{ config: SandboxConfig, timers: Timers, log: (line: string) => void }} context
	 */
	constructor({ config, timers, log }) {
		this.config = config;
		this.timers = timers;
		this.log = log;
		/** @type {Map<string, InstanceWebhook>} */
		this.perInstance = new Map();
		/** @type {Map<string, Pending[]>} waiting deliveries per instance */
		this.queues = new Map();
		/** @type {Set<string>} instances with a delivery under way */
		this.running = new Set();
		/** @type {WebhookDelivery[]} */
		this.deliveries = [];
		/** @type {Set<http.ClientRequest>} */
		this.inFlight = new Set();
		/** @type {Array<() => void>} */
		this.idleWaiters = [];
		/** @type {Map<string, string>} the phone (digits) of instances made through create-instance */
		this.phones = new Map();
		/** @type {Array<() => boolean>} other sources of deliveries still to come (the outbox) */
		this.busySources = [];
		this.closed = false;
	}

	/**
	 * The instance's phone as the envelope's `me`, fixed by its id.
	 * @param {string} instanceId
	 * @returns {Me}
	 */
	me(instanceId) {
		const phone = this.phones.get(instanceId) ?? `1555${String(stableHash(`me:${instanceId}`) % 1e7).padStart(7, '0')}`;
		const lid = `${String(stableHash(`lid:${instanceId}`)).padStart(10, '0')}${String(stableHash(`lid2:${instanceId}`) % 1e4).padStart(4, '0')}`;
		return { id: `${phone}@c.us`, pushName: 'Sandbox', lid: `${lid}@lid` };
	}

	/**
	 * Sets (or with null removes) an instance's own webhook URL, which wins over the global one.
	 * `secret` absent: the global secret; null: none.
	 * @param {string} instanceId
	 * @param {{ url?: unknown, secret?: unknown } | null} setting
	 */
	setInstance(instanceId, setting) {
		if (setting === null || setting.url === null || setting.url === undefined) {
			this.perInstance.delete(instanceId);
			return;
		}
		const url = /** @type {string} */ (webhookUrl('url', setting.url));
		/** @type {InstanceWebhook} */
		const entry = { url };
		if (setting.secret !== undefined) entry.secret = webhookSecret('secret', setting.secret, this.perInstance.get(instanceId)?.secret ?? null);
		this.perInstance.set(instanceId, entry);
	}

	/**
	 * Where an instance's events go now, or null when nowhere.
	 * @param {string} instanceId
	 * @returns {WebhookTarget | null}
	 */
	target(instanceId) {
		const own = this.perInstance.get(instanceId);
		if (own) return { url: own.url, secret: own.secret === undefined ? this.config.webhookSecret : own.secret, source: 'instance' };
		if (this.config.webhookUrl !== null) return { url: this.config.webhookUrl, secret: this.config.webhookSecret, source: 'global' };
		return null;
	}

	/**
	 * An instance's webhook setting as the controls show it (never the secret).
	 * @param {string} instanceId
	 */
	describe(instanceId) {
		const target = this.target(instanceId);
		return target
			? { url: loggedUrl(target.url), authorization: target.secret === null ? 'none' : 'present', source: target.source }
			: { url: null, authorization: 'none', source: null };
	}

	/**
	 * Queues an event for the instance's webhook (behind the ones before it) and resolves once
	 * delivery was attempted; at once, undelivered, when no URL is configured. WhatsApp events
	 * carry WAHA's envelope (`data: {id, event, metadata, me, payload, instanceId, userId}`); SMS
	 * events (`sms: true`) carry their record as `data` itself, as the SMS webhooks do.
	 * @param {string} instanceId
	 * @param {string} event
	 * @param {unknown} payload
	 * @param {{ sms?: boolean }} [options]
	 * @returns {Promise<DeliveryResult>}
	 */
	deliver(instanceId, event, payload, { sms = false } = {}) {
		const eventId = `evt_${randomBytes(12).toString('hex')}`;
		const target = this.closed ? null : this.target(instanceId);
		if (!target) return Promise.resolve({ event, eventId, delivered: false, url: null, status: null, error: this.closed ? 'sandbox closed' : NO_URL, durationMs: null });
		const data = sms ? payload : { id: eventId, event, metadata: [], me: this.me(instanceId), payload, instanceId, userId: this.config.webhookUserId };
		return new Promise((resolve) => {
			const queue = this.queues.get(instanceId) ?? [];
			queue.push({ target, eventId, envelope: { event, data }, resolve });
			this.queues.set(instanceId, queue);
			if (!this.running.has(instanceId)) void this.drain(instanceId);
		});
	}

	/** @param {string} instanceId */
	async drain(instanceId) {
		this.running.add(instanceId);
		const queue = this.queues.get(instanceId) ?? [];
		for (let next = queue.shift(); next; next = queue.shift()) next.resolve(await this.post(instanceId, next));
		this.queues.delete(instanceId);
		this.running.delete(instanceId);
		this.checkIdle();
	}

	/**
	 * One POST; resolves with its outcome, never rejects.
	 * @param {string} instanceId
	 * @param {Pending} pending
	 * @returns {Promise<DeliveryResult>}
	 */
	post(instanceId, { target, eventId, envelope }) {
		const body = JSON.stringify(envelope);
		/** @type {WebhookDelivery} */
		const entry = {
			event: envelope.event,
			instanceId,
			eventId,
			url: loggedUrl(target.url),
			authorization: target.secret === null ? 'none' : 'present',
			status: null,
			error: null,
			at: Date.now(),
			durationMs: null,
			body: envelope,
		};
		this.deliveries.push(entry);
		/** @type {Record<string, string | number>} */
		const headers = {
			'Content-Type': 'application/json',
			'Content-Length': Buffer.byteLength(body),
			Accept: 'application/json',
			'User-Agent': 'Hypersender-Sandbox-Webhooks/1.0',
			'x-userId': this.config.webhookUserId,
			'x-instanceId': instanceId,
		};
		if (target.secret !== null) headers.Authorization = this.config.webhookAuthStyle === 'raw' ? target.secret : `Bearer ${target.secret}`;
		const timeoutMs = this.config.webhookTimeoutMs;
		return new Promise((resolve) => {
			const url = new URL(target.url);
			// agent: false, so no keep-alive socket outlives the delivery (or close()).
			const request = (url.protocol === 'https:' ? https : http).request(url, { method: 'POST', headers, agent: false });
			let settled = false;
			/**
			 * @param {number | null} status
			 * @param {string | null} error
			 */
			const finish = (status, error) => {
				if (settled) return;
				settled = true;
				this.timers.clear(timer);
				this.inFlight.delete(request);
				Object.assign(entry, { status, error, durationMs: Date.now() - entry.at });
				this.log(`webhook ${envelope.event} ${eventId} -> ${entry.url} ${status ?? error}`);
				resolve({ event: envelope.event, eventId, delivered: status !== null, url: entry.url, status, error, durationMs: entry.durationMs });
			};
			const timer = this.timers.set(() => {
				finish(null, `timed out after ${timeoutMs} ms`);
				request.destroy();
			}, timeoutMs);
			this.inFlight.add(request);
			request.on('response', (response) => {
				response.resume();
				finish(response.statusCode ?? null, null);
			});
			request.on('error', (/** @type {NodeJS.ErrnoException} */ error) => finish(null, this.closed ? 'sandbox closed' : error.code ? `${error.code}: ${error.message}` : error.message));
			request.end(body);
		});
	}

	/** True when nothing is queued, under way or still to come. */
	isIdle() {
		return this.running.size === 0 && this.queues.size === 0 && !this.busySources.some((busy) => busy());
	}

	checkIdle() {
		if (!this.isIdle() && !this.closed) return;
		const waiters = this.idleWaiters.splice(0);
		for (const resolve of waiters) resolve();
	}

	/** Resolves once every instance's deliveries are done, including those of sends still processing. */
	idle() {
		if (this.isIdle() || this.closed) return Promise.resolve();
		return new Promise((/** @type {(value?: void) => void} */ resolve) => this.idleWaiters.push(resolve));
	}

	/** The delivery log (copies), in the order deliveries started. */
	list() {
		return this.deliveries.map((entry) => structuredClone(entry));
	}

	clearLog() {
		this.deliveries.length = 0;
	}

	/** Drops what is queued and aborts what is under way (the timers are cleared by the sandbox). */
	close() {
		this.closed = true;
		for (const queue of this.queues.values()) queue.splice(0).forEach(({ envelope, eventId, resolve }) => resolve({ event: envelope.event, eventId, delivered: false, url: null, status: null, error: 'sandbox closed', durationMs: null }));
		for (const request of this.inFlight) request.destroy();
		this.checkIdle();
	}
}

module.exports = { NO_URL, Webhooks };
