import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isObject } from '../helpers/interfaces';
import type { SmsClient } from '../transport/smsClient';

/**
 * The SMS lists (messages, threads, heartbeats) come in Laravel's paginator:
 * `{ data: [...], links: { next }, meta: { current_page, last_page, per_page, total } }`, asked for
 * with `per_page` (at most 50) and `page`. The reader follows the pages to the last one or to the
 * limit, and checks each against the first: a list that changes while it is read (a new message
 * moves every later one down a place) would give repeated or missing items, so it starts over
 * (twice at most) and otherwise fails with an error that says so, never with a short result.
 */

/** The API's largest page (`per_page`, "max: 50" in the API reference). */
export const SMS_MAX_PAGE_SIZE = 50;

/** How often a list that changed while it was read is read again from its first page. */
export const SMS_LIST_RESTARTS = 2;

export interface SmsList {
	/** Below the SMS instance, e.g. `messages`. */
	path: string;
	/** What the list holds, in words: 'SMS messages'. */
	noun: string;
	/** Query parameters besides the paging ones (`filter[...]`, `sort`). */
	qs: IDataObject;
	/** Added to the description of an error reading it. */
	note?: string;
	/** Added to the message of an error reading it, in brackets. */
	messageNote?: string;
	/** How to make the list hold still, for the error of a list that kept changing. */
	holdStill?: string;
}

export interface SmsListOptions {
	/** Most items to return; undefined: all. */
	maxItems?: number;
	/** Stops at the first item it accepts (that item included), e.g. the message with a request ID. */
	until?: (item: IDataObject) => boolean;
}

interface Meta {
	currentPage?: number;
	lastPage?: number;
	perPage?: number;
	total?: number;
}

interface Page {
	items: IDataObject[];
	meta: Meta;
	/** `links.next` (or `next_page_url`): whether the API names a next page; undefined when it does not say. */
	hasNext?: boolean;
}

/** What one page tells the reading: go on, it is over, or the list changed (reading it again may succeed). */
type Step = 'more' | 'done' | { changed: string };

function wholeNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : undefined;
}

/** One page of a 2xx answer, or what is wrong with it. A bare array is a whole, unpaged list. */
export function parseSmsPage(json: unknown): Page | { problem: string } {
	if (Array.isArray(json)) {
		if (!json.every(isObject)) return { problem: 'the JSON array holds something that is not an object' };
		return { items: json, meta: {}, hasNext: false };
	}
	if (!isObject(json) || !Array.isArray(json.data)) {
		const keys = isObject(json) ? Object.keys(json).join(', ') : '';
		return { problem: `the JSON has no "data" array (keys: ${keys || 'none'})` };
	}
	const items = json.data as unknown[];
	if (!items.every(isObject)) return { problem: 'the "data" array holds something that is not an object' };
	const meta = isObject(json.meta) ? json.meta : json;
	const links = isObject(json.links) ? json.links : {};
	const next = 'next' in links ? links.next : json.next_page_url;
	return {
		items: items as IDataObject[],
		meta: {
			currentPage: wholeNumber(meta.current_page),
			lastPage: wholeNumber(meta.last_page),
			perPage: wholeNumber(meta.per_page),
			total: wholeNumber(meta.total),
		},
		hasNext: next === undefined ? undefined : typeof next === 'string' && next !== '',
	};
}

function itemKey(item: IDataObject): string | undefined {
	return typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : undefined;
}

/** What the pages read so far say: the first page's total, the items, their IDs. */
interface Reading {
	items: IDataObject[];
	seen: Set<string>;
	total?: number;
	/** Items the pages held, before the limit cut them. */
	read: number;
}

/** The error for pages that contradict how the API documents its paging: reading again would not help. */
function notPaged(client: SmsClient, noun: string, problem: string): NodeOperationError {
	return new NodeOperationError(client.node, `The ${noun} could not be read completely: ${problem}`, {
		itemIndex: client.itemIndex,
		description:
			'The server is not paging the way the Hypersender SMS API documents, so the result would be incomplete or repeated. Check the credential\'s Base URL.',
	});
}

/** Checks one page against the first and takes its items; 'done' at the last page, the limit, or the item `until` looks for. */
function takePage(client: SmsClient, page: Page, number: number, reading: Reading, request: { pageSize: number; noun: string; options: SmsListOptions }): Step {
	const { meta } = page;
	const { noun, options } = request;
	if (meta.currentPage !== undefined && meta.currentPage !== number) {
		throw notPaged(client, noun, `the API answered the request for page ${number} with page ${meta.currentPage}`);
	}
	if (number === 1) reading.total = meta.total;
	else if (meta.total !== reading.total) {
		return { changed: `the API counted ${reading.total ?? 'no'} ${noun} on page 1 and ${meta.total ?? 'none'} on page ${number}` };
	}
	for (const item of page.items) {
		const key = itemKey(item);
		if (key !== undefined) {
			if (reading.seen.has(key)) return { changed: `the item with ID ${key} came again on page ${number}` };
			reading.seen.add(key);
		}
		reading.read++;
		if (reading.items.length < (options.maxItems ?? Infinity)) reading.items.push(item);
		if (options.until?.(item)) return 'done';
	}
	if (reading.items.length >= (options.maxItems ?? Infinity)) return 'done';
	const perPage = meta.perPage ?? request.pageSize;
	const last = meta.lastPage !== undefined ? number >= meta.lastPage : page.hasNext !== undefined ? !page.hasNext : page.items.length < perPage;
	if (!last && page.items.length !== perPage) {
		throw notPaged(client, noun, `page ${number} held ${page.items.length} ${noun} where ${perPage} were expected, and is not the last page`);
	}
	if (last && reading.total !== undefined && reading.read !== reading.total) {
		return { changed: `the pages held ${reading.read} ${noun} where the API counted ${reading.total}` };
	}
	return last ? 'done' : 'more';
}

async function readOnce(client: SmsClient, list: SmsList, options: SmsListOptions): Promise<IDataObject[] | { changed: string }> {
	const pageSize = Math.min(SMS_MAX_PAGE_SIZE, options.maxItems ?? SMS_MAX_PAGE_SIZE);
	const reading: Reading = { items: [], seen: new Set(), read: 0 };
	for (let number = 1; ; number++) {
		const { outcome, attempts } = await client.request(
			{ method: 'GET', path: list.path, qs: { ...list.qs, per_page: pageSize, page: number } },
			true,
		);
		const words = { what: `request for page ${number} of the ${list.noun}`, expected: 'JSON with a "data" array', attempts, note: list.note, messageNote: list.messageNote };
		if (!outcome.ok) throw client.error(outcome.failure, words);
		const page = parseSmsPage(outcome.response.json);
		if ('problem' in page) throw client.error({ type: 'response', garbled: false, problem: page.problem }, words);
		const step = takePage(client, page, number, reading, { pageSize, noun: list.noun, options });
		if (step === 'done') return reading.items;
		if (step !== 'more') return step;
	}
}

/**
 * Reads a list page by page (see the top of this file). Page requests are retried as reads
 * (429, 5xx, timeouts, dropped connections) within the item's attempts and time budget.
 */
export async function readSmsList(client: SmsClient, list: SmsList, options: SmsListOptions = {}): Promise<IDataObject[]> {
	let result = await readOnce(client, list, options);
	for (let restart = 1; restart <= SMS_LIST_RESTARTS && !Array.isArray(result); restart++) {
		result = await readOnce(client, list, options);
	}
	if (Array.isArray(result)) return result;
	throw new NodeOperationError(client.node, `The ${list.noun} could not be read completely: ${result.changed}`, {
		itemIndex: client.itemIndex,
		description: `The list changed while it was read (${SMS_LIST_RESTARTS + 1} tries), so the result would have missed or repeated some. Run the node again, or ${list.holdStill ?? 'narrow the list with filters so it holds still'}.`,
	});
}
