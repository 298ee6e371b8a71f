import type { INodeProperties } from 'n8n-workflow';

import * as archive from './archive.operation';
import * as deleteThread from './delete.operation';
import * as getAll from './getAll.operation';

export { archive, deleteThread, getAll };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['smsThread'] } },
	options: [
		{
			name: 'Archive',
			value: 'archive',
			description: 'Archive an SMS thread (the conversation with one number), or unarchive it',
			action: 'Archive or unarchive an SMS thread',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete an SMS thread and all its messages',
			action: 'Delete an SMS thread',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'Get many SMS threads (one per number the gateway phone texted with), with filters (archived, number, last message)',
			action: 'Get many SMS threads',
		},
	],
	default: 'getAll',
};

export const description: INodeProperties[] = [
	operation,
	...archive.description,
	...deleteThread.description,
	...getAll.description,
];
