import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readParameter, requiredText, text } from '../../../helpers/parameters';
import { messageIdField, queuedOptions, recipientField } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field, messageKey, object, queuedOutput, sentMessageFields } from '../../../descriptions/outputSchemas';

const show = { resource: ['message'], operation: ['react'] };

const chatId = recipientField(show, 'The chat the message is in: a phone number with country code or a WhatsApp chat ID');

const messageId = messageIdField(show, 'The message to react to, in the form Send operations output as "messageId"');

const reaction: INodeProperties = {
	displayName: 'Reaction',
	name: 'reaction',
	type: 'string',
	default: '',
	placeholder: 'e.g. 👍',
	displayOptions: { show },
	description: 'One emoji. Leave empty to remove your reaction.',
};

const options = queuedOptions(show, []);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, messageId, reaction, options];

/** Queued by default; with Wait for Result, the reaction message. */
export const outputSchema: OutputSchema = queuedOutput(
	sentMessageFields({
		reactionMessage: object({
			key: messageKey,
			text: field('string', 'The emoji; empty when the reaction was removed'),
			senderTimestampMs: field(['string', 'integer']),
		}),
	}),
);

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const body = {
		chatId: item.chatId,
		messageId: readParameter(this, messageId, itemIndex, requiredText),
		reaction: readParameter(this, reaction, itemIndex, text, ''),
	};
	return { ...item.base, method: 'PUT', path: 'react-to-message', body, kind: 'action' };
}
