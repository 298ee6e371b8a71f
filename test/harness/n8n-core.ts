/**
 * Runs the Hypersender node the way n8n runs it: a real n8n-core `WorkflowExecute` over a
 * real `Workflow`, so the node gets the `IExecuteFunctions` n8n-core builds (parameter and
 * expression resolution, credentials, `httpRequestWithAuthentication`, continue-on-fail,
 * paired items, cancellation). Only the parts of the n8n server that sit outside
 * n8n-core are stood in for: the credential store and the generic-auth step of the
 * credentials helper, which is written here the way n8n's server does it.
 */
import { randomUUID } from 'node:crypto';

import { Container } from '@n8n/di';
import { Credentials, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, isExpression, NodeHelpers, Workflow } from 'n8n-workflow';

import { HypersenderApi } from '../../credentials/HypersenderApi.credentials';
import { Hypersender } from '../../nodes/Hypersender/Hypersender.node';

export const NODE_TYPE = 'n8n-nodes-hypersender.hypersender';
export const NODE_NAME = 'Hypersender';

/** The node types, looked up as n8n's own NodeTypes does: a versioned type gives the version asked for. */
class HarnessNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = { [NODE_TYPE]: new Hypersender() };

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes() {
		return {};
	}
}

/** The credential store, and the generic `authenticate` step as n8n's server applies it. */
class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly credentialType: ICredentialType = new HypersenderApi();

	constructor(private readonly data: ICredentialDataDecryptedObject | undefined) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		if (typeName !== this.credentialType.name) throw new Error(`Unknown credential type ${typeName}`);
		const { authenticate } = this.credentialType;
		// As n8n's server does: a function is called with the decrypted data and the request.
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		if (typeof authenticate !== 'object' || authenticate.type !== 'generic') {
			throw new Error('The Hypersender credential is expected to use generic or function authentication');
		}
		const resolve = (value: string) =>
			isExpression(value)
				? String(
						workflow!.expression.getSimpleParameterValue(
							node!,
							value,
							'internal',
							{ $credentials: credentials },
							undefined,
							'',
						) ?? '',
					)
				: value;
		const target = requestOptions as unknown as Record<string, Record<string, string>>;
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			target[outerKey] ??= {};
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				target[outerKey][resolve(key)] = resolve(value);
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		return new Credentials({ id: '1', name: 'Hypersender (test)' }, 'hypersenderApi', '');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		if (!this.data) throw new Error('No Hypersender credential is stored');
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}
}

/** What n8n's server hands every node context: the credential store, the URLs, the user. */
export function harnessAdditionalData(
	credentials: ICredentialDataDecryptedObject | undefined,
	executionId: string,
): Partial<IWorkflowExecuteAdditionalData> {
	return {
		credentialsHelper: new HarnessCredentialsHelper(credentials),
		executionId,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook/',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting/',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting/',
		variables: {},
		userId: 'harness-user',
	};
}

export interface RunNodeOptions {
	parameters: INodeParameters;
	credentials?: ICredentialDataDecryptedObject;
	/** The items the node receives; one empty item by default, as after a Manual Trigger. */
	inputItems?: IDataObject[];
	/** Whole input items (with binary data); wins over inputItems. */
	inputData?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** n8n's node settings Retry On Fail, Max Tries and Wait Between Tries (ms). */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	/** More of n8n's node settings, e.g. { executeOnce: true, alwaysOutputData: true }. */
	nodeSettings?: Partial<Pick<INode, 'executeOnce' | 'alwaysOutputData'>>;
	/** The execution's ID; a new one per run by default. Tries of one run share it, as in n8n. */
	executionId?: string;
	mode?: WorkflowExecuteMode;
	/** Called once the run has started, with a function that cancels it as the editor's Stop button does. */
	onStarted?: (cancel: () => void) => void;
}

export interface RunNodeResult {
	items: INodeExecutionData[];
	/** The node's error as n8n recorded it (undefined when the node succeeded). */
	error: (Error & { description?: string; httpCode?: string; context?: IDataObject }) | undefined;
	run: IRun;
	/** The whole run as n8n would save it, serialised, for leak checks. */
	serialized: string;
}

export async function runHypersenderNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const node: INode = {
		id: 'a7a0f5b5-1c46-4b25-a4c8-5f0b0d1e2c3f',
		name: NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'contact', operation: 'getAll', ...options.parameters },
		credentials: { hypersenderApi: { id: '1', name: 'Hypersender (test)' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.retryOnFail ? { retryOnFail: true, ...options.retryOnFail } : {}),
		...options.nodeSettings,
	};
	const executionId = options.executionId ?? `harness-${randomUUID()}`;
	const workflow = new Workflow({
		id: 'harness',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes(),
		settings: { executionOrder: 'v1' },
	});
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: 'harness',
		name: 'Hypersender harness',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [node],
		connections: {},
	});
	let resolveRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));

	const additionalData = {
		...harnessAdditionalData(options.credentials, executionId),
		hooks,
		currentNodeParameters: undefined,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not part of this harness');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Task runners are not part of this harness');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node,
					data: { main: [options.inputData ?? (options.inputItems ?? [{}]).map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});

	const execution = new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(
		workflow,
	);
	options.onStarted?.(() => execution.cancel());
	await execution.catch(() => undefined);
	const run = await finished;
	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		error: (taskData?.error ?? run.data.resultData.error) as RunNodeResult['error'],
		run,
		serialized: JSON.stringify(run),
	};
}

/** n8n-core reads its outbound HTTP settings from the DI container, as in the n8n server. */
export function resetN8nContainer() {
	Container.reset();
}
