import type { ContactKind } from './contactFields';
import { CONTACT_KINDS_FILTERABLE, foldForSearch } from './contactFields';
import type { ContactGetManyParameters, ContactSortBy, ContactSortOrder } from './interfaces';
import { DEFAULT_RETRY_POLICY } from './pager';

/** A parameter as the user sees it in the editor and as it is saved in the workflow. */
export interface ParameterName {
	displayName: string;
	name: string;
}

/** A parameter the user set wrong; the operation turns it into a NodeOperationError. */
export class InvalidParameterError extends Error {
	constructor(
		readonly parameter: ParameterName,
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'InvalidParameterError';
	}
}

export const PARAMETERS = {
	returnAll: { displayName: 'Return All', name: 'returnAll' },
	limit: { displayName: 'Limit', name: 'limit' },
	offset: { displayName: 'Offset', name: 'offset' },
	sortBy: { displayName: 'Sort By', name: 'sortBy' },
	sortOrder: { displayName: 'Sort Order', name: 'sortOrder' },
	instanceId: { displayName: 'Instance ID', name: 'instanceId' },
	maxAttempts: { displayName: 'Max Attempts per Page', name: 'maxAttempts' },
	timeout: { displayName: 'Timeout (Ms)', name: 'timeout' },
	retryBudget: { displayName: 'Retry Time Budget (Seconds)', name: 'retryBudget' },
	contactKind: { displayName: 'Contact Kind', name: 'contactKind' },
	addDerivedFields: { displayName: 'Add Derived Fields', name: 'addDerivedFields' },
	nameSearch: { displayName: 'Name Search', name: 'nameSearch' },
	concurrency: { displayName: 'Concurrent Requests', name: 'concurrency' },
} satisfies Record<string, ParameterName>;

export const SORT_BY_VALUES: readonly ContactSortBy[] = ['id', 'name'];

export const SORT_ORDER_VALUES: readonly ContactSortOrder[] = ['asc', 'desc'];

const INSTANCE_ID_HINT =
	'the instance UUID from the Hypersender dashboard, e.g. 9d6a2c1e-5b7f-4e3a-8c2d-1f0e9b8a7c65';

/** Shows a value as the user typed it, so `"200 "` and `200` are told apart in messages. */
export function describeValue(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number' && Object.is(value, -0)) return '-0';
	if (value === undefined) return 'nothing';
	if (typeof value === 'object' && value !== null) {
		try {
			return JSON.stringify(value);
		} catch {
			return Object.prototype.toString.call(value);
		}
	}
	return String(value);
}

function invalid(
	parameter: ParameterName,
	value: unknown,
	problem: string,
	allowed: string,
	description = `Set "${parameter.displayName}" to ${allowed}.`,
) {
	return new InvalidParameterError(
		parameter,
		`Invalid ${parameter.displayName} (${parameter.name}): ${describeValue(value)} ${problem}; allowed: ${allowed}`,
		description,
	);
}

/**
 * Reads a whole number. Expressions often produce numeric strings ("200"), which are
 * accepted; anything else is refused rather than coerced, so a typo never silently
 * becomes a default.
 */
export function parseWholeNumber(
	parameter: ParameterName,
	value: unknown,
	minimum: number,
	maximum = Number.MAX_SAFE_INTEGER,
): number {
	const allowed = `a whole number from ${minimum} to ${maximum}`;
	let parsed: number | undefined;
	if (typeof value === 'number') {
		parsed = value;
	} else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
		parsed = Number(value);
	}
	if (parsed === undefined || !Number.isInteger(parsed)) {
		throw invalid(parameter, value, 'is not a whole number', allowed);
	}
	if (parsed < minimum || (Object.is(parsed, -0) && minimum > 0)) {
		throw invalid(parameter, value, `is less than ${minimum}`, allowed);
	}
	if (!Number.isSafeInteger(parsed) || parsed > maximum) {
		throw invalid(parameter, value, 'is too large', allowed);
	}
	// -0 is a valid offset of 0; normalise it so it is sent as "0".
	return parsed === 0 ? 0 : parsed;
}

export function parseChoice<T extends string>(
	parameter: ParameterName,
	value: unknown,
	choices: readonly T[],
): T {
	if (typeof value === 'string' && (choices as readonly string[]).includes(value)) {
		return value as T;
	}
	throw invalid(
		parameter,
		value,
		'is not a valid choice',
		choices.map((choice) => `"${choice}"`).join(' or '),
	);
}

/**
 * Validates an instance ID. It is sent as one URL path segment (always encoded), so only
 * values that cannot name an instance are refused: empty, "." and ".." (which a URL would
 * resolve as a path step) and control characters.
 */
export function parseInstanceId(parameter: ParameterName, value: unknown): string {
	if (typeof value !== 'string') {
		throw invalid(parameter, value, 'is not text', INSTANCE_ID_HINT);
	}
	const trimmed = value.trim();
	if (trimmed === '') {
		throw invalid(
			parameter,
			value,
			'is empty',
			INSTANCE_ID_HINT,
			`Enter ${INSTANCE_ID_HINT}. To use the credential's instance, remove the "${parameter.displayName}" option.`,
		);
	}
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
	if (trimmed === '.' || trimmed === '..' || /[\u0000-\u001f\u007f]/.test(trimmed)) {
		throw invalid(parameter, value, 'is not an instance ID', INSTANCE_ID_HINT);
	}
	return trimmed;
}

export interface RawContactGetManyParameters {
	returnAll: unknown;
	limit: unknown;
	options: {
		offset?: unknown;
		sortBy?: unknown;
		sortOrder?: unknown;
		instanceId?: unknown;
		maxAttempts?: unknown;
		timeout?: unknown;
		retryBudget?: unknown;
		contactKind?: unknown;
		addDerivedFields?: unknown;
		nameSearch?: unknown;
		concurrency?: unknown;
	};
}

/** The Contact Kind multi-select; an expression may also give one kind or a comma-separated list. */
export function parseContactKinds(parameter: ParameterName, value: unknown): Set<ContactKind> {
	const allowed = `one or more of ${CONTACT_KINDS_FILTERABLE.map((kind) => `"${kind}"`).join(', ')}`;
	const list = typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value;
	if (!Array.isArray(list) || list.length === 0 || (list.length === 1 && list[0] === '')) {
		throw invalid(parameter, value, 'selects no kind', allowed);
	}
	for (const kind of list) {
		if (!(CONTACT_KINDS_FILTERABLE as readonly unknown[]).includes(kind)) {
			throw invalid(parameter, value, `has the unknown kind ${describeValue(kind)}`, allowed);
		}
	}
	return new Set(list as ContactKind[]);
}

export function parseBoolean(parameter: ParameterName, value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw invalid(parameter, value, 'is not a boolean', 'true or false');
}

function parseSearchText(parameter: ParameterName, value: unknown): string | undefined {
	if (typeof value !== 'string') throw invalid(parameter, value, 'is not text', 'any text (empty matches everyone)');
	const folded = foldForSearch(value.trim());
	return folded === '' ? undefined : folded;
}

/** Range and default of each numeric option: the editor's fields and this validation share them. */
export const NUMERIC_OPTIONS = {
	maxAttempts: { min: 1, max: 100, default: DEFAULT_RETRY_POLICY.maxAttempts },
	timeout: { min: 1, max: 3_600_000, default: 60_000 },
	retryBudget: { min: 0, max: 86_400, default: DEFAULT_RETRY_POLICY.budgetMs / 1000 },
	concurrency: { min: 1, max: 8, default: 1 },
} satisfies Record<string, { min: number; max: number; default: number }>;

function parseNumericOption(name: keyof typeof NUMERIC_OPTIONS, options: RawContactGetManyParameters['options']): number {
	if (!Object.prototype.hasOwnProperty.call(options, name)) return NUMERIC_OPTIONS[name].default;
	const { min, max } = NUMERIC_OPTIONS[name];
	return parseWholeNumber(PARAMETERS[name], options[name], min, max);
}

export function parseContactGetManyParameters(
	raw: RawContactGetManyParameters,
): ContactGetManyParameters {
	const returnAll = parseBoolean(PARAMETERS.returnAll, raw.returnAll);
	const { options } = raw;
	// An option that is present but empty (often an expression that found nothing) is an
	// error, never a silent default: an instance override falling back to the credential's
	// instance would read the wrong contact book.
	const isSet = (name: keyof RawContactGetManyParameters['options']) =>
		Object.prototype.hasOwnProperty.call(options, name);
	return {
		maxContacts: returnAll ? undefined : parseWholeNumber(PARAMETERS.limit, raw.limit, 1),
		offset: isSet('offset') ? parseWholeNumber(PARAMETERS.offset, options.offset, 0) : 0,
		sortBy: isSet('sortBy') ? parseChoice(PARAMETERS.sortBy, options.sortBy, SORT_BY_VALUES) : 'name',
		sortOrder: isSet('sortOrder')
			? parseChoice(PARAMETERS.sortOrder, options.sortOrder, SORT_ORDER_VALUES)
			: 'asc',
		instanceId: isSet('instanceId')
			? parseInstanceId(PARAMETERS.instanceId, options.instanceId)
			: undefined,
		maxAttempts: parseNumericOption('maxAttempts', options),
		timeoutMs: parseNumericOption('timeout', options),
		retryBudgetMs: parseNumericOption('retryBudget', options) * 1000,
		filter: {
			kinds: isSet('contactKind') ? parseContactKinds(PARAMETERS.contactKind, options.contactKind) : undefined,
			nameSearch: isSet('nameSearch') ? parseSearchText(PARAMETERS.nameSearch, options.nameSearch) : undefined,
		},
		concurrency: parseNumericOption('concurrency', options),
		addDerivedFields: isSet('addDerivedFields')
			? parseBoolean(PARAMETERS.addDerivedFields, options.addDerivedFields)
			: false,
	};
}
