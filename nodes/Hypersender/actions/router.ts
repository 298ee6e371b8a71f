import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from '../transport/pager';
import * as chat from './chat';
import * as contact from './contact';
import * as message from './message';
import { toNodeError } from './nodeErrors';
import { runQueued } from './queued';
import * as queuedRequest from './queuedRequest';
import type { ExecutionState, ItemOperation, Operation } from './types';

/** Every operation, by resource and operation value: adding one is one line here. */
const operations: Record<string, Record<string, Operation>> = {
	chat: {
		markRead: chat.markRead,
		sendSeen: chat.sendSeen,
		startTyping: chat.startTyping,
		stopTyping: chat.stopTyping,
	},
	contact: {
		get: contact.get,
		getAll: contact.getAll,
		getProfilePicture: contact.getProfilePicture,
		upsert: contact.upsert,
	},
	message: {
		delete: message.deleteMessage,
		forward: message.forward,
		react: message.react,
		sendContactCard: message.sendContactCard,
		sendFile: message.sendFile,
		sendImage: message.sendImage,
		sendLocation: message.sendLocation,
		sendPoll: message.sendPoll,
		sendText: message.sendText,
		sendVideo: message.sendVideo,
		sendVoice: message.sendVoice,
		star: message.star,
	},
	queuedRequest: {
		get: queuedRequest.get,
	},
};

/**
 * Runs an operation that answers directly once per input item: each output item is paired
 * with its input item, and with continue-on-fail a failing item becomes an `{ error }` item
 * while the others still run.
 */
async function runPerItem(this: IExecuteFunctions, operation: ItemOperation): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const state: ExecutionState = { contactPageSize: MAX_PAGE_SIZE };
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let output: INodeExecutionData[];
		try {
			output = await operation.execute.call(this, itemIndex, state);
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (this.continueOnFail()) {
				returnData.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw nodeError;
		}
		// Paired in place and appended one by one: spreading 100,000 items into push() would
		// overflow the call stack, and a copy of each would only be garbage.
		for (const item of output) {
			item.pairedItem = { item: itemIndex };
			returnData.push(item);
		}
	}
	return returnData;
}

/**
 * Runs the chosen operation: directly per item, or (messages and chat actions) checked for
 * every item, queued in order and then waited for together (./queued).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operations[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for the resource "${resource}"`,
			{
				description:
					'Open the node and choose the resource and operation again. If the workflow was made with a newer version of n8n-nodes-hypersender, update the package in Settings → Community Nodes.',
			},
		);
	}
	const output =
		'prepare' in selected ? await runQueued.call(this, selected) : await runPerItem.call(this, selected);
	return [output];
}
