import type { IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InvalidParameterError } from '../helpers/parameters';
import { MAX_PAGE_SIZE, PagingCancelledError, PagingError } from '../transport/pager';
import * as contact from './contact';
import type { ExecutionState, Operation } from './types';

/** Every operation, by resource and operation value: adding one is one line here. */
const operations: Record<string, Record<string, Operation>> = {
	contact: {
		get: contact.get,
		getAll: contact.getAll,
		getProfilePicture: contact.getProfilePicture,
		upsert: contact.upsert,
	},
};

/** Every failure leaves the node as a NodeApiError (what the API said) or a NodeOperationError (what the user set). */
function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof InvalidParameterError) {
		return new NodeOperationError(node, error.message, { itemIndex, description: error.description });
	}
	if (error instanceof PagingCancelledError) {
		return new NodeOperationError(node, error.message, { itemIndex });
	}
	if (error instanceof PagingError) {
		return new NodeOperationError(node, error.message, {
			itemIndex,
			description:
				'The server is not paging the way the Hypersender API documents, so the result would be incomplete or duplicated. Check the credential\'s Base URL.',
		});
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * Runs the chosen operation once per input item. Here, once for every operation: each output
 * item is paired with its input item, and with continue-on-fail a failing item becomes an
 * `{ error }` item while the others still run.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = operations[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for the resource "${resource}"`,
		);
	}
	const items = this.getInputData();
	const state: ExecutionState = { contactPageSize: MAX_PAGE_SIZE };
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let output: INodeExecutionData[];
		try {
			output = await selected.execute.call(this, itemIndex, state);
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
	return [returnData];
}
