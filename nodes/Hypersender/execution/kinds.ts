import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { MultipartPart } from '../transport/multipart';
import type { RequestOptions } from '../descriptions/common';
import type { OutputSchema } from '../descriptions/outputSchemas';

/** What one execution of the node carries from input item to input item. */
export interface ExecutionState {
	/** Contacts per page; shrinks for the rest of the execution when large pages keep failing. */
	contactPageSize: number;
}

/**
 * An operation that answers directly (the Contact resource, Queued Request › Get): its
 * parameters and what it does for one input item. The run loop (./run) runs it once per item.
 */
export interface ItemOperation {
	kind: 'item';
	description: INodeProperties[];
	/** What one output item holds (the editor's schema preview; the build writes it to __schema__/). */
	outputSchema: OutputSchema;
	execute(this: IExecuteFunctions, itemIndex: number, state: ExecutionState): Promise<INodeExecutionData[]>;
}

/** One queued API call (a message or a chat action), checked and built, not yet sent. */
export interface QueuedAction {
	method: IHttpRequestMethods;
	/** Below the instance, e.g. `send-text`. */
	path: string;
	qs?: IDataObject;
	/** Sent as JSON. */
	body?: IDataObject;
	/** Sent as multipart/form-data; built only when sent, so the files of many items are not all held at once. */
	parts?: () => Promise<MultipartPart[]>;
	/** The chat it goes to, for messages about it. */
	chatId: string;
	/** `message` when WhatsApp shows something new in the chat (worded "may have been sent"), `action` otherwise. */
	kind: 'message' | 'action';
	requestOptions: RequestOptions;
	wait: { enabled: boolean; timeoutMs: number };
	/**
	 * The operation's own words for a refusal it knows (e.g. a plan that lacks the feature), from
	 * the POST's error status or the queued record's failed status and the API's message;
	 * undefined keeps the usual wording.
	 */
	refusal?: (status: number, apiMessage: string | undefined) => { message: string; description: string } | undefined;
}

/**
 * A queued operation (the Message and Chat resources). It only checks one item's parameters
 * and builds its call: ./queued checks every item before it sends anything, queues them in
 * order, and then waits for all of them together.
 */
export interface QueuedOperation {
	kind: 'queued';
	description: INodeProperties[];
	/** What one output item holds (the editor's schema preview; the build writes it to __schema__/). */
	outputSchema: OutputSchema;
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction>;
}

/** Every kind of operation, told apart by `kind`; ./run has one runner per kind. */
export type Operation = ItemOperation | QueuedOperation;

/** One resource of a node version: its Operation parameter and the operations that parameter lists. */
export interface ResourceOperations {
	operation: INodeProperties;
	operations: Record<string, Operation>;
}

/** What a node version runs: its Resource parameter and, for each resource value, its operations. */
export interface OperationTable {
	resource: INodeProperties;
	resources: Record<string, ResourceOperations>;
}
