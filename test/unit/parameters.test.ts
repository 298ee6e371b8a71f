import type { INodeProperties } from 'n8n-workflow';

import { chatIdField, maxAttemptsOption, timeoutOption } from '../../nodes/Hypersender/descriptions/common';
import {
	chatId,
	choice,
	InvalidParameterError,
	OptionsReader,
	wholeNumber,
} from '../../nodes/Hypersender/helpers/parameters';
import { multipartBody } from '../../nodes/Hypersender/transport/multipart';

const chatIdProperty = chatIdField({ resource: ['contact'] }, 'test');

describe('Chat ID or Phone Number', () => {
	test.each([
		['+49 151 2345-6789', '4915123456789'],
		['(0049) 151.234.567', '0049151234567'],
		['12345', '12345'],
		['4915123456789@c.us', '4915123456789@c.us'],
		[' 100875997589545@lid\t', '100875997589545@lid'],
		[4915123456789, '4915123456789'],
	])('reads %p as %p', (given, expected) => {
		expect(chatId(chatIdProperty, given)).toBe(expected);
	});

	test.each([
		['1234', 'is not a phone number or chat ID'],
		['123456789012345678901', 'is not a phone number or chat ID'],
		['++4915123456789', 'is not a phone number or chat ID'],
		['49 151 x', 'is not a phone number or chat ID'],
		['   ', 'is empty'],
		['@c.us', 'is not a WhatsApp chat ID'],
		['a b@c.us', 'is not a WhatsApp chat ID'],
		[null, 'is not text'],
		[1.5, 'is not text'],
	])('refuses %p', (given, problem) => {
		expect(() => chatId(chatIdProperty, given)).toThrow(problem);
		expect(() => chatId(chatIdProperty, given)).toThrow('Invalid Chat ID or Phone Number (chatId)');
	});
});

describe('reading a parameter through its declaration', () => {
	test('takes the bounds of a number from typeOptions', () => {
		expect(wholeNumber(timeoutOption, '3600000')).toBe(3_600_000);
		expect(() => wholeNumber(timeoutOption, 3_600_001)).toThrow(
			'Invalid Timeout (Ms) (timeout): 3600001 is too large; allowed: a whole number from 1 to 3600000',
		);
		expect(() => wholeNumber(maxAttemptsOption, 0)).toThrow('is less than 1');
	});

	test('takes the choices from the declared options', () => {
		const property: INodeProperties = {
			displayName: 'Color',
			name: 'color',
			type: 'options',
			options: [
				{ name: 'Red', value: 'red' },
				{ name: 'Blue', value: 'blue' },
			],
			default: 'red',
		};
		expect(choice(property, 'blue')).toBe('blue');
		expect(() => choice(property, 'green')).toThrow('allowed: "red" or "blue"');
	});

	const collection: INodeProperties = {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		default: {},
		options: [maxAttemptsOption, timeoutOption],
	};

	test('gives the declared default for an option that was not added', () => {
		expect(new OptionsReader(collection, {}).value('maxAttempts', wholeNumber)).toBe(5);
		expect(new OptionsReader(collection, {}).ifSet('maxAttempts', wholeNumber)).toBeUndefined();
	});

	test('refuses an option that was added but resolved to nothing', () => {
		expect(() => new OptionsReader(collection, { timeout: undefined }).value('timeout', wholeNumber)).toThrow(
			InvalidParameterError,
		);
	});

	test('refuses to read an option the collection does not declare', () => {
		expect(() => new OptionsReader(collection, {}).value('offset', wholeNumber)).toThrow(
			'"offset" is not declared in "options"',
		);
	});
});

describe('multipart bodies', () => {
	test('encode text fields and files with their names and types, byte for byte', async () => {
		const file = Buffer.from([0, 1, 2, 255]);
		const { body, contentType } = await multipartBody([
			{ name: 'chatId', value: '4915123456789@c.us' },
			{ name: 'file', data: file, fileName: 'a "b".png', mimeType: 'image/png' },
		]);
		const boundary = /boundary=(.+)$/.exec(contentType)![1];
		expect(contentType.startsWith('multipart/form-data; boundary=')).toBe(true);
		const parts = body.toString('latin1').split(`--${boundary}`);
		expect(parts).toHaveLength(4);
		expect(parts[1]).toBe('\r\nContent-Disposition: form-data; name="chatId"\r\n\r\n4915123456789@c.us\r\n');
		expect(parts[2]).toBe(
			`\r\nContent-Disposition: form-data; name="file"; filename="a %22b%22.png"\r\nContent-Type: image/png\r\n\r\n${file.toString('latin1')}\r\n`,
		);
		expect(parts[3]).toBe('--\r\n');
	});
});
