import type { INodeProperties } from 'n8n-workflow';

import type { OptionsReader } from '../../../helpers/parameters';
import { wholeNumber } from '../../../helpers/parameters';
import { INSTANCE_STATUSES } from '../../../domain/instances';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field } from '../../../descriptions/outputSchemas';
import type { RequestOptions } from '../../../descriptions/common';
import { maxAttemptsOption } from '../../../descriptions/common';

/**
 * What several Instance operations declare and read alike (not an operation: the operations import
 * it, as they import ../../../descriptions): an instance's output fields, the QR code's file option,
 * Max Attempts worded for the instance writes, and the request options of the account's calls.
 */

/** The instance's UUID, as every Instance operation outputs it. */
export const instanceIdOutput = field('string', 'The instance\'s UUID: what the "Instance ID" option and the credential take');

/** An instance's fields, as Get Many, Create and Request New QR Code output them (camelCase; unknown fields passed through). */
export function instanceOutput(extra: Record<string, OutputSchema>, required: string[]): OutputSchema {
	return {
		type: 'object',
		properties: {
			instanceId: instanceIdOutput,
			name: field('string', 'The instance\'s unique name'),
			phone: field(['string', 'null'], 'The WhatsApp number, E.164 (e.g. +4915123456789)'),
			serviceType: field(['string', 'null'], 'The kind of instance, e.g. whatsapp'),
			status: field(['string', 'null'], `The connection state: ${INSTANCE_STATUSES.join(', ')}`),
			createdAt: field(['string', 'null'], 'When the instance was created'),
			...extra,
		},
		additionalProperties: true,
		required,
	};
}

/** Where Create and Request New QR Code put the QR code file. */
export const binaryPropertyNameOption: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'qrCode',
	hint: 'The name of the output binary field to put the QR code in',
	description: 'The binary property the QR code (a PNG file named after the instance) is stored in',
};

/** Max Attempts for the instance writes: repeated only where the API surely did not act. */
export function writeAttemptsOption(what: string): INodeProperties {
	return {
		...maxAttemptsOption,
		description: `How many times the request is sent before the node gives up. It is sent again only where the API surely did not act on it (rate limit 429 with its Retry-After, 503, connection refused), never after a timeout or a 500, so that ${what} never happens twice by accident.`,
	};
}

/**
 * The request options of an account call (Get Many, Create): Max Attempts, Retry Time Budget and
 * Timeout. They have no Instance ID option: they are about the account, not one instance.
 */
export function readAccountRequestOptions(reader: OptionsReader): RequestOptions {
	return {
		instanceId: undefined,
		maxAttempts: reader.value('maxAttempts', wholeNumber),
		timeoutMs: reader.value('timeout', wholeNumber),
		retryBudgetMs: reader.value('retryBudget', wholeNumber) * 1000,
	};
}
