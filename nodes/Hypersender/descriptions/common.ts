import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import type { OptionsReader } from '../helpers/parameters';
import { boolean, instanceId, wholeNumber } from '../helpers/parameters';

/**
 * Parameters several operations share, each declared once. An operation spreads them into its
 * description; its execute reads them back through the same objects (helpers/parameters).
 */

/** The chat a contact operation (and later a message) is about. */
export function chatIdField(show: IDisplayOptions['show'], description: string): INodeProperties {
	return {
		displayName: 'Chat ID or Phone Number',
		name: 'chatId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +49 151 23456789 or 4915123456789@c.us',
		displayOptions: { show },
		description,
	};
}

export const instanceIdOption: INodeProperties = {
	displayName: 'Instance ID',
	name: 'instanceId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 9d6a2c1e-5b7f-4e3a-8c2d-1f0e9b8a7c65',
	description:
		'Use this WhatsApp instance instead of the one in the credential, e.g. to work with several instances in one workflow. Remove the option to use the credential\'s instance.',
};

export const maxAttemptsOption: INodeProperties = {
	displayName: 'Max Attempts',
	name: 'maxAttempts',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 100 },
	default: 5,
	description:
		'How many times a request is sent before the node gives up. Only rate limits (429), server errors (5xx), timeouts and dropped connections are retried, with exponential backoff; Retry-After is honored.',
};

export const retryBudgetOption: INodeProperties = {
	displayName: 'Retry Time Budget (Seconds)',
	name: 'retryBudget',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 86400 },
	default: 300,
	description:
		'Maximum time in seconds to spend waiting on retries for one input item. When it runs out, the node stops with the last error.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Ms)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 3600000 },
	default: 60000,
	description: 'Time in ms to wait for each request before it counts as failed (and, where safe, is retried)',
};

/** The options every operation has: which instance, and how hard to try. */
export const requestOptions: INodeProperties[] = [instanceIdOption, maxAttemptsOption, retryBudgetOption, timeoutOption];

/** An operation's "Options" collection, its options in alphabetical order as n8n lists them. */
export function optionsCollection(show: IDisplayOptions['show'], options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		displayOptions: { show },
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** The values of the options every operation has. */
export interface RequestOptions {
	/** Set when the node overrides the credential's instance. */
	instanceId: string | undefined;
	maxAttempts: number;
	timeoutMs: number;
	retryBudgetMs: number;
	/** Queued operations' Require Connected Instance: read the instance's health before queuing (../execution/queued). */
	requireConnected?: boolean;
}

export function readRequestOptions(options: OptionsReader): RequestOptions {
	return {
		instanceId: options.ifSet('instanceId', instanceId),
		maxAttempts: options.value('maxAttempts', wholeNumber),
		timeoutMs: options.value('timeout', wholeNumber),
		retryBudgetMs: options.value('retryBudget', wholeNumber) * 1000,
	};
}

/** Where a message or chat action goes (a person or a group); a phone number is sent as `<digits>@c.us`. */
export function recipientField(show: IDisplayOptions['show'], description: string): INodeProperties {
	return {
		...chatIdField(show, description),
		placeholder: 'e.g. +49 151 23456789, 4915123456789@c.us or 120363041234567890@g.us',
	};
}

/** The serialized ID of a message, as Send operations output it. */
export function messageIdField(show: IDisplayOptions['show'], description: string): INodeProperties {
	return {
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. true_4915123456789@c.us_3EB0C767D26A1C4D6A7B',
		displayOptions: { show },
		description,
	};
}

export const replyToOption: INodeProperties = {
	displayName: 'Reply To',
	name: 'replyTo',
	type: 'string',
	default: '',
	placeholder: 'e.g. false_4915123456789@c.us_3EB0C767D26A1C4D6A7B',
	description: 'ID of the message in this chat to reply to (quoted above the new message)',
};

export const waitForResultOption: INodeProperties = {
	displayName: 'Wait for Result',
	name: 'waitForResult',
	type: 'boolean',
	default: false,
	description:
		'Whether to wait until Hypersender has processed the queued request and output the result (the sent message, with its ID), failing the item when it was not delivered. Off: output the queued request\'s ID at once.',
};

export const waitTimeoutOption: INodeProperties = {
	displayName: 'Wait Timeout (Seconds)',
	name: 'waitTimeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 3600 },
	default: 60,
	description:
		'With Wait for Result on: how long to wait for the result once all items are queued. Then the item fails with the queued request ID to check later.',
};

/** Max Attempts, worded for calls that are never repeated where they may have been carried out. */
export const writeMaxAttemptsOption: INodeProperties = {
	...maxAttemptsOption,
	description:
		'How many times a request is sent before the node gives up. A message or action is sent again only where the server surely did not take it (connection refused, 429, 503), never after a timeout or a 500, so it is never sent twice; reading its result is retried like any read.',
};

export const requireConnectedOption: INodeProperties = {
	displayName: 'Require Connected Instance',
	name: 'requireConnected',
	type: 'boolean',
	default: false,
	description:
		'Whether to check that the WhatsApp instance is connected (status WORKING) before queuing anything. Its health is read once per run (the API allows 10 reads a minute); when it is not connected, nothing is sent and the error says what to do (scan the QR code, restart, or wait).',
};

/** The options of every queued operation: its own, the wait and the request options. */
export function queuedOptions(show: IDisplayOptions['show'], own: INodeProperties[]): INodeProperties {
	return optionsCollection(show, [
		...own,
		instanceIdOption,
		requireConnectedOption,
		writeMaxAttemptsOption,
		retryBudgetOption,
		timeoutOption,
		waitForResultOption,
		waitTimeoutOption,
	]);
}

export function readWaitOptions(options: OptionsReader): { enabled: boolean; timeoutMs: number } {
	return {
		enabled: options.value('waitForResult', boolean),
		timeoutMs: options.value('waitTimeout', wholeNumber) * 1000,
	};
}

/** Get and Get Many's option that adds kind, phone and display name to each contact (../domain/contactFields). */
export const addDerivedFieldsOption: INodeProperties = {
	displayName: 'Add Derived Fields',
	name: 'addDerivedFields',
	type: 'boolean',
	default: false,
	description:
		'Whether to add "kind" (phone, lid, group or other), "phone" (E.164, e.g. +4915123456789, only for phone contacts) and "displayName" (name, else pushname, else phone, else ID) to each contact',
};
