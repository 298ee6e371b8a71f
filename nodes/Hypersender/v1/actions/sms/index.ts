import type { INodeProperties } from 'n8n-workflow';

import * as deleteMessage from './delete.operation';
import * as getAll from './getAll.operation';
import * as getHeartbeats from './getHeartbeats.operation';
import * as send from './send.operation';

export { deleteMessage, getAll, getHeartbeats, send };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['sms'] } },
	options: [
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete an SMS message by its ID',
			action: 'Delete an SMS message',
		},
		{
			name: 'Get Heartbeats',
			value: 'getHeartbeats',
			description: 'Get the heartbeats of the SMS gateway phone (battery level, charging, app version), sent every 15 minutes',
			action: 'Get heartbeats of the SMS phone',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'Get many SMS messages sent and received by the gateway phone, with filters (request ID, status, type, numbers, text, thread, created date)',
			action: 'Get many SMS messages',
		},
		{
			name: 'Send',
			value: 'send',
			description: 'Send an SMS from the Android phone connected as SMS gateway, exactly once per item (even when n8n retries)',
			action: 'Send an SMS',
		},
	],
	default: 'send',
};

export const description: INodeProperties[] = [
	operation,
	...deleteMessage.description,
	...getAll.description,
	...getHeartbeats.description,
	...send.description,
];
