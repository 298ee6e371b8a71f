import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { boolean, OptionsReader, rawParameter, readOptions, readParameter, requiredText, wholeNumber } from '../../../helpers/parameters';
import { optionsCollection, readRequestOptions } from '../../../descriptions/common';
import { returnAllAndLimit, smsRequestOptions, smsThreadOutput } from '../../../descriptions/sms';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { phoneFilter } from '../../../domain/smsFields';
import { readSmsList } from '../../../domain/smsPages';
import { createSmsClient } from '../../../transport/smsClient';

const show = { resource: ['smsThread'], operation: ['getAll'] };

const { returnAll, limit } = returnAllAndLimit(show);

/** The filters the API takes for threads (the official SDK's MessageThreadsIndexRequest). */
const filters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add filter',
	displayOptions: { show },
	default: {},
	options: [
		{
			displayName: 'Archived',
			name: 'archived',
			type: 'boolean',
			default: false,
			description: 'Whether to return only archived threads (on) or only threads that are not archived (off)',
		},
		{
			displayName: 'From or To Number',
			name: 'fromOrToNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. +49 151 23456789',
			description: 'Only the threads with this number (or short code) as sender or recipient',
		},
		{
			displayName: 'Last Message Content',
			name: 'lastMessageContent',
			type: 'string',
			default: '',
			description: 'Only threads whose last message contains this text',
		},
		{
			displayName: 'Last Message ID',
			name: 'lastMessageId',
			type: 'string',
			default: '',
			description: 'Only the thread whose last message has this ID',
		},
	],
};

const options = optionsCollection(show, smsRequestOptions);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [returnAll, limit, filters, options];

/** One item per thread, as the API sends it. */
export const outputSchema: OutputSchema = smsThreadOutput;

/** `filter[<field>]` parameters; Archived as 1 or 0, the way Laravel's HTTP client (the SDK) sends a boolean. */
function threadFilters(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const reader = new OptionsReader(filters, rawParameter(this, filters, itemIndex, {}) as IDataObject);
	const qs: IDataObject = {};
	const archived = reader.ifSet('archived', boolean);
	if (archived !== undefined) qs['filter[is_archived]'] = archived ? 1 : 0;
	const number = reader.ifSet('fromOrToNumber', phoneFilter);
	if (number !== undefined) qs['filter[from_or_to_number]'] = number;
	const content = reader.ifSet('lastMessageContent', requiredText);
	if (content !== undefined) qs['filter[last_message_content]'] = content;
	const lastMessageId = reader.ifSet('lastMessageId', requiredText);
	if (lastMessageId !== undefined) qs['filter[last_message_id]'] = lastMessageId;
	return qs;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const all = readParameter(this, returnAll, itemIndex, boolean);
	const maxItems = all ? undefined : readParameter(this, limit, itemIndex, wholeNumber, limit.default);
	const qs = threadFilters.call(this, itemIndex);
	const client = await createSmsClient.call(this, itemIndex, readRequestOptions(readOptions(this, options, itemIndex)));
	const threads = await readSmsList(client, { path: 'message-threads', noun: 'SMS threads', qs }, { maxItems });
	return threads.map((json) => ({ json }));
}
