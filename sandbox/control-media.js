// @ts-check
'use strict';
// The /__sandbox control endpoints for the media of simulated incoming messages (the download
// log, a media's record and expected bytes, expiring a link) and the transcription calls.
const { attempt } = require('./control-helpers');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('./server').Sandbox} Sandbox */

/** An answer that is bytes, not JSON (a media's expected bytes). */
class RawBody {
	/**
	 * @param {Buffer} bytes
	 * @param {string} contentType
	 */
	constructor(bytes, contentType) {
		this.bytes = bytes;
		this.contentType = contentType;
	}
}

/**
 * Answers a media or transcription control request, or gives undefined for other routes.
 * @param {Sandbox} sandbox
 * @param {IncomingMessage} req
 * @param {string} route the path after /__sandbox
 * @returns {unknown}
 */
function dispatchMediaControl(sandbox, req, route) {
	const method = req.method ?? 'GET';
	if (route === '/media-requests') {
		if (method === 'GET') {
			const requests = sandbox.mediaRequests();
			return { count: requests.length, requests };
		}
		if (method === 'DELETE') {
			sandbox.clearMediaRequests();
			return { ok: true };
		}
		return undefined;
	}
	if (method === 'GET' && route === '/media-host') return { url: sandbox.mediaUrl, port: sandbox.mediaPort };
	if (method === 'GET' && route === '/transcriptions') return { count: sandbox.transcriptionRequests.length, transcriptions: sandbox.transcriptionRequests };
	const media = /^\/media\/([0-9a-f]+)(\/bytes|\/expire)?$/.exec(route);
	if (!media) return undefined;
	const [, id, action] = media;
	if (method === 'GET' && action === undefined) return { data: attempt(() => sandbox.media(id)) };
	if (method === 'GET' && action === '/bytes') {
		const record = attempt(() => sandbox.media(id));
		return new RawBody(sandbox.mediaBytes(id), record.mimetype);
	}
	if (method === 'POST' && action === '/expire') return { ok: true, data: attempt(() => sandbox.expireMedia(id)) };
	return undefined;
}

module.exports = { RawBody, dispatchMediaControl };
