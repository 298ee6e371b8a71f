import type { IExecuteFunctions } from 'n8n-workflow';

import { queuedOptions, recipientField } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction, QueuedOperation } from '../../../execution/kinds';
import { queuedOutput } from '../../../descriptions/outputSchemas';

/** Start Typing and Stop Typing: the "typing…" indicator in a chat. */
function typingOperation(operation: 'startTyping' | 'stopTyping'): QueuedOperation {
	const show = { resource: ['chat'], operation: [operation] };
	const verb = operation === 'startTyping' ? 'show' : 'stop showing';
	const chatId = recipientField(show, `The chat to ${verb} "typing…" in: a phone number with country code or a WhatsApp chat ID`);
	const options = queuedOptions(show, []);
	const path = operation === 'startTyping' ? 'start-typing' : 'stop-typing';
	return {
		kind: 'queued',
		description: [chatId, options],
		outputSchema: queuedOutput(),
		async prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
			const item = readQueuedItem.call(this, itemIndex, chatId, options);
			return { ...item.base, method: 'POST', path, body: { chatId: item.chatId }, kind: 'action' };
		},
	};
}

export const startTyping = typingOperation('startTyping');
export const stopTyping = typingOperation('stopTyping');
