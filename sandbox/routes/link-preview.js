// @ts-check
'use strict';
// POST /{instance}/send-link-custom-preview: a text with a hand-made link card (title,
// description, an image by URL or uploaded as the multipart part `preview_image_file`). Queued like
// the other sends; only for subscribed accounts: with the `trial` plan it answers 403 at once.
const { createHash, randomBytes } = require('node:crypto');
const { envelope, replyContext } = require('../messages');
const { encodeSolidJpeg } = require('../images');
const { isBlank } = require('../validation');
const { queuedRoute } = require('./queued');

/** @typedef {import('./queued').QueuedSpec} QueuedSpec */
/** @typedef {import('./queued').Work} Work */

const MAX_TEXT = 65536;
const FILE_FIELD = 'preview_image_file';
const PLAN_REFUSAL = 'This feature is only available for subscribed accounts.';
/** The size WhatsApp gives a high-quality link preview's image. */
const HIGH_QUALITY = { width: 1200, height: 630 };

/** @type {QueuedSpec['validate']} */
function checkPreview(check, input, files) {
	const file = files[FILE_FIELD];
	const textOk = check.string('text', input.text, { required: true, max: MAX_TEXT });
	const urlOk = check.string('preview_url', input.preview_url, { required: true }) && check.url('preview_url', input.preview_url);
	if (textOk && urlOk && !String(input.text).includes(String(input.preview_url).trim())) check.fail('text', 'must contain the preview url.');
	check.string('preview_title', input.preview_title, { required: true, max: 255 });
	check.string('preview_description', input.preview_description, { max: 1000 });
	check.url('preview_image_url', input.preview_image_url);
	if (!isBlank(input[FILE_FIELD]) && !file) check.fail(FILE_FIELD, 'must be a file.');
	if (file && !file.mimetype.toLowerCase().startsWith('image/')) check.fail(FILE_FIELD, 'must be an image.');
	if (file && !isBlank(input.preview_image_url)) check.fail('preview_image_url', 'The preview image url field prohibits preview image file from being present.');
	check.boolean('high_quality', input.high_quality);
	check.string('reply_to', input.reply_to);
}

/**
 * The link card's thumbnail: a small JPEG in a colour taken from the image (its bytes or URL).
 * @param {string} source
 * @param {boolean} highQuality
 */
function thumbnail(source, highQuality) {
	const digest = createHash('sha256').update(source).digest();
	const jpeg = encodeSolidJpeg(32, 32, [digest[0], digest[1], digest[2]]);
	const base = { jpegThumbnail: jpeg.toString('base64') };
	if (!highQuality) return base;
	const path = `/o1/v/t24/f2/m232/${randomBytes(16).toString('hex')}?ccb=9-4`;
	return {
		...base,
		thumbnailDirectPath: path,
		thumbnailSha256: createHash('sha256').update(jpeg).digest('base64'),
		thumbnailEncSha256: randomBytes(32).toString('base64'),
		mediaKey: randomBytes(32).toString('base64'),
		thumbnailHeight: HIGH_QUALITY.height,
		thumbnailWidth: HIGH_QUALITY.width,
	};
}

/**
 * The sent message: an extendedTextMessage with the card, shaped like the SDK's fixture.
 * @param {Work} work
 */
function sendPreview({ remoteJid, input, file, queue, doneAt }) {
	const highQuality = input.high_quality === true || input.high_quality === 1 || input.high_quality === '1' || input.high_quality === 'true';
	const image = file ? file.sha256 : isBlank(input.preview_image_url) ? null : String(input.preview_image_url).trim();
	const content = {
		extendedTextMessage: {
			text: input.text,
			matchedText: String(input.preview_url).trim(),
			...(isBlank(input.preview_description) ? {} : { description: input.preview_description }),
			title: input.preview_title,
			previewType: 'NONE',
			...(image === null ? {} : thumbnail(image, highQuality)),
			...(image !== null && !highQuality ? { mediaKeyTimestamp: Math.floor(doneAt / 1000) } : {}),
			...replyContext(input.reply_to),
		},
	};
	const sent = envelope(remoteJid, content, doneAt);
	queue.remember(sent.key, sent.message, { timestamp: Number(sent.messageTimestamp) });
	return { status: 201, body: sent };
}

const queued = queuedRoute('send-link-custom-preview', { validate: checkPreview, perform: sendPreview, files: true, fileField: FILE_FIELD });

/** @type {import('../types').ApiRoute} */
const SEND_LINK_PREVIEW_ROUTE = {
	...queued,
	handle: (call) => (call.config.plan === 'trial' ? { status: 403, json: { message: PLAN_REFUSAL } } : queued.handle(call)),
};

module.exports = { PLAN_REFUSAL, SEND_LINK_PREVIEW_ROUTE };
