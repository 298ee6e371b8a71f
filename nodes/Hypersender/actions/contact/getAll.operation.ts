import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { addDerivedFields, matchesFilter } from '../../helpers/contactFields';
import { collectContacts, MAX_PAGE_SIZE, PagingCancelledError, PagingError } from '../../helpers/pager';
import {
	InvalidParameterError,
	NUMERIC_OPTIONS,
	parseContactGetManyParameters,
} from '../../helpers/validation';
import { getConnection, requestContactsPage } from '../../transport';

const showOnlyForContactGetMany = {
	resource: ['contact'],
	operation: ['getAll'],
};

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		displayOptions: { show: showOnlyForContactGetMany },
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		displayOptions: { show: { ...showOnlyForContactGetMany, returnAll: [false] } },
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		displayOptions: { show: showOnlyForContactGetMany },
		default: {},
		options: [
			{
				displayName: 'Add Derived Fields',
				name: 'addDerivedFields',
				type: 'boolean',
				default: false,
				description:
					'Whether to add "kind" (phone, lid, group or other), "phone" (E.164, e.g. +4915123456789, only for phone contacts) and "displayName" (name, else pushname, else phone, else ID) to each contact',
			},
			{
				displayName: 'Concurrent Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: NUMERIC_OPTIONS.concurrency.min, maxValue: NUMERIC_OPTIONS.concurrency.max },
				default: 1,
				description:
					'How many pages to request at once (1 = one after the other). More can speed up large contact books on slow connections; the result is the same, at the cost of up to this many minus one requests past the end of the list. Mind your rate limits.',
			},
			{
				displayName: 'Contact Kind',
				name: 'contactKind',
				type: 'multiOptions',
				options: [
					{
						name: 'Phone Contact',
						value: 'phone',
						description: 'A phone number (ID ending in @c.us or @s.whatsapp.net)',
					},
					{
						name: 'Linked ID',
						value: 'lid',
						description: 'A WhatsApp linked ID (ID ending in @lid), which hides the phone number',
					},
					{ name: 'Group', value: 'group', description: 'A group chat (ID ending in @g.us)' },
				],
				default: ['phone', 'lid', 'group'],
				description:
					'Only return contacts of these kinds. With a limit, the node keeps reading until it has that many matching contacts or the list ends. Offset counts all contacts, before filtering.',
			},
			{
				displayName: 'Instance ID',
				name: 'instanceId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 9d6a2c1e-5b7f-4e3a-8c2d-1f0e9b8a7c65',
				description:
					'Read this WhatsApp instance instead of the one in the credential, e.g. to read several instances in one workflow. Remove the option to use the credential\'s instance.',
			},
			{
				displayName: 'Max Attempts per Page',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: NUMERIC_OPTIONS.maxAttempts.min, maxValue: NUMERIC_OPTIONS.maxAttempts.max },
				default: 5,
				description:
					'How many times a page is requested before the node gives up. Only rate limits (429), server errors (5xx), timeouts and dropped connections are retried, with exponential backoff; Retry-After is honored.',
			},
			{
				displayName: 'Name Search',
				name: 'nameSearch',
				type: 'string',
				default: '',
				placeholder: 'e.g. jose',
				description:
					'Only return contacts whose name or pushname contains this text, ignoring case and accents ("jose" finds "José"). Applied by the node after reading, with the same Limit behaviour as Contact Kind.',
			},
			{
				displayName: 'Offset',
				name: 'offset',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Number of contacts to skip before the first one returned',
			},
			{
				displayName: 'Retry Time Budget (Seconds)',
				name: 'retryBudget',
				type: 'number',
				typeOptions: { minValue: NUMERIC_OPTIONS.retryBudget.min, maxValue: NUMERIC_OPTIONS.retryBudget.max },
				default: 300,
				description:
					'Maximum time in seconds to spend waiting on retries for one input item. When it runs out, the node stops with the last error.',
			},
			{
				displayName: 'Sort By',
				name: 'sortBy',
				type: 'options',
				options: [
					{ name: 'ID', value: 'id', description: 'The WhatsApp ID (JID) of the contact' },
					{ name: 'Name', value: 'name', description: 'The name saved in the phone\'s contacts' },
				],
				default: 'name',
				description:
					'The field the API sorts contacts by. Sorting by name puts contacts without a saved name first in ascending order.',
			},
			{
				displayName: 'Sort Order',
				name: 'sortOrder',
				type: 'options',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
				default: 'asc',
				description: 'Whether contacts come in ascending or descending order',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: NUMERIC_OPTIONS.timeout.min, maxValue: NUMERIC_OPTIONS.timeout.max },
				default: 60000,
				description:
					'Time in ms to wait for each page before the request counts as failed (and is retried)',
			},
		],
	},
];

/** Every failure leaves this operation as a NodeApiError (what the API said) or a NodeOperationError (what the user set). */
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

/** What one run of the node carries from item to item. */
interface RunState {
	/** Shrinks for the rest of the run when large pages keep failing. */
	pageSize: number;
}

async function getContactsForItem(
	this: IExecuteFunctions,
	itemIndex: number,
	state: RunState,
): Promise<INodeExecutionData[]> {
	// Validated before anything is requested: a bad value never costs a request.
	const parameters = parseContactGetManyParameters({
		returnAll: this.getNodeParameter('returnAll', itemIndex),
		limit: this.getNodeParameter('limit', itemIndex, 50),
		options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
	});
	const connection = await getConnection.call(this, itemIndex, parameters.instanceId);
	const { sortBy, sortOrder, timeoutMs, filter } = parameters;
	const filtering = filter.kinds !== undefined || filter.nameSearch !== undefined;
	const result = await collectContacts(
		async ({ offset, limit }) =>
			await requestContactsPage.call(
				this,
				connection,
				{ offset, limit, sortBy, sortOrder },
				{ itemIndex, timeoutMs },
			),
		{
			offset: parameters.offset,
			maxContacts: parameters.maxContacts,
			pageSize: state.pageSize,
			retry: { maxAttempts: parameters.maxAttempts, budgetMs: parameters.retryBudgetMs },
			concurrency: parameters.concurrency,
			accept: filtering ? (contact) => matchesFilter(contact, filter) : undefined,
			signal: this.getExecutionCancelSignal(),
		},
	);
	state.pageSize = result.pageSize;
	// One pass, one wrapper per contact: what returnJsonArray + constructExecutionMetaData
	// would build in two (100,000 contacts is a normal contact book).
	const items: INodeExecutionData[] = new Array(result.contacts.length);
	for (let index = 0; index < result.contacts.length; index++) {
		const contact = result.contacts[index];
		items[index] = {
			json: parameters.addDerivedFields ? addDerivedFields(contact) : contact,
			pairedItem: { item: itemIndex },
		};
	}
	return items;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	const state: RunState = { pageSize: MAX_PAGE_SIZE };
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let output: INodeExecutionData[];
		try {
			output = await getContactsForItem.call(this, itemIndex, state);
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			if (this.continueOnFail()) {
				returnData.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
				continue;
			}
			throw nodeError;
		}
		// Appended one by one: spreading 100,000 items into push() would overflow the call stack.
		for (const item of output) returnData.push(item);
	}
	return returnData;
}
