import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { invalidParameter, readOptions, readParameter, requiredText } from '../../../helpers/parameters';
import { createItemClient } from '../../../transport';
import { recordStatus, serializedMessageId } from '../../../transport/queued';
import { optionsCollection, readRequestOptions, requestOptions } from '../../../descriptions/common';
import { readQueuedRecord } from '../../../domain/queuedRecords';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field } from '../../../descriptions/outputSchemas';

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

/** The queued request's record as the API stores it, plus its status (and, once sent, the message ID). */
export const outputSchema: OutputSchema = {
	type: 'object',
	properties: {
		uuid: field('string', 'The queued request\'s UUID'),
		request: { type: 'object', additionalProperties: true, description: 'The inputs of the queued call, as the API stored them' },
		response_status: field(['integer', 'null'], 'The HTTP status it ended with; null while pending'),
		response_body: {
			type: ['object', 'string', 'null'],
			additionalProperties: true,
			description: 'The answer: the sent message, or the API\'s error; null while pending',
		},
		response_header: {
			type: ['object', 'null'],
			additionalProperties: { type: 'array', items: field('string') },
			description: 'The answer\'s headers; null while pending',
		},
		status: { type: 'string', enum: ['pending', 'sent', 'failed'] },
		messageId: field('string', 'Once sent: the serialized message ID React, Forward, Star and Delete take'),
	},
	required: ['uuid', 'response_status', 'status'],
};

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
