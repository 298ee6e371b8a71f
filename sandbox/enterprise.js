// @ts-check
'use strict';
// The account's instances as the enterprise routes see them: name, phone, connection status
// (health), restarts, QR codes and the access tokens of instances created through the API. The
// instances the sandbox starts with are WORKING (connected since the start); created ones wait
// for their QR code to be scanned (SCAN_QR_CODE). A restart shows STARTING for restartDelayMs, then
// the status it leads to (worked out when read: no timers).
const { randomBytes } = require('node:crypto');
const { laravelDate } = require('./times');

/** The statuses `/health` and `/instances` show. */
const INSTANCE_STATUSES = ['STOPPED', 'STARTING', 'WORKING', 'SCAN_QR_CODE', 'FAILED', 'PENDING'];
const TOKEN_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * An instance's enterprise record.
 * @typedef {object} InstanceMeta
 * @property {string} id
 * @property {string} name
 * @property {string} phone E.164, e.g. `+15551234567`
 * @property {string} status one of INSTANCE_STATUSES (while restarting: what it was before)
 * @property {number | null} connectedAt ms since the epoch while WORKING
 * @property {number} createdAt
 * @property {boolean} created made through POST /create-instance
 * @property {string | null} webhookUrl given to create-instance
 * @property {string | null} accessToken the instance's own token (created instances)
 * @property {{ until: number, then: string } | null} restart a restart under way
 */

/** A Sanctum-like plain-text token: `<id>|<40 letters and digits>`. */
function sanctumToken(/** @type {number} */ id) {
	const bytes = randomBytes(40);
	return `${id}|${[...bytes].map((byte) => TOKEN_ALPHABET[byte % TOKEN_ALPHABET.length]).join('')}`;
}

/** What a restart leads to: an instance waiting for its QR code keeps waiting; every other one connects. */
function afterRestart(/** @type {string} */ status) {
	return status === 'SCAN_QR_CODE' ? 'SCAN_QR_CODE' : 'WORKING';
}

class InstanceRegistry {
	/**
	 * @param {{ startedAt: number, phoneOf: (id: string) => string, ids: () => string[] }} context
	 * phoneOf: a configured instance's phone (E.164); ids: every instance id, the main one first
	 */
	constructor({ startedAt, phoneOf, ids }) {
		this.startedAt = startedAt;
		this.phoneOf = phoneOf;
		this.ids = ids;
		/** @type {Map<string, InstanceMeta>} */
		this.metas = new Map();
		/** @type {Map<string, string>} access token -> instance id */
		this.tokens = new Map();
		this.nextTokenId = 1000 + (randomBytes(2).readUInt16BE(0) % 9000);
	}

	/**
	 * An instance's record, made on first use for the instances the sandbox started with.
	 * @param {string} id
	 * @returns {InstanceMeta}
	 */
	of(id) {
		let meta = this.metas.get(id);
		if (!meta) {
			const index = this.ids().indexOf(id);
			meta = {
				id,
				name: index <= 0 ? 'Sandbox' : `Sandbox ${index + 1}`,
				phone: this.phoneOf(id),
				status: 'WORKING',
				connectedAt: this.startedAt,
				createdAt: this.startedAt,
				created: false,
				webhookUrl: null,
				accessToken: null,
				restart: null,
			};
			this.metas.set(id, meta);
		}
		return meta;
	}

	/**
	 * The record with a finished restart settled.
	 * @param {string} id
	 * @param {number} now
	 */
	current(id, now) {
		const meta = this.of(id);
		if (meta.restart && now >= meta.restart.until) {
			meta.status = meta.restart.then;
			meta.connectedAt = meta.status === 'WORKING' ? meta.restart.until : null;
			meta.restart = null;
		}
		return meta;
	}

	/**
	 * The status `/health` shows now, and since when it is connected.
	 * @param {string} id
	 * @param {number} now
	 */
	health(id, now) {
		const meta = this.current(id, now);
		const status = meta.restart ? 'STARTING' : meta.status;
		return { status, connectedAt: status === 'WORKING' ? meta.connectedAt : null };
	}

	/**
	 * Sets the status (a restart under way ends); WORKING connects now unless it already was.
	 * @param {string} id
	 * @param {string} status
	 * @param {number} now
	 */
	setStatus(id, status, now) {
		if (!INSTANCE_STATUSES.includes(status)) throw new Error(`status must be one of ${INSTANCE_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
		const meta = this.current(id, now);
		const wasWorking = meta.status === 'WORKING' && !meta.restart;
		meta.restart = null;
		meta.status = status;
		meta.connectedAt = status === 'WORKING' ? (wasWorking ? meta.connectedAt : now) : null;
		return this.health(id, now);
	}

	/**
	 * STARTING for `delayMs`, then WORKING (or SCAN_QR_CODE for an instance still waiting for its scan).
	 * @param {string} id
	 * @param {number} now
	 * @param {number} delayMs
	 */
	restart(id, now, delayMs) {
		const meta = this.current(id, now);
		const then = afterRestart(meta.restart ? meta.restart.then : meta.status);
		meta.connectedAt = null;
		if (delayMs <= 0) {
			meta.status = then;
			meta.connectedAt = then === 'WORKING' ? now : null;
			meta.restart = null;
		} else meta.restart = { until: now + delayMs, then };
	}

	/**
	 * A new QR code was asked for: the instance is logged out and waits for it to be scanned.
	 * @param {string} id
	 * @param {number} now
	 */
	awaitScan(id, now) {
		this.setStatus(id, 'SCAN_QR_CODE', now);
	}

	/**
	 * Records an instance made through POST /create-instance, with its own access token.
	 * @param {{ id: string, name: string, phone: string, webhookUrl: string | null }} fields
	 * @param {number} now
	 */
	create({ id, name, phone, webhookUrl }, now) {
		const accessToken = sanctumToken(this.nextTokenId++);
		/** @type {InstanceMeta} */
		const meta = { id, name, phone, status: 'SCAN_QR_CODE', connectedAt: null, createdAt: now, created: true, webhookUrl, accessToken, restart: null };
		this.metas.set(id, meta);
		this.tokens.set(accessToken, id);
		return meta;
	}

	/**
	 * The instance an access token belongs to, or undefined.
	 * @param {string} token
	 */
	instanceOfToken(token) {
		return this.tokens.get(token);
	}

	/**
	 * Whether another instance already has this name (compared as MySQL does, ignoring case).
	 * @param {string} name
	 */
	nameTaken(name) {
		const wanted = name.trim().toLowerCase();
		return this.ids().some((id) => this.of(id).name.trim().toLowerCase() === wanted);
	}

	/**
	 * An instance as `/instances` lists it (the token is shown only once, by create-instance).
	 * @param {string} id
	 * @param {number} now
	 */
	view(id, now) {
		const meta = this.current(id, now);
		return { id, name: meta.name, phone: meta.phone, service_type: 'whatsapp', status: this.health(id, now).status, access_token: null, created_at: laravelDate(meta.createdAt) };
	}

	/**
	 * The instances created through the API (for the controls), with their tokens.
	 * @param {number} now
	 */
	createdList(now) {
		return this.ids()
			.map((id) => this.current(id, now))
			.filter((meta) => meta.created)
			.map((meta) => ({ id: meta.id, name: meta.name, phone: meta.phone, status: this.health(meta.id, now).status, webhook_url: meta.webhookUrl, access_token: meta.accessToken, created_at: laravelDate(meta.createdAt) }));
	}
}

module.exports = { INSTANCE_STATUSES, InstanceRegistry, sanctumToken };
