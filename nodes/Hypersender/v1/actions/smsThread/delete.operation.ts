import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readOptions, readParameter } from '../../../helpers/parameters';
import { optionsCollection, readRequestOptions } from '../../../descriptions/common';
import { deletedOutput, smsIdField, smsRequestOptions } from '../../../descriptions/sms';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { recordId } from '../../../domain/smsFields';
import { callWithId } from '../../../domain/smsIds';
import { createSmsClient } from '../../../transport/smsClient';

const show = { resource: ['smsThread'], operation: ['delete'] };

const threadId = smsIdField(show, {
	displayName: 'Thread ID',
	name: 'threadId',
	description:
		'The "id" of the thread to delete with all its messages, as SMS Thread › Get Many outputs it',
});

const options = optionsCollection(show, smsRequestOptions);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [threadId, options];

export const outputSchema: OutputSchema = deletedOutput('threadId', 'The ID of the deleted thread');

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readParameter(this, threadId, itemIndex, recordId);
	const client = await createSmsClient.call(this, itemIndex, readRequestOptions(readOptions(this, options, itemIndex)));
	await callWithId(client, {
		method: 'DELETE',
		path: 'delete-message-thread',
		in: 'qs',
		spellings: ['message_thread_id', 'messageThreadId'],
		id,
		what: `delete-message-thread request for the thread "${id}"`,
	});
	return [{ json: { deleted: true, threadId: id } }];
}
