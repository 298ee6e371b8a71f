/**
 * SMS › Delete, SMS Thread › Archive and SMS Thread › Delete through n8n-core against the SMS test
 * gateway: the request each makes, the official SDK's spelling of the ID first (message_id,
 * message_thread_id) and the API reference's (messageId, messageThreadId) once when the API answers
 * 422 naming it, and clear errors otherwise.
 */
import { sendJson } from '../harness/http-server';
import type { SmsGateway } from '../harness/sms-node';
import { callsTo, runSms, smsGateway } from '../harness/sms-node';

/** A gateway with one sent SMS (and so one thread). */
async function withOneSms(spelling: 'sdk' | 'doc' = 'sdk'): Promise<{ gateway: SmsGateway; messageId: string; threadId: string }> {
	const gateway = await smsGateway({ spelling });
	await runSms(gateway, { operation: 'send', to: '+4915123456789', content: 'Hi' });
	gateway.state.calls.length = 0;
	const [message] = gateway.state.messages;
	return { gateway, messageId: String(message.id), threadId: String(message.message_thread_id) };
}

describe('SMS › Delete', () => {
	test('DELETE delete-message?message_id=…, output { deleted: true, messageId }', async () => {
		const { gateway, messageId } = await withOneSms();
		const result = await runSms(gateway, { operation: 'delete', messageId: ` ${messageId} ` });
		expect(result.items.map((item) => item.json)).toEqual([{ deleted: true, messageId }]);
		expect(gateway.state.calls.map(({ method, route, query }) => ({ method, route, query }))).toEqual([
			{ method: 'DELETE', route: 'delete-message', query: { message_id: messageId } },
		]);
		expect(gateway.state.messages).toHaveLength(0);
	});

	test('an API that wants "messageId": asked once more in that spelling', async () => {
		const { gateway, messageId } = await withOneSms('doc');
		const result = await runSms(gateway, { operation: 'delete', messageId });
		expect(result.error).toBeUndefined();
		expect(callsTo(gateway, 'delete-message').map((call) => call.query)).toEqual([{ message_id: messageId }, { messageId }]);
		expect(gateway.state.messages).toHaveLength(0);
	});

	test('an unknown message: the API\'s 422, asked for once, no other spelling tried', async () => {
		const { gateway } = await withOneSms();
		const result = await runSms(gateway, { operation: 'delete', messageId: 'no-such-id' });
		expect(result.error?.message).toBe('Hypersender API error 422: The selected message id is invalid.');
		expect(result.error?.description).toContain('Field errors: message_id: The selected message id is invalid.');
		expect(callsTo(gateway, 'delete-message')).toHaveLength(1);
	});

	test('a 500 is retried (deleting twice leaves the same state); an ID with a space is refused before any request', async () => {
		const { gateway, messageId } = await withOneSms();
		let failures = 0;
		gateway.configure({ intercept: (call, response) => failures++ === 0 && (sendJson(response, 500, { message: 'Server Error' }), true) });
		expect((await runSms(gateway, { operation: 'delete', messageId })).items[0].json).toEqual({ deleted: true, messageId });
		expect(callsTo(gateway, 'delete-message')).toHaveLength(2);
		const refused = await runSms(gateway, { operation: 'delete', messageId: 'two words' });
		expect(refused.error?.message).toContain('Invalid Message ID (messageId): "two words" is not an ID');
		expect(callsTo(gateway, 'delete-message')).toHaveLength(2);
	});
});

describe('SMS Thread › Archive', () => {
	test.each([
		[true, true],
		[false, false],
	])('Archived %p: PUT edit-message-thread { message_thread_id, is_archived: %p }, output the thread', async (archived, sent) => {
		const { gateway, threadId } = await withOneSms();
		const thread = [...gateway.state.threads.values()][0];
		thread.is_archived = !sent;
		const result = await runSms(gateway, { resource: 'smsThread', operation: 'archive', threadId, archived });
		expect(callsTo(gateway, 'edit-message-thread').map(({ method, body }) => ({ method, body }))).toEqual([
			{ method: 'PUT', body: { message_thread_id: threadId, is_archived: sent } },
		]);
		expect(result.items[0].json).toEqual({ ...thread, is_archived: sent });
	});

	test('Archived is on by default; an API that wants "messageThreadId" is asked once more in that spelling', async () => {
		const { gateway, threadId } = await withOneSms('doc');
		const result = await runSms(gateway, { resource: 'smsThread', operation: 'archive', threadId });
		expect(result.error).toBeUndefined();
		expect(callsTo(gateway, 'edit-message-thread').map((call) => call.body)).toEqual([
			{ message_thread_id: threadId, is_archived: true },
			{ messageThreadId: threadId, is_archived: true },
		]);
		expect(result.items[0].json.is_archived).toBe(true);
	});

	test('an answer without the thread still outputs its ID and state', async () => {
		const { gateway, threadId } = await withOneSms();
		gateway.configure({ intercept: (_call, response) => (sendJson(response, 200, { success: true, message: 'Thread updated.' }), true) });
		const result = await runSms(gateway, { resource: 'smsThread', operation: 'archive', threadId, archived: false });
		expect(result.items[0].json).toEqual({ success: true, message: 'Thread updated.', id: threadId, is_archived: false });
	});

	test('a 422 naming neither spelling is the error, asked for once', async () => {
		const { gateway, threadId } = await withOneSms();
		gateway.configure({
			intercept: (_call, response) => (sendJson(response, 422, { message: 'The is archived field must be true or false.', errors: { is_archived: ['The is archived field must be true or false.'] } }), true),
		});
		const result = await runSms(gateway, { resource: 'smsThread', operation: 'archive', threadId });
		expect(result.error?.message).toBe('Hypersender API error 422: The is archived field must be true or false.');
		expect(callsTo(gateway, 'edit-message-thread')).toHaveLength(1);
	});
});

describe('SMS Thread › Delete', () => {
	test('DELETE delete-message-thread?message_thread_id=…, output { deleted: true, threadId }', async () => {
		const { gateway, threadId } = await withOneSms();
		const result = await runSms(gateway, { resource: 'smsThread', operation: 'delete', threadId });
		expect(result.items.map((item) => item.json)).toEqual([{ deleted: true, threadId }]);
		expect(callsTo(gateway, 'delete-message-thread').map((call) => call.query)).toEqual([{ message_thread_id: threadId }]);
		expect(gateway.state.threads.size).toBe(0);
	});

	test('an API that wants "messageThreadId": asked once more in that spelling', async () => {
		const { gateway, threadId } = await withOneSms('doc');
		const result = await runSms(gateway, { resource: 'smsThread', operation: 'delete', threadId });
		expect(result.error).toBeUndefined();
		expect(callsTo(gateway, 'delete-message-thread').map((call) => call.query)).toEqual([{ message_thread_id: threadId }, { messageThreadId: threadId }]);
	});

	test('an empty thread ID is refused before any request', async () => {
		const { gateway } = await withOneSms();
		const result = await runSms(gateway, { resource: 'smsThread', operation: 'delete', threadId: '={{ "" }}' });
		expect(result.error?.message).toContain('Invalid Thread ID (threadId): "" is empty');
		expect(gateway.state.calls).toHaveLength(0);
	});
});
