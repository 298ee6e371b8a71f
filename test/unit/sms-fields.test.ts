import type { INodeProperties } from 'n8n-workflow';

import {
	checkSchedule,
	dateRange,
	dateTimeParser,
	formatApiDateTime,
	MAX_SCHEDULE_AHEAD_MS,
	numberKey,
	phoneFilter,
	recordId,
	smsRecipient,
	timeZoneName,
} from '../../nodes/Hypersender/domain/smsFields';
import { parseSmsPage } from '../../nodes/Hypersender/domain/smsPages';
import { unwrapRecord } from '../../nodes/Hypersender/domain/smsSends';

const property = (displayName: string, name: string): INodeProperties => ({ displayName, name, type: 'string', default: '' });
const to = property('To', 'to');

describe('smsRecipient: one phone number in E.164', () => {
	test.each([
		['+49 151 2345-6789', '+4915123456789'],
		[' +1 (415) 555-0100 ', '+14155550100'],
		['0044 20 7946 0958', '+442079460958'],
		['201234567890', '+201234567890'],
		['201234567890@C.US', '+201234567890'],
		['201234567890@s.whatsapp.net', '+201234567890'],
		[4915123456789, '+4915123456789'],
	])('%p → %p', (given, expected) => {
		expect(smsRecipient(to, given)).toBe(expected);
	});

	test.each([
		['120363041234567890@g.us', 'is a WhatsApp group'],
		['100875997589545@LID', 'is a WhatsApp linked ID'],
		['4915123456789:12@s.whatsapp.net', 'is not a phone number'],
		['0151 2345678', 'has no country code (it starts with 0)'],
		['+0049 151 2345678', 'has no country code (it starts with 0)'],
		['12345', 'is not 6 to 15 digits long'],
		['1234567890123456', 'is not 6 to 15 digits long'],
		['+49 151 2345 6789 ext. 2', 'is not a phone number'],
		['', 'is empty'],
		[null, 'is not text'],
	])('%p is refused: %s', (given, problem) => {
		expect(() => smsRecipient(to, given)).toThrow(problem);
	});
});

describe('phoneFilter: a number or short code to filter by', () => {
	test.each([
		['+49 151 2345-6789', '+4915123456789'],
		['4100', '4100'],
		['4915123456789@c.us', '+4915123456789'],
		[151, '151'],
	])('%p → %p', (given, expected) => {
		expect(phoneFilter(property('From Phone Number', 'fromPhoneNumber'), given)).toBe(expected);
	});

	test.each(['anna', '49@g.us', '', '1'.repeat(21)])('%p is refused', (given) => {
		expect(() => phoneFilter(property('From Phone Number', 'fromPhoneNumber'), given)).toThrow('is not a phone number');
	});
});

describe('dates as the API writes them', () => {
	const at = Date.UTC(2026, 2, 29, 0, 30, 5);

	test('YYYY-MM-DD HH:MM:SS in UTC, or as the clock of a time zone shows it (across a daylight-saving change)', () => {
		expect(formatApiDateTime(at)).toBe('2026-03-29 00:30:05');
		expect(formatApiDateTime(at, 'Europe/Berlin')).toBe('2026-03-29 01:30:05');
		expect(formatApiDateTime(at + 3600_000, 'Europe/Berlin')).toBe('2026-03-29 03:30:05');
		expect(formatApiDateTime(Date.UTC(2026, 0, 1), 'Asia/Kathmandu')).toBe('2026-01-01 05:45:00');
	});

	test('a date-time without an offset is read in the workflow\'s time zone; one with an offset, a Date or a Luxon-like value as given', () => {
		const parse = dateTimeParser('Europe/Berlin');
		const field = property('Schedule Send At', 'scheduleSendAt');
		expect(parse(field, '2026-03-29T01:30:05')).toBe(at);
		expect(parse(field, '2026-03-29 03:30:05')).toBe(at + 3600_000);
		expect(parse(field, '2026-07-01')).toBe(Date.UTC(2026, 5, 30, 22));
		expect(parse(field, '2026-03-29T00:30:05.000Z')).toBe(at);
		expect(parse(field, '2026-03-29T02:30:05+02:00')).toBe(at);
		expect(parse(field, new Date(at))).toBe(at);
		expect(parse(field, { toMillis: () => at })).toBe(at);
		expect(dateTimeParser('Not/AZone')(field, '2026-03-29T00:30:05')).toBe(at);
	});

	test.each(['tomorrow', '2026-13-01T00:00:00', '2026-01-01T24:00:00', '2026-01-01T10:00:00 Berlin', 42, ''])('%p is not a date', (value) => {
		expect(() => dateTimeParser('UTC')(property('Created After', 'createdAfter'), value)).toThrow(/is not a (valid )?date/);
	});

	test('the schedule window: from a minute ago to 3 days ahead', () => {
		const field = property('Schedule Send At', 'scheduleSendAt');
		const now = Date.UTC(2026, 0, 1);
		expect(() => checkSchedule(field, now - 30_000, now)).not.toThrow();
		expect(() => checkSchedule(field, now + MAX_SCHEDULE_AHEAD_MS, now)).not.toThrow();
		expect(() => checkSchedule(field, now - 61_000, now)).toThrow('is in the past');
		expect(() => checkSchedule(field, now + MAX_SCHEDULE_AHEAD_MS + 1000, now)).toThrow('is more than 3 days ahead');
	});

	test('a created range is "from,to" in UTC; an open end is the range\'s limit; no ends, no filter', () => {
		expect(dateRange(at, at + 60_000)).toBe('2026-03-29 00:30:05,2026-03-29 00:31:05');
		expect(dateRange(at, undefined)).toBe('2026-03-29 00:30:05,9999-12-31 23:59:59');
		expect(dateRange(undefined, at)).toBe('1970-01-01 00:00:00,2026-03-29 00:30:05');
		expect(dateRange(undefined, undefined)).toBeUndefined();
	});

	test('time zone names', () => {
		const field = property('Schedule Time Zone', 'scheduleTimeZone');
		expect(timeZoneName(field, ' Africa/Cairo ')).toBe('Africa/Cairo');
		expect(() => timeZoneName(field, 'GMT+2 Cairo')).toThrow('is not a time zone');
	});
});

describe('IDs, numbers and records', () => {
	test('record IDs are one word', () => {
		const field = property('Message ID', 'messageId');
		expect(recordId(field, ' 9e064045-039b ')).toBe('9e064045-039b');
		expect(recordId(field, 42)).toBe('42');
		expect(() => recordId(field, 'a b')).toThrow('is not an ID');
		expect(() => recordId(field, 'a\u0007')).toThrow('is not an ID');
	});

	test('two spellings of one number compare equal by their digits', () => {
		expect(numberKey('+49 151 2345-6789')).toBe(numberKey('+4915123456789'));
		expect(numberKey(undefined)).toBe('');
	});

	test('a record wrapped in "data" is unwrapped; an object is taken as it is; anything else is kept under "response"', () => {
		expect(unwrapRecord({ success: true, data: { id: 'm-1' } })).toEqual({ id: 'm-1' });
		expect(unwrapRecord({ id: 'm-1', data: 'x' })).toEqual({ id: 'm-1', data: 'x' });
		expect(unwrapRecord('OK')).toEqual({ response: 'OK' });
	});
});

describe('parseSmsPage: Laravel\'s paginator', () => {
	test('data, meta and links.next', () => {
		const page = parseSmsPage({ data: [{ id: 'a' }], links: { next: 'https://x?page=2' }, meta: { current_page: 1, last_page: '6', per_page: 1, total: 6 } });
		expect(page).toEqual({ items: [{ id: 'a' }], meta: { currentPage: 1, lastPage: 6, perPage: 1, total: 6 }, hasNext: true });
	});

	test('the plain paginator (its fields at the top, next_page_url), a bare array, and bodies that are no page', () => {
		expect(parseSmsPage({ data: [], current_page: 2, last_page: 2, per_page: 50, total: 50, next_page_url: null })).toEqual({
			items: [],
			meta: { currentPage: 2, lastPage: 2, perPage: 50, total: 50 },
			hasNext: false,
		});
		expect(parseSmsPage([{ id: 'a' }])).toEqual({ items: [{ id: 'a' }], meta: {}, hasNext: false });
		expect(parseSmsPage({ data: [{ id: 'a' }] })).toEqual({ items: [{ id: 'a' }], meta: {}, hasNext: undefined });
		expect(parseSmsPage({ message: 'Unauthenticated.' })).toEqual({ problem: 'the JSON has no "data" array (keys: message)' });
		expect(parseSmsPage({ data: [1] })).toEqual({ problem: 'the "data" array holds something that is not an object' });
		expect(parseSmsPage(null)).toEqual({ problem: 'the JSON has no "data" array (keys: none)' });
	});
});
