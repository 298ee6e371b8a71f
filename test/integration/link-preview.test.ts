/**
 * Message › Send Link Preview through n8n-core against a scripted queued API on 127.0.0.1: the
 * JSON body (an image by URL or none) and the multipart body (the image from binary data, part
 * `preview_image_file`), every parameter checked before any request (the text must contain the
 * Preview URL), Wait for Result, never twice, and what a trial account's refusal looks like.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { sendJson } from '../harness/http-server';
import type { JsonSchema } from '../harness/json-schema';
import { validate } from '../harness/json-schema';
import { queuedApi, runOperation, TOKEN } from '../harness/queued-api';
import { parseMultipartBody } from '../../sandbox/multipart';
import { outputSchema } from '../../nodes/Hypersender/v1/actions/message/sendLinkPreview.operation';
import { LINK_PREVIEW_PAID_ONLY, linkPreviewRefusal } from '../../nodes/Hypersender/domain/planRefusals';

const URL_IN_TEXT = 'https://example.com/offer';
const REQUIRED = {
	operation: 'sendLinkPreview',
	chatId: '+49 151 23456789',
	text: `Our summer offer: ${URL_IN_TEXT}`,
	previewUrl: URL_IN_TEXT,
	previewTitle: 'Summer offer',
};

/** A small PNG-looking file in the item (base64), as an HTTP Request node leaves it. */
function pngItem(bytes = 300, mimeType = 'image/png'): INodeExecutionData {
	const data = Buffer.alloc(bytes, 7);
	Buffer.from([0x89, 0x50, 0x4e, 0x47]).copy(data);
	return { json: {}, binary: { data: { data: data.toString('base64'), mimeType, fileName: 'card.png' } } };
}

/** The message with its card, as the queued record holds it once sent. */
const sentCard = (chatId: string) => ({
	key: { remoteJid: chatId, fromMe: true, id: '3EB091A456D98511123FEA' },
	message: {
		extendedTextMessage: {
			text: REQUIRED.text,
			matchedText: URL_IN_TEXT,
			title: 'Summer offer',
			description: 'Two for one',
			previewType: 'NONE',
			jpegThumbnail: '/9j/2wBDABALDA4M',
			thumbnailHeight: 649,
			thumbnailWidth: 1200,
		},
	},
	messageTimestamp: '1758105918',
	status: 'PENDING',
});

describe('the request', () => {
	test('only the required fields: JSON to send-link-custom-preview with the token; outputs the queued request', async () => {
		const api = await queuedApi();
		const result = await runOperation(api, REQUIRED);
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(1);
		expect(api.calls[0].method).toBe('POST');
		expect(api.calls[0].path).toBe('send-link-custom-preview');
		expect(api.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(api.calls[0].json).toEqual({
			chatId: '4915123456789@c.us',
			text: REQUIRED.text,
			preview_url: URL_IN_TEXT,
			preview_title: 'Summer offer',
		});
		expect(result.items.map((item) => item.json)).toEqual([
			{ queued: true, queuedRequestId: api.accepted[0].uuid, queuedRequestLink: expect.stringContaining('/queued-requests/') },
		]);
		expect(validate(outputSchema as JsonSchema, result.items[0].json)).toEqual([]);
	});

	test('every option, the image by URL: the API\'s field names', async () => {
		const api = await queuedApi();
		const options = {
			previewDescription: 'Two for one',
			previewImageSource: 'url',
			previewImageUrl: 'https://example.com/offer.jpg',
			highQuality: true,
			replyTo: 'false_4915123456789@c.us_3EB0C767D26A1C4D6A7B',
		};
		const result = await runOperation(api, { ...REQUIRED, options });
		expect(result.error).toBeUndefined();
		expect(api.calls[0].json).toEqual({
			chatId: '4915123456789@c.us',
			text: REQUIRED.text,
			preview_url: URL_IN_TEXT,
			preview_title: 'Summer offer',
			preview_description: 'Two for one',
			high_quality: true,
			reply_to: 'false_4915123456789@c.us_3EB0C767D26A1C4D6A7B',
			preview_image_url: 'https://example.com/offer.jpg',
		});
	});

	test('the image from binary data: multipart, the file as preview_image_file, booleans as 1 and 0', async () => {
		const api = await queuedApi();
		const item = pngItem();
		const options = { previewImageSource: 'binary', binaryPropertyName: 'data', previewDescription: 'Two for one', highQuality: false };
		const result = await runOperation(api, { ...REQUIRED, options }, { inputData: [item] });
		expect(result.error).toBeUndefined();
		const call = api.calls[0];
		expect(call.contentType).toMatch(/^multipart\/form-data; boundary=/);
		const { fields, files } = parseMultipartBody(call.raw, call.contentType);
		expect(fields).toEqual({
			chatId: '4915123456789@c.us',
			text: REQUIRED.text,
			preview_url: URL_IN_TEXT,
			preview_title: 'Summer offer',
			preview_description: 'Two for one',
			high_quality: '0',
		});
		expect(Object.keys(files)).toEqual(['preview_image_file']);
		expect(files.preview_image_file.filename).toBe('card.png');
		expect(files.preview_image_file.mimetype).toBe('image/png');
		expect(files.preview_image_file.data.equals(Buffer.from(item.binary!.data.data, 'base64'))).toBe(true);
	});

	test('Wait for Result: the sent message with its card, and its messageId', async () => {
		const api = await queuedApi({ outcome: (call) => ({ body: sentCard(String(call.json?.chatId)) }) });
		const result = await runOperation(api, { ...REQUIRED, options: { waitForResult: true, waitTimeout: 10 } });
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(json.messageId).toBe('true_4915123456789@c.us_3EB091A456D98511123FEA');
		expect(json.responseStatus).toBe(201);
		expect(validate(outputSchema as JsonSchema, json)).toEqual([]);
	});
});

describe('checked before any request', () => {
	test('a text without the Preview URL: the error names text and previewUrl', async () => {
		const api = await queuedApi();
		const result = await runOperation(api, { ...REQUIRED, text: 'Our summer offer: https://example.com/' });
		expect(result.error?.message).toBe(
			'Invalid Text (text): it does not contain the Preview URL (previewUrl) "https://example.com/offer"; allowed: text that contains the Preview URL exactly as written',
		);
		expect(api.calls).toHaveLength(0);
	});

	test('with several items, one bad item stops the node before any of them is sent', async () => {
		const api = await queuedApi();
		const result = await runOperation(api, { ...REQUIRED, text: '={{ $json.text }}' }, { inputItems: [{ text: REQUIRED.text }, { text: 'no link' }] });
		expect(result.error?.message).toMatch(/^Invalid Text \(text\): it does not contain the Preview URL \(previewUrl\)/);
		expect(api.calls).toHaveLength(0);
	});

	test.each([
		[{ previewUrl: 'ftp://example.com/offer' }, 'Invalid Preview URL (previewUrl): "ftp://example.com/offer" is not an http(s) URL'],
		[{ previewTitle: ' ' }, 'Invalid Preview Title (previewTitle): " " is empty; allowed: non-empty text'],
		[{ options: { previewImageUrl: 'file:///etc/passwd' } }, 'Invalid Preview Image URL (previewImageUrl): "file:///etc/passwd" is not an http(s) URL'],
		[
			{ options: { previewImageSource: 'binary', binaryPropertyName: 'photo' } },
			'Invalid Input Binary Field (binaryPropertyName): "photo" is not a binary field of input item 1; allowed: "data"',
		],
	])('%j is refused', async (parameters, message) => {
		const api = await queuedApi();
		const result = await runOperation(api, { ...REQUIRED, ...parameters }, { inputData: [pngItem()] });
		expect(result.error?.message.startsWith(message)).toBe(true);
		expect(api.calls).toHaveLength(0);
	});

	test('a binary file that is not an image, or over 5 MB, is refused', async () => {
		const api = await queuedApi();
		const options = { previewImageSource: 'binary' };
		const pdf = await runOperation(api, { ...REQUIRED, options }, { inputData: [pngItem(300, 'application/pdf')] });
		expect(pdf.error?.message).toBe(
			'Invalid Input Binary Field (binaryPropertyName): "data" holds application/pdf, not an image; allowed: a binary field holding an image (image/jpeg, image/png, …)',
		);
		const large = await runOperation(api, { ...REQUIRED, options }, { inputData: [pngItem(5 * 1024 * 1024 + 1)] });
		expect(large.error?.message).toBe(
			'The preview image "card.png" is 5242881 bytes, over the 5 MB (5242880 bytes) a link preview image may have',
		);
		expect(api.calls).toHaveLength(0);
	});
});

describe('never twice, and a trial account', () => {
	test('a 500 is not sent again, also not by n8n\'s Retry On Fail', async () => {
		const api = await queuedApi({
			intercept: (_call, response) => {
				sendJson(response, 500, { message: 'Server Error' });
				return true;
			},
		});
		const result = await runOperation(api, REQUIRED, { retryOnFail: { maxTries: 3, waitBetweenTries: 0 } });
		expect(api.calls).toHaveLength(1);
		expect(result.error?.message).toBe('Hypersender API error 500: Server Error (it may have been sent, so it was not sent again)');
	});

	test('a 402 refusal of the call fails the item once, worded as the plan\'s refusal', async () => {
		const api = await queuedApi({
			intercept: (_call, response) => {
				sendJson(response, 402, { message: 'This feature is only available for subscribed accounts.' });
				return true;
			},
		});
		const result = await runOperation(api, REQUIRED);
		expect(api.calls).toHaveLength(1);
		expect(result.error?.message).toBe(`${LINK_PREVIEW_PAID_ONLY} (Hypersender API error 402: This feature is only available for subscribed accounts.)`);
		expect(result.error?.description).toContain('only for subscribed accounts, so nothing was sent');
	});

	test('a 403 that is not about the plan keeps the usual wording', async () => {
		const api = await queuedApi({
			intercept: (_call, response) => {
				sendJson(response, 403, { message: 'This action is unauthorized.' });
				return true;
			},
		});
		const result = await runOperation(api, REQUIRED);
		expect(result.error?.message).toBe('Hypersender API error 403: This action is unauthorized.');
	});

	test('a queued request that fails with a message about the plan fails the item as a plan refusal', async () => {
		const api = await queuedApi({ outcome: () => ({ status: 403, body: { message: 'Custom link previews need a subscribed plan.' } }) });
		const result = await runOperation(api, { ...REQUIRED, options: { waitForResult: true, waitTimeout: 10 } });
		expect(api.calls).toHaveLength(1);
		expect(result.error?.message).toBe(`${LINK_PREVIEW_PAID_ONLY} (Hypersender API error 403: Custom link previews need a subscribed plan.)`);
		expect(result.error?.description).toMatch(/only for subscribed accounts, so nothing was sent\. .* \(queued request [\w-]+, status 403\)$/);
	});

	test.each([
		[402, undefined],
		[402, 'Payment Required'],
		[403, 'This feature is only available for subscribed accounts.'],
		[422, 'Your plan does not include custom link previews.'],
		[403, 'Your trial has no access to this endpoint.'],
	])('the refusal wording: %i %j', (status, message) => {
		const wording = linkPreviewRefusal(status, message);
		expect(wording?.message).toBe(`${LINK_PREVIEW_PAID_ONLY} (Hypersender API error ${status}${message ? `: ${message}` : ''})`);
		expect(wording?.description).toContain('only for subscribed accounts, so nothing was sent');
	});

	test.each([
		[403, 'This action is unauthorized.'],
		[403, undefined],
		[422, 'The text must contain the preview url.'],
		[500, 'Subscription service unavailable.'],
	])('not a plan refusal: %i %j keeps its usual wording', (status, message) => {
		expect(linkPreviewRefusal(status, message)).toBeUndefined();
	});
});
