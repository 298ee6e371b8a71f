import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { addToDescription, toNodeError } from './nodeErrors';

/** How a failing item is reported: more fields on its `{ error }` item, or a sentence when it stops the node. */
export interface FailureDetails {
	/** Added to the `{ error }` item with continue-on-fail, e.g. the queued request ID. */
	json?: IDataObject;
	/** Added to the error's description when it stops the node (what else this run already did). */
	stopNote?: () => string;
}

/**
 * The node's output, collected in one place for every kind of operation (./run): each input
 * item's output items paired with it, in input order. A failing item stops the node, or with
 * continue-on-fail becomes one `{ error }` item while the others still run.
 */
export class RunOutput {
	readonly continueOnFail: boolean;

	private readonly byItem: Array<INodeExecutionData[] | undefined>;

	private collected: INodeExecutionData[] | undefined;

	constructor(
		private readonly context: IExecuteFunctions,
		itemCount: number,
	) {
		this.continueOnFail = context.continueOnFail();
		this.byItem = new Array<INodeExecutionData[] | undefined>(itemCount);
	}

	/** The output items of one input item, paired with it in place. */
	succeeded(itemIndex: number, items: INodeExecutionData[]): void {
		// Paired in place: a copy of each of 100,000 contacts would only be garbage.
		for (const item of items) item.pairedItem = { item: itemIndex };
		this.byItem[itemIndex] = items;
	}

	/**
	 * One input item failed: without continue-on-fail the error leaves the node now (as a
	 * NodeApiError or NodeOperationError); with it, the item's output is `{ error }`.
	 */
	failed(itemIndex: number, error: unknown, details: FailureDetails = {}): void {
		const nodeError = toNodeError(this.context.getNode(), error, itemIndex);
		if (!this.continueOnFail) {
			const note = details.stopNote?.();
			if (note) addToDescription(nodeError, note);
			throw nodeError;
		}
		this.byItem[itemIndex] = [{ json: { error: nodeError.message, ...details.json }, pairedItem: { item: itemIndex } }];
	}

	/** Every output item, in input order (put together once). */
	items(): INodeExecutionData[] {
		if (this.collected) return this.collected;
		if (this.byItem.length === 1) {
			this.collected = this.byItem[0] ?? [];
			return this.collected;
		}
		const all: INodeExecutionData[] = [];
		// Appended one by one: spreading 100,000 items into push() would overflow the call stack.
		for (const items of this.byItem) {
			for (const item of items ?? []) all.push(item);
		}
		this.collected = all;
		return all;
	}
}
