import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { boolean, MAX_TEXT_LENGTH, messageText, readParameter } from '../../../helpers/parameters';
import { queuedOptions, recipientField, replyToOption } from '../../../descriptions/common';
import { addReplyTo, readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { sentMessageOutput } from '../../../descriptions/outputSchemas';

const show = { resource: ['message'], operation: ['sendText'] };

const chatId = recipientField(
	show,
	'The person or group to send the message to: a phone number with country code (e.g. +49 151 23456789) or a WhatsApp chat ID (…@c.us, …@lid, …@g.us)',
);

const text: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	required: true,
	default: '',
	typeOptions: { rows: 4, maxLength: MAX_TEXT_LENGTH },
	displayOptions: { show },
	description: 'The message, up to 65,536 characters. WhatsApp formatting works: *bold*, _italic_, ~strikethrough~.',
};

const options = queuedOptions(show, [
	{
		displayName: 'Link Preview',
		name: 'linkPreview',
		type: 'boolean',
		default: true,
		description: 'Whether WhatsApp shows a preview card for the first link in the text',
	},
	{
		displayName: 'Link Preview High Quality',
		name: 'linkPreviewHighQuality',
		type: 'boolean',
		default: false,
		description: 'Whether the link preview uses a large, high-quality image',
	},
	replyToOption,
	{
		displayName: 'Safe Mode',
		name: 'safeMode',
		type: 'boolean',
		default: true,
		description:
			'Whether to send through Hypersender\'s safe endpoint, which paces messages like a person typing (Hypersender recommends it against bans). Off: sent at once; frequent fast sends can get the number flagged.',
	},
]);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, text, options];

/** Queued by default; with Wait for Result, the sent message. */
export const outputSchema: OutputSchema = sentMessageOutput('extendedTextMessage');

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const body = addReplyTo({ chatId: item.chatId, text: readParameter(this, text, itemIndex, messageText) }, item.options);
	const linkPreview = item.options.ifSet('linkPreview', boolean);
	if (linkPreview !== undefined) body.link_preview = linkPreview;
	const highQuality = item.options.ifSet('linkPreviewHighQuality', boolean);
	if (highQuality !== undefined) body.link_preview_high_quality = highQuality;
	const safeMode = item.options.value('safeMode', boolean);
	return { ...item.base, method: 'POST', path: safeMode ? 'send-text-safe' : 'send-text', body, kind: 'message' };
}
