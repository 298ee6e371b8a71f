import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { run } from '../execution/run';
import * as chat from './actions/chat';
import * as contact from './actions/contact';
import * as message from './actions/message';
import { operations, resource } from './actions/operations';
import * as queuedRequest from './actions/queuedRequest';

/**
 * Version 1 of the Hypersender node: everything the editor shows, as it was before the versioned
 * layout, and its operations (./actions) run by the shared run loop.
 */
export class HypersenderV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hypersender',
		name: 'hypersender',
		// n8n resolves a version's icon from the registered file's folder (../hypersender.svg); n8n's
		// icon check, which the verification scanner runs on the source without inline exceptions,
		// resolves it from this file's folder. So v1/ holds the same two files (a unit test keeps
		// them identical).
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
			resource,
			...chat.description,
			...contact.description,
			...message.description,
			...queuedRequest.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await run.call(this, operations);
	}
}
