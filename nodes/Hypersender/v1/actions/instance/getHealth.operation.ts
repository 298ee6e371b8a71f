import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readOptions } from '../../../helpers/parameters';
import { createItemClient } from '../../../transport';
import { optionsCollection, readRequestOptions, requestOptions } from '../../../descriptions/common';
import { INSTANCE_STATUSES, readInstanceHealth } from '../../../domain/instances';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field } from '../../../descriptions/outputSchemas';
import { instanceIdOutput } from './instanceFields';

const show = { resource: ['instance'], operation: ['getHealth'] };

const options = optionsCollection(show, requestOptions);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [options];

/** The instance's health: connected only when WORKING. */
export const outputSchema: OutputSchema = {
	type: 'object',
	properties: {
		instanceId: instanceIdOutput,
		status: field('string', `The connection state: ${INSTANCE_STATUSES.join(', ')} (others are passed through)`),
		connectedAt: field(['string', 'null'], 'Since when the instance is connected; null when it is not'),
		connected: field('boolean', 'Whether the instance can send: true only for WORKING'),
	},
	required: ['instanceId', 'status', 'connectedAt', 'connected'],
};

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const reader = readOptions(this, options, itemIndex);
	const client = await createItemClient.call(this, itemIndex, readRequestOptions(reader));
	return [{ json: await readInstanceHealth(client) }];
}
