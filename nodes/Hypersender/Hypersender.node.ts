import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as chat from './actions/chat';
import * as contact from './actions/contact';
import * as message from './actions/message';
import * as queuedRequest from './actions/queuedRequest';
import { router } from './actions/router';

export class Hypersender implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hypersender',
		name: 'hypersender',
		icon: { light: 'file:hypersender.svg', dark: 'file:hypersender.dark.svg' },
		group: ['input'],
		version: 1,
		// "Get many contacts", else the operation and resource in words: "send text: message".
		subtitle:
			'={{ $parameter["operation"] === "getAll" ? "Get many " + $parameter["resource"] + "s" : $parameter["operation"].replace(/([A-Z])/g, " $1").toLowerCase() + ": " + $parameter["resource"].replace(/([A-Z])/g, " $1").toLowerCase() }}',
		description:
			'Send WhatsApp messages, media and chat actions, follow queued requests, and manage the contacts of a WhatsApp instance with the Hypersender API',
		defaults: { name: 'Hypersender' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hypersenderApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Chat', value: 'chat' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Message', value: 'message' },
					{ name: 'Queued Request', value: 'queuedRequest' },
				],
				// Contact stays the default: saved workflows that never changed it rely on that.
				default: 'contact',
			},
			...chat.description,
			...contact.description,
			...message.description,
			...queuedRequest.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
