import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isObject } from '../../../helpers/interfaces';
import type { OptionsReader } from '../../../helpers/parameters';
import { readOptions, text } from '../../../helpers/parameters';
import type { CallOptions } from '../../../transport';
import { createItemClient } from '../../../transport';
import { maxAttemptsOption, optionsCollection, retryBudgetOption, timeoutOption } from '../../../descriptions/common';
import { INSTANCE_ENDPOINTS, INSTANCE_STATUSES, instanceCall, instanceItem, instanceUuid } from '../../../domain/instances';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field } from '../../../descriptions/outputSchemas';
import { instanceOutput, readAccountRequestOptions } from './instanceFields';

const show = { resource: ['instance'], operation: ['getAll'] };

/** The list's filters: each sent as `filter[<name>]`, as the API names them. */
const filters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	displayOptions: { show },
	default: {},
	options: [
		{
			displayName: 'Instance ID',
			name: 'uuid',
			type: 'string',
			default: '',
			placeholder: 'e.g. 9d6a2c1e-5b7f-4e3a-8c2d-1f0e9b8a7c65',
			description: 'Only the instance with exactly this UUID',
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'e.g. Sales',
			description: 'Only instances whose name contains this text',
		},
		{
			displayName: 'Phone',
			name: 'phone',
			type: 'string',
			default: '',
			placeholder: 'e.g. +4915123456789',
			description: 'Only the instance with exactly this phone number, written as the list shows it (E.164, e.g. +4915123456789)',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'string',
			default: '',
			placeholder: 'e.g. WORKING',
			description: `Only instances in this state: ${INSTANCE_STATUSES.join(', ')}`,
		},
	],
};

const options = optionsCollection(show, [maxAttemptsOption, retryBudgetOption, timeoutOption]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [filters, options];

/** One item per instance; an instance's access token is never output here, only whether it has one. */
export const outputSchema: OutputSchema = instanceOutput(
	{ hasAccessToken: field('boolean', 'Whether the instance has its own access token (the token itself is not output)') },
	['instanceId'],
);

function filterQuery(reader: OptionsReader): IDataObject {
	const qs: IDataObject = {};
	for (const name of ['uuid', 'name', 'phone', 'status']) {
		const value = reader.ifSet(name, text);
		if (value) qs[`filter[${name}]`] = value;
	}
	return qs;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const qs = filterQuery(readOptions(this, filters, itemIndex));
	const client = await createItemClient.call(this, itemIndex, readAccountRequestOptions(readOptions(this, options, itemIndex)));
	const how: CallOptions = {
		idempotent: true,
		what: 'request for the account\'s instances',
		expected: 'a JSON array of instances',
	};
	const response = await instanceCall(client, { method: 'GET', path: 'instances', scope: 'account', qs }, how, INSTANCE_ENDPOINTS.list);
	const json = response.json;
	const list = Array.isArray(json) ? json : isObject(json) && Array.isArray(json.data) ? json.data : undefined;
	if (!list) throw client.unexpected('the JSON is not an array of instances (nor an object with a "data" array)', how);
	const broken = list.findIndex((entry) => !isObject(entry) || instanceUuid(entry) === undefined);
	if (broken !== -1) throw client.unexpected(`entry ${broken} of the list is not an instance with an "id"`, how);
	return (list as IDataObject[]).map((entry) => ({ json: instanceItem(entry, 'presence') }));
}
