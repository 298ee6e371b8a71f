import type { INodeProperties } from 'n8n-workflow';

import type { Parser } from '../helpers/parameters';
import { describeValue, invalidParameter, InvalidParameterError } from '../helpers/parameters';

/**
 * The values the SMS API takes: numbers in E.164 (`+<country code><number>`) and date-times as
 * `YYYY-MM-DD HH:MM:SS` (the API reference's examples; its date filters are two of them, comma
 * separated). Pure functions, so they are tested without n8n.
 */

const SMS_TO_ALLOWED =
	'a phone number with country code, e.g. +49 151 23456789 (spaces, "-", ".", "(", ")" are removed; a leading 00 counts as +), or the WhatsApp chat ID of a phone number (<digits>@c.us or <digits>@s.whatsapp.net)';

/** A number in E.164: a country code (no leading 0) and at most 15 digits in all. */
const E164_DIGITS = /^[1-9]\d{5,14}$/;

function notAPhone(property: INodeProperties, value: unknown, problem: string): InvalidParameterError {
	return invalidParameter(property, value, problem, SMS_TO_ALLOWED);
}

/** The digits of a written number, or undefined when something else is in it. */
function writtenDigits(text: string): { digits: string; plus: boolean } | undefined {
	const compact = text.replace(/[\s\-.()/]/g, '');
	const plus = compact.startsWith('+');
	const digits = plus ? compact.slice(1) : compact;
	return /^\d+$/.test(digits) ? { digits, plus } : undefined;
}

/**
 * Where an SMS goes: one phone number, sent as `+<digits>`. It takes what the chat ID fields take
 * for a phone (`+49 151 …`, `4915…`, `4915…@c.us`), and `0049…`; a WhatsApp group or linked ID has
 * no phone number to text, and a national number (leading 0) no country code.
 */
export const smsRecipient: Parser<string> = (property, value) => {
	const raw = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof raw !== 'string') throw notAPhone(property, value, 'is not text');
	const trimmed = raw.trim();
	if (trimmed === '') throw notAPhone(property, value, 'is empty');
	let digits: string;
	if (trimmed.includes('@')) {
		const at = trimmed.indexOf('@');
		const server = trimmed.slice(at + 1).toLowerCase();
		if (server === 'g.us') throw notAPhone(property, value, 'is a WhatsApp group; an SMS goes to one phone number');
		if (server === 'lid') {
			throw notAPhone(property, value, 'is a WhatsApp linked ID, which hides the phone number an SMS needs');
		}
		if ((server !== 'c.us' && server !== 's.whatsapp.net') || !/^\d+$/.test(trimmed.slice(0, at))) {
			throw notAPhone(property, value, 'is not a phone number');
		}
		digits = trimmed.slice(0, at);
	} else {
		const written = writtenDigits(trimmed);
		if (written === undefined) throw notAPhone(property, value, 'is not a phone number');
		digits = !written.plus && written.digits.startsWith('00') ? written.digits.slice(2) : written.digits;
	}
	if (digits.startsWith('0')) {
		throw notAPhone(property, value, 'has no country code (it starts with 0)');
	}
	if (!E164_DIGITS.test(digits)) throw notAPhone(property, value, 'is not 6 to 15 digits long');
	return `+${digits}`;
};

/**
 * A number to filter by (sender or recipient): written forms reduced as for a recipient, but short
 * codes ("4100") and partial numbers are kept; the `+` stays when given.
 */
export const phoneFilter: Parser<string> = (property, value) => {
	const allowed = 'a phone number or short code, e.g. +49 151 23456789 or 4100';
	const raw = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof raw !== 'string' || raw.trim() === '') throw invalidParameter(property, value, 'is not a phone number', allowed);
	const trimmed = raw.trim();
	const at = trimmed.indexOf('@');
	const written = writtenDigits(at === -1 ? trimmed : trimmed.slice(0, at));
	if (written === undefined || written.digits.length > 20 || (at !== -1 && !/^@(c\.us|s\.whatsapp\.net)$/i.test(trimmed.slice(at)))) {
		throw invalidParameter(property, value, 'is not a phone number', allowed);
	}
	return at !== -1 || written.plus ? `+${written.digits}` : written.digits;
};

/** The wall-clock fields of an instant in a time zone. */
function wallClock(instant: number, timeZone: string): number[] {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(instant));
	const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
	return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
}

/** Whether `timeZone` is an IANA zone name (or UTC) this Node.js knows. */
export function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS` of an instant, as a clock in `timeZone` shows it. */
export function formatApiDateTime(instant: number, timeZone = 'UTC'): string {
	const [year, month, day, hour, minute, second] = wallClock(instant, timeZone);
	return `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

/** The instant a wall-clock time in `timeZone` names (the earlier one when the clock is turned back). */
function zonedInstant(fields: number[], timeZone: string): number {
	const [year, month, day, hour, minute, second, millisecond] = fields;
	const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
	const offsetAt = (instant: number) => {
		const [y, mo, d, h, mi, s] = wallClock(instant, timeZone);
		return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(instant / 1000) * 1000;
	};
	let instant = asUtc - offsetAt(asUtc);
	instant = asUtc - offsetAt(instant);
	return instant;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/**
 * A date-time as n8n hands it over: the editor's date picker gives local time without an offset
 * (read in the workflow's time zone, as n8n's own nodes do), an expression may give an ISO string
 * with an offset, a JavaScript Date or a Luxon DateTime ($now). Returns milliseconds since 1970.
 */
export function dateTimeParser(workflowTimeZone: string): Parser<number> {
	return (property, value) => {
		const allowed = 'a date and time, e.g. 2026-03-01T14:30:00 (the workflow\'s time zone) or 2026-03-01T14:30:00Z';
		if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
		if (value !== null && typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
			const millis = (value as { toMillis(): number }).toMillis();
			if (Number.isFinite(millis)) return millis;
		}
		if (typeof value !== 'string' || value.trim() === '') throw invalidParameter(property, value, 'is not a date', allowed);
		const text = value.trim();
		const local = LOCAL_DATE_TIME.exec(text);
		if (local) {
			const fields = local.slice(1).map((part, index) => (part === undefined ? 0 : Number(index === 6 ? part.padEnd(3, '0') : part)));
			const [, month, day, hour, minute, second] = fields;
			if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
				throw invalidParameter(property, value, 'is not a valid date', allowed);
			}
			return zonedInstant(fields, isTimeZone(workflowTimeZone) ? workflowTimeZone : 'UTC');
		}
		const parsed = /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? Date.parse(text) : Number.NaN;
		if (Number.isNaN(parsed)) throw invalidParameter(property, value, 'is not a date', allowed);
		return parsed;
	};
}

/** An IANA time zone name, e.g. Europe/Berlin, or UTC. */
export const timeZoneName: Parser<string> = (property, value) => {
	const allowed = 'an IANA time zone name, e.g. UTC, Europe/Berlin or Africa/Cairo';
	if (typeof value !== 'string' || value.trim() === '' || !isTimeZone(value.trim())) {
		throw invalidParameter(property, value, 'is not a time zone', allowed);
	}
	return value.trim();
};

/** The SMS API's schedule window: not in the past (a minute of clock skew allowed), at most 3 days ahead. */
export const MAX_SCHEDULE_AHEAD_MS = 3 * 24 * 60 * 60_000;
const SCHEDULE_SKEW_MS = 60_000;

export function checkSchedule(property: INodeProperties, instant: number, now: number): void {
	const allowed = 'a time from now to 3 days ahead';
	const shown = describeValue(new Date(instant).toISOString());
	if (instant < now - SCHEDULE_SKEW_MS) {
		throw new InvalidParameterError(
			property,
			`Invalid ${property.displayName} (${property.name}): ${shown} is in the past; allowed: ${allowed}`,
			`Set "${property.displayName}" to a time in the next 3 days, or remove the option to send at once.`,
		);
	}
	if (instant > now + MAX_SCHEDULE_AHEAD_MS) {
		throw new InvalidParameterError(
			property,
			`Invalid ${property.displayName} (${property.name}): ${shown} is more than 3 days ahead; allowed: ${allowed}`,
			`The SMS API schedules at most 3 days ahead. Set "${property.displayName}" to an earlier time.`,
		);
	}
}

/** The API's date range filter: `from,to`, each `YYYY-MM-DD HH:MM:SS` in UTC; an open end is the range's limit. */
export function dateRange(after: number | undefined, before: number | undefined): string | undefined {
	if (after === undefined && before === undefined) return undefined;
	const from = after === undefined ? '1970-01-01 00:00:00' : formatApiDateTime(after);
	const to = before === undefined ? '9999-12-31 23:59:59' : formatApiDateTime(before);
	return `${from},${to}`;
}

/** The digits of a number as a record holds it (`+4915…`), to compare two spellings of one number. */
export function numberKey(value: unknown): string {
	return typeof value === 'string' ? value.replace(/\D/g, '') : '';
}

/** The ID of a message or thread: one word (a UUID in every answer seen), sent as it is. */
export const recordId: Parser<string> = (property, value) => {
	const allowed = `the "id" of an SMS record, e.g. 9e064045-039b-4f94-a378-aa47b86a7e3f`;
	const raw = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof raw !== 'string' || raw.trim() === '') throw invalidParameter(property, value, 'is empty', allowed);
	if (/[\s\p{Cc}]/u.test(raw.trim())) throw invalidParameter(property, value, 'is not an ID', allowed);
	return raw.trim();
};
