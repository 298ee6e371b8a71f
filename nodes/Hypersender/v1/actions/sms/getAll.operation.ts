import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { boolean, choice, invalidParameter, OptionsReader, rawParameter, readOptions, readParameter, requiredText, wholeNumber } from '../../../helpers/parameters';
import { optionsCollection, readRequestOptions } from '../../../descriptions/common';
import { returnAllAndLimit, smsMessageOutput, smsRequestOptions } from '../../../descriptions/sms';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { dateRange, dateTimeParser, phoneFilter } from '../../../domain/smsFields';
import { readSmsList } from '../../../domain/smsPages';
import { createSmsClient } from '../../../transport/smsClient';

const show = { resource: ['sms'], operation: ['getAll'] };

const { returnAll, limit } = returnAllAndLimit(show);

const dateFilter = (displayName: string, name: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'dateTime',
	default: '',
	description,
});

const filters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add filter',
	displayOptions: { show },
	default: {},
	options: [
		{
			displayName: 'Content',
			name: 'content',
			type: 'string',
			default: '',
			description: 'Only messages whose text contains this',
		},
		dateFilter('Created After', 'createdAfter', 'Only messages the API recorded at or after this time (a time without an offset is read in the workflow\'s time zone)'),
		dateFilter('Created Before', 'createdBefore', 'Only messages the API recorded at or before this time'),
		{
			displayName: 'From Phone Number',
			name: 'fromPhoneNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. +49 151 23456789',
			description: 'Only messages sent from this number (or short code)',
		},
		{
			displayName: 'Message Thread ID',
			name: 'messageThreadId',
			type: 'string',
			default: '',
			description: 'Only messages of this thread (the "message_thread_id" of a message, or a thread\'s ID from SMS Thread › Get Many)',
		},
		{
			displayName: 'Request ID',
			name: 'requestId',
			type: 'string',
			default: '',
			description: 'Only the message sent with this request ID (the "requestId" SMS › Send output)',
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Deleted', value: 'deleted' },
				{ name: 'Delivered', value: 'delivered' },
				{ name: 'Expired', value: 'expired' },
				{ name: 'Failed', value: 'failed' },
				{ name: 'Pending', value: 'pending' },
				{ name: 'Received', value: 'received' },
				{ name: 'Scheduled', value: 'scheduled' },
				{ name: 'Sending', value: 'sending' },
				{ name: 'Sent', value: 'sent' },
			],
			default: 'delivered',
			description: 'Only messages in this state',
		},
		{
			displayName: 'To Phone Number',
			name: 'toPhoneNumber',
			type: 'string',
			default: '',
			placeholder: 'e.g. +49 151 23456789',
			description: 'Only messages sent to this number',
		},
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'Missed Call', value: 'call_missed', description: 'A call the phone missed (the API reference\'s value)' },
				{ name: 'Received', value: 'received', description: 'An SMS the phone received (the API reference\'s value)' },
				{ name: 'Received From Mobile', value: 'received_from_mobile', description: 'An SMS the phone received, as the API\'s records write it' },
				{ name: 'Sent', value: 'sent', description: 'An SMS the phone sent (the API reference\'s value)' },
				{ name: 'Sent to Mobile', value: 'sent_to_mobile', description: 'An SMS sent through the API, as the API\'s records write it' },
			],
			default: 'received',
			description:
				'Only messages of this type. The API reference lists sent, received and call_missed; the records the API sends show sent_to_mobile and received_from_mobile.',
		},
	],
};

const options = optionsCollection(show, [
	...smsRequestOptions,
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'options',
		options: [
			{ name: 'Newest Created First', value: '-created_at', description: 'Status changes do not reorder the list while it is read' },
			{ name: 'Oldest Created First', value: 'created_at' },
			{ name: 'Recently Updated First', value: '-updated_at', description: 'The API\'s order when the option is not set' },
		],
		default: '-created_at',
		description: 'The order of the messages. Not set: the API\'s own (recently updated first), in which a message whose status changes moves to the front.',
	},
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [returnAll, limit, filters, options];

/** One item per message, as the API sends it. */
export const outputSchema: OutputSchema = smsMessageOutput;

/** The API's filter parameters: `filter[<field>]`, with the created range as `from,to`. */
function messageFilters(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const reader = new OptionsReader(filters, rawParameter(this, filters, itemIndex, {}) as IDataObject);
	const qs: IDataObject = {};
	const texts = { requestId: 'request_id', content: 'content', messageThreadId: 'message_thread_id' };
	for (const [name, field] of Object.entries(texts)) {
		const value = reader.ifSet(name, requiredText);
		if (value !== undefined) qs[`filter[${field}]`] = value;
	}
	for (const [name, field] of Object.entries({ status: 'status', type: 'type' })) {
		const value = reader.ifSet(name, choice);
		if (value !== undefined) qs[`filter[${field}]`] = value;
	}
	for (const [name, field] of Object.entries({ fromPhoneNumber: 'from_phone_number', toPhoneNumber: 'to_phone_number' })) {
		const value = reader.ifSet(name, phoneFilter);
		if (value !== undefined) qs[`filter[${field}]`] = value;
	}
	const date = dateTimeParser(this.getTimezone());
	const after = reader.ifSet('createdAfter', date);
	const before = reader.ifSet('createdBefore', date);
	if (after !== undefined && before !== undefined && after > before) {
		throw invalidParameter({ displayName: 'Created Before', name: 'createdBefore' }, new Date(before).toISOString(), 'is earlier than Created After', 'a time after Created After');
	}
	const created = dateRange(after, before);
	if (created !== undefined) qs['filter[created_at]'] = created;
	return qs;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const all = readParameter(this, returnAll, itemIndex, boolean);
	const maxItems = all ? undefined : readParameter(this, limit, itemIndex, wholeNumber, limit.default);
	const qs = messageFilters.call(this, itemIndex);
	const reader = readOptions(this, options, itemIndex);
	const sort = reader.ifSet('sort', choice);
	if (sort !== undefined) qs.sort = sort;
	const client = await createSmsClient.call(this, itemIndex, readRequestOptions(reader));
	const holdStill = 'sort them by creation (Options › Sort: Newest Created First), which status changes do not reorder, or narrow them with Created Before';
	const messages = await readSmsList(client, { path: 'messages', noun: 'SMS messages', qs, holdStill }, { maxItems });
	return messages.map((json) => ({ json }));
}
