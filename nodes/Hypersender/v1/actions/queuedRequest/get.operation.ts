import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { invalidParameter, readOptions, readParameter, requiredText } from '../../../helpers/parameters';
import { createItemClient } from '../../../transport';
import { recordStatus, serializedMessageId } from '../../../transport/queued';
import { optionsCollection, readRequestOptions, requestOptions } from '../../../descriptions/common';
import { readQueuedRecord } from '../../../domain/queuedRecords';

const show = { resource: ['queuedRequest'], operation: ['get'] };

const queuedRequestId: INodeProperties = {
	displayName: 'Queued Request ID',
	name: 'queuedRequestId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
	displayOptions: { show },
	description: 'The "queuedRequestId" a Message or Chat operation output',
};

const options = optionsCollection(show, requestOptions);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [queuedRequestId, options];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readParameter(this, queuedRequestId, itemIndex, requiredText);
	if (/[\s/?#]/.test(id)) {
		throw invalidParameter(queuedRequestId, id, 'is not a queued request ID', 'the UUID a Message or Chat operation output, e.g. 9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f');
	}
	const reader = readOptions(this, options, itemIndex);
	const client = await createItemClient.call(this, itemIndex, readRequestOptions(reader));
	const record = await readQueuedRecord(client, id);
	const status = recordStatus(record);
	const messageId = status === 'sent' ? serializedMessageId(record.response_body) : undefined;
	return [{ json: { ...record, status, ...(messageId !== undefined ? { messageId } : {}) } }];
}
