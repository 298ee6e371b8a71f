import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { wholeNumber } from '../../../helpers/parameters';
import { queuedOptions, recipientField } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field, queuedOutput } from '../../../descriptions/outputSchemas';

const show = { resource: ['chat'], operation: ['markRead'] };

const chatId = recipientField(show, 'The chat whose unread messages to mark as read (blue ticks): a phone number with country code or a WhatsApp chat ID');

const options = queuedOptions(show, [
	{
		displayName: 'Days',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 3650 },
		default: 7,
		description: 'Mark the messages of this many latest days as read',
	},
	{
		displayName: 'Messages',
		name: 'messages',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 10000 },
		default: 30,
		description: 'Mark this many latest messages as read',
	},
]);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, options];

/** Queued by default; with Wait for Result, the messages marked as read. */
export const outputSchema: OutputSchema = queuedOutput({
	ids: { type: 'array', items: field('string'), description: 'Wait for Result: the serialized IDs of the messages marked as read' },
});

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const qs: IDataObject = {};
	const messages = item.options.ifSet('messages', wholeNumber);
	if (messages !== undefined) qs.messages = messages;
	const days = item.options.ifSet('days', wholeNumber);
	if (days !== undefined) qs.days = days;
	return { ...item.base, method: 'POST', path: 'read-chat', qs, body: { chatId: item.chatId }, kind: 'action' };
}
