// @ts-check
'use strict';
// What the /__sandbox control routes share: reading a JSON object body, and turning the sandbox's
// errors into HTTP statuses.
const { HttpError, readBody } = require('./http');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */

/**
 * A JSON object body; HttpError 400 otherwise.
 * @param {IncomingMessage} req
 * @param {string} what what the body must be like, for the error message
 * @returns {Promise<Record<string, unknown>>}
 */
async function readObject(req, what) {
	let value;
	try {
		const body = (await readBody(req)).toString('utf8');
		value = body.trim() === '' ? {} : JSON.parse(body);
	} catch (error) {
		throw new HttpError(400, `Invalid JSON body: ${error.message}`);
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, `The body must be a JSON object, ${what}.`);
	return value;
}

/**
 * The HttpError for an error a sandbox call threw: its own `status` if it has one, 404 for an
 * unknown instance, else 400 (bad arguments).
 * @param {Error & { status?: unknown }} error
 */
function httpErrorOf(error) {
	if (error instanceof HttpError) return error;
	const status = typeof error.status === 'number' ? error.status : /^unknown instance/.test(error.message) ? 404 : 400;
	return new HttpError(status, error.message);
}

/**
 * Runs a sandbox call, turning its errors into 404 (unknown instance) or 400 (bad arguments).
 * @template T
 * @param {() => T} call
 * @returns {T}
 */
function attempt(call) {
	try {
		return call();
	} catch (error) {
		throw httpErrorOf(error);
	}
}

/**
 * attempt() for a call that returns a promise.
 * @template T
 * @param {() => Promise<T>} call
 * @returns {Promise<T>}
 */
async function attemptAsync(call) {
	try {
		return await call();
	} catch (error) {
		throw httpErrorOf(error);
	}
}

module.exports = { attempt, attemptAsync, readObject };
