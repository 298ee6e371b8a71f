import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** What one execution of the node carries from input item to input item. */
export interface ExecutionState {
	/** Contacts per page; shrinks for the rest of the execution when large pages keep failing. */
	contactPageSize: number;
}

/**
 * One operation: its parameters and what it does for one input item. The router runs it once
 * per item and pairs, collects and (on continue-on-fail) replaces its output.
 */
export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, state: ExecutionState): Promise<INodeExecutionData[]>;
}
