import type { IBinaryData, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { extensionFor } from '../../../helpers/fileTypes';
import { boolean, chatId as parseChatId, rawParameter, readOptions, requiredText } from '../../../helpers/parameters';
import type { ItemClient } from '../../../transport';
import { createItemClient } from '../../../transport';
import type { DownloadedFile } from '../../../transport/download';
import { downloadFile } from '../../../transport/download';
import { attemptsNote, networkProblem, nodeApiError } from '../../../transport/errors';
import { chatIdField, optionsCollection, readRequestOptions, requestOptions } from '../../../descriptions/common';
import { contactNotFound } from '../../../domain/contacts';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { chatIdSent, field } from '../../../descriptions/outputSchemas';

const show = { resource: ['contact'], operation: ['getProfilePicture'] };

const chatId = chatIdField(
	show,
	'Whose profile picture to get: a phone number with country code (e.g. +49 151 23456789) or a WhatsApp ID (…@c.us, …@lid, …@g.us)',
);

const options = optionsCollection(show, [
	{
		displayName: 'Download',
		name: 'download',
		type: 'boolean',
		default: false,
		description:
			'Whether to download the picture into the item\'s binary data. WhatsApp\'s picture links expire after a while, so keep the file rather than the link. Only JPEG, PNG, GIF or WebP pictures up to 5 MB are stored, fetched over https.',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		description: 'With Download on: the binary property the picture is stored in',
	},
	...requestOptions,
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [chatId, options];

export const outputSchema: OutputSchema = {
	type: 'object',
	properties: {
		chatId: chatIdSent,
		profilePictureUrl: field(['string', 'null'], 'The picture\'s link (it expires), null when the contact hides it'),
	},
	required: ['chatId', 'profilePictureUrl'],
};

/**
 * The download's bounds. WhatsApp's profile pictures are small JPEGs (typically 640×640, well
 * under 1 MB), so 5 MB refuses only what is not one; a redirect chain longer than 5 is not a CDN's.
 */
export const PICTURE_LIMITS = { maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };

/**
 * The picture types stored, told by their first bytes alone: a content type is the server's
 * claim, and anything else (an HTML login page, an SVG with scripts) must never become binary data.
 */
const SIGNATURES: Array<{ mimeType: string; matches: (bytes: Buffer) => boolean }> = [
	{ mimeType: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
	{ mimeType: 'image/png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
	{ mimeType: 'image/gif', matches: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
	{ mimeType: 'image/webp', matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

function imageType(bytes: Buffer): string | undefined {
	return SIGNATURES.find((signature) => signature.matches(bytes))?.mimeType;
}

/** What arrived instead of a picture: its size and first bytes, printable ones as text. */
function describeStart(bytes: Buffer): string {
	const start = bytes.subarray(0, 16);
	const hex = [...start].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
	const textual = start.every((byte) => byte >= 0x20 && byte < 0x7f);
	return `${bytes.length} bytes beginning ${textual ? JSON.stringify(start.toString('latin1')) : hex}`;
}

/** `4915123456789@c.us` → `4915123456789.jpg`: a file name any system accepts. */
function fileNameFor(chatIdValue: string, mimeType: string): string {
	const base = chatIdValue.split('@')[0].replace(/[^A-Za-z0-9._-]/g, '_') || 'profile-picture';
	return `${base}.${extensionFor(mimeType) ?? mimeType.split('/')[1]?.replace(/[^a-z0-9]/g, '') ?? 'img'}`;
}

/** Downloads the picture, or throws an error that says why it could not be downloaded. */
async function download(
	this: IExecuteFunctions,
	client: ItemClient,
	itemIndex: number,
	url: string,
): Promise<DownloadedFile> {
	const result = await downloadFile.call(this, url, { ...client, ...PICTURE_LIMITS });
	if (result.ok) return result.file;
	const { failure, attempts } = result;
	const refused = failure.type === 'response';
	const reason =
		failure.type === 'status'
			? `the server answered ${failure.status}${failure.apiMessage ? `: ${failure.apiMessage}` : ''}`
			: failure.type === 'network'
				? networkProblem(failure)
				: failure.problem;
	throw nodeApiError(this.getNode(), `Could not download the profile picture: ${reason}${attemptsNote(attempts)}`, {
		itemIndex,
		httpCode: failure.type === 'status' ? String(failure.status) : undefined,
		description: refused
			? `Nothing was stored. A profile picture is downloaded over https only (plain http only from a loopback address), through at most ${PICTURE_LIMITS.maxRedirects} redirects, and up to ${PICTURE_LIMITS.maxBytes / 1024 / 1024} MB. Turn the Download option off to keep only the link.`
			: 'WhatsApp\'s picture links expire after a while (403). Run the node again for a fresh link; if it keeps failing, turn the Download option off and keep the link.',
	});
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const typed = rawParameter(this, chatId, itemIndex);
	const chatIdValue = parseChatId(chatId, typed);
	const reader = readOptions(this, options, itemIndex);
	const wantsDownload = reader.value('download', boolean);
	const binaryPropertyName = reader.value('binaryPropertyName', requiredText);
	const client = await createItemClient.call(this, itemIndex, readRequestOptions(reader));

	const how = {
		idempotent: true,
		what: `request for the profile picture of "${chatIdValue}"`,
		expected: 'JSON with "data.profilePictureURL" (a link, or null when the picture is hidden)',
	};
	const response = await client.find(
		{ method: 'GET', path: 'contacts/profile-picture', qs: { chat_id: chatIdValue } },
		how,
	);
	if (response === null) throw contactNotFound.call(this, itemIndex, chatIdValue, typed);
	const { data, message } = (response.json ?? {}) as { data?: unknown; message?: unknown };
	const fields = (data !== null && typeof data === 'object' ? data : {}) as Record<string, unknown>;
	const url = fields.profilePictureURL ?? fields.profilePictureUrl;
	const hidden = url === null || (url === undefined && typeof message === 'string' && /not available/i.test(message));
	if (!hidden && (typeof url !== 'string' || !/^https?:\/\/[^/]/i.test(url))) {
		throw client.unexpected('the JSON has no link or null in "data.profilePictureURL"', how);
	}
	const profilePictureUrl = hidden ? null : (url as string);
	const item: INodeExecutionData = { json: { chatId: chatIdValue, profilePictureUrl } };
	if (wantsDownload && profilePictureUrl !== null) {
		const picture = await download.call(this, client, itemIndex, profilePictureUrl);
		const mimeType = imageType(picture.data);
		if (mimeType === undefined) {
			const declared = picture.contentType ?? 'none';
			const claim = /^\s*image\//i.test(declared) ? ', but its bytes are not a JPEG, PNG, GIF or WebP picture' : '';
			const message = `The profile picture link did not return an image (content type ${declared}${claim})`;
			throw new NodeApiError(
				this.getNode(),
				{ message },
				{
					message,
					itemIndex,
					description: `It returned ${describeStart(picture.data)}, which was not stored: only JPEG, PNG, GIF and WebP pictures are, told by their first bytes. Run the node again to get a fresh link, or turn off Download to keep only the link.`,
				},
			);
		}
		const binary: IBinaryData = await this.helpers.prepareBinaryData(
			picture.data,
			fileNameFor(chatIdValue, mimeType),
			mimeType,
		);
		item.binary = { [binaryPropertyName]: binary };
	}
	return [item];
}
