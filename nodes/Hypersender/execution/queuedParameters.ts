import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { boolean, OptionsReader, readOptions, readParameter, recipient, text } from '../helpers/parameters';
import { readRequestOptions, readWaitOptions } from '../descriptions/common';
import type { QueuedAction } from './kinds';

/** What every queued operation reads the same way: the chat, its options, the request and wait options. */
export interface QueuedItem {
	chatId: string;
	options: OptionsReader;
	base: Pick<QueuedAction, 'chatId' | 'requestOptions' | 'wait'>;
}

export function readQueuedItem(
	this: IExecuteFunctions,
	itemIndex: number,
	chatIdProperty: INodeProperties,
	optionsProperty: INodeProperties,
): QueuedItem {
	const chatId = readParameter(this, chatIdProperty, itemIndex, recipient);
	const options = readOptions(this, optionsProperty, itemIndex);
	return {
		chatId,
		options,
		base: {
			chatId,
			requestOptions: { ...readRequestOptions(options), requireConnected: options.value('requireConnected', boolean) },
			wait: readWaitOptions(options),
		},
	};
}

/** Adds `reply_to` when the Reply To option holds a message ID. */
export function addReplyTo(body: IDataObject, options: OptionsReader): IDataObject {
	const replyTo = options.ifSet('replyTo', text);
	if (replyTo) body.reply_to = replyTo;
	return body;
}
