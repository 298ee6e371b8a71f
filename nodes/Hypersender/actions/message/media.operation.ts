import type { IBinaryData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { boolean, choice, httpUrl, invalidParameter, requiredText, text } from '../../helpers/parameters';
import type { MultipartPart } from '../../transport/multipart';
import { queuedOptions, recipientField, replyToOption } from '../common';
import { readQueuedItem } from '../queuedParameters';
import type { QueuedAction, QueuedOperation } from '../types';

/**
 * Send Image, Send Video, Send File and Send Voice: one file from a public URL (sent as JSON)
 * or from an input item's binary field (sent as multipart/form-data, part `file`).
 */

interface MediaKind {
	operation: string;
	path: string;
	/** e.g. "image", for descriptions and errors. */
	noun: string;
	/** The operation's name, for errors. */
	title: string;
	/** The MIME type families the endpoint takes; undefined = any file. */
	accepts?: string[];
	/** Whether an unknown type (application/octet-stream, what n8n reports when it cannot tell) passes. */
	lenient?: boolean;
	extraOptions: INodeProperties[];
}

function mediaOperation(kind: MediaKind): QueuedOperation {
	const show = { resource: ['message'], operation: [kind.operation] };

	const chatId = recipientField(
		show,
		`The person or group to send the ${kind.noun} to: a phone number with country code or a WhatsApp chat ID (…@c.us, …@lid, …@g.us)`,
	);

	const source: INodeProperties = {
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'url',
		displayOptions: { show },
		options: [
			{ name: 'URL', value: 'url', description: `A public link to the ${kind.noun}; Hypersender downloads it` },
			{ name: 'Binary File', value: 'binary', description: `The ${kind.noun} in a binary field of the input item` },
		],
		description: `Where the ${kind.noun} comes from`,
	};

	const url: INodeProperties = {
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/file.jpg',
		displayOptions: { show: { ...show, source: ['url'] } },
		description: `Public link to the ${kind.noun}. Hypersender fetches it without credentials.`,
	};

	const binaryPropertyName: INodeProperties = {
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		displayOptions: { show: { ...show, source: ['binary'] } },
		hint: `The name of the input binary field holding the ${kind.noun}`,
		description: 'The name of the binary field of the input item to send, e.g. "data" from an HTTP Request or Read File node',
	};

	const options = queuedOptions(show, [
		{
			displayName: 'Caption',
			name: 'caption',
			type: 'string',
			default: '',
			typeOptions: { rows: 2 },
			description: `Text shown with the ${kind.noun}`,
		},
		{
			displayName: 'File Name',
			name: 'filename',
			type: 'string',
			default: '',
			placeholder: 'e.g. invoice-1042.pdf',
			description: 'The file name the recipient sees. Default: the binary file\'s own name.',
		},
		{
			displayName: 'MIME Type',
			name: 'mimetype',
			type: 'string',
			default: '',
			placeholder: 'e.g. application/pdf',
			description: 'The file\'s type. Default: the binary file\'s own type.',
		},
		replyToOption,
		...kind.extraOptions,
	]);

	const allowedTypes = kind.accepts?.map((family) => `${family}/*`).join(' or ');

	function checkType(property: INodeProperties, value: string, from: string) {
		if (!kind.accepts || value === '') return;
		if (kind.lenient && value.toLowerCase() === 'application/octet-stream') return;
		const family = value.split('/')[0].toLowerCase();
		if (!kind.accepts.includes(family)) {
			throw invalidParameter(
				property,
				value,
				`(${from}) is not ${allowedTypes === 'image/*' ? 'an image' : `a ${kind.noun}`}`,
				`a file of type ${allowedTypes}`,
				`${kind.title} sends files of type ${allowedTypes} only; use Send File for other files.`,
			);
		}
	}

	async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
		const item = readQueuedItem.call(this, itemIndex, chatId, options);
		const fields: IDataObject = { chatId: item.chatId };
		const caption = item.options.ifSet('caption', text);
		const fileName = item.options.ifSet('filename', text) || undefined;
		const mimeTypeOption = item.options.ifSet('mimetype', text) || undefined;
		const mimeTypeProperty = (options.options as INodeProperties[]).find((option) => option.name === 'mimetype')!;
		if (mimeTypeOption !== undefined) {
			if (!/^[\w.+-]+\/[\w.+-]+$/.test(mimeTypeOption)) {
				throw invalidParameter(mimeTypeProperty, mimeTypeOption, 'is not a MIME type', 'a MIME type such as image/jpeg');
			}
			checkType(mimeTypeProperty, mimeTypeOption, 'the MIME Type option');
		}
		if (caption) fields.caption = caption;
		const replyTo = item.options.ifSet('replyTo', text);
		if (replyTo) fields.reply_to = replyTo;
		const asNote = kind.extraOptions.length ? item.options.ifSet('asNote', boolean) : undefined;
		if (asNote !== undefined) fields.asNote = asNote;
		const base = { ...item.base, method: 'POST' as const, path: kind.path, kind: 'message' as const };

		if (choice(source, this.getNodeParameter('source', itemIndex)) === 'url') {
			fields.url = httpUrl(url, this.getNodeParameter('url', itemIndex));
			if (fileName) fields.filename = fileName;
			if (mimeTypeOption) fields.mimetype = mimeTypeOption;
			return { ...base, body: fields };
		}

		const field = requiredText(binaryPropertyName, this.getNodeParameter('binaryPropertyName', itemIndex));
		const binaries = this.getInputData()[itemIndex].binary ?? {};
		const binary: IBinaryData | undefined = binaries[field];
		if (!binary) {
			const present = Object.keys(binaries);
			throw invalidParameter(
				binaryPropertyName,
				field,
				`is not a binary field of input item ${itemIndex + 1}`,
				present.length ? present.map((name) => `"${name}"`).join(', ') : 'none: the item has no binary data',
				present.length
					? `Set "Input Binary Field" to one of the item's binary fields: ${present.join(', ')}.`
					: 'The input item carries no file. Add a node that reads or downloads the file (HTTP Request, Read/Write Files from Disk) before this one, or choose Source: URL.',
			);
		}
		const mimeType = mimeTypeOption ?? binary.mimeType ?? 'application/octet-stream';
		if (mimeTypeOption === undefined) checkType(binaryPropertyName, mimeType, `the binary file "${binary.fileName ?? field}" is ${mimeType}`);
		const name = fileName ?? binary.fileName ?? `${kind.noun}`;
		const parts = async (): Promise<MultipartPart[]> => {
			const data = await this.helpers.getBinaryDataBuffer(itemIndex, field);
			const textParts = Object.entries({ ...fields, filename: name, mimetype: mimeType }).map(([partName, value]) => ({
				name: partName,
				value: String(value),
			}));
			return [...textParts, { name: 'file', data, fileName: name, mimeType }];
		};
		return { ...base, parts };
	}

	return { description: [chatId, source, url, binaryPropertyName, options], prepare };
}

export const sendImage = mediaOperation({
	operation: 'sendImage',
	path: 'send-image',
	noun: 'image',
	title: 'Send Image',
	accepts: ['image'],
	extraOptions: [],
});

export const sendVideo = mediaOperation({
	operation: 'sendVideo',
	path: 'send-video',
	noun: 'video',
	title: 'Send Video',
	accepts: ['video'],
	lenient: true,
	extraOptions: [
		{
			displayName: 'As Note',
			name: 'asNote',
			type: 'boolean',
			default: false,
			description: 'Whether to send the video as a round video note instead of a regular video',
		},
	],
});

export const sendFile = mediaOperation({ operation: 'sendFile', path: 'send-file', noun: 'file', title: 'Send File', extraOptions: [] });

export const sendVoice = mediaOperation({
	operation: 'sendVoice',
	path: 'send-voice',
	noun: 'voice message',
	title: 'Send Voice',
	accepts: ['audio'],
	lenient: true,
	extraOptions: [],
});
