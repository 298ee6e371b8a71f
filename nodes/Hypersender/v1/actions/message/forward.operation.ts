import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readParameter, requiredText } from '../../../helpers/parameters';
import { messageIdField, queuedOptions, recipientField } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { messageContents, queuedOutput, sentMessageFields } from '../../../descriptions/outputSchemas';

const show = { resource: ['message'], operation: ['forward'] };

const chatId = recipientField(show, 'The person or group to forward the message to: a phone number with country code or a WhatsApp chat ID');

const messageId = messageIdField(
	show,
	'The message to forward, in the form Send operations output as "messageId" (fromMe_chatId_id)',
);

const options = queuedOptions(show, []);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, messageId, options];

/** Queued by default; with Wait for Result, the forwarded message: any kind a send operation makes. */
export const outputSchema: OutputSchema = queuedOutput(sentMessageFields(messageContents));

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const body = { chatId: item.chatId, messageId: readParameter(this, messageId, itemIndex, requiredText) };
	return { ...item.base, method: 'POST', path: 'forward-message', body, kind: 'message' };
}
