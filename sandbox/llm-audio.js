// @ts-check
'use strict';
// POST /openai/v1/audio/transcriptions of the scripted model (llm.js), as OpenAI's API takes it:
// multipart/form-data with `file` and `model` (and optional `language`, `prompt`,
// `response_format`, `temperature`). A voice note the sandbox made for a simulated customer is
// recognised by the SHA-256 of its bytes and answered with its transcript; any other audio gets
// OpenAI's 400 for audio it cannot read. Every call is recorded, never the API key.
const { HttpError, readBody, sendJson } = require('./http');
const { parseMultipartBody } = require('./multipart');

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/**
 * One transcription request as recorded.
 * @typedef {object} TranscriptionCall
 * @property {string} id `transcription-sandbox-<n>`
 * @property {number} at arrival time, ms since the epoch
 * @property {string | null} model
 * @property {{ filename: string, mimetype: string, size: number, sha256: string } | null} file the `file` part (no bytes)
 * @property {Record<string, string>} fields the other text fields as sent (language, prompt, response_format…)
 * @property {boolean} known whether the audio is a voice note the sandbox made
 * @property {string | null} text the transcript answered (null when refused)
 * @property {number} status the HTTP status answered
 */

/** The model n8n's OpenAI node (and most clients) ask for. */
const TRANSCRIPTION_MODEL_ID = 'whisper-1';
/** OpenAI takes files up to 25 MB. */
const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
const FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'];

/**
 * `00:00:01,000` (srt) or `00:00:01.000` (vtt).
 * @param {number} seconds
 * @param {string} separator
 */
function clock(seconds, separator) {
	const date = new Date(Math.round(seconds * 1000)).toISOString();
	return `${date.slice(11, 19)}${separator}${date.slice(20, 23)}`;
}

/**
 * The answer in the asked format: status, body and content type.
 * @param {string} format
 * @param {string} text
 * @param {number} size the audio's bytes (its duration is guessed from them, 2000 bytes a second)
 * @param {string | undefined} language
 */
function formatted(format, text, size, language) {
	const duration = Math.max(1, Math.round(size / 2000));
	if (format === 'text') return { type: 'text/plain; charset=utf-8', body: `${text}\n` };
	if (format === 'srt') return { type: 'text/plain; charset=utf-8', body: `1\n${clock(0, ',')} --> ${clock(duration, ',')}\n${text}\n\n` };
	if (format === 'vtt') return { type: 'text/vtt; charset=utf-8', body: `WEBVTT\n\n${clock(0, '.')} --> ${clock(duration, '.')}\n${text}\n\n` };
	if (format === 'verbose_json') {
		const segments = [{ id: 0, seek: 0, start: 0, end: duration, text: ` ${text}`, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0 }];
		return { json: { task: 'transcribe', language: language ?? 'english', duration, text, segments } };
	}
	return { json: { text } };
}

/**
 * The transcription endpoint.
 * @param {{ transcriptOf: (sha256: string) => string | undefined, openAiError: (message: string, type: string, param?: string | null, code?: string | null) => unknown }} parts
 */
function createTranscriber({ transcriptOf, openAiError }) {
	/** @type {TranscriptionCall[]} */
	const transcriptions = [];
	let counter = 0;

	/**
	 * Records a call and answers an error.
	 * @param {ServerResponse} res
	 * @param {TranscriptionCall} call
	 * @param {number} status
	 * @param {string} message
	 * @param {string | null} param
	 * @param {string | null} [code]
	 */
	function refuse(res, call, status, message, param, code = null) {
		call.status = status;
		return sendJson(res, status, openAiError(message, 'invalid_request_error', param, code));
	}

	/**
	 * @param {IncomingMessage} req
	 * @param {ServerResponse} res
	 */
	async function handle(req, res) {
		counter += 1;
		/** @type {TranscriptionCall} */
		const call = { id: `transcription-sandbox-${counter}`, at: Date.now(), model: null, file: null, fields: {}, known: false, text: null, status: 0 };
		transcriptions.push(call);
		const contentType = req.headers['content-type'] ?? '';
		if (!/^multipart\/form-data\b/i.test(contentType.trim())) {
			req.resume();
			return refuse(res, call, 400, `Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data.`, null);
		}
		let body;
		try {
			body = await readBody(req, MAX_AUDIO_BYTES + 1024 * 1024);
		} catch (error) {
			if (!(error instanceof HttpError)) throw error;
			call.status = 413;
			if (!res.destroyed) sendJson(res, 413, openAiError(`Maximum content size limit (${MAX_AUDIO_BYTES}) exceeded.`, 'invalid_request_error'));
			return;
		}
		const { fields, files } = parseMultipartBody(body, contentType);
		const { model, ...others } = fields;
		call.model = model ?? null;
		call.fields = others;
		const file = files.file;
		if (file) call.file = { filename: file.filename, mimetype: file.mimetype, size: file.size, sha256: file.sha256 };
		if (!model) return refuse(res, call, 400, 'you must provide a model parameter', 'model');
		if (!file) return refuse(res, call, 400, "Missing required parameter: 'file'.", 'file');
		const format = others.response_format || 'json';
		if (!FORMATS.includes(format)) return refuse(res, call, 400, `Invalid value: '${format}'. Supported values are: ${FORMATS.map((name) => `'${name}'`).join(', ')}.`, 'response_format', 'invalid_value');
		const text = transcriptOf(file.sha256);
		if (text === undefined) return refuse(res, call, 400, 'Audio file might be corrupted or unsupported', 'file', 'invalid_value');
		call.known = true;
		call.text = text;
		call.status = 200;
		const answer = formatted(format, text, file.size, others.language);
		if ('json' in answer) return sendJson(res, 200, answer.json);
		res.writeHead(200, { 'Content-Type': answer.type, 'Content-Length': Buffer.byteLength(answer.body) });
		res.end(answer.body);
	}

	return { transcriptions, handle };
}

module.exports = { MAX_AUDIO_BYTES, TRANSCRIPTION_MODEL_ID, createTranscriber };
