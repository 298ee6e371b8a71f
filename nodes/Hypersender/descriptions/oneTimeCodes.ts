import type { INodeProperties } from 'n8n-workflow';

import type { OutputSchema } from './outputSchemas';
import { field } from './outputSchemas';

/** What the One-Time Code operations share: the parts of their output schemas, and the retry wording of a write. */

/** A code record as Request Code and Generate Link output it: the API's `data`, keys in camelCase. */
export function codeRecordOutput(extra: Record<string, OutputSchema>, required: string[]): OutputSchema {
	return {
		type: 'object',
		properties: {
			uuid: field('string', 'The code request\'s UUID'),
			chatId: field('string', 'The chat the code belongs to, e.g. 4915123456789@c.us'),
			code: field('string', 'The generated code'),
			status: field('string', 'Where the code stands, e.g. pending, sent, validated or expired'),
			otpType: field('string', 'code (Request Code) or link (Generate Link)'),
			expiresAt: field('string', 'When the code expires (ISO 8601)'),
			createdAt: field('string', 'When the code was created (ISO 8601)'),
			...extra,
		},
		// Keys the API may add to its record are passed on in camelCase.
		additionalProperties: true,
		required: ['uuid', 'chatId', 'code', 'status', ...required],
	};
}

/** Max Attempts, worded for a call that sends a WhatsApp message or uses up a code. */
export function writeAttemptsOption(base: INodeProperties, effect: string): INodeProperties {
	return {
		...base,
		description: `How many times the request is sent before the node gives up. It is sent again only where the server surely did not take it (connection refused, 429, 503), never after a timeout or a 500: ${effect}.`,
	};
}
