import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readParameter, requiredText } from '../../../helpers/parameters';
import { messageIdField, queuedOptions, recipientField } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field, messageKey, object, queuedOutput, sentMessageFields } from '../../../descriptions/outputSchemas';

const show = { resource: ['message'], operation: ['delete'] };

const chatId = recipientField(show, 'The chat the message is in: a phone number with country code or a WhatsApp chat ID');

const messageId = messageIdField(show, 'The message to delete for everyone, in the form Send operations output as "messageId"');

const options = queuedOptions(show, []);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, messageId, options];

/** Queued by default; with Wait for Result, the revoke message WhatsApp stored. */
export const outputSchema: OutputSchema = queuedOutput(
	sentMessageFields({ protocolMessage: object({ key: messageKey, type: field('string', 'REVOKE for a deleted message') }) }),
);

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const qs = { chatId: item.chatId, messageId: readParameter(this, messageId, itemIndex, requiredText) };
	return { ...item.base, method: 'DELETE', path: 'delete-message', qs, kind: 'action' };
}
