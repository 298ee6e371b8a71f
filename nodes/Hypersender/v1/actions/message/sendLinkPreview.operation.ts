import type { IBinaryData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OptionsReader } from '../../../helpers/parameters';
import {
	boolean,
	choice,
	httpUrl,
	InvalidParameterError,
	invalidParameter,
	MAX_TEXT_LENGTH,
	messageText,
	readParameter,
	requiredText,
	text,
} from '../../../helpers/parameters';
import { binaryFileSource } from '../../../transport/binaryFile';
import type { MultipartPart } from '../../../transport/multipart';
import { queuedOptions, recipientField, replyToOption } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field, queuedOutput, sentMessageFields } from '../../../descriptions/outputSchemas';
import { linkPreviewRefusal } from '../../../domain/planRefusals';

const show = { resource: ['message'], operation: ['sendLinkPreview'] };

/** The largest preview image sent from binary data: a card's thumbnail, far below WhatsApp's 5 MB for images. */
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const chatId = recipientField(
	show,
	'The person or group to send the message to: a phone number with country code (e.g. +49 151 23456789) or a WhatsApp chat ID (…@c.us, …@lid, …@g.us)',
);

const plan: INodeProperties = {
	displayName: 'Send Link Preview needs a subscribed (paid) Hypersender plan; a trial account\'s request is refused',
	name: 'linkPreviewPlanNotice',
	type: 'notice',
	default: '',
	displayOptions: { show },
};

const textProperty: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	required: true,
	default: '',
	typeOptions: { rows: 4, maxLength: MAX_TEXT_LENGTH },
	displayOptions: { show },
	description: 'The message. It must contain the Preview URL exactly as written there; WhatsApp shows the card for it.',
};

const previewUrl: INodeProperties = {
	displayName: 'Preview URL',
	name: 'previewUrl',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. https://example.com/offer',
	displayOptions: { show },
	description: 'The link the card is for (http or https); the text must contain it',
};

const previewTitle: INodeProperties = {
	displayName: 'Preview Title',
	name: 'previewTitle',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. Our summer offer',
	displayOptions: { show },
	description: 'The title shown on the card',
};

const options = queuedOptions(show, [
	{
		displayName: 'High Quality',
		name: 'highQuality',
		type: 'boolean',
		default: false,
		description: 'Whether the card shows a large, high-quality image',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		displayOptions: { show: { previewImageSource: ['binary'] } },
		description: 'With Preview Image Source: Binary File, the binary field of the input item holding the image, e.g. "data"',
	},
	{
		displayName: 'Preview Description',
		name: 'previewDescription',
		type: 'string',
		default: '',
		description: 'The text shown under the title on the card',
	},
	{
		displayName: 'Preview Image Source',
		name: 'previewImageSource',
		type: 'options',
		default: 'url',
		options: [
			{ name: 'URL', value: 'url', description: 'A public link to the image (Preview Image URL); Hypersender downloads it' },
			{ name: 'Binary File', value: 'binary', description: 'The image in a binary field of the input item (Input Binary Field)' },
		],
		description: 'Where the card\'s image comes from',
	},
	{
		displayName: 'Preview Image URL',
		name: 'previewImageUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/offer.jpg',
		displayOptions: { hide: { previewImageSource: ['binary'] } },
		description: 'A public link to the card\'s image; Hypersender fetches it without credentials',
	},
	replyToOption,
]);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, plan, textProperty, previewUrl, previewTitle, options];

/** Queued by default; with Wait for Result, the sent message with its card. */
export const outputSchema: OutputSchema = queuedOutput(
	sentMessageFields({
		extendedTextMessage: {
			type: 'object',
			properties: {
				text: field('string'),
				matchedText: field('string', 'The link the card is for'),
				title: field('string'),
				description: field('string'),
				previewType: field('string'),
				jpegThumbnail: field('string', 'The card\'s image, base64'),
				contextInfo: { type: 'object', additionalProperties: true },
			},
			additionalProperties: true,
		},
	}),
);

function option(name: string): INodeProperties {
	return (options.options as INodeProperties[]).find((candidate) => candidate.name === name)!;
}

/** The item's binary image, checked (an image, at most 5 MB) before any of it is read. */
async function binaryImage(this: IExecuteFunctions, itemIndex: number, reader: OptionsReader): Promise<MultipartPart> {
	const property = option('binaryPropertyName');
	const name = reader.value('binaryPropertyName', requiredText);
	const binaries = this.getInputData()[itemIndex].binary ?? {};
	const binary: IBinaryData | undefined = binaries[name];
	if (!binary) {
		const present = Object.keys(binaries);
		throw invalidParameter(
			property,
			name,
			`is not a binary field of input item ${itemIndex + 1}`,
			present.length ? present.map((field) => `"${field}"`).join(', ') : 'none: the item has no binary data',
		);
	}
	const mimeType = binary.mimeType || 'application/octet-stream';
	if (!/^image\/[\w.+-]+$/i.test(mimeType)) {
		throw invalidParameter(property, name, `holds ${mimeType}, not an image`, 'a binary field holding an image (image/jpeg, image/png, …)');
	}
	const source = await binaryFileSource.call(this, itemIndex, binary);
	if (source.size > MAX_IMAGE_BYTES) {
		throw new InvalidParameterError(
			property,
			`The preview image "${binary.fileName ?? name}" is ${source.size} bytes, over the 5 MB (${MAX_IMAGE_BYTES} bytes) a link preview image may have`,
			'Nothing was read or sent. Use a smaller image: a card shows a thumbnail.',
		);
	}
	return { name: 'preview_image_file', data: source, fileName: binary.fileName || 'preview.jpg', mimeType };
}

type PreviewImage = { from: 'none' } | { from: 'url'; url: string } | { from: 'binary'; file: MultipartPart };

/**
 * The card's image: a URL (in the JSON body), a binary file (a multipart part) or none. n8n drops
 * the option the chosen source hides (Preview Image URL, Input Binary Field), so none is ignored.
 */
async function previewImage(this: IExecuteFunctions, itemIndex: number, reader: OptionsReader): Promise<PreviewImage> {
	if (reader.value('previewImageSource', choice) === 'binary') return { from: 'binary', file: await binaryImage.call(this, itemIndex, reader) };
	return reader.ifSet('previewImageUrl', text) ? { from: 'url', url: reader.value('previewImageUrl', httpUrl) } : { from: 'none' };
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const message = readParameter(this, textProperty, itemIndex, messageText);
	const link = readParameter(this, previewUrl, itemIndex, httpUrl);
	if (!message.includes(link)) {
		throw new InvalidParameterError(
			textProperty,
			`Invalid Text (text): it does not contain the Preview URL (previewUrl) "${link}"; allowed: text that contains the Preview URL exactly as written`,
			`Put "${link}" into "Text", or set "Preview URL" to the link the text contains: WhatsApp shows the card for a link in the message. Nothing was sent.`,
		);
	}
	const fields: IDataObject = {
		chatId: item.chatId,
		text: message,
		preview_url: link,
		preview_title: readParameter(this, previewTitle, itemIndex, requiredText),
	};
	const description = item.options.ifSet('previewDescription', text);
	if (description) fields.preview_description = description;
	const highQuality = item.options.ifSet('highQuality', boolean);
	if (highQuality !== undefined) fields.high_quality = highQuality;
	const replyTo = item.options.ifSet('replyTo', text);
	if (replyTo) fields.reply_to = replyTo;
	const image = await previewImage.call(this, itemIndex, item.options);
	const base = { ...item.base, method: 'POST' as const, path: 'send-link-custom-preview', kind: 'message' as const, refusal: linkPreviewRefusal };
	if (image.from === 'url') return { ...base, body: { ...fields, preview_image_url: image.url } };
	if (image.from === 'none') return { ...base, body: fields };
	const { file } = image;
	// Booleans as "1" and "0", which every form parser (Laravel's boolean rule too) reads as such.
	const textParts = Object.entries(fields).map(([name, value]) => ({
		name,
		value: typeof value === 'boolean' ? (value ? '1' : '0') : String(value),
	}));
	return { ...base, parts: async () => [...textParts, file] };
}
