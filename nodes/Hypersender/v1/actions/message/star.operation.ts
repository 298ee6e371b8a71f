import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { boolean, readParameter, requiredText } from '../../../helpers/parameters';
import { messageIdField, queuedOptions, recipientField } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { queuedOutput } from '../../../descriptions/outputSchemas';

const show = { resource: ['message'], operation: ['star'] };

const chatId = recipientField(show, 'The chat the message is in: a phone number with country code or a WhatsApp chat ID');

const messageId = messageIdField(show, 'The message to star or unstar, in the form Send operations output as "messageId"');

const star: INodeProperties = {
	displayName: 'Star',
	name: 'star',
	type: 'boolean',
	default: true,
	displayOptions: { show },
	description: 'Whether to star the message (off: remove the star)',
};

const options = queuedOptions(show, []);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, messageId, star, options];

/** Queued by default; with Wait for Result, what the request ended with. */
export const outputSchema: OutputSchema = queuedOutput();

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const body = {
		chatId: item.chatId,
		messageId: readParameter(this, messageId, itemIndex, requiredText),
		star: readParameter(this, star, itemIndex, boolean, true),
	};
	return { ...item.base, method: 'PUT', path: 'star-message', body, kind: 'action' };
}
