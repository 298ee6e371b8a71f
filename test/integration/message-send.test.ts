/**
 * Message › Send Text and the queued model through n8n-core, against a scripted queued API on
 * 127.0.0.1: what is sent, what comes out with Wait for Result off and on, and how a failed
 * outcome reads.
 */
import { sendJson } from '../harness/http-server';
import { INSTANCE, queuedApi, runOperation as run, sentMessage, TOKEN } from '../harness/queued-api';

describe('Message › Send Text', () => {
	test('goes to send-text-safe by default, with the phone number as <digits>@c.us, and outputs the queued request', async () => {
		const api = await queuedApi();
		const result = await run(api, { operation: 'sendText', chatId: '+49 151 2345-6789', text: 'Hello *Anna*\n' });
		expect(result.error).toBeUndefined();
		expect(api.calls).toHaveLength(1);
		expect(api.calls[0].method).toBe('POST');
		expect(api.calls[0].path).toBe('send-text-safe');
		expect(api.calls[0].json).toEqual({ chatId: '4915123456789@c.us', text: 'Hello *Anna*\n' });
		expect(api.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(result.items.map((item) => item.json)).toEqual([
			{
				queued: true,
				queuedRequestId: api.accepted[0].uuid,
				queuedRequestLink: `http://127.0.0.1/api/whatsapp/v2/${INSTANCE}/queued-requests/${api.accepted[0].uuid}`,
			},
		]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(api.reads).toHaveLength(0);
	});

	test('Safe Mode off goes to send-text; Reply To and the link preview options are sent under the API\'s names', async () => {
		const api = await queuedApi();
		const result = await run(api, {
			operation: 'sendText',
			chatId: '120363041234567890@g.us',
			text: 'Hi group',
			options: { safeMode: false, replyTo: 'false_4915@c.us_ABC', linkPreview: false, linkPreviewHighQuality: true },
		});
		expect(result.error).toBeUndefined();
		expect(api.calls[0].path).toBe('send-text');
		expect(api.calls[0].json).toEqual({
			chatId: '120363041234567890@g.us',
			text: 'Hi group',
			reply_to: 'false_4915@c.us_ABC',
			link_preview: false,
			link_preview_high_quality: true,
		});
	});

	test('with Wait for Result, polls until the record is done and outputs the message with its serialized messageId', async () => {
		const api = await queuedApi({ outcome: () => ({ delayMs: 600 }) });
		const result = await run(api, {
			operation: 'sendText',
			chatId: '4915123456789',
			text: 'Hello',
			options: { waitForResult: true },
		});
		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(json.messageId).toBe('true_4915123456789@c.us_3EB0C767D26A1C4D6A7B');
		expect(json.key).toEqual({ remoteJid: '4915123456789@c.us', fromMe: true, id: '3EB0C767D26A1C4D6A7B' });
		expect(json.queuedRequestId).toBe(api.accepted[0].uuid);
		expect(json.responseStatus).toBe(201);
		// Pending at first, then done: more than one read, and far fewer than one per 10 ms.
		expect(api.reads.length).toBeGreaterThan(1);
		expect(api.reads.length).toBeLessThan(10);
		expect(new Set(api.reads)).toEqual(new Set([api.accepted[0].uuid]));
	});

	test('polls the record under the credential\'s Base URL, never the link the API gave', async () => {
		const api = await queuedApi();
		await run(api, { operation: 'sendText', chatId: '4915123456789', text: 'Hi', options: { waitForResult: true } });
		const read = api.requests.find((request) => request.method === 'GET');
		expect(read?.url).toBe(`/api/whatsapp/v2/${INSTANCE}/queued-requests/${api.accepted[0].uuid}`);
		expect(read?.headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	test('queues every item first, then waits for all of them together', async () => {
		const api = await queuedApi({ outcome: () => ({ delayMs: 300 }) });
		const inputItems = [1, 2, 3, 4, 5].map((n) => ({ phone: `491510000000${n}` }));
		const result = await run(
			api,
			{ operation: 'sendText', chatId: '={{ $json.phone }}', text: '=Hi {{ $json.phone }}', options: { waitForResult: true } },
			{ inputItems },
		);
		expect(result.error).toBeUndefined();
		const order = api.requests.map((request) => request.method);
		expect(order.slice(0, 5)).toEqual(['POST', 'POST', 'POST', 'POST', 'POST']);
		expect(order.slice(5).every((method) => method === 'GET')).toBe(true);
		expect(api.calls.map((call) => call.json?.chatId)).toEqual(inputItems.map((item) => `${item.phone}@c.us`));
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(result.items.map((item) => item.json.queuedRequestId)).toEqual(api.accepted.map((call) => call.uuid));
	});
});

describe('Wait for Result: outcomes that are not "sent"', () => {
	test('404 fails the item: not delivered, the number is not on WhatsApp or the instance was not found', async () => {
		const api = await queuedApi({ outcome: () => ({ status: 404, body: { message: 'The number is not on WhatsApp.' } }) });
		const result = await run(api, { operation: 'sendText', chatId: '4915100000000', text: 'Hi', options: { waitForResult: true } });
		expect(result.error?.message).toBe(
			'Not delivered: the number is not on WhatsApp, or the instance was not found (chat "4915100000000@c.us")',
		);
		expect(result.error?.description).toContain(api.accepted[0].uuid);
		expect(result.error?.description).toContain('The number is not on WhatsApp.');
	});

	test('422 fails the item with the API\'s field errors', async () => {
		const api = await queuedApi({
			outcome: () => ({
				status: 422,
				body: { message: 'The given data was invalid.', errors: { chatId: ['The chat id format is invalid.'] } },
			}),
		});
		const result = await run(api, { operation: 'sendText', chatId: '4915123456789', text: 'Hi', options: { waitForResult: true } });
		expect(result.error?.message).toBe('The Hypersender API rejected the request: chatId: The chat id format is invalid.');
		expect(result.error?.httpCode).toBe('422');
	});

	test('500 in the record fails the item with the status and the API\'s message', async () => {
		const api = await queuedApi({ outcome: () => ({ status: 500, body: { message: 'Engine crashed' } }) });
		const result = await run(api, { operation: 'sendText', chatId: '4915123456789', text: 'Hi', options: { waitForResult: true } });
		expect(result.error?.message).toBe('The queued request failed with status 500: Engine crashed');
		expect(result.error?.description).toContain('Queued Request › Get');
	});

	test('a record still pending at the Wait Timeout fails with the queued request ID to check later', async () => {
		const api = await queuedApi({ outcome: () => ({ delayMs: 60_000 }) });
		const started = Date.now();
		const result = await run(api, {
			operation: 'sendText',
			chatId: '4915123456789',
			text: 'Hi',
			options: { waitForResult: true, waitTimeout: 1 },
		});
		const uuid = api.accepted[0].uuid!;
		expect(result.error?.message).toBe(`No result after 1 s: the queued request ${uuid} is still processing`);
		expect(result.error?.description).toContain(`Queued Request › Get and the ID ${uuid}`);
		// It gave up at the timeout, not before (and polled more than once meanwhile).
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(api.reads.length).toBeGreaterThan(1);
	});

	test('with continue-on-fail, failed items become error items with their queued request ID; the others still come out', async () => {
		const api = await queuedApi({
			outcome: (call) =>
				String(call.json?.chatId).startsWith('4915100000000') ? { status: 404, body: { message: 'No WhatsApp.' } } : {},
		});
		const result = await run(
			api,
			{ operation: 'sendText', chatId: '={{ $json.to }}', text: 'Hi', options: { waitForResult: true } },
			{ inputItems: [{ to: '4915123456789' }, { to: '4915100000000' }, { to: '4915199999999' }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.messageId).toBe('true_4915123456789@c.us_3EB0C767D26A1C4D6A7B');
		expect(result.items[1].json).toEqual({
			error: 'Not delivered: the number is not on WhatsApp, or the instance was not found (chat "4915100000000@c.us")',
			queuedRequestId: api.accepted[1].uuid,
		});
		expect(result.items[2].json.messageId).toBe('true_4915199999999@c.us_3EB0C767D26A1C4D6A7B');
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('without continue-on-fail, the error says which other items were already queued', async () => {
		const api = await queuedApi({
			outcome: (_call, index) => (index === 1 ? { status: 404, body: { message: 'No WhatsApp.' } } : {}),
		});
		const result = await run(
			api,
			{ operation: 'sendText', chatId: '={{ $json.to }}', text: 'Hi', options: { waitForResult: true } },
			{ inputItems: [{ to: '4915123456789' }, { to: '4915100000000' }, { to: '4915199999999' }] },
		);
		expect(result.error?.message).toContain('Not delivered');
		expect(result.error?.description).toContain(`2 other input item(s) of this run were queued`);
		expect(result.error?.description).toContain(api.accepted[0].uuid);
		expect(result.error?.description).toContain(api.accepted[2].uuid);
	});

	test('the token never shows in output or errors, even when the record echoes it', async () => {
		const api = await queuedApi({ outcome: () => ({ status: 500, body: { message: `bad token ${TOKEN}` } }) });
		const result = await run(api, { operation: 'sendText', chatId: '4915123456789', text: 'Hi', options: { waitForResult: true } });
		expect(result.error?.message).toContain('[redacted]');
		expect(result.serialized).not.toContain(TOKEN);
	});
});

describe('The immediate answer', () => {
	test('a 2xx without a queued_request_uuid fails the item: it may have been sent, and it is not sent again', async () => {
		const api = await queuedApi({
			intercept: (_call, response) => {
				sendJson(response, 200, { message: 'ok' });
				return true;
			},
		});
		const result = await run(api, { operation: 'sendText', chatId: '4915123456789', text: 'Hi' });
		expect(result.error?.message).toBe(
			'Hypersender API returned an unexpected response: the JSON has no "queued_request_uuid" (it may have been sent, so it was not sent again)',
		);
		expect(result.error?.description).toContain('The message may have been sent anyway, so it was not sent again');
		expect(api.calls).toHaveLength(1);
	});

	test('a synchronous 422 shows the API\'s field errors and is not retried', async () => {
		const api = await queuedApi({
			intercept: (_call, response) => {
				sendJson(response, 422, { message: 'The given data was invalid.', errors: { text: ['The text field is required.'] } });
				return true;
			},
		});
		const result = await run(api, { operation: 'sendText', chatId: '4915123456789', text: 'Hi' });
		expect(result.error?.message).toBe('Hypersender API error 422: The given data was invalid.');
		expect(result.error?.description).toContain('text: The text field is required.');
		expect(api.calls).toHaveLength(1);
	});

	test('the record may also come under "data"; a pending answer has null response_status', async () => {
		let reads = 0;
		const api = await queuedApi({
			interceptRead: (uuid, response) => {
				reads++;
				const done = reads > 1;
				sendJson(response, 200, {
					data: { uuid, response_status: done ? 201 : null, response_body: done ? sentMessage('1@c.us', 'X1') : null },
				});
				return true;
			},
		});
		const result = await run(api, { operation: 'sendText', chatId: '4915123456789', text: 'Hi', options: { waitForResult: true } });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.messageId).toBe('true_1@c.us_X1');
	});
});
