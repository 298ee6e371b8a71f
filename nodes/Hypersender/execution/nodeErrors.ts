import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InvalidParameterError } from '../helpers/parameters';
import { PagingCancelledError, PagingError } from '../transport/pager';

/** Every failure leaves the node as a NodeApiError (what the API said) or a NodeOperationError (what the user set). */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
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

/** Adds a sentence to an error's description (what else happened in this execution). */
export function addToDescription(error: NodeApiError | NodeOperationError, sentence: string): void {
	error.description = error.description ? `${error.description} ${sentence}` : sentence;
}
