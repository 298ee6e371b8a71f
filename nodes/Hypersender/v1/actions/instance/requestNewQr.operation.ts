import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readOptions, requiredText } from '../../../helpers/parameters';
import type { CallOptions } from '../../../transport';
import { createItemClient } from '../../../transport';
import { instanceIdOption, optionsCollection, readRequestOptions, retryBudgetOption, timeoutOption } from '../../../descriptions/common';
import { answerObject, INSTANCE_ENDPOINTS, instanceCall, instanceItem, qrCodeItem } from '../../../domain/instances';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { binaryPropertyNameOption, instanceOutput, writeAttemptsOption } from './instanceFields';

const show = { resource: ['instance'], operation: ['requestNewQr'] };

const options = optionsCollection(show, [
	binaryPropertyNameOption,
	instanceIdOption,
	writeAttemptsOption('a new QR code'),
	retryBudgetOption,
	timeoutOption,
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [options];

/** The instance's fields (without any access token) and the new QR code as a PNG file. */
export const outputSchema: OutputSchema = instanceOutput({}, ['instanceId']);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const reader = readOptions(this, options, itemIndex);
	const binaryPropertyName = reader.value('binaryPropertyName', requiredText);
	const client = await createItemClient.call(this, itemIndex, readRequestOptions(reader));
	const instanceId = client.connection.instanceId;
	const how: CallOptions = {
		idempotent: false,
		what: `new QR code for the instance "${instanceId}"`,
		expected: 'JSON with the new "qr_code"',
		mayHaveActedNote:
			'A new QR code may have been made anyway (an older one then stops working): wait a minute (one new QR code per minute) and request it again, or scan the one in the Hypersender dashboard.',
		mayHaveActedSummary: 'a new QR code may have been made, so none was requested again',
	};
	const response = await instanceCall(client, { method: 'POST', path: 'request-new-qr-code' }, how, INSTANCE_ENDPOINTS.newQrCode);
	const raw = answerObject(response.json);
	if (!raw) throw client.unexpected('the JSON is not an object with a "qr_code"', how);
	const fields = instanceItem(raw, 'omit');
	const json = { ...fields, instanceId: fields.instanceId ?? instanceId };
	const fileBase = typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name : instanceId;
	const item = await qrCodeItem.call(this, itemIndex, { raw, json, fileBase }, binaryPropertyName,
		'Nothing was stored. The API may have made a new QR code all the same: scan it in the Hypersender dashboard, or wait a minute (one new QR code per minute) and run again.',
	);
	return [item];
}
