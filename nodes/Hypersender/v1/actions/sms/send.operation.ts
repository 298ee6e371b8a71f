import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	InvalidParameterError,
	messageText,
	readOptions,
	readParameter,
	requiredText,
	wholeNumber,
} from '../../../helpers/parameters';
import { maxAttemptsOption, optionsCollection, readRequestOptions, retryBudgetOption, timeoutOption } from '../../../descriptions/common';
import type { RequestOptions } from '../../../descriptions/common';
import { smsInstanceIdOption, smsSendOutput } from '../../../descriptions/sms';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { checkSchedule, dateTimeParser, formatApiDateTime, smsRecipient, timeZoneName } from '../../../domain/smsFields';
import type { SmsToSend } from '../../../domain/smsSends';
import { sendSmsExactlyOnce } from '../../../domain/smsSends';
import { smsTries } from '../../../domain/smsTries';
import { createSmsClient } from '../../../transport/smsClient';

const show = { resource: ['sms'], operation: ['send'] };

const to: INodeProperties = {
	displayName: 'To',
	name: 'to',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. +49 151 23456789',
	displayOptions: { show },
	description:
		'The phone number to text, with country code (e.g. +49 151 23456789). Spaces and dashes are removed, 0049… counts as +49…, and a WhatsApp chat ID of a phone (4915123456789@c.us) works too; groups and linked IDs (@lid) cannot receive an SMS.',
};

const content: INodeProperties = {
	displayName: 'Content',
	name: 'content',
	type: 'string',
	required: true,
	default: '',
	typeOptions: { rows: 4 },
	displayOptions: { show },
	description: 'The text of the SMS. Keep it short: long texts are sent as several SMS.',
};

const scheduleSendAt: INodeProperties = {
	displayName: 'Schedule Send At',
	name: 'scheduleSendAt',
	type: 'dateTime',
	default: '',
	description:
		'Send the SMS later: a time from now to 3 days ahead. A time without an offset is read in the workflow\'s time zone. Sent to the API as YYYY-MM-DD HH:MM:SS in the Schedule Time Zone option (UTC unless set).',
};

const options = optionsCollection(show, [
	{
		...maxAttemptsOption,
		displayName: 'Max Attempts',
		description:
			'How many times the SMS request is sent at most. After a failure that may have reached the server (timeout, 500, 502, 504), the node looks the request ID up and sends again only if no SMS has it, so it is never sent twice; 429, 503 and refused connections are simply retried.',
	},
	{
		displayName: 'Max Send Attempts (Phone)',
		name: 'maxSendAttempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 15 },
		default: 1,
		description: 'How many times the gateway phone tries to send the SMS when sending fails (1 to 15). Not set: the phone\'s own setting.',
	},
	{
		displayName: 'Message Expiration (Seconds)',
		name: 'messageExpirationSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 120,
		description:
			'How many seconds the SMS stays valid: not sent by then, it expires instead (e.g. 120 for a one-time code). Not set: the phone\'s own setting.',
	},
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		default: '',
		placeholder: 'e.g. order-1042-shipped',
		description:
			'Your own ID for this SMS, to find it later (SMS › Get Many, filter Request ID). An SMS already sent with this ID to the same number with the same text is not sent again: the node outputs it with alreadySent = true. Not set: the node makes one per item (output as requestId).',
	},
	retryBudgetOption,
	scheduleSendAt,
	{
		displayName: 'Schedule Time Zone',
		name: 'scheduleTimeZone',
		type: 'string',
		default: 'UTC',
		placeholder: 'e.g. Europe/Berlin',
		description:
			'The time zone the API reads Schedule Send At in: Hypersender reads it relative to the time zone set for your account. UTC unless your account uses another (an IANA name such as Africa/Cairo).',
	},
	smsInstanceIdOption,
	timeoutOption,
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [to, content, options];

export const outputSchema: OutputSchema = smsSendOutput;

interface PreparedSend {
	sms: SmsToSend;
	requestOptions: RequestOptions;
}

/** One item's SMS, checked: the number in E.164, the options within the API's bounds. */
function readSend(this: IExecuteFunctions, itemIndex: number): PreparedSend {
	const number = readParameter(this, to, itemIndex, smsRecipient);
	const text = readParameter(this, content, itemIndex, messageText);
	const reader = readOptions(this, options, itemIndex);
	const body: IDataObject = { content: text, to: number };
	const schedule = reader.ifSet('scheduleSendAt', dateTimeParser(this.getTimezone()));
	const timeZone = reader.value('scheduleTimeZone', timeZoneName);
	if (schedule !== undefined) {
		checkSchedule(scheduleSendAt, schedule, Date.now());
		body.schedule_send_at = formatApiDateTime(schedule, timeZone);
	}
	const maxSendAttempts = reader.ifSet('maxSendAttempts', wholeNumber);
	if (maxSendAttempts !== undefined) body.max_send_attempts = maxSendAttempts;
	const expiration = reader.ifSet('messageExpirationSeconds', wholeNumber);
	if (expiration !== undefined) body.message_expiration_seconds = expiration;
	return {
		sms: { to: number, content: text, body, givenRequestId: reader.ifSet('requestId', requiredText) },
		requestOptions: readRequestOptions(reader),
	};
}

type Checked = PreparedSend | { error: Error };

/** Every item of one try, checked on its first call: the context is the same for all items of a try. */
const checkedByTry = new WeakMap<IExecuteFunctions, Checked[]>();

/**
 * Checks every input item before the first SMS goes out, as the queued sends do: without
 * continue-on-fail, a wrong item stops the node before anything is sent; with it, that item alone fails.
 */
function checkedItems(this: IExecuteFunctions): Checked[] {
	const known = checkedByTry.get(this);
	if (known) return known;
	const node = this.getNode();
	const checked = this.getInputData().map((_item, index): Checked => {
		try {
			return readSend.call(this, index);
		} catch (error) {
			if (!(error instanceof InvalidParameterError)) return { error: error as Error };
			return { error: new NodeOperationError(node, error.message, { itemIndex: index, description: error.description }) };
		}
	});
	checkedByTry.set(this, checked);
	if (!this.continueOnFail()) {
		const failed = checked.find((entry): entry is { error: Error } => 'error' in entry);
		if (failed) throw failed.error;
	}
	return checked;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const checked = checkedItems.call(this)[itemIndex];
	if ('error' in checked) throw checked.error;
	const client = await createSmsClient.call(this, itemIndex, checked.requestOptions);
	const tries = smsTries(this, itemIndex, checked.sms);
	return [{ json: await sendSmsExactlyOnce(client, checked.sms, tries) }];
}
