import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	instanceIdOption,
	maxAttemptsOption,
	optionsCollection,
	readRequestOptions,
	retryBudgetOption,
	timeoutOption,
} from '../Hypersender/descriptions/common';
import { addDerivedFields } from '../Hypersender/domain/contactFields';
import { contactPageFetcher } from '../Hypersender/domain/contactPages';
import { toNodeError } from '../Hypersender/execution/nodeErrors';
import { boolean, OptionsReader } from '../Hypersender/helpers/parameters';
import { getConnection } from '../Hypersender/transport';
import { collectContacts, MAX_PAGE_SIZE } from '../Hypersender/transport/pager';
import type { Change } from './state';
import { compare, decodeState, encodeState } from './state';

/** Contacts a manual test in the editor shows when nothing changed since the last poll. */
const SAMPLE_SIZE = 3;

/** Time kept back from n8n's poll budget for the reads themselves. */
const POLL_MARGIN_MS = 60_000;
/** n8n 2.x's default poll budget, used where n8n does not say: n8n 1.x has no getPollBudgetMs. */
const DEFAULT_POLL_BUDGET_MS = 5 * 60_000;

/** The time n8n gives one poll: its own figure where it has one (2.x), else 2.x's default. */
function pollBudgetMs(context: IPollFunctions): number {
	const { getPollBudgetMs } = context as Partial<Pick<IPollFunctions, 'getPollBudgetMs'>>;
	return typeof getPollBudgetMs === 'function' ? getPollBudgetMs.call(context) : DEFAULT_POLL_BUDGET_MS;
}

const options: INodeProperties = optionsCollection({}, [
	{
		displayName: 'Add Derived Fields',
		name: 'addDerivedFields',
		type: 'boolean',
		default: false,
		description: 'Whether to add "kind" (phone, lid, group), "phone" (E.164, or null) and "displayName" to each contact, as Get Many does',
	},
	{
		displayName: 'Emit Existing Contacts on First Poll',
		name: 'emitExistingOnFirstPoll',
		type: 'boolean',
		default: false,
		description:
			'Whether the first poll after activation outputs every contact already in the book. Off: the first poll only remembers the book, and later polls output what is new.',
	},
	{
		displayName: 'Include Name Changes',
		name: 'includeNameChanges',
		type: 'boolean',
		default: false,
		description:
			'Whether to also output contacts whose saved name or WhatsApp profile name changed, with "previousName" and "previousPushname" (the trigger then also remembers every contact\'s names)',
	},
	instanceIdOption,
	{ ...maxAttemptsOption, displayName: 'Max Attempts per Page' },
	retryBudgetOption,
	timeoutOption,
]);

function changeItem(change: Change, withDerivedFields: boolean): INodeExecutionData {
	const contact: IDataObject = withDerivedFields ? addDerivedFields({ ...change.contact }) : { ...change.contact };
	contact.change = change.change;
	if (change.change === 'renamed') {
		contact.previousName = change.previous?.name ?? null;
		contact.previousPushname = change.previous?.pushname ?? null;
	}
	return { json: contact };
}

export class HypersenderContactTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hypersender Contact Trigger',
		name: 'hypersenderContactTrigger',
		icon: { light: 'file:hypersender.svg', dark: 'file:hypersender.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'New contacts',
		description: 'Starts the workflow when contacts are added to (or renamed in) a WhatsApp instance\'s address book',
		defaults: { name: 'Hypersender Contact Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hypersenderApi', required: true }],
		properties: [
			{
				displayName:
					'Each poll reads the whole address book (one request per 1,000 contacts) and outputs the contacts not seen before. Hypersender has no "new contact" webhook, so this is how new contacts are found.',
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			options,
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const reader = new OptionsReader(options, this.getNodeParameter(options.name, {}) as IDataObject);
		let contacts;
		let includeNameChanges: boolean;
		let emitExisting: boolean;
		let withDerivedFields: boolean;
		try {
			includeNameChanges = reader.value('includeNameChanges', boolean);
			emitExisting = reader.value('emitExistingOnFirstPoll', boolean);
			withDerivedFields = reader.value('addDerivedFields', boolean);
			const request = readRequestOptions(reader);
			const connection = await getConnection.call(this, 0, request.instanceId);
			// By ID: the order that stays stable while contacts are added.
			const fetchPage = contactPageFetcher.call(this, connection, {
				sortBy: 'id',
				sortOrder: 'asc',
				timeoutMs: request.timeoutMs,
				itemIndex: 0,
			});
			const result = await collectContacts(fetchPage, {
				offset: 0,
				maxContacts: undefined,
				pageSize: MAX_PAGE_SIZE,
				// Retry waits stay within the time n8n gives one poll (5 minutes by default).
				retry: {
					maxAttempts: request.maxAttempts,
					budgetMs: Math.min(request.retryBudgetMs, Math.max(0, pollBudgetMs(this) - POLL_MARGIN_MS)),
				},
				concurrency: 1,
			});
			contacts = result.contacts;
		} catch (error) {
			// A failed poll outputs nothing and leaves what was remembered as it was.
			throw toNodeError(this.getNode(), error, 0);
		}

		const staticData = this.getWorkflowStaticData('node');
		const remembered = decodeState(staticData.state);
		const previousNames = (staticData.state as { names?: IDataObject } | undefined)?.names;
		const manual = this.getMode() === 'manual';
		const { changes, next, names, changed } = compare(contacts, remembered, { includeNameChanges, previousNames, namesInPlace: !manual });

		if (manual) {
			// A test in the editor: show what a poll would output now, or a sample; remember nothing.
			const items = changes.length
				? changes.map((change) => changeItem(change, withDerivedFields))
				: contacts.slice(0, SAMPLE_SIZE).map((contact) => changeItem({ contact, change: 'added' }, withDerivedFields));
			return items.length ? [items] : null;
		}

		// Assigned only when it changed: n8n saves the workflow after a poll only when its static
		// data was assigned to (n8n-workflow's ObservableObject marks it changed), and at a million
		// contacts the state is 16 MB to encode and write.
		if (changed) staticData.state = encodeState(next, names);
		if (remembered === undefined) {
			if (!emitExisting || contacts.length === 0) return null;
			return [contacts.map((contact) => changeItem({ contact, change: 'added' }, withDerivedFields))];
		}
		return changes.length ? [changes.map((change) => changeItem(change, withDerivedFields))] : null;
	}
}
