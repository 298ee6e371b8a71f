import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Hypersender } from '../../nodes/Hypersender/Hypersender.node';
import { recipientField } from '../../nodes/Hypersender/descriptions/common';
import { httpUrl, messageText, recipient, textList } from '../../nodes/Hypersender/helpers/parameters';
import type { ApiResponse } from '../../nodes/Hypersender/transport';
import {
	nextPollDelay,
	parseQueuedAnswer,
	parseRecord,
	recordFailure,
	recordStatus,
	serializedMessageId,
} from '../../nodes/Hypersender/transport/queued';

const answer = (json: unknown): ApiResponse => ({ status: 200, headers: {}, json, text: JSON.stringify(json) });

describe('the queued answer', () => {
	test('reads the documented fields', () => {
		expect(
			parseQueuedAnswer(answer({ queued: true, message: 'Processing your request...', queued_request_uuid: 'u1', queued_request_link: 'https://x/queued-requests/u1' })),
		).toEqual({ queued: true, queuedRequestId: 'u1', queuedRequestLink: 'https://x/queued-requests/u1' });
	});

	test('takes the answer under "data", and the ID from the link when only the link is there', () => {
		expect(parseQueuedAnswer(answer({ data: { queued: true, queued_request_uuid: 'u2' } }))).toMatchObject({ queuedRequestId: 'u2' });
		expect(parseQueuedAnswer(answer({ queued: true, queued_request_link: 'https://x/v2/i/queued-requests/u3?x=1' }))).toMatchObject({
			queuedRequestId: 'u3',
		});
	});

	test('says what is missing otherwise', () => {
		expect(parseQueuedAnswer(answer([]))).toEqual({ problem: 'the answer is not a JSON object' });
		expect(parseQueuedAnswer(answer({ message: 'ok' }))).toEqual({ problem: 'the JSON has no "queued_request_uuid"' });
		expect(parseQueuedAnswer(answer({ queued_request_uuid: '  ' }))).toEqual({ problem: 'the JSON has no "queued_request_uuid"' });
	});
});

describe('the queued record', () => {
	test('pending while response_status is null; sent for 2xx; failed otherwise', () => {
		const record = (status: unknown) => parseRecord({ uuid: 'u', request: {}, response_status: status, response_body: null })!;
		expect(recordStatus(record(null))).toBe('pending');
		expect(recordStatus(record(201))).toBe('sent');
		expect(recordStatus(record(200))).toBe('sent');
		expect(recordStatus(record('201'))).toBe('sent');
		expect(recordStatus(record(404))).toBe('failed');
		expect(recordStatus(record(422))).toBe('failed');
		expect(recordStatus(record(500))).toBe('failed');
	});

	test('a body without response_status, or with a status that is not one, is not a record', () => {
		expect(parseRecord({ uuid: 'u' })).toBeUndefined();
		expect(parseRecord({ uuid: 'u', response_status: 'done' })).toBeUndefined();
		expect(parseRecord('nope')).toBeUndefined();
		expect(parseRecord({ data: { uuid: 'u', response_status: 201 } })).toMatchObject({ uuid: 'u', response_status: 201 });
	});

	test('a failure\'s message and Laravel field errors', () => {
		const record = parseRecord({
			uuid: 'u',
			response_status: 422,
			response_body: { message: 'The given data was invalid.', errors: { chatId: ['Bad.', 'Worse.'], text: 'Missing.' } },
		})!;
		expect(recordFailure(record)).toEqual({
			message: 'The given data was invalid.',
			fieldErrors: ['chatId: Bad. Worse.', 'text: Missing.'],
		});
		expect(recordFailure(parseRecord({ response_status: 500, response_body: 'boom ' })!)).toEqual({ message: 'boom', fieldErrors: [] });
	});
});

test('the serialized message ID, from the key, or as the engine gives it', () => {
	expect(serializedMessageId({ key: { remoteJid: '49151@c.us', fromMe: true, id: 'ABC' } })).toBe('true_49151@c.us_ABC');
	expect(serializedMessageId({ key: { remoteJid: '1203@g.us', fromMe: false, id: 'X' } })).toBe('false_1203@g.us_X');
	expect(serializedMessageId({ id: { _serialized: 'true_1@c.us_Z' } })).toBe('true_1@c.us_Z');
	expect(serializedMessageId({ id: 'true_1@c.us_Y' })).toBe('true_1@c.us_Y');
	expect(serializedMessageId({ id: 'Y' })).toBeUndefined();
	expect(serializedMessageId({})).toBeUndefined();
	expect(serializedMessageId(null)).toBeUndefined();
});

test('polls a quarter of the time since queueing, from 250 ms to 5 s', () => {
	expect(nextPollDelay(0)).toBe(250);
	expect(nextPollDelay(900)).toBe(250);
	expect(nextPollDelay(2000)).toBe(500);
	expect(nextPollDelay(10_000)).toBe(2500);
	expect(nextPollDelay(600_000)).toBe(5000);
});

describe('parameters of messages', () => {
	const chat = recipientField({}, '');

	test.each([
		['+49 (151) 2345-6789', '4915123456789@c.us'],
		[4915123456789, '4915123456789@c.us'],
		['4915123456789@C.US', '4915123456789@c.us'],
		['4915123456789@s.whatsapp.net', '4915123456789@s.whatsapp.net'],
		['100875997589545@lid', '100875997589545@lid'],
		['120363041234567890@g.us', '120363041234567890@g.us'],
		['4915123456789-1600000000@g.us', '4915123456789-1600000000@g.us'],
	])('the recipient %p is sent as %p', (given, sent) => {
		expect(recipient(chat, given)).toBe(sent);
	});

	test.each(['', 'hello', 'abc@c.us', '49151@', '@c.us', '4915123456789@example.com', '12@c.us', 'group@g.us', '4915 123@c.us'])(
		'the recipient %p is refused, with the forms allowed',
		(given) => {
			expect(() => recipient(chat, given)).toThrow(/^Invalid Chat ID or Phone Number \(chatId\): .*; allowed: a phone number with country code .* <id>@g\.us \(a group\)$/);
		},
	);

	const textProperty: INodeProperties = { displayName: 'Text', name: 'text', type: 'string', default: '', typeOptions: { maxLength: 10 } };

	test('message text keeps its spacing, refuses blank and too long', () => {
		expect(messageText(textProperty, '  Hi\n')).toBe('  Hi\n');
		expect(messageText(textProperty, 42)).toBe('42');
		expect(() => messageText(textProperty, ' \n ')).toThrow('is empty; allowed: text of 1 to 10 characters');
		expect(() => messageText(textProperty, '12345678901')).toThrow('11 characters is too long; allowed: text of 1 to 10 characters');
		expect(() => messageText(textProperty, null)).toThrow('is not text');
	});

	const list: INodeProperties = { displayName: 'Poll Options', name: 'pollOptions', type: 'string', default: [] };

	test('a list of texts from the editor, an array or lines; no blanks or repeats', () => {
		expect(textList(list, ['A', ' B '])).toEqual(['A', 'B']);
		expect(textList(list, 'Yes\r\nNo')).toEqual(['Yes', 'No']);
		expect(textList(list, [{ option: 'A' }, { option: 'B' }])).toEqual(['A', 'B']);
		expect(textList(list, [1, 2])).toEqual(['1', '2']);
		expect(() => textList(list, ['A', ''])).toThrow('has the empty or non-text entry ""');
		expect(() => textList(list, ['Yes', 'yes'])).toThrow('lists "yes" twice');
		expect(() => textList(list, 5)).toThrow('is not a list');
	});

	const url: INodeProperties = { displayName: 'URL', name: 'url', type: 'string', default: '' };

	test('media URLs are http(s)', () => {
		expect(httpUrl(url, ' https://example.com/a.jpg ')).toBe('https://example.com/a.jpg');
		expect(() => httpUrl(url, 'file:///etc/passwd')).toThrow('is not an http(s) URL');
		expect(() => httpUrl(url, 'example.com/a.jpg')).toThrow('is not a URL');
	});
});

test('every operation of every resource has an action (its name as an AI tool) and a default that exists', () => {
	const { properties } = new Hypersender().getNodeType(1).description;
	const resources = (properties.find((property) => property.name === 'resource')!.options as INodePropertyOptions[]).map(
		(option) => option.value,
	);
	expect(resources).toEqual(['chat', 'contact', 'instance', 'message', 'otp', 'queuedRequest', 'sms', 'smsThread']);
	for (const resource of resources) {
		const operation = properties.find(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
		)!;
		const options = operation.options as INodePropertyOptions[];
		expect(options.length).toBeGreaterThan(0);
		for (const option of options) expect(option.action).toMatch(/^[A-Z][a-z]/);
		expect(options.map((option) => option.value)).toContain(operation.default);
	}
	expect(new Hypersender().getNodeType(1).description.usableAsTool).toBe(true);
});
