import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readParameter, recipient, requiredText } from '../../../helpers/parameters';
import { messageIdField, queuedOptions, recipientField } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { queuedOutput } from '../../../descriptions/outputSchemas';

const show = { resource: ['chat'], operation: ['sendSeen'] };

const chatId = recipientField(show, 'The chat the message is in: a phone number with country code or a WhatsApp chat ID');

const messageId = messageIdField(show, 'The received message to mark as seen, e.g. from the Hypersender Trigger');

const participant: INodeProperties = {
	displayName: 'Participant',
	name: 'participant',
	type: 'string',
	default: '',
	placeholder: 'e.g. 4915123456789@c.us',
	description: 'For a message in a group: who sent it (their phone number or chat ID)',
};

const options = queuedOptions(show, [participant]);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, messageId, options];

/** Queued by default; with Wait for Result, what the request ended with. */
export const outputSchema: OutputSchema = queuedOutput();

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const body: IDataObject = {
		chatId: item.chatId,
		messageId: readParameter(this, messageId, itemIndex, requiredText),
	};
	if (item.options.isSet('participant')) body.participant = item.options.value('participant', recipient);
	return { ...item.base, method: 'POST', path: 'send-seen', body, kind: 'action' };
}
