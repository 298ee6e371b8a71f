import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requiredText } from '../../helpers/parameters';
import { messageIdField, queuedOptions, recipientField } from '../common';
import { readQueuedItem } from '../queuedParameters';
import type { QueuedAction } from '../types';

const show = { resource: ['message'], operation: ['forward'] };

const chatId = recipientField(show, 'The person or group to forward the message to: a phone number with country code or a WhatsApp chat ID');

const messageId = messageIdField(
	show,
	'The message to forward, in the form Send operations output as "messageId" (fromMe_chatId_id)',
);

const options = queuedOptions(show, []);

export const description: INodeProperties[] = [chatId, messageId, options];

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const body = { chatId: item.chatId, messageId: requiredText(messageId, this.getNodeParameter('messageId', itemIndex)) };
	return { ...item.base, method: 'POST', path: 'forward-message', body, kind: 'message' };
}
