import type { IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * Reading parameters from their one declaration. A parameter is declared once, as the
 * INodeProperties object the editor shows; its name, display name, default, bounds
 * (`typeOptions.minValue`/`maxValue`) and choices (`options`) are read from that object here,
 * so the editor and the validation cannot disagree.
 */

/** A parameter the user set wrong; the router turns it into a NodeOperationError. */
export class InvalidParameterError extends Error {
	constructor(
		readonly parameter: Pick<INodeProperties, 'displayName' | 'name'>,
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'InvalidParameterError';
	}
}

/** Turns one raw value (as n8n resolved it) into a checked one, or throws InvalidParameterError. */
export type Parser<T> = (property: INodeProperties, value: unknown) => T;

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

export function invalidParameter(
	parameter: Pick<INodeProperties, 'displayName' | 'name'>,
	value: unknown,
	problem: string,
	allowed: string,
	description = `Set "${parameter.displayName}" to ${allowed}.`,
): InvalidParameterError {
	return new InvalidParameterError(
		parameter,
		`Invalid ${parameter.displayName} (${parameter.name}): ${describeValue(value)} ${problem}; allowed: ${allowed}`,
		description,
	);
}

/**
 * A whole number within the declared `minValue`/`maxValue`. Expressions often produce numeric
 * strings ("200"), which are accepted; anything else is refused rather than coerced, so a typo
 * never silently becomes a default.
 */
export const wholeNumber: Parser<number> = (property, value) => {
	const minimum = property.typeOptions?.minValue ?? Number.MIN_SAFE_INTEGER;
	const maximum = property.typeOptions?.maxValue ?? Number.MAX_SAFE_INTEGER;
	const allowed = `a whole number from ${minimum} to ${maximum}`;
	let parsed: number | undefined;
	if (typeof value === 'number') {
		parsed = value;
	} else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) {
		parsed = Number(value);
	}
	if (parsed === undefined || !Number.isInteger(parsed)) {
		throw invalidParameter(property, value, 'is not a whole number', allowed);
	}
	if (parsed < minimum || (Object.is(parsed, -0) && minimum > 0)) {
		throw invalidParameter(property, value, `is less than ${minimum}`, allowed);
	}
	if (!Number.isSafeInteger(parsed) || parsed > maximum) {
		throw invalidParameter(property, value, 'is too large', allowed);
	}
	// -0 is a valid offset of 0; normalise it so it is sent as "0".
	return parsed === 0 ? 0 : parsed;
};

/** A decimal number within the declared bounds (coordinates, seconds with a fraction). */
export const decimalNumber: Parser<number> = (property, value) => {
	const minimum = property.typeOptions?.minValue ?? -Number.MAX_VALUE;
	const maximum = property.typeOptions?.maxValue ?? Number.MAX_VALUE;
	const allowed = `a number from ${minimum} to ${maximum}`;
	const parsed =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(value)
				? Number(value)
				: Number.NaN;
	if (!Number.isFinite(parsed)) throw invalidParameter(property, value, 'is not a number', allowed);
	if (parsed < minimum || parsed > maximum) throw invalidParameter(property, value, 'is out of range', allowed);
	return parsed;
};

function choiceValues(property: INodeProperties): string[] {
	return ((property.options ?? []) as INodePropertyOptions[]).map((option) => String(option.value));
}

/** One of the declared `options` values. */
export const choice: Parser<string> = (property, value) => {
	const choices = choiceValues(property);
	if (typeof value === 'string' && choices.includes(value)) return value;
	throw invalidParameter(
		property,
		value,
		'is not a valid choice',
		choices.map((option) => `"${option}"`).join(' or '),
	);
};

/** One or more of the declared `options` values; an expression may also give a comma-separated list. */
export const choices: Parser<string[]> = (property, value) => {
	const allowed = `one or more of ${choiceValues(property)
		.map((option) => `"${option}"`)
		.join(', ')}`;
	const list = typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value;
	if (!Array.isArray(list) || list.length === 0 || (list.length === 1 && list[0] === '')) {
		throw invalidParameter(property, value, 'selects nothing', allowed);
	}
	const known = choiceValues(property);
	for (const item of list) {
		if (typeof item !== 'string' || !known.includes(item)) {
			throw invalidParameter(property, value, `has the unknown value ${describeValue(item)}`, allowed);
		}
	}
	return [...new Set(list as string[])];
};

export const boolean: Parser<boolean> = (property, value) => {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw invalidParameter(property, value, 'is not a boolean', 'true or false');
};

/** Any text, trimmed. */
export const text: Parser<string> = (property, value) => {
	if (typeof value === 'string') return value.trim();
	throw invalidParameter(property, value, 'is not text', 'text');
};

/** Text that must not be empty (required parameters). */
export const requiredText: Parser<string> = (property, value) => {
	const parsed = text(property, value);
	if (parsed === '') throw invalidParameter(property, value, 'is empty', 'non-empty text');
	return parsed;
};

const INSTANCE_ID_HINT =
	'the instance UUID from the Hypersender dashboard, e.g. 9d6a2c1e-5b7f-4e3a-8c2d-1f0e9b8a7c65';

/**
 * An instance ID. It is sent as one URL path segment (always encoded), so only values that
 * cannot name an instance are refused: empty, "." and ".." (which a URL would resolve as a path
 * step) and control characters.
 */
export const instanceId: Parser<string> = (property, value) => {
	if (typeof value !== 'string') {
		throw invalidParameter(property, value, 'is not text', INSTANCE_ID_HINT);
	}
	const trimmed = value.trim();
	if (trimmed === '') {
		throw invalidParameter(
			property,
			value,
			'is empty',
			INSTANCE_ID_HINT,
			`Enter ${INSTANCE_ID_HINT}. To use the credential's instance, remove the "${property.displayName}" option.`,
		);
	}
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
	if (trimmed === '.' || trimmed === '..' || /[\u0000-\u001f\u007f]/.test(trimmed)) {
		throw invalidParameter(property, value, 'is not an instance ID', INSTANCE_ID_HINT);
	}
	return trimmed;
};

/**
 * The digits of a phone number written the way people write them ("+49 (151) 2345-6789"):
 * spaces, "-", ".", "(", ")" and a leading "+" removed; undefined unless 5 to 20 digits remain.
 */
export function phoneDigits(text: string): string | undefined {
	const digits = text.replace(/[\s\-.()]/g, '').replace(/^\+/, '');
	return /^\d{5,20}$/.test(digits) ? digits : undefined;
}

const CHAT_ID_ALLOWED =
	'a phone number with country code (5 to 20 digits; spaces, "-", ".", "(", ")" and a leading "+" are removed) or a WhatsApp chat ID containing "@", e.g. 4915123456789@c.us';

/**
 * A chat ID as the API takes it. With an "@" it is a WhatsApp ID (`…@c.us`, `…@lid`, `…@g.us`)
 * and is sent as it is; otherwise it is a phone number, written the way people write them
 * ("+49 151 2345-6789"), and reduced to its digits.
 */
export const chatId: Parser<string> = (property, value) => {
	const raw = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof raw !== 'string') throw invalidParameter(property, value, 'is not text', CHAT_ID_ALLOWED);
	const trimmed = raw.trim();
	if (trimmed === '') throw invalidParameter(property, value, 'is empty', CHAT_ID_ALLOWED);
	if (trimmed.includes('@')) {
		// eslint-disable-next-line no-control-regex -- control characters and spaces cannot be part of a WhatsApp ID
		if (/[\u0000-\u0020\u007f]/.test(trimmed) || trimmed.startsWith('@') || trimmed.endsWith('@')) {
			throw invalidParameter(property, value, 'is not a WhatsApp chat ID', CHAT_ID_ALLOWED);
		}
		return trimmed;
	}
	const digits = phoneDigits(trimmed);
	if (digits === undefined) {
		throw invalidParameter(property, value, 'is not a phone number or chat ID', CHAT_ID_ALLOWED);
	}
	return digits;
};

function findOption(collection: INodeProperties, name: string): INodeProperties {
	const option = (collection.options ?? []).find(
		(candidate) => 'name' in candidate && candidate.name === name && 'type' in candidate,
	) as INodeProperties | undefined;
	if (!option) throw new Error(`"${name}" is not declared in "${collection.name}"`);
	return option;
}

/**
 * The values of an `options` collection, read through its declaration. n8n leaves out the
 * options the user did not add; one that was added but resolved to nothing (an expression that
 * found nothing) is an error, never a silent default.
 */
export class OptionsReader {
	constructor(
		private readonly collection: INodeProperties,
		private readonly raw: IDataObject,
	) {}

	isSet(name: string): boolean {
		findOption(this.collection, name);
		return Object.prototype.hasOwnProperty.call(this.raw, name);
	}

	/** The parsed value, or the declared default when the option was not added. */
	value<T>(name: string, parse: Parser<T>): T {
		const property = findOption(this.collection, name);
		return this.isSet(name) ? parse(property, this.raw[name]) : (property.default as T);
	}

	/** The parsed value, or undefined when the option was not added. */
	ifSet<T>(name: string, parse: Parser<T>): T | undefined {
		const property = findOption(this.collection, name);
		return this.isSet(name) ? parse(property, this.raw[name]) : undefined;
	}
}

const RECIPIENT_ALLOWED =
	'a phone number with country code (5 to 20 digits; spaces, "-", ".", "(", ")" and a leading "+" are removed), or a WhatsApp chat ID: <digits>@c.us, <digits>@s.whatsapp.net, <id>@lid or <id>@g.us (a group)';

/** The WhatsApp ID forms a message can go to; a phone number becomes `<digits>@c.us`. */
const RECIPIENT_FORMS: Array<{ suffix: string; local: RegExp }> = [
	{ suffix: '@c.us', local: /^\d{5,20}$/ },
	{ suffix: '@s.whatsapp.net', local: /^\d{5,20}$/ },
	{ suffix: '@lid', local: /^\d{5,30}$/ },
	{ suffix: '@g.us', local: /^\d{5,30}(-\d{5,15})?$/ },
];

/**
 * Where a message or chat action goes: a person or a group, as the send endpoints take it
 * (`chatId`). Unlike the contact endpoints these need a full WhatsApp ID, so a phone number is
 * sent as `<digits>@c.us`; an ID of an unknown form is refused before anything is sent.
 */
export const recipient: Parser<string> = (property, value) => {
	const raw = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof raw !== 'string') throw invalidParameter(property, value, 'is not text', RECIPIENT_ALLOWED);
	const trimmed = raw.trim();
	if (trimmed === '') throw invalidParameter(property, value, 'is empty', RECIPIENT_ALLOWED);
	if (trimmed.includes('@')) {
		const at = trimmed.indexOf('@');
		const suffix = trimmed.slice(at).toLowerCase();
		const form = RECIPIENT_FORMS.find((candidate) => candidate.suffix === suffix);
		if (!form || !form.local.test(trimmed.slice(0, at))) {
			throw invalidParameter(property, value, 'is not a WhatsApp chat ID of a known form', RECIPIENT_ALLOWED);
		}
		return `${trimmed.slice(0, at)}${suffix}`;
	}
	const digits = phoneDigits(trimmed);
	if (digits === undefined) {
		throw invalidParameter(property, value, 'is not a phone number or chat ID', RECIPIENT_ALLOWED);
	}
	return `${digits}@c.us`;
};

/** WhatsApp's limit on one text message, in characters. */
export const MAX_TEXT_LENGTH = 65536;

/**
 * Message text as typed: not trimmed (line breaks and indentation are part of a message), but
 * never empty or blank, and within `typeOptions.maxLength` (else WhatsApp's limit).
 */
export const messageText: Parser<string> = (property, value) => {
	const maximum = (property.typeOptions?.maxLength as number | undefined) ?? MAX_TEXT_LENGTH;
	const allowed = `text of 1 to ${maximum} characters`;
	const parsed = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
	if (typeof parsed !== 'string') throw invalidParameter(property, value, 'is not text', allowed);
	if (parsed.trim() === '') throw invalidParameter(property, value, 'is empty', allowed);
	if (parsed.length > maximum) {
		throw new InvalidParameterError(
			property,
			`Invalid ${property.displayName} (${property.name}): ${parsed.length} characters is too long; allowed: ${allowed}`,
			`Shorten "${property.displayName}" to at most ${maximum} characters, or split it into several messages.`,
		);
	}
	return parsed;
};

/** A public http(s) URL (the API fetches it without credentials). */
export const httpUrl: Parser<string> = (property, value) => {
	const allowed = 'a public http:// or https:// URL, e.g. https://example.com/photo.jpg';
	const parsed = text(property, value);
	if (parsed === '') throw invalidParameter(property, value, 'is empty', allowed);
	let url: URL;
	try {
		url = new URL(parsed);
	} catch {
		throw invalidParameter(property, value, 'is not a URL', allowed);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw invalidParameter(property, value, 'is not an http(s) URL', allowed);
	}
	return parsed;
};

/**
 * A list of texts: the editor's list of values, or (from an expression) an array or a text with
 * one entry per line. Entries are trimmed; empty entries and repeats are refused, not dropped.
 */
export const textList: Parser<string[]> = (property, value) => {
	const allowed = 'a list of non-empty, different texts';
	let list: unknown[];
	if (Array.isArray(value)) list = value;
	else if (typeof value === 'string') list = value.split(/\r?\n/);
	else throw invalidParameter(property, value, 'is not a list', allowed);
	const entries = list.map((entry) => {
		const item = entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? Object.values(entry)[0] : entry;
		if (typeof item === 'number') return String(item);
		if (typeof item !== 'string' || item.trim() === '') {
			throw invalidParameter(property, value, `has the empty or non-text entry ${describeValue(item)}`, allowed);
		}
		return item.trim();
	});
	const seen = new Set<string>();
	for (const entry of entries) {
		if (seen.has(entry.toLowerCase())) throw invalidParameter(property, value, `lists "${entry}" twice`, allowed);
		seen.add(entry.toLowerCase());
	}
	return entries;
};

/** Where an operation reads its parameters: n8n's execute context. */
export type ParameterSource = Pick<IExecuteFunctions, 'getNodeParameter'>;

/**
 * One parameter's value as n8n resolved it for an item, asked for by the declared name, so a
 * rename cannot split a declaration from its reader. `fallback` is what n8n returns when the
 * parameter is not set at all.
 */
export function rawParameter(source: ParameterSource, property: INodeProperties, itemIndex: number, fallback?: unknown): unknown {
	return source.getNodeParameter(property.name, itemIndex, fallback);
}

/** One parameter read through its declaration and checked against it (its bounds, choices, display name). */
export function readParameter<T>(
	source: ParameterSource,
	property: INodeProperties,
	itemIndex: number,
	parse: Parser<T>,
	fallback?: unknown,
): T {
	return parse(property, rawParameter(source, property, itemIndex, fallback));
}

/** An Options collection read through its declaration (nothing added: `{}`). */
export function readOptions(source: ParameterSource, collection: INodeProperties, itemIndex: number): OptionsReader {
	return new OptionsReader(collection, rawParameter(source, collection, itemIndex, {}) as IDataObject);
}
