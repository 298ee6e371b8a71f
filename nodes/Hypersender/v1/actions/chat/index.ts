import type { INodeProperties } from 'n8n-workflow';

import * as markRead from './markRead.operation';
import * as sendSeen from './sendSeen.operation';
import { startTyping, stopTyping } from './typing.operation';

export { markRead, sendSeen, startTyping, stopTyping };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['chat'] } },
	options: [
		{ name: 'Mark as Read', value: 'markRead', description: 'Mark the unread messages of a chat as read', action: 'Mark a chat as read' },
		{ name: 'Send Seen', value: 'sendSeen', description: 'Mark one received message as seen', action: 'Mark a message as seen' },
		{ name: 'Start Typing', value: 'startTyping', description: 'Show "typing…" in a chat', action: 'Start typing in a chat' },
		{ name: 'Stop Typing', value: 'stopTyping', description: 'Stop showing "typing…" in a chat', action: 'Stop typing in a chat' },
	],
	default: 'markRead',
};

export const description: INodeProperties[] = [
	operation,
	...markRead.description,
	...sendSeen.description,
	...startTyping.description,
	...stopTyping.description,
];
