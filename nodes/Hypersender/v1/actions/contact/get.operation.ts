import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { boolean, chatId as parseChatId, rawParameter, readOptions } from '../../../helpers/parameters';
import { createItemClient } from '../../../transport';
import {
	addDerivedFieldsOption,
	chatIdField,
	optionsCollection,
	readRequestOptions,
	requestOptions,
} from '../../../descriptions/common';
import { addDerivedFields } from '../../../domain/contactFields';
import { contactNotFound, fetchContact } from '../../../domain/contacts';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { contactOutput } from '../../../descriptions/outputSchemas';

const show = { resource: ['contact'], operation: ['get'] };

const chatId = chatIdField(
	show,
	'The contact to get: a phone number with country code (e.g. +49 151 23456789) or a WhatsApp ID (…@c.us, …@lid)',
);

const options = optionsCollection(show, [addDerivedFieldsOption, ...requestOptions]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [chatId, options];

/** One item per contact: as the API sends it, plus what Add Derived Fields adds. */
export const outputSchema: OutputSchema = contactOutput;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const typed = rawParameter(this, chatId, itemIndex);
	const chatIdValue = parseChatId(chatId, typed);
	const reader = readOptions(this, options, itemIndex);
	const withDerivedFields = reader.value('addDerivedFields', boolean);
	const client = await createItemClient.call(this, itemIndex, readRequestOptions(reader));
	const contact = await fetchContact(client, chatIdValue);
	if (contact === null) throw contactNotFound.call(this, itemIndex, chatIdValue, typed);
	return [{ json: withDerivedFields ? addDerivedFields(contact) : contact }];
}
