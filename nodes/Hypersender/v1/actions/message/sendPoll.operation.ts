import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	boolean,
	invalidParameter,
	rawParameter,
	readParameter,
	requiredText,
	textList,
} from '../../../helpers/parameters';
import { queuedOptions, recipientField, replyToOption } from '../../../descriptions/common';
import { addReplyTo, readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { sentMessageOutput } from '../../../descriptions/outputSchemas';

const show = { resource: ['message'], operation: ['sendPoll'] };

/** WhatsApp polls have 2 to 12 options. */
const MIN_OPTIONS = 2;
const MAX_OPTIONS = 12;

const chatId = recipientField(show, 'The person or group to send the poll to: a phone number with country code or a WhatsApp chat ID');

const pollName: INodeProperties = {
	displayName: 'Question',
	name: 'pollName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. Which day suits you?',
	displayOptions: { show },
	description: 'The poll\'s question',
};

const pollOptions: INodeProperties = {
	displayName: 'Poll Options',
	name: 'pollOptions',
	type: 'string',
	required: true,
	default: [],
	typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Poll Option' },
	displayOptions: { show },
	description: 'The answers to choose from: 2 to 12, all different. From an expression: an array, or one answer per line.',
};

const multipleAnswers: INodeProperties = {
	displayName: 'Multiple Answers',
	name: 'multipleAnswers',
	type: 'boolean',
	default: false,
	displayOptions: { show },
	description: 'Whether people may pick more than one answer',
};

const options = queuedOptions(show, [replyToOption]);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, pollName, pollOptions, multipleAnswers, options];

/** Queued by default; with Wait for Result, the sent message. */
export const outputSchema: OutputSchema = sentMessageOutput('pollCreationMessageV3');

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const name = readParameter(this, pollName, itemIndex, requiredText);
	const raw = rawParameter(this, pollOptions, itemIndex, []);
	const answers = textList(pollOptions, raw);
	if (answers.length < MIN_OPTIONS || answers.length > MAX_OPTIONS) {
		throw invalidParameter(
			pollOptions,
			raw,
			`has ${answers.length} option(s)`,
			`${MIN_OPTIONS} to ${MAX_OPTIONS} different options`,
		);
	}
	const body = addReplyTo(
		{
			chatId: item.chatId,
			poll: {
				name,
				options: answers,
				multipleAnswers: readParameter(this, multipleAnswers, itemIndex, boolean, false),
			},
		},
		item.options,
	);
	return { ...item.base, method: 'POST', path: 'send-poll', body, kind: 'message' };
}
