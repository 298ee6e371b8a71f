import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { OptionsReader, Parser } from '../../../helpers/parameters';
import { invalidParameter, readOptions, readParameter, recipient, text, wholeNumber } from '../../../helpers/parameters';
import type { CallOptions } from '../../../transport';
import { createItemClient } from '../../../transport';
import {
	instanceIdOption,
	maxAttemptsOption,
	optionsCollection,
	readRequestOptions,
	recipientField,
	retryBudgetOption,
	timeoutOption,
} from '../../../descriptions/common';
import { codeRecordOutput } from '../../../descriptions/oneTimeCodes';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field } from '../../../descriptions/outputSchemas';
import { itemTries } from '../../../domain/itemRetryLedger';
import { createCodeRecord } from '../../../domain/oneTimeCodes';

const show = { resource: ['otp'], operation: ['generateLink'] };

const chatId = recipientField(
	show,
	'The person who will log in: a phone number with country code (e.g. +49 151 23456789) or a WhatsApp chat ID (…@c.us, …@lid)',
);

const message = (name: string, displayName: string, description: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description,
});

const callbackUrl = (name: string, displayName: string, when: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder: `e.g. https://example.com/otp/${name.startsWith('success') ? 'success' : 'failed'}`,
	description: `An https URL Hypersender calls when ${when}`,
});

const options = optionsCollection(show, [
	{
		displayName: 'Expires (Seconds)',
		name: 'expires',
		type: 'number',
		typeOptions: { minValue: 60, maxValue: 3600 },
		default: 1800,
		description: 'How long the link stays valid, from 60 to 3600 seconds (1 hour)',
	},
	message('expiredMessage', 'Expired Message', 'The reply when the link has expired', 'e.g. The link has expired, please request a new one.'),
	callbackUrl('failedCallbackUrl', 'Failed Callback URL', 'the login fails'),
	message('failedMessage', 'Failed Message', 'The reply when the login fails', 'e.g. Login failed, please try again later.'),
	instanceIdOption,
	maxAttemptsOption,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Acme Shop',
		description: 'Your company or service name, shown in the messages',
	},
	message(
		'promptMessage',
		'Prompt Message',
		'The message the WhatsApp link fills in for the person to send',
		'e.g. Give me a link to log in at Acme Shop',
	),
	retryBudgetOption,
	callbackUrl('successCallbackUrl', 'Success Callback URL', 'the person logs in'),
	message(
		'successMessage',
		'Success Message',
		'The reply with the login link: write {link} where the link goes',
		'e.g. Here is your login link: {link}',
	),
	timeoutOption,
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [chatId, options];

/** The link's record, its keys in camelCase, with the wa.me link to hand to the person. */
export const outputSchema: OutputSchema = codeRecordOutput(
	{ whatsappLink: field('string', 'The wa.me link to send the person (by email, SMS or in your app)') },
	['whatsappLink'],
);

/** An https URL (Hypersender calls it from the internet). */
const httpsUrl: Parser<string> = (property, value) => {
	const allowed = 'an https:// URL, e.g. https://example.com/otp/success';
	const parsed = text(property, value);
	let url: URL;
	try {
		url = new URL(parsed);
	} catch {
		throw invalidParameter(property, value, 'is not a URL', allowed);
	}
	if (url.protocol !== 'https:') throw invalidParameter(property, value, 'is not an https URL', allowed);
	return parsed;
};

/** The options that are set and not empty, under the API's names. */
function readGroup(reader: OptionsReader, names: Record<string, string>, parse: Parser<string>): IDataObject | undefined {
	const group: IDataObject = {};
	for (const [option, apiName] of Object.entries(names)) {
		const raw = reader.ifSet(option, text);
		if (raw) group[apiName] = reader.value(option, parse);
	}
	return Object.keys(group).length ? group : undefined;
}

function readBody(chat: string, reader: OptionsReader): IDataObject {
	const body: IDataObject = { chatId: chat, expires: reader.value('expires', wholeNumber) };
	const name = reader.ifSet('name', text);
	if (name) body.name = name;
	const messages = readGroup(
		reader,
		{ promptMessage: 'prompt', successMessage: 'success', failedMessage: 'failed', expiredMessage: 'expired' },
		text,
	);
	if (messages) body.message = messages;
	const callbacks = readGroup(reader, { successCallbackUrl: 'success', failedCallbackUrl: 'failed' }, httpsUrl);
	if (callbacks) body.callback = callbacks;
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const chat = readParameter(this, chatId, itemIndex, recipient);
	const reader = readOptions(this, options, itemIndex);
	const body = readBody(chat, reader);
	const requestOptions = readRequestOptions(reader);

	// Made in an earlier try (n8n's Retry On Fail): the same link, not a second one.
	const tries = itemTries(this, itemIndex, ['otp/generateLink', requestOptions.instanceId ?? '', chat]);
	const earlier = tries.earlier();
	if (earlier?.state === 'done') return [{ json: earlier.json }];

	const client = await createItemClient.call(this, itemIndex, requestOptions);
	// Retried like a read: making the link sends nothing to anyone (the person sends the first
	// message), and a link whose answer was lost is never handed out, so it only expires.
	const how: CallOptions = {
		idempotent: true,
		what: `request for a login link for the chat "${chat}"`,
		expected: 'JSON with a "data" object holding the link record ("uuid", "whatsapp_link")',
	};
	const record = await createCodeRecord(client, { path: 'generate-link', body, chatId: chat, action: 'create the login link', how });
	if (typeof record.whatsappLink !== 'string' || record.whatsappLink === '') {
		throw client.unexpected('the record has no "whatsapp_link"', how);
	}
	tries.done(record);
	return [{ json: record }];
}
