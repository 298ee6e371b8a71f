import type { IBinaryData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	boolean,
	choice,
	httpUrl,
	invalidParameter,
	readParameter,
	InvalidParameterError,
	requiredText,
	text,
	wholeNumber,
} from '../../../helpers/parameters';
import { binaryFileSource } from '../../../transport/binaryFile';
import type { MultipartPart } from '../../../transport/multipart';
import { queuedOptions, recipientField, replyToOption } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction, QueuedOperation } from '../../../execution/kinds';
import type { MessageContent } from '../../../descriptions/outputSchemas';
import { sentMessageOutput } from '../../../descriptions/outputSchemas';

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
	/** The default of Max File Size (MB): WhatsApp's own limit for this kind of media. */
	maxFileSizeMb: number;
	extraOptions: INodeProperties[];
	/** The message contents a sent one holds (its output schema, with Wait for Result). */
	contents: MessageContent[];
}

const MEGABYTE = 1024 * 1024;

/** What the MIME Type option takes: type/subtype and nothing else. */
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/**
 * What a binary file's own type may be: type/subtype, with parameters as n8n may have kept them
 * (`audio/ogg; codecs=opus`). Never CR, LF or other control characters: it becomes a header line.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what it keeps out
const BINARY_MIME_TYPE = /^[\w.+-]+\/[\w.+-]+(?:[ \t]*;[ \t]*[\w.+-]+=(?:[\w.+-]+|"[^"\\\u0000-\u001f\u007f]*"))*$/;

function article(noun: string): string {
	return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function describeSize(bytes: number): string {
	return `${(bytes / MEGABYTE).toFixed(1)} MB (${bytes.toLocaleString('en-US')} bytes)`;
}

/** The parameters of one media operation, each declared once. */
function mediaParameters(kind: MediaKind) {
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

	const { maxFileSizeMb } = kind;
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
		{
			displayName: 'Max File Size (MB)',
			name: 'maxFileSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 2048 },
			default: maxFileSizeMb,
			displayOptions: { show: { '/source': ['binary'] } },
			description: `A larger binary file is refused before it is read. Default: ${maxFileSizeMb}, WhatsApp's own limit for ${article(kind.noun)}; 1 MB is 1,048,576 bytes.`,
		},
		replyToOption,
		...kind.extraOptions,
	]);
	return { chatId, source, url, binaryPropertyName, options };
}

type MediaParameters = ReturnType<typeof mediaParameters>;

/** One of the Options collection's options, by name. */
function optionProperty(parameters: MediaParameters, name: string): INodeProperties {
	return (parameters.options.options as INodeProperties[]).find((option) => option.name === name)!;
}

/** Refuses a MIME type the endpoint does not take (Send File takes any). */
function checkType(kind: MediaKind, property: INodeProperties, value: string, from: string) {
	if (!kind.accepts || value === '') return;
	const allowedTypes = kind.accepts.map((family) => `${family}/*`).join(' or ');
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

/** Checks one item's media parameters and builds its call: JSON for a URL, multipart for a binary file. */
async function prepareMedia(
	this: IExecuteFunctions,
	kind: MediaKind,
	parameters: MediaParameters,
	itemIndex: number,
): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, parameters.chatId, parameters.options);
	const fields: IDataObject = { chatId: item.chatId };
	const caption = item.options.ifSet('caption', text);
	const fileName = item.options.ifSet('filename', text) || undefined;
	const mimeTypeOption = item.options.ifSet('mimetype', text) || undefined;
	const mimeTypeProperty = optionProperty(parameters, 'mimetype');
	if (mimeTypeOption !== undefined) {
		if (!MIME_TYPE.test(mimeTypeOption)) {
			throw invalidParameter(mimeTypeProperty, mimeTypeOption, 'is not a MIME type', 'a MIME type such as image/jpeg');
		}
		checkType(kind, mimeTypeProperty, mimeTypeOption, 'the MIME Type option');
	}
	if (caption) fields.caption = caption;
	const replyTo = item.options.ifSet('replyTo', text);
	if (replyTo) fields.reply_to = replyTo;
	const asNote = kind.extraOptions.length ? item.options.ifSet('asNote', boolean) : undefined;
	if (asNote !== undefined) fields.asNote = asNote;
	const base = { ...item.base, method: 'POST' as const, path: kind.path, kind: 'message' as const };

	if (readParameter(this, parameters.source, itemIndex, choice) === 'url') {
		fields.url = readParameter(this, parameters.url, itemIndex, httpUrl);
		if (fileName) fields.filename = fileName;
		if (mimeTypeOption) fields.mimetype = mimeTypeOption;
		return { ...base, body: fields };
	}

	const parts = await binaryParts.call(this, kind, parameters, itemIndex, item.options.value('maxFileSize', wholeNumber), {
		fields,
		fileName,
		mimeTypeOption,
	});
	return { ...base, parts };
}

/** The item's binary file, checked (its type, its size against the limit) before any of it is read. */
async function binaryParts(
	this: IExecuteFunctions,
	kind: MediaKind,
	parameters: MediaParameters,
	itemIndex: number,
	maxFileSizeMb: number,
	given: { fields: IDataObject; fileName?: string; mimeTypeOption?: string },
): Promise<() => Promise<MultipartPart[]>> {
	const { binaryPropertyName } = parameters;
	const field = readParameter(this, binaryPropertyName, itemIndex, requiredText);
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
	const file = `binary file "${binary.fileName || field}"`;
	const { mimeTypeOption } = given;
	const mimeType = mimeTypeOption ?? (binary.mimeType || 'application/octet-stream');
	if (mimeTypeOption === undefined) {
		// The file's own type becomes a header line of the upload: it is checked like the option.
		if (!BINARY_MIME_TYPE.test(mimeType)) {
			throw invalidParameter(
				binaryPropertyName,
				mimeType,
				`(the MIME type of the ${file}) is not a MIME type`,
				'a MIME type such as image/jpeg',
				`The ${file} has no valid MIME type. Set the MIME Type option to its real type (e.g. image/jpeg), or fix the node that made the file.`,
			);
		}
		checkType(kind, binaryPropertyName, mimeType, `the ${file} is ${mimeType}`);
	}
	const source = await binaryFileSource.call(this, itemIndex, binary);
	if (source.size > maxFileSizeMb * MEGABYTE) {
		const property = optionProperty(parameters, 'maxFileSize');
		throw new InvalidParameterError(
			property,
			`The ${file} is ${describeSize(source.size)}, over the ${property.displayName} (${property.name}) limit of ${maxFileSizeMb} MB`,
			`Nothing was read or sent. Send a smaller file, or raise "${property.displayName}" (default ${kind.maxFileSizeMb} MB, WhatsApp's own limit for ${article(kind.noun)}).`,
		);
	}
	const name = given.fileName ?? (binary.fileName || kind.noun);
	return async () => {
		const textParts = Object.entries({ ...given.fields, filename: name, mimetype: mimeType }).map(([partName, value]) => ({
			name: partName,
			value: String(value),
		}));
		return [...textParts, { name: 'file', data: source, fileName: name, mimeType }];
	};
}

function mediaOperation(kind: MediaKind): QueuedOperation {
	const parameters = mediaParameters(kind);
	const { chatId, source, url, binaryPropertyName, options } = parameters;
	return {
		kind: 'queued',
		description: [chatId, source, url, binaryPropertyName, options],
		outputSchema: sentMessageOutput(...kind.contents),
		async prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
			return await prepareMedia.call(this, kind, parameters, itemIndex);
		},
	};
}


export const sendImage = mediaOperation({
	operation: 'sendImage',
	path: 'send-image',
	noun: 'image',
	title: 'Send Image',
	accepts: ['image'],
	maxFileSizeMb: 5,
	extraOptions: [],
	contents: ['imageMessage'],
});

export const sendVideo = mediaOperation({
	operation: 'sendVideo',
	path: 'send-video',
	noun: 'video',
	title: 'Send Video',
	accepts: ['video'],
	lenient: true,
	maxFileSizeMb: 16,
	extraOptions: [
		{
			displayName: 'As Note',
			name: 'asNote',
			type: 'boolean',
			default: false,
			description: 'Whether to send the video as a round video note instead of a regular video',
		},
	],
	contents: ['videoMessage', 'ptvMessage'],
});

export const sendFile = mediaOperation({
	operation: 'sendFile',
	path: 'send-file',
	noun: 'file',
	title: 'Send File',
	maxFileSizeMb: 100,
	extraOptions: [],
	contents: ['documentMessage'],
});

export const sendVoice = mediaOperation({
	operation: 'sendVoice',
	path: 'send-voice',
	noun: 'voice message',
	title: 'Send Voice',
	accepts: ['audio'],
	lenient: true,
	maxFileSizeMb: 16,
	extraOptions: [],
	contents: ['audioMessage'],
});
