/**
 * Message › Send Link Preview against the sandbox, through n8n-core: the card sent with its image
 * by URL and from binary data (what the sandbox received, and the sent message with Wait for
 * Result, against the operation's schema), and a trial account's refusal.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { JsonSchema } from '../harness/json-schema';
import { validate } from '../harness/json-schema';
import type { RunNodeOptions } from '../harness/n8n-core';
import { runHypersenderNode } from '../harness/n8n-core';
import type { Sandbox } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';
import { outputSchema } from '../../nodes/Hypersender/v1/actions/message/sendLinkPreview.operation';

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 5, seed: 3 } }, processingDelayMs: 0 })));
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.resetRequests());

const LINK = 'https://example.com/offer';
const CARD = { operation: 'sendLinkPreview', chatId: '+49 151 2345 6789', text: `Our offer: ${LINK}`, previewUrl: LINK, previewTitle: 'Offer' };
const WAIT = { waitForResult: true, waitTimeout: 10 };

async function send(parameters: Record<string, unknown>, extra: Partial<RunNodeOptions> = {}) {
	return await runHypersenderNode({
		parameters: { resource: 'message', ...parameters } as never,
		credentials: credentialsFor(sandbox),
		...extra,
	});
}

const sends = () => sandbox.requests.filter((request) => request.path.endsWith('/send-link-custom-preview'));

test('with the image by URL: the card is sent, and the sent message matches the schema', async () => {
	const options = { ...WAIT, previewDescription: 'Two for one', previewImageUrl: 'https://example.com/offer.jpg' };
	const result = await send({ ...CARD, options });
	expect(result.error?.message).toBeUndefined();
	expect(sends().map((request) => request.body)).toEqual([
		{
			chatId: '4915123456789@c.us',
			text: CARD.text,
			preview_url: LINK,
			preview_title: 'Offer',
			preview_description: 'Two for one',
			preview_image_url: 'https://example.com/offer.jpg',
		},
	]);
	const json = result.items[0].json;
	expect(json).toMatchObject({ responseStatus: 201, message: { extendedTextMessage: { text: CARD.text, matchedText: LINK, title: 'Offer' } } });
	expect(validate(outputSchema as JsonSchema, json)).toEqual([]);
});

test('with the image from binary data and High Quality: multipart, and the card has its thumbnail', async () => {
	const image = Buffer.alloc(500, 1);
	const input: INodeExecutionData = { json: {}, binary: { data: { data: image.toString('base64'), mimeType: 'image/jpeg', fileName: 'offer.jpg' } } };
	const options = { ...WAIT, previewImageSource: 'binary', highQuality: true };
	const result = await send({ ...CARD, options }, { inputData: [input] });
	expect(result.error?.message).toBeUndefined();
	expect(sends()[0].body).toMatchObject({
		high_quality: '1',
		preview_image_file: { filename: 'offer.jpg', mimetype: 'image/jpeg', size: 500 },
	});
	const json = result.items[0].json;
	expect(json).toMatchObject({ message: { extendedTextMessage: { thumbnailWidth: 1200 } } });
	expect(validate(outputSchema as JsonSchema, json)).toEqual([]);
});

test('the default output (queued) matches the schema too', async () => {
	const result = await send(CARD);
	expect(result.error?.message).toBeUndefined();
	expect(Object.keys(result.items[0].json)).toEqual(['queued', 'queuedRequestId', 'queuedRequestLink']);
	expect(validate(outputSchema as JsonSchema, result.items[0].json)).toEqual([]);
});

test('a trial account: refused at once with the API\'s words and nothing queued; each of n8n\'s tries asks once', async () => {
	sandbox.configure({ plan: 'trial' });
	try {
		sandbox.clearMessages(DEFAULT_INSTANCE);
		const result = await send(CARD, { retryOnFail: { maxTries: 2, waitBetweenTries: 0 } });
		expect(result.error?.message).toContain('This feature is only available for subscribed accounts.');
		expect(sends().map((request) => request.status)).toEqual([403, 403]);
		expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
	} finally {
		sandbox.configure({ plan: 'subscribed' });
	}
});
