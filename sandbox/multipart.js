// @ts-check
'use strict';
// multipart/form-data, binary-safe: the body is split on its boundary as bytes, so a file part
// keeps every byte (0x00, 0xFF, CR LF, a partial boundary) exactly as sent.
const { createHash } = require('node:crypto');

/**
 * A file part of a multipart body.
 * @typedef {object} UploadedFile
 * @property {string} filename the part's `filename` parameter
 * @property {string} mimetype the part's Content-Type (`application/octet-stream` when absent)
 * @property {number} size bytes
 * @property {string} sha256 hex digest of the bytes
 * @property {Buffer} data the bytes
 */

/**
 * A part header parameter (`name="x"` or `name=x`), or undefined.
 * @param {string} header
 * @param {string} key
 */
function headerParameter(header, key) {
	const match = new RegExp(`(?:^|;)\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(header);
	if (!match) return undefined;
	return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}

/**
 * The text fields and file parts of a multipart/form-data body. A part with a `filename`
 * parameter is a file; any other part is a UTF-8 text field. A body without the boundary
 * named in the content type has no parts.
 * @param {Buffer} body
 * @param {string} contentType
 * @returns {{ fields: Record<string, string>, files: Record<string, UploadedFile> }}
 */
function parseMultipartBody(body, contentType) {
	/** @type {Record<string, string>} */
	const fields = {};
	/** @type {Record<string, UploadedFile>} */
	const files = {};
	const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	const text = boundary?.[1] ?? boundary?.[2];
	if (!text) return { fields, files };
	const opening = Buffer.from(`--${text}`);
	const delimiter = Buffer.from(`\r\n--${text}`);
	let position = body.indexOf(opening);
	while (position !== -1) {
		let start = position + opening.length;
		if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // the closing delimiter
		const lineEnd = body.indexOf('\r\n', start);
		if (lineEnd === -1) break;
		start = lineEnd + 2;
		const next = body.indexOf(delimiter, start);
		const part = body.subarray(start, next === -1 ? body.length : next);
		position = next === -1 ? -1 : next + 2;
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd === -1) continue;
		const headers = part.subarray(0, headerEnd).toString('utf8').split('\r\n');
		const disposition = headers.find((line) => /^content-disposition:/i.test(line)) ?? '';
		const name = headerParameter(disposition.replace(/^[^:]*:/, ''), 'name');
		if (name === undefined) continue;
		const data = part.subarray(headerEnd + 4);
		const filename = headerParameter(disposition.replace(/^[^:]*:/, ''), 'filename');
		if (filename === undefined) {
			fields[name] = data.toString('utf8');
			continue;
		}
		const typeLine = headers.find((line) => /^content-type:/i.test(line));
		const mimetype = typeLine ? typeLine.replace(/^[^:]*:/, '').trim() : 'application/octet-stream';
		const copy = Buffer.from(data);
		files[name] = { filename, mimetype, size: copy.length, sha256: createHash('sha256').update(copy).digest('hex'), data: copy };
	}
	return { fields, files };
}

/**
 * What a file part looks like in a stored request (no bytes).
 * @param {UploadedFile} file
 */
function fileSummary(file) {
	return { filename: file.filename, mimetype: file.mimetype, size: file.size };
}

/**
 * What a file part looks like in the control list and the request log: with its digest.
 * @param {UploadedFile} file
 */
function fileDigest(file) {
	return { ...fileSummary(file), sha256: file.sha256 };
}

module.exports = { fileDigest, fileSummary, parseMultipartBody };
