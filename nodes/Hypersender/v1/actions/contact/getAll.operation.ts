import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { boolean, choice, choices, OptionsReader, rawParameter, text, wholeNumber } from '../../../helpers/parameters';
import { isToolNode } from '../../../helpers/tool';
import { getConnection } from '../../../transport';
import { collectContacts } from '../../../transport/pager';
import type { ExecutionState } from '../../../execution/kinds';
import {
	addDerivedFieldsOption,
	instanceIdOption,
	maxAttemptsOption,
	optionsCollection,
	readRequestOptions,
	retryBudgetOption,
	timeoutOption,
} from '../../../descriptions/common';
import type { ContactFilter, ContactKind } from '../../../domain/contactFields';
import { addDerivedFields, foldForSearch, matchesFilter } from '../../../domain/contactFields';
import { contactPageFetcher } from '../../../domain/contactPages';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { contactOutput } from '../../../descriptions/outputSchemas';

const show = { resource: ['contact'], operation: ['getAll'] };

const returnAll: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	displayOptions: { show },
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

const limit: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	displayOptions: { show: { ...show, returnAll: [false], '@tool': [false] } },
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
};

/** The highest Limit an agent may ask for in one call; Offset pages past it. */
export const TOOL_MAX_LIMIT = 1000;

/**
 * Limit's default when an agent calls the node. n8n's convention that a Limit defaults to 50 is
 * for a node's output; a tool's output goes into the model's context, where 50 contacts (or a
 * user's 100,000 with Return All) crowd out the conversation. A deliberate, documented exception
 * (docs/ai-agents-and-mcp.md), kept to the tool variant: the node's own Limit stays 50.
 */
export const TOOL_DEFAULT_LIMIT = 10;

/**
 * Limit in the Hypersender Tool (what an AI agent or MCP client calls): the node's Limit, same name
 * (so a saved value or a $fromAI() on it works alike), with the tool's own default and a ceiling a
 * model-filled value is checked against. See TOOL_DEFAULT_LIMIT for why the default differs.
 */
const toolLimit: INodeProperties = {
	...limit,
	displayOptions: { show: { ...show, returnAll: [false], '@tool': [true] } },
	typeOptions: { minValue: 1, maxValue: TOOL_MAX_LIMIT },
	default: TOOL_DEFAULT_LIMIT,
	hint: `10 by default for an agent, at most ${TOOL_MAX_LIMIT} per call. To let the model ask for more, let it define Limit and Options › Offset, and say in their descriptions that the next contacts come from calling again with offset = previous offset + limit.`,
};

const options = optionsCollection(show, [
	addDerivedFieldsOption,
	{
		displayName: 'Concurrent Requests',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 8 },
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
	instanceIdOption,
	{
		...maxAttemptsOption,
		displayName: 'Max Attempts per Page',
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
	retryBudgetOption,
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
		...timeoutOption,
		description: 'Time in ms to wait for each page before the request counts as failed (and is retried)',
	},
]);

/** Answers directly, once per input item (../../../execution/run). */
export const kind = 'item';

export const description: INodeProperties[] = [returnAll, limit, toolLimit, options];

/** One item per contact: as the API sends it, plus what Add Derived Fields adds. */
export const outputSchema: OutputSchema = contactOutput;

/** Every parameter of Get Many, checked against its declaration before anything is requested. */
export function parseGetManyParameters(
	raw: { returnAll: unknown; limit: unknown; options: IDataObject },
	asTool = false,
) {
	const reader = new OptionsReader(options, raw.options);
	const nameSearch = reader.ifSet('nameSearch', text);
	const filter: ContactFilter = {
		kinds: reader.isSet('contactKind')
			? new Set(reader.value('contactKind', choices) as ContactKind[])
			: undefined,
		nameSearch: nameSearch ? foldForSearch(nameSearch) || undefined : undefined,
	};
	return {
		/** `undefined` means Return All. */
		maxContacts: boolean(returnAll, raw.returnAll) ? undefined : wholeNumber(asTool ? toolLimit : limit, raw.limit),
		offset: reader.value('offset', wholeNumber),
		sortBy: reader.value('sortBy', choice),
		sortOrder: reader.value('sortOrder', choice),
		filter,
		concurrency: reader.value('concurrency', wholeNumber),
		addDerivedFields: reader.value('addDerivedFields', boolean),
		...readRequestOptions(reader),
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	state: ExecutionState,
): Promise<INodeExecutionData[]> {
	const asTool = isToolNode(this.getNode());
	const parameters = parseGetManyParameters(
		{
			returnAll: rawParameter(this, returnAll, itemIndex),
			limit: rawParameter(this, asTool ? toolLimit : limit, itemIndex, (asTool ? toolLimit : limit).default),
			options: rawParameter(this, options, itemIndex, {}) as IDataObject,
		},
		asTool,
	);
	const connection = await getConnection.call(this, itemIndex, parameters.instanceId);
	const { sortBy, sortOrder, timeoutMs, filter } = parameters;
	const filtering = filter.kinds !== undefined || filter.nameSearch !== undefined;
	const fetchPage = contactPageFetcher.call(this, connection, { sortBy, sortOrder, timeoutMs, itemIndex });
	const result = await collectContacts(fetchPage, {
		offset: parameters.offset,
		maxContacts: parameters.maxContacts,
		pageSize: state.contactPageSize,
		retry: { maxAttempts: parameters.maxAttempts, budgetMs: parameters.retryBudgetMs },
		concurrency: parameters.concurrency,
		accept: filtering ? (contact) => matchesFilter(contact, filter) : undefined,
		signal: this.getExecutionCancelSignal(),
	});
	state.contactPageSize = result.pageSize;
	// One wrapper per contact, built in one pass (100,000 contacts is a normal contact book). The
	// router fills in `pairedItem`; declaring it here keeps each wrapper one compact object
	// instead of one that grows a second property store when the router adds it.
	const items: INodeExecutionData[] = new Array(result.contacts.length);
	for (let index = 0; index < result.contacts.length; index++) {
		const contact = result.contacts[index];
		items[index] = { json: parameters.addDerivedFields ? addDerivedFields(contact) : contact, pairedItem: undefined };
	}
	return items;
}
