import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';

import {
	boolean,
	InvalidParameterError,
	type OptionsReader,
	readOptions,
	readParameter,
	recipient,
	text,
	wholeNumber,
} from '../../../helpers/parameters';
import type { CallOptions } from '../../../transport';
import { createItemClient, mayHaveBeenCarriedOut } from '../../../transport';
import { nodeApiError } from '../../../transport/errors';
import {
	instanceIdOption,
	maxAttemptsOption,
	optionsCollection,
	readRequestOptions,
	recipientField,
	retryBudgetOption,
	timeoutOption,
} from '../../../descriptions/common';
import { codeRecordOutput, writeAttemptsOption } from '../../../descriptions/oneTimeCodes';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { toNodeError } from '../../../execution/nodeErrors';
import { itemTries } from '../../../domain/itemRetryLedger';
import { createCodeRecord } from '../../../domain/oneTimeCodes';

const show = { resource: ['otp'], operation: ['requestCode'] };

const chatId = recipientField(
	show,
	'The person to send the code to on WhatsApp: a phone number with country code (e.g. +49 151 23456789) or a WhatsApp chat ID (…@c.us, …@lid)',
);

const useLetters: INodeProperties = {
	displayName: 'Use Letters',
	name: 'useLetters',
	type: 'boolean',
	default: false,
	description: 'Whether the code may contain letters',
};

const useNumbers: INodeProperties = {
	displayName: 'Use Numbers',
	name: 'useNumbers',
	type: 'boolean',
	default: true,
	description: 'Whether the code may contain digits. Use Letters or Use Numbers (or both) must be on.',
};

const options = optionsCollection(show, [
	{
		displayName: 'All Capital',
		name: 'allCapital',
		type: 'boolean',
		default: false,
		description: 'Whether the letters of the code are all capitals (with Use Letters on)',
	},
	{
		displayName: 'Code Length',
		name: 'length',
		type: 'number',
		typeOptions: { minValue: 4, maxValue: 10 },
		default: 6,
		description: 'How many characters the code has, from 4 to 10',
	},
	{
		displayName: 'Expires (Seconds)',
		name: 'expires',
		type: 'number',
		typeOptions: { minValue: 60, maxValue: 1800 },
		default: 1800,
		description: 'How long the code stays valid, from 60 to 1800 seconds (30 minutes)',
	},
	instanceIdOption,
	writeAttemptsOption(maxAttemptsOption, 'the code is sent to the chat as a WhatsApp message, which must not arrive twice'),
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		placeholder: 'e.g. Acme Shop',
		description: 'Your company or service name, shown in the message with the code',
	},
	retryBudgetOption,
	timeoutOption,
	useLetters,
	useNumbers,
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [chatId, options];

/** The code record the API created, its keys in camelCase. */
export const outputSchema: OutputSchema = codeRecordOutput({}, []);

const NOT_AGAIN =
	'n8n ran the node again (Retry On Fail); this item failed in an earlier try in a way that may have sent the code, so no new code was requested.';

/** The request body, every option checked against its declaration before anything is sent. */
function readBody(chat: string, reader: OptionsReader): IDataObject {
	const body: IDataObject = { chatId: chat, length: reader.value('length', wholeNumber) };
	body.useLetter = reader.value('useLetters', boolean);
	body.useNumber = reader.value('useNumbers', boolean);
	if (!body.useLetter && !body.useNumber) {
		throw new InvalidParameterError(
			useNumbers,
			'Invalid Use Letters (useLetters) and Use Numbers (useNumbers): both are off, so the code could contain nothing; allowed: either or both on',
			'Turn on "Use Numbers" (digits), "Use Letters" or both.',
		);
	}
	body.allCapital = reader.value('allCapital', boolean);
	const name = reader.ifSet('name', text);
	if (name) body.name = name;
	body.expires = reader.value('expires', wholeNumber);
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const chat = readParameter(this, chatId, itemIndex, recipient);
	const reader = readOptions(this, options, itemIndex);
	const body = readBody(chat, reader);
	const requestOptions = readRequestOptions(reader);

	const tries = itemTries(this, itemIndex, ['otp/requestCode', requestOptions.instanceId ?? '', chat]);
	const earlier = tries.earlier();
	if (earlier?.state === 'done') return [{ json: earlier.json }];
	if (earlier?.state === 'uncertain') {
		throw nodeApiError(this.getNode(), earlier.error.message, {
			itemIndex,
			httpCode: earlier.error.httpCode,
			description: `${earlier.error.description} ${NOT_AGAIN}`.trim(),
		});
	}

	const client = await createItemClient.call(this, itemIndex, requestOptions);
	const how: CallOptions = {
		idempotent: false,
		what: `request for a one-time code for the chat "${chat}"`,
		expected: 'JSON with a "data" object holding the code record ("uuid", "code")',
		mayHaveActedNote:
			'The code may have been created and sent to the chat anyway, so it was not requested again: check the chat before running the node again.',
		mayHaveActedSummary: 'the code may have been sent, so it was not requested again',
	};
	try {
		const record = await createCodeRecord(client, { path: 'request-code', body, chatId: chat, action: 'request a code', how });
		tries.done(record);
		return [{ json: record }];
	} catch (error) {
		const nodeError = toNodeError(this.getNode(), error, itemIndex);
		if (mayHaveBeenCarriedOut(error)) tries.uncertain(nodeError as NodeApiError);
		throw nodeError;
	}
}
