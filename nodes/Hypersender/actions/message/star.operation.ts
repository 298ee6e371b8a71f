import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { boolean, requiredText } from '../../helpers/parameters';
import { messageIdField, queuedOptions, recipientField } from '../common';
import { readQueuedItem } from '../queuedParameters';
import type { QueuedAction } from '../types';

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

export const description: INodeProperties[] = [chatId, messageId, star, options];

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const body = {
		chatId: item.chatId,
		messageId: requiredText(messageId, this.getNodeParameter('messageId', itemIndex)),
		star: boolean(star, this.getNodeParameter('star', itemIndex, true)),
	};
	return { ...item.base, method: 'PUT', path: 'star-message', body, kind: 'action' };
}
