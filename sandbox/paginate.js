// @ts-check
'use strict';
// The SMS lists' query and answer, as Laravel with spatie/laravel-query-builder serves them:
// `filter[field]` (exact, partial or a date range), `sort` (`-field` descending, comma-separated),
// `include`, `per_page` (1-50, else 422) and `page`; the answer is Laravel's length-aware
// paginator `{data, links:{first, last, prev, next}, meta:{current_page, from, last_page, links,
// path, per_page, to, total}}`, its links keeping the query (withQueryString).
const { validationFailure } = require('./http');
const { parseDateTime } = require('./times');

/** @typedef {import('./types').Reply} Reply */

/**
 * What a list allows: each filter's kind and how to read the value from a record, the sortable
 * fields (value readers), the includes, and the default sort.
 * @template T
 * @typedef {object} ListSpec
 * @property {Record<string, { kind: 'exact' | 'partial' | 'date' | 'boolean', value: (item: T) => unknown }>} filters
 * @property {Record<string, (item: T) => string | number | null>} sorts
 * @property {string[]} includes
 * @property {string} defaultSort e.g. `-updated_at`
 * @property {(item: T) => number} seq creation order, breaks ties
 */

const MAX_PER_PAGE = 50;
const DEFAULT_PER_PAGE = 15;
/** Laravel shows all page links up to 13 pages, else a window with `...` (UrlWindow, onEachSide 3). */
const ON_EACH_SIDE = 3;

/**
 * The `filter[…]` values of a query, by key.
 * @param {Record<string, unknown>} input
 * @returns {Record<string, string>}
 */
function filterValues(input) {
	/** @type {Record<string, string>} */
	const filters = {};
	for (const [key, value] of Object.entries(input)) {
		const match = /^filter\[([^\]]*)\]$/.exec(key);
		if (match && typeof value === 'string' && value !== '') filters[match[1]] = value;
	}
	return filters;
}

/**
 * A date filter's bounds: `from,to` (either may be empty), or one day (`YYYY-MM-DD`), or one second.
 * @param {string} text
 * @returns {{ from: number, to: number } | undefined}
 */
function dateRange(text) {
	const parts = text.split(',').map((part) => part.trim());
	if (parts.length === 1) {
		const at = parseDateTime(parts[0]);
		if (at === undefined) return undefined;
		return { from: at, to: /^\d{4}-\d{2}-\d{2}$/.test(parts[0]) ? at + 86400000 - 1 : at + 999 };
	}
	if (parts.length !== 2 || (parts[0] === '' && parts[1] === '')) return undefined;
	const from = parts[0] === '' ? -Infinity : parseDateTime(parts[0]);
	const to = parts[1] === '' ? Infinity : parseDateTime(parts[1]);
	if (from === undefined || to === undefined) return undefined;
	return { from, to: /^\d{4}-\d{2}-\d{2}$/.test(parts[1]) ? to + 86400000 - 1 : to + 999 };
}

/** @param {string} text */
function booleanFilter(text) {
	const value = text.trim().toLowerCase();
	if (['1', 'true'].includes(value)) return true;
	if (['0', 'false'].includes(value)) return false;
	return undefined;
}

/**
 * The filter a `filter[key]=text` stands for, or an error message.
 * @template T
 * @param {ListSpec<T>['filters'][string]} filter
 * @param {string} key
 * @param {string} text
 * @returns {((item: T) => boolean) | string}
 */
function makeFilter(filter, key, text) {
	if (filter.kind === 'date') {
		const range = dateRange(text);
		if (!range) return `The filter.${key} field must be a date or a date range like "2025-01-01 00:00:00,2025-01-31 23:59:59".`;
		return (item) => {
			const value = filter.value(item);
			return typeof value === 'number' && value >= range.from && value <= range.to;
		};
	}
	if (filter.kind === 'boolean') {
		const wanted = booleanFilter(text);
		if (wanted === undefined) return `The filter.${key} field must be true or false.`;
		return (item) => filter.value(item) === wanted;
	}
	if (filter.kind === 'partial') {
		const needle = text.toLowerCase();
		return (item) => String(filter.value(item) ?? '').toLowerCase().includes(needle);
	}
	const wanted = text.split(',').map((part) => part.trim());
	return (item) => wanted.includes(String(filter.value(item) ?? ''));
}

/**
 * Reads and checks the list query; gives what to show or the refusal (400 for a filter, sort or
 * include the list does not allow, as spatie answers; 422 for per_page and bad values).
 * @template T
 * @param {Record<string, unknown>} input
 * @param {ListSpec<T>} spec
 * @returns {{ reply: Reply } | { keep: (item: T) => boolean, compare: (a: T, b: T) => number, include: string[], perPage: number, page: number }}
 */
function readListQuery(input, spec) {
	const filters = filterValues(input);
	const unknown = Object.keys(filters).filter((key) => !Object.hasOwn(spec.filters, key));
	if (unknown.length > 0) return refused(`Requested filter(s) \`${unknown.join(', ')}\` are not allowed. Allowed filter(s) are \`${Object.keys(spec.filters).join(', ')}\`.`);
	/** @type {Record<string, string[]>} */
	const errors = {};
	/** @type {Array<(item: T) => boolean>} */
	const tests = [];
	for (const [key, text] of Object.entries(filters)) {
		const made = makeFilter(spec.filters[key], key, text);
		if (typeof made === 'string') errors[`filter.${key}`] = [made];
		else tests.push(made);
	}
	const sortText = typeof input.sort === 'string' && input.sort.trim() !== '' ? input.sort : spec.defaultSort;
	const sorts = sortText.split(',').map((part) => part.trim()).filter((part) => part !== '');
	const badSorts = sorts.filter((part) => !Object.hasOwn(spec.sorts, part.replace(/^-/, '')));
	if (badSorts.length > 0) return refused(`Requested sort(s) \`${badSorts.join(', ')}\` is not allowed. Allowed sort(s) are \`${Object.keys(spec.sorts).join(', ')}\`.`);
	const include = typeof input.include === 'string' ? input.include.split(',').map((part) => part.trim()).filter((part) => part !== '') : [];
	const badIncludes = include.filter((part) => !spec.includes.includes(part));
	if (badIncludes.length > 0) return refused(`Requested include(s) \`${badIncludes.join(', ')}\` are not allowed. Allowed include(s) are \`${spec.includes.join(', ')}\`.`);
	const perPage = readPerPage(input.per_page, errors);
	if (Object.keys(errors).length > 0) return { reply: { status: 422, json: validationFailure(errors) } };
	const pageText = typeof input.page === 'string' ? input.page.trim() : '';
	const page = /^[0-9]+$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
	return { keep: (item) => tests.every((test) => test(item)), compare: comparator(sorts, spec), include, perPage, page };
}

/**
 * @param {string} message
 * @returns {{ reply: Reply }}
 */
function refused(message) {
	return { reply: { status: 400, json: { message } } };
}

/**
 * per_page: an integer 1-50 (default 15); errors are added to `errors`.
 * @param {unknown} value
 * @param {Record<string, string[]>} errors
 */
function readPerPage(value, errors) {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return DEFAULT_PER_PAGE;
	const text = String(value).trim();
	if (!/^[+-]?[0-9]+$/.test(text)) errors.per_page = ['The per page field must be an integer.'];
	else if (Number(text) > MAX_PER_PAGE) errors.per_page = [`The per page field must not be greater than ${MAX_PER_PAGE}.`];
	else if (Number(text) < 1) errors.per_page = ['The per page field must be at least 1.'];
	return Number(text);
}

/**
 * The order of `sort` (`-field` descending), then creation order (reversed with a descending first sort).
 * Missing values sort first ascending, last descending (as MySQL sorts NULL).
 * @template T
 * @param {string[]} sorts
 * @param {ListSpec<T>} spec
 */
function comparator(sorts, spec) {
	const keys = sorts.map((part) => ({ read: spec.sorts[part.replace(/^-/, '')], sign: part.startsWith('-') ? -1 : 1 }));
	const tieSign = keys[0]?.sign ?? 1;
	return (/** @type {T} */ a, /** @type {T} */ b) => {
		for (const { read, sign } of keys) {
			const [x, y] = [read(a), read(b)];
			if (x === y) continue;
			if (x === null) return -sign;
			if (y === null) return sign;
			return (x < y ? -1 : 1) * sign;
		}
		return (spec.seq(a) - spec.seq(b)) * tieSign;
	};
}

/**
 * Laravel's page links: every page up to 13 pages, else the first/last two and a window with `...`.
 * @param {number} current
 * @param {number} last
 * @returns {Array<number | '...'>}
 */
function pageWindow(current, last) {
	/** @param {number} from @param {number} to */
	const range = (from, to) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
	if (last < ON_EACH_SIDE * 2 + 8) return range(1, last);
	const window = ON_EACH_SIDE + 4;
	if (current <= window) return [...range(1, window + ON_EACH_SIDE), '...', last - 1, last];
	if (current > last - window) return [1, 2, '...', ...range(last - (window + ON_EACH_SIDE - 1), last)];
	return [1, 2, '...', ...range(current - ON_EACH_SIDE, current + ON_EACH_SIDE), '...', last - 1, last];
}

/**
 * One page of `items` (already filtered and sorted) as Laravel's paginator answers it.
 * @template T
 * @param {T[]} items
 * @param {{ perPage: number, page: number, path: string, input: Record<string, unknown>, view: (item: T) => unknown }} options
 */
function paginate(items, { perPage, page, path, input, view }) {
	const total = items.length;
	const last = Math.max(1, Math.ceil(total / perPage));
	const slice = items.slice((page - 1) * perPage, page * perPage);
	/** @type {Array<[string, string]>} */
	const query = Object.entries(input).flatMap(([key, value]) => (key !== 'page' && typeof value === 'string' ? [[key, value]] : []));
	/** @param {number} target */
	const url = (target) => `${path}?${new URLSearchParams([...query, ['page', String(target)]])}`;
	const from = slice.length > 0 ? (page - 1) * perPage + 1 : null;
	return {
		data: slice.map(view),
		links: { first: url(1), last: url(last), prev: page > 1 ? url(page - 1) : null, next: page < last ? url(page + 1) : null },
		meta: {
			current_page: page,
			from,
			last_page: last,
			links: [
				{ url: page > 1 ? url(page - 1) : null, label: '&laquo; Previous', active: false },
				...pageWindow(page, last).map((entry) => (entry === '...' ? { url: null, label: '...', active: false } : { url: url(entry), label: String(entry), active: entry === page })),
				{ url: page < last ? url(page + 1) : null, label: 'Next &raquo;', active: false },
			],
			path,
			per_page: perPage,
			to: from === null ? null : from + slice.length - 1,
			total,
		},
	};
}

module.exports = { DEFAULT_PER_PAGE, MAX_PER_PAGE, dateRange, pageWindow, paginate, readListQuery };
