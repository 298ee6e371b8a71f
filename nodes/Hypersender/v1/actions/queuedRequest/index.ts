import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

export { get };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['queuedRequest'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			description: 'Get the result of a queued message or action: pending, sent or failed',
			action: 'Get a queued request',
		},
	],
	default: 'get',
};

export const description: INodeProperties[] = [
	operation,
	...get.description,
];
