import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readOptions } from '../../../helpers/parameters';
import type { CallOptions } from '../../../transport';
import { createItemClient } from '../../../transport';
import { instanceIdOption, optionsCollection, readRequestOptions, retryBudgetOption, timeoutOption } from '../../../descriptions/common';
import { answerObject, INSTANCE_ENDPOINTS, instanceCall } from '../../../domain/instances';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { field } from '../../../descriptions/outputSchemas';
import { instanceIdOutput, writeAttemptsOption } from './instanceFields';

const show = { resource: ['instance'], operation: ['restart'] };

const options = optionsCollection(show, [instanceIdOption, writeAttemptsOption('a restart'), retryBudgetOption, timeoutOption]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [options];

export const outputSchema: OutputSchema = {
	type: 'object',
	properties: {
		instanceId: instanceIdOutput,
		message: field('string', 'The API\'s answer, e.g. "WhatsApp instance restarted successfully."'),
	},
	required: ['instanceId', 'message'],
};

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const reader = readOptions(this, options, itemIndex);
	const client = await createItemClient.call(this, itemIndex, readRequestOptions(reader));
	const instanceId = client.connection.instanceId;
	const how: CallOptions = {
		idempotent: false,
		what: `restart of the instance "${instanceId}"`,
		expected: 'JSON with a "message"',
		mayHaveActedNote:
			'The instance may have been restarted anyway: check it with Instance › Get Health before restarting it again (5 restarts per minute).',
		mayHaveActedSummary: 'it may have been restarted, so it was not restarted again',
	};
	const response = await instanceCall(client, { method: 'POST', path: 'restart' }, how, INSTANCE_ENDPOINTS.restart);
	const message = answerObject(response.json)?.message;
	if (typeof message !== 'string') throw client.unexpected('the JSON has no "message"', how);
	return [{ json: { instanceId, message } }];
}
