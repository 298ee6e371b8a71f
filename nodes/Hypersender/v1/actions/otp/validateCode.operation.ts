import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Parser } from '../../../helpers/parameters';
import { invalidParameter, readOptions, readParameter, recipient, requiredText } from '../../../helpers/parameters';
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
import { writeAttemptsOption } from '../../../descriptions/oneTimeCodes';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field } from '../../../descriptions/outputSchemas';
import { CHECK_STATUSES, checkCode } from '../../../domain/codeChecks';
import { itemTries } from '../../../domain/itemRetryLedger';

const show = { resource: ['otp'], operation: ['validateCode'] };

const chatId = recipientField(
	show,
	'The person the code was sent to: the same phone number with country code or WhatsApp chat ID given to Request Code',
);

const code: INodeProperties = {
	displayName: 'Code',
	name: 'code',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 439713',
	displayOptions: { show },
	description: 'The code the person entered. A code passes once: checking it uses it up.',
};

const options = optionsCollection(show, [
	instanceIdOption,
	writeAttemptsOption(maxAttemptsOption, 'a code that was checked is used up, and a second check would say "used"'),
	retryBudgetOption,
	timeoutOption,
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [chatId, code, options];

/** Whether the code passed, why, and the API's record of it (camelCase). */
export const outputSchema: OutputSchema = {
	type: 'object',
	properties: {
		valid: field('boolean', 'Whether the code is right: true once, then it is used up'),
		status: {
			type: 'string',
			enum: CHECK_STATUSES,
			description: 'validated, or why not: invalid (wrong code), expired, used (checked before) or notFound (no code for this chat)',
		},
		reason: field('string', 'The API\'s message, e.g. "OTP code validated successfully"'),
		uuid: field('string', 'The code request\'s UUID, when the API sends it'),
		chatId: field('string', 'The chat the code belongs to, when the API sends it'),
		validatedAt: field(['string', 'null'], 'When the code was validated (ISO 8601), when the API sends it'),
	},
	// Keys the API may add to its record are passed on in camelCase.
	additionalProperties: true,
	required: ['valid', 'status', 'reason'],
};

/** A code as typed or as an expression gave it (a number too), trimmed, never empty. */
const codeText: Parser<string> = (property, value) => {
	const raw = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
	const parsed = requiredText(property, raw);
	if (parsed.length > 64) throw invalidParameter(property, value, 'is too long for a one-time code', 'the code the person entered, e.g. 439713');
	return parsed;
};

const MAY_HAVE_VALIDATED =
	'The code may have been validated (and so used up) anyway, so it was not sent again: ask the person for a new code (Request Code) rather than checking this one again.';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const chat = readParameter(this, chatId, itemIndex, recipient);
	const codeValue = readParameter(this, code, itemIndex, codeText);
	const requestOptions = readRequestOptions(readOptions(this, options, itemIndex));

	const tries = itemTries(this, itemIndex, ['otp/validateCode', requestOptions.instanceId ?? '', chat, codeValue]);
	const earlier = tries.earlier();
	// Checked in an earlier try: a second check would find the code used up by the first one.
	if (earlier?.state === 'done') return [{ json: earlier.json }];

	const client = await createItemClient.call(this, itemIndex, requestOptions);
	const outcome = await checkCode.call(this, client, { chatId: chat, code: codeValue }, MAY_HAVE_VALIDATED);
	if ('error' in outcome) {
		if (outcome.mayHaveValidated) tries.uncertain(outcome.error);
		throw outcome.error;
	}
	const { check } = outcome;
	let reason = check.reason;
	if (!check.valid && earlier?.state === 'uncertain') {
		reason = `${reason} Note: an earlier try of this node (n8n's Retry On Fail) sent this code and got no answer ("${earlier.error.message}"); that try may have validated it and used it up, so this answer may not mean the code was wrong.`;
	}
	const json = { valid: check.valid, status: check.status, reason, ...check.record };
	tries.done(json);
	return [{ json }];
}
