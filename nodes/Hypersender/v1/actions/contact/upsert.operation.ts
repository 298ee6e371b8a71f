import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { HypersenderContact } from '../../../helpers/interfaces';
import {
	boolean,
	chatId as parseChatId,
	readOptions,
	readParameter,
	requiredText,
	text,
	wholeNumber,
} from '../../../helpers/parameters';
import type { CallOptions } from '../../../transport';
import { createItemClient } from '../../../transport';
import {
	chatIdField,
	instanceIdOption,
	maxAttemptsOption,
	optionsCollection,
	readRequestOptions,
	retryBudgetOption,
	timeoutOption,
} from '../../../descriptions/common';
import { fetchContact } from '../../../domain/contacts';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { chatIdSent, contactFields, field, object } from '../../../descriptions/outputSchemas';

const show = { resource: ['contact'], operation: ['upsert'] };

/** The docs suggest repeating an upsert that does not show "2–3 times, a few seconds apart". */
const MAX_UPSERT_CALLS = 3;

const chatId = chatIdField(
	show,
	'The contact to create or update: a phone number with country code (e.g. +49 151 23456789) or a WhatsApp ID (…@c.us, …@lid)',
);

const firstName: INodeProperties = {
	displayName: 'First Name',
	name: 'firstName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. Anna',
	displayOptions: { show },
	description: 'The first name saved for the contact in the phone\'s address book',
};

const options = optionsCollection(show, [
	{
		displayName: 'Confirm',
		name: 'confirm',
		type: 'boolean',
		default: false,
		description:
			'Whether to read the contact back and repeat the update (up to 3 times, a few seconds apart) until the new name shows, as the Hypersender docs advise; the output then says "confirmed": true or false',
	},
	{
		displayName: 'Confirm Wait (Seconds)',
		name: 'confirmWait',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 60 },
		default: 3,
		description: 'With Confirm on: seconds to wait before reading the contact again when the name does not show yet',
	},
	instanceIdOption,
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Schmidt',
		description: 'The last name saved for the contact; leave the option out to send none',
	},
	{
		...maxAttemptsOption,
		description:
			'How many times the request is sent before the node gives up. The update is repeated only where the server surely did not act on it (connection refused, 429, 503), never after a timeout or a 500, so that it is never applied twice by accident.',
	},
	retryBudgetOption,
	timeoutOption,
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [chatId, firstName, options];

/** The API's answer and the name sent; Confirm adds what the contact read back shows. */
export const outputSchema: OutputSchema = {
	type: 'object',
	properties: {
		message: field('string', 'The API\'s answer, e.g. "Contact upserted successfully."'),
		data: object({ success: field('boolean') }),
		chatId: chatIdSent,
		firstName: field('string'),
		lastName: field('string', 'Only when the Last Name option is set'),
		confirmed: field('boolean', 'Option Confirm: whether the contact read back shows the new name'),
		upsertCalls: field('integer', 'Option Confirm: how many updates were sent'),
		contact: {
			type: ['object', 'null'],
			properties: contactFields,
			required: ['id'],
			description: 'Option Confirm: the contact as read back, null when not found',
		},
	},
	required: ['chatId', 'firstName'],
};

const normalizeName = (name: string) => name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();

function showsName(contact: HypersenderContact | null, expected: string): boolean {
	return typeof contact?.name === 'string' && normalizeName(contact.name) === normalizeName(expected);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const chatIdValue = readParameter(this, chatId, itemIndex, parseChatId);
	const firstNameValue = readParameter(this, firstName, itemIndex, requiredText);
	const reader = readOptions(this, options, itemIndex);
	const lastName = reader.ifSet('lastName', text) || undefined;
	const confirm = reader.value('confirm', boolean);
	const confirmWaitMs = reader.value('confirmWait', wholeNumber) * 1000;
	const client = await createItemClient.call(this, itemIndex, readRequestOptions(reader));

	const how: CallOptions = {
		idempotent: false,
		what: `update of the contact "${chatIdValue}"`,
		expected: 'JSON with a "message"',
		mayHaveActedNote:
			'The contact may have been created or updated anyway: check it with Contact › Get before running the node again.',
	};
	const body: IDataObject = { chat_id: chatIdValue, first_name: firstNameValue };
	if (lastName !== undefined) body.last_name = lastName;
	const upsert = async () => {
		const response = await client.call({ method: 'POST', path: 'contacts/upsert', body }, how);
		const answer = response.json;
		return answer !== null && typeof answer === 'object' && !Array.isArray(answer) ? (answer as IDataObject) : {};
	};

	// The API's answer as it came ({ message, data: { success } }), and what was sent.
	const json: IDataObject = {
		...(await upsert()),
		chatId: chatIdValue,
		firstName: firstNameValue,
		...(lastName !== undefined ? { lastName } : {}),
	};
	if (!confirm) return [{ json }];

	const expectedName = lastName !== undefined ? `${firstNameValue} ${lastName}` : firstNameValue;
	const wait = async () => {
		if (!(await client.clock.pause(confirmWaitMs))) {
			throw new NodeOperationError(this.getNode(), 'The execution was cancelled while confirming the contact update', {
				itemIndex,
			});
		}
	};
	let upsertCalls = 1;
	let contact = await fetchContact(client, chatIdValue);
	for (;;) {
		if (showsName(contact, expectedName)) break;
		await wait();
		contact = await fetchContact(client, chatIdValue);
		if (showsName(contact, expectedName) || upsertCalls >= MAX_UPSERT_CALLS) break;
		await upsert();
		upsertCalls++;
		contact = await fetchContact(client, chatIdValue);
	}
	json.confirmed = showsName(contact, expectedName);
	json.upsertCalls = upsertCalls;
	json.contact = contact;
	return [{ json }];
}
