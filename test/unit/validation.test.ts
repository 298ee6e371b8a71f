import type { IDataObject } from 'n8n-workflow';

import { parseGetManyParameters } from '../../nodes/Hypersender/v1/actions/contact/getAll.operation';
import { instanceIdOption } from '../../nodes/Hypersender/descriptions/common';
import { InvalidParameterError, instanceId as parseInstanceId } from '../../nodes/Hypersender/helpers/parameters';
import { redactSecret } from '../../nodes/Hypersender/helpers/redaction';

const valid = { returnAll: false as unknown, limit: 50 as unknown, options: {} as IDataObject };
const parseContactGetManyParameters = (raw: { returnAll: unknown; limit: unknown; options: unknown }) =>
	parseGetManyParameters(raw as typeof valid);

function errorOf(run: () => unknown): InvalidParameterError {
	try {
		run();
	} catch (error) {
		if (error instanceof InvalidParameterError) return error;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test code: any other error goes back to jest unchanged
		throw error;
	}
	throw new Error('expected an InvalidParameterError');
}

describe('parseContactGetManyParameters', () => {
	test('applies the documented defaults', () => {
		expect(parseContactGetManyParameters(valid)).toEqual({
			maxContacts: 50,
			offset: 0,
			sortBy: 'name',
			sortOrder: 'asc',
			instanceId: undefined,
			maxAttempts: 5,
			timeoutMs: 60000,
			retryBudgetMs: 300000,
			filter: { kinds: undefined, nameSearch: undefined },
			concurrency: 1,
			addDerivedFields: false,
		});
	});

	test('ignores the limit in Return All mode', () => {
		expect(parseContactGetManyParameters({ ...valid, returnAll: true, limit: 'ignored' }).maxContacts).toBeUndefined();
	});

	test('accepts numeric strings from expressions', () => {
		const parsed = parseContactGetManyParameters({ ...valid, limit: '200', options: { offset: ' 30 ' } });
		expect(parsed.maxContacts).toBe(200);
		expect(parsed.offset).toBe(30);
	});

	test('accepts limits above the API maximum', () => {
		expect(parseContactGetManyParameters({ ...valid, limit: 25000 }).maxContacts).toBe(25000);
	});

	test('treats an offset of -0 as 0', () => {
		expect(Object.is(parseContactGetManyParameters({ ...valid, options: { offset: -0 } }).offset, 0)).toBe(true);
	});

	test('trims the instance override', () => {
		expect(parseContactGetManyParameters({ ...valid, options: { instanceId: ' abc ' } }).instanceId).toBe('abc');
	});

	test.each([
		['limit', 0, 'Invalid Limit (limit): 0 is less than 1; allowed: a whole number from 1 to 9007199254740991'],
		['limit', -5, 'Invalid Limit (limit): -5 is less than 1'],
		['limit', -0, 'Invalid Limit (limit): -0 is less than 1'],
		['limit', 2.5, 'Invalid Limit (limit): 2.5 is not a whole number'],
		['limit', Number.NaN, 'Invalid Limit (limit): NaN is not a whole number'],
		['limit', Number.POSITIVE_INFINITY, 'Invalid Limit (limit): Infinity is not a whole number'],
		['limit', 1e300, 'Invalid Limit (limit): 1e+300 is too large'],
		['limit', 'abc', 'Invalid Limit (limit): "abc" is not a whole number'],
		['limit', '', 'Invalid Limit (limit): "" is not a whole number'],
		['limit', '20 0', 'Invalid Limit (limit): "20 0" is not a whole number'],
		['limit', '1e3', 'Invalid Limit (limit): "1e3" is not a whole number'],
		['limit', true, 'Invalid Limit (limit): true is not a whole number'],
		['limit', null, 'Invalid Limit (limit): null is not a whole number'],
		['limit', [5], 'Invalid Limit (limit): [5] is not a whole number'],
	])('refuses %s = %p, naming it and what is allowed', (_name, value, message) => {
		const error = errorOf(() => parseContactGetManyParameters({ ...valid, limit: value }));
		expect(error.message).toContain(message);
		expect(error.parameter).toMatchObject({ name: 'limit', displayName: 'Limit' });
		expect(error.description).toBe('Set "Limit" to a whole number from 1 to 9007199254740991.');
	});

	test.each([
		[{ offset: -1 }, 'Invalid Offset (offset): -1 is less than 0; allowed: a whole number from 0 to'],
		[{ offset: '-3' }, 'Invalid Offset (offset): "-3" is less than 0'],
		[{ offset: 'ten' }, 'Invalid Offset (offset): "ten" is not a whole number'],
		[{ offset: 1.5 }, 'Invalid Offset (offset): 1.5 is not a whole number'],
		[{ sortBy: 'email' }, 'Invalid Sort By (sortBy): "email" is not a valid choice; allowed: "id" or "name"'],
		[{ sortBy: 'Name' }, 'Invalid Sort By (sortBy): "Name" is not a valid choice'],
		[{ sortBy: '' }, 'Invalid Sort By (sortBy): "" is not a valid choice'],
		[{ sortOrder: 'up' }, 'Invalid Sort Order (sortOrder): "up" is not a valid choice; allowed: "asc" or "desc"'],
		[{ sortOrder: 1 }, 'Invalid Sort Order (sortOrder): 1 is not a valid choice'],
		[{ instanceId: '' }, 'Invalid Instance ID (instanceId): "" is empty'],
		[{ instanceId: '   ' }, 'Invalid Instance ID (instanceId): "   " is empty'],
		[{ instanceId: '..' }, 'Invalid Instance ID (instanceId): ".." is not an instance ID'],
		[{ instanceId: '.' }, 'Invalid Instance ID (instanceId): "." is not an instance ID'],
		[{ instanceId: 'a\nb' }, 'Invalid Instance ID (instanceId): "a\\nb" is not an instance ID'],
		[{ instanceId: 42 }, 'Invalid Instance ID (instanceId): 42 is not text'],
	])('refuses the option %p', (options, message) => {
		const error = errorOf(() => parseContactGetManyParameters({ ...valid, options }));
		expect(error.message).toContain(message);
	});

	test('refuses a Return All that is not a boolean', () => {
		expect(errorOf(() => parseContactGetManyParameters({ ...valid, returnAll: 'yes' })).message).toBe(
			'Invalid Return All (returnAll): "yes" is not a boolean; allowed: true or false',
		);
	});
});

describe('parseInstanceId', () => {
	test.each(['a/b', 'a?b', 'a#b', '%2F', '../x', 'ünï cödé 🙂'])('keeps %p as it is, to be encoded as one path segment', (value) => {
		expect(parseInstanceId(instanceIdOption, value)).toBe(value);
	});
});

describe('redactSecret', () => {
	test('removes the raw and the URL-encoded secret', () => {
		expect(redactSecret('token s3cr/et or s3cr%2Fet', 's3cr/et')).toBe('token [redacted] or [redacted]');
	});

	test('leaves text alone when there is no secret', () => {
		expect(redactSecret('nothing to hide', '')).toBe('nothing to hide');
	});
});

describe('options that are present but empty', () => {
	test.each(['offset', 'sortBy', 'sortOrder', 'instanceId'])('refuses %s when an expression resolved to nothing', (name) => {
		expect(() => parseContactGetManyParameters({ ...valid, options: { [name]: undefined } })).toThrow(InvalidParameterError);
	});
});

describe('CRM options', () => {
	test('reads the Contact Kind multi-select, or a comma-separated list from an expression', () => {
		expect(parseContactGetManyParameters({ ...valid, options: { contactKind: ['phone', 'group'] } }).filter.kinds).toEqual(
			new Set(['phone', 'group']),
		);
		expect(parseContactGetManyParameters({ ...valid, options: { contactKind: 'lid, group' } }).filter.kinds).toEqual(
			new Set(['lid', 'group']),
		);
	});

	test.each([
		[[], 'Invalid Contact Kind (contactKind): [] selects nothing; allowed: one or more of "phone", "lid", "group"'],
		['', 'Invalid Contact Kind (contactKind): "" selects nothing'],
		[['phone', 'email'], 'Invalid Contact Kind (contactKind): ["phone","email"] has the unknown value "email"'],
	])('refuses the Contact Kind %p', (contactKind, message) => {
		expect(errorOf(() => parseContactGetManyParameters({ ...valid, options: { contactKind } })).message).toContain(message);
	});

	test('folds the name search; empty text searches nothing', () => {
		expect(parseContactGetManyParameters({ ...valid, options: { nameSearch: ' JOSÉ ' } }).filter.nameSearch).toBe('jose');
		expect(parseContactGetManyParameters({ ...valid, options: { nameSearch: '' } }).filter.nameSearch).toBeUndefined();
		expect(errorOf(() => parseContactGetManyParameters({ ...valid, options: { nameSearch: 5 } })).message).toContain(
			'Invalid Name Search (nameSearch): 5 is not text',
		);
	});

	test('reads Add Derived Fields as a boolean', () => {
		expect(parseContactGetManyParameters({ ...valid, options: { addDerivedFields: true } }).addDerivedFields).toBe(true);
		expect(errorOf(() => parseContactGetManyParameters({ ...valid, options: { addDerivedFields: 'yes' } })).message).toContain(
			'Invalid Add Derived Fields (addDerivedFields): "yes" is not a boolean',
		);
	});
});
