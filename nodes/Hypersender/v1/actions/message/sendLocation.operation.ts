import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { decimalNumber, readParameter, text } from '../../../helpers/parameters';
import { queuedOptions, recipientField, replyToOption } from '../../../descriptions/common';
import { addReplyTo, readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { sentMessageOutput } from '../../../descriptions/outputSchemas';

const show = { resource: ['message'], operation: ['sendLocation'] };

const chatId = recipientField(show, 'The person or group to send the location to: a phone number with country code or a WhatsApp chat ID');

const latitude: INodeProperties = {
	displayName: 'Latitude',
	name: 'latitude',
	type: 'number',
	required: true,
	default: 0,
	typeOptions: { minValue: -90, maxValue: 90, numberPrecision: 7 },
	displayOptions: { show },
	description: 'Latitude of the pin in decimal degrees, from -90 (south) to 90 (north), e.g. 52.5200',
};

const longitude: INodeProperties = {
	displayName: 'Longitude',
	name: 'longitude',
	type: 'number',
	required: true,
	default: 0,
	typeOptions: { minValue: -180, maxValue: 180, numberPrecision: 7 },
	displayOptions: { show },
	description: 'Longitude of the pin in decimal degrees, from -180 (west) to 180 (east), e.g. 13.4050',
};

const options = queuedOptions(show, [
	replyToOption,
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'e.g. Our office',
		description: 'Name shown with the pin',
	},
]);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, latitude, longitude, options];

/** Queued by default; with Wait for Result, the sent message. */
export const outputSchema: OutputSchema = sentMessageOutput('locationMessage');

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const body = addReplyTo(
		{
			chatId: item.chatId,
			latitude: readParameter(this, latitude, itemIndex, decimalNumber),
			longitude: readParameter(this, longitude, itemIndex, decimalNumber),
		},
		item.options,
	);
	const title = item.options.ifSet('title', text);
	if (title) body.title = title;
	return { ...item.base, method: 'POST', path: 'send-location', body, kind: 'message' };
}
