/**
 * SMS › Send through n8n-core against the SMS test gateway (a real HTTP server on 127.0.0.1): the
 * request it makes, the numbers it accepts and how it writes them, its options, input errors before
 * any request, and an SMS sent exactly once when a request ID was used before or a send fails.
 */
import { sendJson } from '../harness/http-server';
import { callsTo, runSms, smsGateway } from '../harness/sms-node';
import { SMS_INSTANCE } from '../harness/sms-gateway';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the request', () => {
	test('POSTs content, to and a request ID the node made to send-message of the SMS instance, and outputs the record with requestId', async () => {
		const gateway = await smsGateway();
		const result = await runSms(gateway, { operation: 'send', to: '+49 151 2345 6789', content: 'Your order shipped' });
		expect(result.error).toBeUndefined();
		const [post] = callsTo(gateway, 'send-message');
		expect(post.method).toBe('POST');
		expect(post.body).toEqual({ content: 'Your order shipped', to: '+4915123456789', request_id: expect.stringMatching(UUID) });
		const record = gateway.state.messages[0];
		expect(result.items.map((item) => item.json)).toEqual([{ ...record, requestId: post.body?.request_id }]);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(gateway.state.calls.map((call) => call.route)).toEqual(['send-message']);
	});

	test('goes to …/api/sms/v2/{SMS instance}/send-message with the bearer token; the Instance ID option wins', async () => {
		const gateway = await smsGateway();
		const seen: string[] = [];
		gateway.configure({
			intercept: (call, response) => {
				seen.push(call.route);
				sendJson(response, 200, { id: 'm-1', request_id: call.body?.request_id });
				return true;
			},
		});
		await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi', options: { instanceId: 'other-phone' } });
		expect(seen).toEqual([`/api/sms/v2/other-phone/send-message`]);
		await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi' });
		expect(seen[1]).toBe('send-message');
		expect(SMS_INSTANCE).toBe('sms-inst-1');
	});

	test('unwraps a record the API wraps in "data"', async () => {
		const gateway = await smsGateway({ wrapSend: true });
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi' });
		expect(result.items[0].json.id).toBe(gateway.state.messages[0].id);
		expect(result.items[0].json.success).toBeUndefined();
	});

	test('sends the options in the API\'s names and forms; the schedule as YYYY-MM-DD HH:MM:SS in UTC or the Schedule Time Zone', async () => {
		const gateway = await smsGateway();
		const at = new Date(Date.now() + 3 * 3600_000);
		at.setUTCMinutes(5, 0, 0);
		const options = { requestId: 'order-1042', scheduleSendAt: at.toISOString(), maxSendAttempts: 5, messageExpirationSeconds: 120 };
		const result = await runSms(gateway, { operation: 'send', to: '4915123456789', content: 'Hi', options });
		expect(result.error).toBeUndefined();
		const utc = at.toISOString().slice(0, 19).replace('T', ' ');
		expect(callsTo(gateway, 'send-message')[0].body).toEqual({
			content: 'Hi',
			to: '+4915123456789',
			request_id: 'order-1042',
			schedule_send_at: utc,
			max_send_attempts: 5,
			message_expiration_seconds: 120,
		});
		expect(result.items[0].json.requestId).toBe('order-1042');
		await runSms(gateway, { operation: 'send', to: '4915123456780', content: 'Hi', options: { scheduleSendAt: at.toISOString(), scheduleTimeZone: 'Asia/Kolkata' } });
		const kolkata = new Date(at.getTime() + 5.5 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
		expect(callsTo(gateway, 'send-message')[1].body?.schedule_send_at).toBe(kolkata);
	});

	test('a schedule without an offset is read in the workflow\'s time zone (n8n\'s default, America/New_York, here)', async () => {
		const gateway = await smsGateway();
		const at = new Date(Date.now() + 86_400_000);
		at.setUTCSeconds(0, 0);
		const parts = Object.fromEntries(
			new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
				.formatToParts(at)
				.map((part) => [part.type, part.value]),
		);
		const newYork = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
		await runSms(gateway, { operation: 'send', to: '4915123456789', content: 'Hi', options: { scheduleSendAt: newYork } });
		expect(callsTo(gateway, 'send-message')[0].body?.schedule_send_at).toBe(at.toISOString().slice(0, 19).replace('T', ' '));
	});
});

describe('To: a phone number, written as people write it, sent as +digits', () => {
	test.each([
		['+49 151 2345-6789', '+4915123456789'],
		['+49 (151) 234.567.89', '+4915123456789'],
		['004915123456789', '+4915123456789'],
		['4915123456789', '+4915123456789'],
		['4915123456789@c.us', '+4915123456789'],
		['4915123456789@s.whatsapp.net', '+4915123456789'],
		['=+{{ 4915123456789 }}', '+4915123456789'],
	])('%p is sent as %p', async (given, sent) => {
		const gateway = await smsGateway();
		const result = await runSms(gateway, { operation: 'send', to: given, content: 'Hi' });
		expect(result.error).toBeUndefined();
		expect(callsTo(gateway, 'send-message')[0].body?.to).toBe(sent);
	});

	test.each([
		['120363041234567890@g.us', 'is a WhatsApp group; an SMS goes to one phone number'],
		['100875997589545@lid', 'is a WhatsApp linked ID, which hides the phone number an SMS needs'],
		['0151 23456789', 'has no country code (it starts with 0)'],
		['+49 151', 'is not 6 to 15 digits long'],
		['+49 151 2345 6789 0123', 'is not 6 to 15 digits long'],
		['call me', 'is not a phone number'],
		['anna@example.com', 'is not a phone number'],
	])('%p is refused before any request: %s', async (given, problem) => {
		const gateway = await smsGateway();
		const result = await runSms(gateway, { operation: 'send', to: given, content: 'Hi' });
		expect(result.error?.message).toBe(
			`Invalid To (to): ${JSON.stringify(given)} ${problem}; allowed: a phone number with country code, e.g. +49 151 23456789 (spaces, "-", ".", "(", ")" are removed; a leading 00 counts as +), or the WhatsApp chat ID of a phone number (<digits>@c.us or <digits>@s.whatsapp.net)`,
		);
		expect(gateway.state.calls).toHaveLength(0);
	});
});

describe('input errors stop the node before any SMS is sent', () => {
	const inTwoHours = () => new Date(Date.now() + 2 * 3600_000).toISOString();

	test.each([
		['an empty text', { content: '={{ "" }}' }, 'Invalid Content (content): "" is empty'],
		['Max Send Attempts 16', { options: { maxSendAttempts: 16 } }, 'Invalid Max Send Attempts (Phone) (maxSendAttempts): 16 is too large; allowed: a whole number from 1 to 15'],
		['Max Send Attempts 0', { options: { maxSendAttempts: 0 } }, 'Invalid Max Send Attempts (Phone) (maxSendAttempts): 0 is less than 1'],
		['a schedule in the past', { options: { scheduleSendAt: '2020-01-01T10:00:00Z' } }, 'Invalid Schedule Send At (scheduleSendAt): "2020-01-01T10:00:00.000Z" is in the past'],
		['a schedule 4 days ahead', { options: { scheduleSendAt: new Date(Date.now() + 4 * 86_400_000).toISOString() } }, 'is more than 3 days ahead'],
		['a schedule that is no date', { options: { scheduleSendAt: 'tomorrow' } }, 'Invalid Schedule Send At (scheduleSendAt): "tomorrow" is not a date'],
		['an unknown time zone', { options: { scheduleSendAt: inTwoHours(), scheduleTimeZone: 'Mars/Olympus' } }, 'Invalid Schedule Time Zone (scheduleTimeZone): "Mars/Olympus" is not a time zone'],
		['an empty request ID', { options: { requestId: '={{ "" }}' } }, 'Invalid Request ID (requestId): "" is empty'],
	])('%s', async (_label, parameters, message) => {
		const gateway = await smsGateway();
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi', ...parameters });
		expect(result.error?.message).toContain(message);
		expect(gateway.state.calls).toHaveLength(0);
	});

	test('the third of three items is wrong: nothing is sent; with On Error: Continue the other two are', async () => {
		const gateway = await smsGateway();
		const inputItems = [{ to: '+4915100000001' }, { to: '+4915100000002' }, { to: 'not a number' }];
		const parameters = { operation: 'send', to: '={{ $json.to }}', content: 'Hi' };
		const stopped = await runSms(gateway, parameters, { inputItems });
		expect(stopped.error?.message).toContain('Invalid To (to): "not a number"');
		expect(stopped.error?.context?.itemIndex).toBe(2);
		expect(gateway.state.calls).toHaveLength(0);
		const continued = await runSms(gateway, parameters, { inputItems, continueOnFail: true });
		expect(callsTo(gateway, 'send-message').map((call) => call.body?.to)).toEqual(['+4915100000001', '+4915100000002']);
		expect(continued.items.map((item) => item.json.error === undefined)).toEqual([true, true, false]);
	});
});

describe('a Request ID of the user\'s that was used before', () => {
	test('same number and text: the recorded SMS is output with alreadySent, nothing is sent', async () => {
		const gateway = await smsGateway();
		const parameters = { operation: 'send', to: '+4915123456789', content: 'Code 1234', options: { requestId: 'otp-77' } };
		const first = await runSms(gateway, parameters);
		const again = await runSms(gateway, parameters);
		expect(callsTo(gateway, 'send-message')).toHaveLength(1);
		expect(callsTo(gateway, 'messages').map((call) => call.query['filter[request_id]'])).toEqual(['otp-77', 'otp-77']);
		expect(again.items[0].json).toEqual({ ...gateway.state.messages[0], requestId: 'otp-77', alreadySent: true });
		expect(first.items[0].json.alreadySent).toBeUndefined();
	});

	test('another number or text: a clear error, nothing is sent', async () => {
		const gateway = await smsGateway();
		await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Code 1234', options: { requestId: 'otp-77' } });
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Code 9999', options: { requestId: 'otp-77' } });
		expect(result.error?.message).toBe('The request ID "otp-77" is already taken by another SMS (to +4915123456789)');
		expect(result.error?.description).toContain('nothing was sent');
		expect(callsTo(gateway, 'send-message')).toHaveLength(1);
	});

	test('an ID that only contains the one asked for (the API filters by parts) is not a match', async () => {
		const gateway = await smsGateway();
		await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'A', options: { requestId: 'otp-770' } });
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'A', options: { requestId: 'otp-77' } });
		expect(result.items[0].json.alreadySent).toBeUndefined();
		expect(callsTo(gateway, 'send-message')).toHaveLength(2);
	});
});

describe('failures of a send', () => {
	test('a 422 is not sent again and says why', async () => {
		const gateway = await smsGateway();
		gateway.configure({
			intercept: (call, response) => {
				if (call.route !== 'send-message') return false;
				sendJson(response, 422, { message: 'The to field format is invalid.', errors: { to: ['The to field format is invalid.'] } });
				return true;
			},
		});
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi' });
		expect(result.error?.message).toBe('Hypersender API error 422: The to field format is invalid.');
		expect(result.error?.description).toContain('The SMS was not sent (request ID ');
		expect(callsTo(gateway, 'send-message')).toHaveLength(1);
		expect(callsTo(gateway, 'messages')).toHaveLength(0);
	});

	test('429 never reached the server: sent again at once, without a look-up', async () => {
		const gateway = await smsGateway();
		let refusals = 0;
		gateway.configure({
			intercept: (call, response) => {
				if (call.route !== 'send-message' || refusals++ > 0) return false;
				response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
				response.end(JSON.stringify({ message: 'Too Many Attempts.' }));
				return true;
			},
		});
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi' });
		expect(result.error).toBeUndefined();
		expect(callsTo(gateway, 'send-message')).toHaveLength(2);
		expect(callsTo(gateway, 'messages')).toHaveLength(0);
		expect(gateway.state.messages).toHaveLength(1);
	});

	test('a 500 after the server recorded the SMS: looked up, found, output once, not sent again', async () => {
		const gateway = await smsGateway({ faults: { rate: 1, kinds: ['500'], phase: 'after', routes: ['send-message'] } });
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi' });
		expect(result.error).toBeUndefined();
		expect(gateway.state.messages).toHaveLength(1);
		expect(callsTo(gateway, 'send-message')).toHaveLength(1);
		expect(result.items[0].json).toEqual({ ...gateway.state.messages[0], requestId: gateway.state.messages[0].request_id });
	});

	test('a dropped connection before the server recorded it: looked up, not found, sent again once', async () => {
		const gateway = await smsGateway();
		let drops = 0;
		gateway.configure({ intercept: (call, response) => call.route === 'send-message' && drops++ === 0 && (response.socket?.destroy(), true) });
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi' });
		expect(result.error).toBeUndefined();
		expect(gateway.state.calls.map((call) => call.route)).toEqual(['send-message', 'messages', 'send-message']);
		expect(gateway.state.messages).toHaveLength(1);
	});

	test('when the look-up keeps failing too, the item fails and says the SMS may have been sent, with its request ID', async () => {
		const gateway = await smsGateway({ faults: { rate: 1, kinds: ['504'], phase: 'after', routes: ['send-message'] } });
		gateway.configure({
			intercept: (call, response) => {
				if (call.route !== 'messages') return false;
				sendJson(response, 502, { message: 'Bad Gateway' });
				return true;
			},
		});
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi', options: { maxAttempts: 2 } });
		const requestId = String(callsTo(gateway, 'send-message')[0].body?.request_id);
		expect(result.error?.message).toBe(
			`Hypersender API error 504: HTML (text/html): <html><head><title>504</title></head><body><center><h1>504</h1></center><hr><center>nginx</center></body></html> (the SMS may have been sent: request ID ${requestId})`,
		);
		expect(result.error?.description).toContain('looking its request ID up failed as well (Hypersender API error 502: Bad Gateway after 2 attempts)');
		expect(result.error?.description).toContain(`filter Request ID = ${requestId}`);
		expect(callsTo(gateway, 'send-message')).toHaveLength(1);
		expect(callsTo(gateway, 'messages')).toHaveLength(2);
	});

	test('a user\'s Request ID that cannot be looked up before the send: nothing is sent, and the error says so', async () => {
		const gateway = await smsGateway({ faults: { rate: 1, kinds: ['502'], phase: 'before', routes: ['messages'] } });
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi', options: { maxAttempts: 2, requestId: 'r-1' } });
		expect(result.error?.message).toMatch(/^Hypersender API error 502: .* after 2 attempts$/);
		expect(result.error?.description).toContain('Nothing was sent: the node checks first whether an SMS already has this request ID.');
		expect(callsTo(gateway, 'send-message')).toHaveLength(0);
	});

	test('an execution stopped while a send is under way: the error says the SMS may have been sent, with its request ID', async () => {
		const gateway = await smsGateway();
		let cancel: () => void = () => {};
		gateway.configure({
			intercept: (call) => {
				if (call.route !== 'send-message') return false;
				gateway.record(call.body ?? {});
				cancel();
				return true;
			},
		});
		const result = await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi' }, { onStarted: (stop) => (cancel = stop) });
		const requestId = String(gateway.state.messages[0].request_id);
		expect(result.error?.message).toBe(`Hypersender API request failed: the execution was cancelled (the SMS may have been sent: request ID ${requestId})`);
		expect(callsTo(gateway, 'send-message')).toHaveLength(1);
		expect(callsTo(gateway, 'messages')).toHaveLength(0);
	});
});
