import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readOptions, readParameter } from '../../../helpers/parameters';
import { optionsCollection, readRequestOptions } from '../../../descriptions/common';
import { deletedOutput, smsIdField, smsRequestOptions } from '../../../descriptions/sms';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { recordId } from '../../../domain/smsFields';
import { callWithId } from '../../../domain/smsIds';
import { createSmsClient } from '../../../transport/smsClient';

const show = { resource: ['sms'], operation: ['delete'] };

const messageId = smsIdField(show, {
	displayName: 'Message ID',
	name: 'messageId',
	description: 'The "id" of the SMS message to delete, as SMS › Send or Get Many output it',
});

const options = optionsCollection(show, smsRequestOptions);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [messageId, options];

export const outputSchema: OutputSchema = deletedOutput('messageId', 'The ID of the deleted message');

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readParameter(this, messageId, itemIndex, recordId);
	const client = await createSmsClient.call(this, itemIndex, readRequestOptions(readOptions(this, options, itemIndex)));
	await callWithId(client, {
		method: 'DELETE',
		path: 'delete-message',
		in: 'qs',
		spellings: ['message_id', 'messageId'],
		id,
		what: `delete-message request for the message "${id}"`,
	});
	return [{ json: { deleted: true, messageId: id } }];
}
