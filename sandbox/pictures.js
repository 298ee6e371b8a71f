// @ts-check
'use strict';
// The sandbox's stand-in for WhatsApp's picture CDN (pps.whatsapp.net): signed profile-picture
// URLs that expire, served under /pps without any auth, every download logged with its headers.
const crypto = require('node:crypto');
const { avatarFor } = require('./images');
const { sendText } = require('./http');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./types').RequestLogEntry} RequestLogEntry */

const PICTURE_PATH = '/pps';
const DIRECTORY = `${PICTURE_PATH}/v/t61.24694-24/`;
const FILE_PATTERN = /^([A-Za-z0-9_-]+)_n\.(jpg|png)$/;
const EXPIRED = 'URL signature expired';
// Exact expiry times (ms) of the URLs handed out, by signature: `oe` only has whole seconds.
const REMEMBERED_EXPIRIES = 10000;

/**
 * Signs and checks picture URLs with a secret of its own (a fresh one per sandbox).
 * @param {Buffer} [secret]
 */
function createPictureSigner(secret = crypto.randomBytes(32)) {
	/** @type {Map<string, number>} */
	const expiries = new Map();
	/**
	 * @param {string} path
	 * @param {string} oe
	 */
	const sign = (path, oe) => crypto.createHmac('sha256', secret).update(`${path}?oe=${oe}`).digest('hex').slice(0, 40);

	return {
		/**
		 * A URL for a contact's picture: `<baseUrl>/pps/v/t61.24694-24/<key>_n.<jpg|png>?oe=<expiry, unix seconds, hex>&sig=<hmac>`.
		 * @param {string} baseUrl the sandbox's origin
		 * @param {string} instanceId
		 * @param {string} contactId
		 * @param {'png' | 'jpeg'} format
		 * @param {number} expiresAt ms since the epoch
		 */
		url(baseUrl, instanceId, contactId, format, expiresAt) {
			const key = Buffer.from(JSON.stringify([instanceId, contactId])).toString('base64url');
			const path = `${DIRECTORY}${key}_n.${format === 'jpeg' ? 'jpg' : 'png'}`;
			const oe = Math.ceil(expiresAt / 1000).toString(16).toUpperCase();
			const sig = sign(path, oe);
			if (expiries.size >= REMEMBERED_EXPIRIES) expiries.delete(/** @type {string} */ (expiries.keys().next().value));
			expiries.set(sig, expiresAt);
			return `${baseUrl}${path}?oe=${oe}&sig=${sig}`;
		},

		/**
		 * What a picture URL names, or why it is refused.
		 * @param {string} pathname
		 * @param {string} search
		 * @param {number} now
		 * @returns {{ instanceId: string, contactId: string } | { refused: 'not-found' | 'expired' }}
		 */
		check(pathname, search, now) {
			const file = pathname.startsWith(DIRECTORY) ? FILE_PATTERN.exec(pathname.slice(DIRECTORY.length)) : null;
			if (!file) return { refused: 'not-found' };
			const params = new URLSearchParams(search);
			const oe = params.get('oe') ?? '';
			const sig = params.get('sig') ?? '';
			const expected = Buffer.from(sign(pathname, oe));
			const given = Buffer.from(sig);
			if (!/^[0-9A-Fa-f]{1,12}$/.test(oe) || given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
				return { refused: 'expired' };
			}
			const expiresAt = expiries.get(sig) ?? parseInt(oe, 16) * 1000;
			if (now >= expiresAt) return { refused: 'expired' };
			try {
				const [instanceId, contactId] = JSON.parse(Buffer.from(file[1], 'base64url').toString('utf8'));
				return { instanceId, contactId };
			} catch {
				return { refused: 'not-found' };
			}
		},
	};
}

/** @typedef {ReturnType<typeof createPictureSigner>} PictureSigner */

/**
 * Serves one picture download (GET or HEAD); no auth, like the CDN. `entry` is its log entry.
 * @param {PictureSigner} signer
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {RequestLogEntry} entry
 * @param {string} search
 */
function servePicture(signer, req, res, entry, search) {
	entry.chat_id = null;
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.setHeader('Allow', 'GET, HEAD');
		return sendText(res, 405, 'Method Not Allowed');
	}
	const checked = signer.check(entry.path, search, Date.now());
	if ('refused' in checked) return sendText(res, checked.refused === 'expired' ? 403 : 404, checked.refused === 'expired' ? EXPIRED : 'Not Found');
	entry.instance = checked.instanceId;
	entry.chat_id = checked.contactId;
	const avatar = avatarFor(checked.contactId);
	res.writeHead(200, {
		'Content-Type': avatar.contentType,
		'Content-Length': avatar.bytes.length,
		'Cache-Control': 'max-age=1209600, no-transform',
	});
	res.end(avatar.bytes);
}

module.exports = { PICTURE_PATH, createPictureSigner, servePicture };
