import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Parser } from '../../../helpers/parameters';
import { invalidParameter, phoneDigits, readOptions, readParameter, requiredText, text } from '../../../helpers/parameters';
import type { CallOptions } from '../../../transport';
import { createItemClient } from '../../../transport';
import { optionsCollection, retryBudgetOption, timeoutOption } from '../../../descriptions/common';
import { answerObject, INSTANCE_ENDPOINTS, instanceCall, instanceItem, instanceUuid, qrCodeItem } from '../../../domain/instances';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field } from '../../../descriptions/outputSchemas';
import { binaryPropertyNameOption, instanceOutput, readAccountRequestOptions, writeAttemptsOption } from './instanceFields';

const show = { resource: ['instance'], operation: ['create'] };

/** The API's limit on an instance's name. */
const MAX_NAME_LENGTH = 50;

const phone: INodeProperties = {
	displayName: 'Phone Number',
	name: 'phone',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. +49 151 23456789',
	displayOptions: { show },
	description: 'The WhatsApp number the instance will connect, with its country code; sent in E.164 form (+4915123456789)',
};

const name: INodeProperties = {
	displayName: 'Name',
	name: 'name',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. Sales Team',
	displayOptions: { show },
	description: `A name for the instance, unique in your account, up to ${MAX_NAME_LENGTH} characters`,
};

const options = optionsCollection(show, [
	binaryPropertyNameOption,
	writeAttemptsOption('an instance'),
	retryBudgetOption,
	timeoutOption,
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://example.com/webhook/hypersender',
		description: 'Where Hypersender sends the new instance\'s events (https only), e.g. a Hypersender Trigger\'s Production URL',
	},
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [phone, name, options];

/** The new instance, with its own access token (handed over this once), and its QR code as a PNG file. */
export const outputSchema: OutputSchema = instanceOutput(
	{
		webhookUrl: field(['string', 'null'], 'Where the instance\'s events go'),
		accessToken: field(['string', 'null'], 'The new instance\'s own API token: store it now (e.g. in a credential)'),
	},
	['instanceId', 'name', 'phone'],
);

const PHONE_ALLOWED =
	'a phone number in international format with its country code, e.g. +49 151 23456789 (7 to 15 digits; spaces, "-", ".", "(", ")" are removed; not 0049…), or <digits>@c.us';

/** A phone number as people write it (or as a WhatsApp ID `<digits>@c.us`), as E.164: `+4915123456789`. */
const e164: Parser<string> = (property, value) => {
	const raw = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof raw !== 'string') throw invalidParameter(property, value, 'is not text', PHONE_ALLOWED);
	const trimmed = raw.trim();
	if (trimmed === '') throw invalidParameter(property, value, 'is empty', PHONE_ALLOWED);
	const digits = /^(\d+)@(c\.us|s\.whatsapp\.net)$/i.exec(trimmed)?.[1] ?? phoneDigits(trimmed);
	if (digits === undefined || !/^[1-9]\d{6,14}$/.test(digits)) {
		throw invalidParameter(property, value, 'is not a phone number in international format', PHONE_ALLOWED);
	}
	return `+${digits}`;
};

const instanceName: Parser<string> = (property, value) => {
	const parsed = requiredText(property, typeof value === 'number' ? String(value) : value);
	if ([...parsed].length > MAX_NAME_LENGTH) {
		throw invalidParameter(property, value, `has ${[...parsed].length} characters`, `a name of 1 to ${MAX_NAME_LENGTH} characters`);
	}
	return parsed;
};

const httpsUrl: Parser<string> = (property, value) => {
	const allowed = 'an https:// URL, e.g. https://example.com/webhook/hypersender';
	const parsed = text(property, value);
	if (parsed === '') throw invalidParameter(property, value, 'is empty', allowed);
	let url: URL;
	try {
		url = new URL(parsed);
	} catch {
		throw invalidParameter(property, value, 'is not a URL', allowed);
	}
	if (url.protocol !== 'https:') throw invalidParameter(property, value, 'is not an https URL', allowed);
	return parsed;
};

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const phoneValue = readParameter(this, phone, itemIndex, e164);
	const nameValue = readParameter(this, name, itemIndex, instanceName);
	const reader = readOptions(this, options, itemIndex);
	const webhookUrl = reader.ifSet('webhookUrl', httpsUrl);
	const binaryPropertyName = reader.value('binaryPropertyName', requiredText);
	const client = await createItemClient.call(this, itemIndex, readAccountRequestOptions(reader));

	const how: CallOptions = {
		idempotent: false,
		what: `creation of the instance "${nameValue}"`,
		expected: 'JSON with the new instance\'s "id" and "qr_code"',
		mayHaveActedNote: `The instance may have been created anyway: look for "${nameValue}" with Instance › Get Many (filter Name) before running the node again. Names are unique, so creating it again fails once it exists.`,
		mayHaveActedSummary: 'it may have been created, so it was not created again',
	};
	const body: IDataObject = { phone: phoneValue, name: nameValue };
	if (webhookUrl !== undefined) body.webhook_url = webhookUrl;
	const response = await instanceCall(client, { method: 'POST', path: 'create-instance', scope: 'account', body }, how, INSTANCE_ENDPOINTS.create);
	const raw = answerObject(response.json);
	const instanceId = raw && instanceUuid(raw);
	if (!raw || instanceId === undefined) throw client.unexpected('the JSON has no instance "id"', how);

	const json: IDataObject = { ...instanceItem(raw, 'output') };
	json.name ??= nameValue;
	json.phone ??= phoneValue;
	const fileBase = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : nameValue;
	const item = await qrCodeItem.call(this, itemIndex, { raw, json, fileBase }, binaryPropertyName,
		`The instance "${nameValue}" (${instanceId}) was created; only its QR code could not be stored. Get a new one with Instance › Request New QR Code (one per minute) or scan it in the Hypersender dashboard, where its access token is shown too. Do not create it again: its name is taken.`,
	);
	return [item];
}
