import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { boolean, readOptions, readParameter } from '../../../helpers/parameters';
import { optionsCollection, readRequestOptions } from '../../../descriptions/common';
import { smsIdField, smsRequestOptions, smsThreadOutput } from '../../../descriptions/sms';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { recordId } from '../../../domain/smsFields';
import { callWithId } from '../../../domain/smsIds';
import { unwrapRecord } from '../../../domain/smsSends';
import { createSmsClient } from '../../../transport/smsClient';

const show = { resource: ['smsThread'], operation: ['archive'] };

const threadId = smsIdField(show, {
	displayName: 'Thread ID',
	name: 'threadId',
	description:
		'The "id" of the thread to archive or unarchive, as SMS Thread › Get Many outputs it (or a message\'s "message_thread_id")',
});

const archived: INodeProperties = {
	displayName: 'Archived',
	name: 'archived',
	type: 'boolean',
	default: true,
	displayOptions: { show },
	description: 'Whether to archive the thread (on) or unarchive it (off)',
};

const options = optionsCollection(show, smsRequestOptions);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [threadId, archived, options];

/** The thread as the API returns it after the change. */
export const outputSchema: OutputSchema = smsThreadOutput;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readParameter(this, threadId, itemIndex, recordId);
	const archive = readParameter(this, archived, itemIndex, boolean);
	const client = await createSmsClient.call(this, itemIndex, readRequestOptions(readOptions(this, options, itemIndex)));
	const response = await callWithId(client, {
		method: 'PUT',
		path: 'edit-message-thread',
		in: 'body',
		spellings: ['message_thread_id', 'messageThreadId'],
		id,
		body: { is_archived: archive },
		what: `edit-message-thread request for the thread "${id}"`,
	});
	const thread = unwrapRecord(response.json);
	// An answer without the thread (e.g. only a message) still says what now holds.
	return [{ json: { ...thread, id: typeof thread.id === 'string' ? thread.id : id, is_archived: thread.is_archived ?? archive } }];
}
