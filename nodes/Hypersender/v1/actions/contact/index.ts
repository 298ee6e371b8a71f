import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getProfilePicture from './getProfilePicture.operation';
import * as upsert from './upsert.operation';

export { get, getAll, getProfilePicture, upsert };

export const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['contact'] } },
	options: [
		{
			name: 'Create or Update',
			value: 'upsert',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: 'Create or update a contact',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Get one contact (ID, saved name, WhatsApp profile name) by phone number or chat ID',
			action: 'Get a contact',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'Get many contacts of the WhatsApp instance, with paging, sorting and filters',
			action: 'Get many contacts',
		},
		{
			name: 'Get Profile Picture',
			value: 'getProfilePicture',
			description:
				'Get the link to a contact\'s profile picture (null when hidden), optionally downloaded as a file',
			action: 'Get the profile picture of a contact',
		},
	],
	default: 'getAll',
};

export const description: INodeProperties[] = [
	operation,
	...get.description,
	...getAll.description,
	...getProfilePicture.description,
	...upsert.description,
];
