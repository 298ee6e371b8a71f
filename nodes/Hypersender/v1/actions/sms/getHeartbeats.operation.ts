import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { boolean, readOptions, readParameter, wholeNumber } from '../../../helpers/parameters';
import { optionsCollection, readRequestOptions } from '../../../descriptions/common';
import { returnAllAndLimit, smsHeartbeatOutput, smsRequestOptions } from '../../../descriptions/sms';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { readSmsList } from '../../../domain/smsPages';
import { createSmsClient } from '../../../transport/smsClient';

const show = { resource: ['sms'], operation: ['getHeartbeats'] };

const { returnAll, limit } = returnAllAndLimit(show);

const options = optionsCollection(show, smsRequestOptions);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [returnAll, limit, options];

/** One item per heartbeat, as the API sends it. */
export const outputSchema: OutputSchema = smsHeartbeatOutput;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const all = readParameter(this, returnAll, itemIndex, boolean);
	const maxItems = all ? undefined : readParameter(this, limit, itemIndex, wholeNumber, limit.default);
	const client = await createSmsClient.call(this, itemIndex, readRequestOptions(readOptions(this, options, itemIndex)));
	const heartbeats = await readSmsList(client, { path: 'heartbeats', noun: 'heartbeats', qs: {} }, { maxItems });
	return heartbeats.map((json) => ({ json }));
}
