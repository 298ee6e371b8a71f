import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from '../transport/pager';
import type { ExecutionState, ItemOperation, Operation, OperationTable } from './kinds';
import { RunOutput } from './output';
import { runQueued } from './queued';

/** Runs an operation that answers directly, once per input item, in input order. */
async function runItems(this: IExecuteFunctions, operation: ItemOperation, output: RunOutput): Promise<void> {
	const state: ExecutionState = { contactPageSize: MAX_PAGE_SIZE };
	const itemCount = this.getInputData().length;
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			output.succeeded(itemIndex, await operation.execute.call(this, itemIndex, state));
		} catch (error) {
			output.failed(itemIndex, error);
		}
	}
}

/** The operation the node is set to, from a version's table; an unknown pair is an error that says what to do. */
function selectOperation(this: IExecuteFunctions, table: OperationTable): Operation {
	const resource = this.getNodeParameter(table.resource.name, 0) as string;
	const entry = Object.hasOwn(table.resources, resource) ? table.resources[resource] : undefined;
	// Every resource's Operation parameter has the same name (n8n's convention), so the message
	// for a resource this version does not know still names the operation set.
	const operationParameter = (entry ?? Object.values(table.resources)[0]).operation;
	const operation = this.getNodeParameter(operationParameter.name, 0) as string;
	const selected = entry && Object.hasOwn(entry.operations, operation) ? entry.operations[operation] : undefined;
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
	return selected;
}

/**
 * The node's one run loop, for every node version and every kind of operation: it picks the
 * operation, lets the runner of its kind work through the input items, and returns what
 * ./output collected (paired, in input order, continue-on-fail applied).
 */
export async function run(this: IExecuteFunctions, table: OperationTable): Promise<INodeExecutionData[][]> {
	const selected = selectOperation.call(this, table);
	const output = new RunOutput(this, this.getInputData().length);
	switch (selected.kind) {
		case 'item':
			await runItems.call(this, selected, output);
			break;
		case 'queued':
			await runQueued.call(this, selected, output);
			break;
	}
	return [output.items()];
}
