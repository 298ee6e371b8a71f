import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getAll from './getAll.operation';
import * as getHealth from './getHealth.operation';
import * as requestNewQr from './requestNewQr.operation';
import * as restart from './restart.operation';

export { create, getAll, getHealth, requestNewQr, restart };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['instance'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			description:
				'Create a WhatsApp instance (enterprise API, 5 per minute): outputs its ID, its own access token and the QR code to scan as a PNG file',
			action: 'Create an instance',
		},
		{
			name: 'Get Health',
			value: 'getHealth',
			description:
				'Get whether the WhatsApp instance is connected: its status (WORKING, SCAN_QR_CODE, STOPPED, STARTING, FAILED or PENDING) and "connected" (10 per minute)',
			action: 'Get health of an instance',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'Get the WhatsApp instances of the account, filtered by ID, name, phone or status (enterprise API)',
			action: 'Get many instances',
		},
		{
			name: 'Request New QR Code',
			value: 'requestNewQr',
			description: 'Get a new QR code to connect the WhatsApp instance, as a PNG file (1 per minute)',
			action: 'Request a new QR code for an instance',
		},
		{
			name: 'Restart',
			value: 'restart',
			description: 'Restart a WhatsApp instance that is stopped, failed or stuck (5 per minute)',
			action: 'Restart an instance',
		},
	],
	default: 'getHealth',
};

export const description: INodeProperties[] = [
	operation,
	...create.description,
	...getAll.description,
	...getHealth.description,
	...requestNewQr.description,
	...restart.description,
];
