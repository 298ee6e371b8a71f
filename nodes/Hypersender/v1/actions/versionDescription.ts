import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as chat from './chat';
import * as contact from './contact';
import * as instance from './instance';
import * as message from './message';
import * as otp from './otp';
import { resource } from './operations';
import * as queuedRequest from './queuedRequest';
import * as sms from './sms';
import * as smsThread from './smsThread';

/**
 * Version 1's own description: what the node's base description (../../Hypersender.node.ts: name,
 * icon, group, the node list's description) does not already say. Everything the editor shows is
 * as it was before the versioned layout.
 */
export const versionDescription: Omit<INodeTypeDescription, 'displayName' | 'name' | 'icon' | 'group' | 'description'> = {
	version: 1,
	// "Get many contacts", else the operation and resource in words: "send text: message".
	// SMS and One-Time Code have their own words ("Get many SMS messages", "request code: one-time code").
	subtitle:
		'={{ $parameter["operation"] === "getAll" ? "Get many " + ({ sms: "SMS messages", smsThread: "SMS threads" }[$parameter["resource"]] || $parameter["resource"] + "s") : $parameter["operation"].replace(/([A-Z])/g, " $1").toLowerCase() + ": " + ({ sms: "SMS", smsThread: "SMS thread", otp: "one-time code" }[$parameter["resource"]] || $parameter["resource"].replace(/([A-Z])/g, " $1").toLowerCase()) }}',
	defaults: { name: 'Hypersender' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'hypersenderApi', required: true }],
	properties: [
		resource,
		...chat.description,
		...contact.description,
		...instance.description,
		...message.description,
		...otp.description,
		...queuedRequest.description,
		...sms.description,
		...smsThread.description,
	],
};
