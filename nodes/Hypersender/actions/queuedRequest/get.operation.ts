import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { invalidParameter, OptionsReader, requiredText } from '../../helpers/parameters';
import type { ItemClient } from '../../transport';
import { createItemClient } from '../../transport';
import { nodeApiError } from '../../transport/errors';
import type { QueuedRecord } from '../../transport/queued';
import { parseRecord, recordStatus, serializedMessageId } from '../../transport/queued';
import { optionsCollection, readRequestOptions, requestOptions } from '../common';

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

export const description: INodeProperties[] = [queuedRequestId, options];

/** Reads one queued record; an unknown ID is an error that says so (with the ID). */
export async function readQueuedRecord(client: ItemClient, id: string): Promise<QueuedRecord> {
	const how = {
		idempotent: true,
		what: `read of the queued request "${id}"`,
		expected: 'JSON with the queued request\'s "response_status"',
	};
	const response = await client.find({ method: 'GET', path: `queued-requests/${encodeURIComponent(id)}` }, how);
	if (response === null) {
		const message = `No queued request found with the ID "${id}"`;
		throw nodeApiError(client.node, message, {
			itemIndex: client.itemIndex,
			httpCode: '404',
			description:
				'Check the ID (the "queuedRequestId" a Message or Chat operation output) and that the credential (or the Instance ID option) names the instance that queued it.',
		});
	}
	const record = parseRecord(response.json);
	if (!record) throw client.unexpected('the JSON has no "response_status"', how);
	return record;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = requiredText(queuedRequestId, this.getNodeParameter('queuedRequestId', itemIndex));
	if (/[\s/?#]/.test(id)) {
		throw invalidParameter(queuedRequestId, id, 'is not a queued request ID', 'the UUID a Message or Chat operation output, e.g. 9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f');
	}
	const reader = new OptionsReader(options, this.getNodeParameter('options', itemIndex, {}) as IDataObject);
	const client = await createItemClient.call(this, itemIndex, readRequestOptions(reader));
	const record = await readQueuedRecord(client, id);
	const status = recordStatus(record);
	const messageId = status === 'sent' ? serializedMessageId(record.response_body) : undefined;
	return [{ json: { ...record, status, ...(messageId !== undefined ? { messageId } : {}) } }];
}
