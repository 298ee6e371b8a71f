import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';

import { run } from '../execution/run';
import { operations } from './actions/operations';
import { versionDescription } from './actions/versionDescription';

/**
 * Version 1 of the Hypersender node (as n8n's AirtableV1): the node's base description with
 * version 1's own (./actions/versionDescription), its operations run by the shared run loop.
 * Not a `*.node.ts` file: only the registered entry (../Hypersender.node.ts) is one, as n8n's
 * package scanner asks of every `*.node.ts` under nodes/.
 */
export class HypersenderV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = { ...baseDescription, ...versionDescription };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await run.call(this, operations);
	}
}
