/**
 * Runs the Hypersender Contact Trigger's poll() the way n8n's active-workflow poller does: an
 * n8n-core PollContext over a real Workflow whose static data is kept between polls (n8n saves
 * it with the workflow), with the credential store of the n8n-core harness.
 */
import { PollContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { HypersenderContactTrigger } from '../../nodes/HypersenderContactTrigger/HypersenderContactTrigger.node';
import { harnessAdditionalData } from './n8n-core';

const TRIGGER_TYPE = 'n8n-nodes-hypersender.hypersenderContactTrigger';

class TriggerNodeTypes implements INodeTypes {
	private readonly type = new HypersenderContactTrigger();

	getByName(): INodeType {
		return this.type;
	}

	getByNameAndVersion(): INodeType {
		return this.type;
	}

	getKnownTypes() {
		return {};
	}
}

export interface PollResult {
	items: INodeExecutionData[] | null;
	error: (Error & { description?: string }) | undefined;
}

/** One poll; `staticData` is the workflow's saved static data, updated in place as n8n would save it. */
export async function pollContactTrigger(options: {
	parameters: INodeParameters;
	credentials: ICredentialDataDecryptedObject;
	staticData: IDataObject;
	mode?: WorkflowExecuteMode;
	/** A poll context as n8n 1.x makes it: without getPollBudgetMs (added in n8n 2.x). */
	asN8n1?: boolean;
}): Promise<PollResult> {
	const node: INode = {
		id: 'c0a80121-7ac0-4e1d-8b8a-2f3e4d5c6b7a',
		name: 'Hypersender Contact Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { hypersenderApi: { id: '1', name: 'Hypersender (test)' } },
	};
	const workflow = new Workflow({
		id: 'poll-harness',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: new TriggerNodeTypes(),
		staticData: JSON.parse(JSON.stringify(options.staticData)) as IDataObject,
		settings: { executionOrder: 'v1' },
	});
	const additionalData = harnessAdditionalData(options.credentials, 'poll-harness') as IWorkflowExecuteAdditionalData;
	const context = new PollContext(workflow, node, additionalData, options.mode ?? 'trigger', 'activate');
	if (options.asN8n1) delete (context as { getPollBudgetMs?: unknown }).getPollBudgetMs;
	// Whatever the poll left in the static data is kept, even after an error: the strictest
	// assumption about what n8n saves, so a poll that changed its state before failing shows.
	const save = () => {
		const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
		for (const key of Object.keys(options.staticData)) delete options.staticData[key];
		Object.assign(options.staticData, saved);
	};
	try {
		const result = await new HypersenderContactTrigger().poll.call(context);
		save();
		return { items: result?.[0] ?? null, error: undefined };
	} catch (error) {
		save();
		return { items: null, error: error as PollResult['error'] };
	}
}
