/** Simulated customers: each kind's event and payload, incoming messages the queued actions then find, and contacts for the Contact Trigger. */
import type { Contact, Sandbox } from './helpers';
import { control, getAllContacts, postJson, readJson, useSandbox } from './helpers';
import { DEFAULT_INSTANCE, sendAndWait, serializedId } from './queued-helpers';
import type { Receiver } from './webhook-helpers';
import { EVENT_ID, startReceiver } from './webhook-helpers';

const current = useSandbox();
let sandbox: Sandbox;
let receiver: Receiver;
beforeAll(() => {
	sandbox = current();
});
beforeEach(async () => {
	receiver = await startReceiver();
	sandbox.configure({ webhookUrl: receiver.url, processingDelayMs: 0 });
});
afterEach(async () => {
	await sandbox.webhooksIdle();
	await receiver.close();
});

const PHONE = '+49 151 2345 6789';
const CHAT = '4915123456789@c.us';
const GROUP = '120363025246125486@g.us';
const ME = () => sandbox.me(DEFAULT_INSTANCE);
const simulate = (kind: Parameters<Sandbox['simulate']>[1], input: Record<string, unknown> = {}) => sandbox.simulate(DEFAULT_INSTANCE, kind, input);
const now = () => Math.floor(Date.now() / 1000);

/** The payload the receiver got for the simulation's (only) event, checked against what simulate() returned. */
async function delivered(result: Awaited<ReturnType<typeof simulate>>, event: string) {
	expect(result.events).toEqual([{ event, eventId: expect.stringMatching(EVENT_ID), delivered: true, url: receiver.url, status: 200, error: null, durationMs: expect.any(Number) }]);
	const received = receiver.received.find((entry) => entry.body.data.id === result.events[0].eventId);
	expect(received?.body.event).toBe(event);
	expect(received?.body.data.payload).toEqual(result.payload);
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads are checked field by field
	return result.payload as Record<string, any>;
}

describe('message', () => {
	test('an incoming text: message.any with fromMe false, the contact\'s pushname and a false_ id', async () => {
		sandbox.setContacts(DEFAULT_INSTANCE, [{ id: CHAT, name: 'Anna Example', pushname: 'Anna' }]);
		const result = await simulate('message', { from: PHONE, text: 'Hi, is the shop open?', name: 'ignored: the contact has a pushname' });
		const payload = await delivered(result, 'message.any');
		const keyId = payload._data.key.id;
		expect(keyId).toMatch(/^3A[0-9A-F]{18}$/);
		expect(result.messageId).toBe(`false_${CHAT}_${keyId}`);
		expect(payload).toEqual({
			id: `false_${CHAT}_${keyId}`,
			timestamp: expect.any(Number),
			from: CHAT,
			to: ME().id,
			fromMe: false,
			source: 'app',
			body: 'Hi, is the shop open?',
			hasMedia: false,
			media: null,
			ack: 2,
			ackName: 'DEVICE',
			replyTo: null,
			_data: {
				key: { remoteJid: CHAT, fromMe: false, id: keyId },
				messageTimestamp: payload.timestamp,
				pushName: 'Anna',
				broadcast: false,
				status: 'DELIVERY_ACK',
				message: { conversation: 'Hi, is the shop open?' },
			},
		});
		expect(Math.abs(payload.timestamp - now())).toBeLessThanOrEqual(1);
	});

	test('from an unknown number the name given is the pushName; a linked LID shows as remoteJidAlt', async () => {
		const unknown = await simulate('message', { from: '15550009999', name: 'Walk-in' });
		expect(unknown.payload).toMatchObject({ from: '15550009999@c.us', body: 'Hello from the sandbox', _data: { pushName: 'Walk-in' } });
		const [{ id: lid, phone }] = sandbox.linkedPhones(DEFAULT_INSTANCE);
		const linked = await simulate('message', { from: `${phone}@c.us` });
		expect(linked.payload).toMatchObject({ from: `${phone}@c.us`, _data: { key: { remoteJidAlt: lid } } });
		const fromLid = await simulate('message', { from: lid });
		expect(fromLid.payload).toMatchObject({ from: lid, _data: { key: { remoteJid: lid, remoteJidAlt: `${phone}@s.whatsapp.net` } } });
	});

	test('in a group: from is the group, participant the member', async () => {
		const result = await simulate('message', { group: GROUP, from: PHONE, text: 'Hi all' });
		const payload = await delivered(result, 'message.any');
		expect(payload).toMatchObject({ id: `false_${GROUP}_${payload._data.key.id}`, from: GROUP, participant: CHAT, _data: { key: { remoteJid: GROUP, participant: CHAT, fromMe: false } } });
		await expect(simulate('message', { group: GROUP })).rejects.toThrow(/needs from/);
		await expect(simulate('message', { group: 'not-a-group' , from: PHONE })).rejects.toThrow(/group must be a group id/);
	});

	test('is remembered: send-seen, react, forward and reply_to on its id succeed, read-chat marks it read', async () => {
		const { messageId } = await simulate('message', { from: PHONE, text: 'Order #42?' });
		const id = messageId as string;
		const before = await sendAndWait(sandbox, 'read-chat', { chatId: CHAT });
		expect(before).toMatchObject({ response_status: 200, response_body: { ids: [id] } });
		expect((await sendAndWait(sandbox, 'read-chat', { chatId: CHAT })).response_body).toEqual({ ids: [] });
		expect((await sendAndWait(sandbox, 'send-seen', { chatId: CHAT, messageId: id })).response_status).toBe(200);
		const reaction = await sendAndWait(sandbox, 'react-to-message', { chatId: CHAT, messageId: id, reaction: '👍' });
		expect(reaction).toMatchObject({ response_status: 201, response_body: { message: { reactionMessage: { key: { remoteJid: CHAT, fromMe: false }, text: '👍' } } } });
		expect((await sendAndWait(sandbox, 'forward-message', { chatId: '4917000000001', messageId: id })).response_status).toBe(201);
		const reply = await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'Shipped today', reply_to: id });
		expect(reply.response_status).toBe(201);
		await sandbox.webhooksIdle();
		const replyEvent = receiver.received.find((entry) => entry.body.event === 'message.any' && entry.body.data.payload.body === 'Shipped today');
		expect(replyEvent?.body.data.payload.replyTo).toEqual({ id: id.split('_').pop(), participant: CHAT, body: 'Order #42?' });
	});

	test('replyTo quotes a message the node sent', async () => {
		const sent = await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'Your code is 1234' });
		const result = await simulate('message', { from: PHONE, text: 'Thanks!', replyTo: serializedId(sent.response_body) });
		expect(result.payload).toMatchObject({
			replyTo: { id: (sent.response_body as { key: { id: string } }).key.id, participant: ME().id, body: 'Your code is 1234' },
			_data: { message: { extendedTextMessage: { text: 'Thanks!', contextInfo: { stanzaId: (sent.response_body as { key: { id: string } }).key.id } } } },
		});
		await expect(simulate('message', { replyTo: 'false_1@c.us_NOPE' })).rejects.toMatchObject({ status: 404 });
	});
});

describe('reactions, votes, revokes and the rest', () => {
	test('reaction: message.reaction on the newest message in the chat, "" removes', async () => {
		const sent = await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'Rate us' });
		const added = await simulate('reaction', { from: PHONE, reaction: '❤️' });
		const payload = await delivered(added, 'message.reaction');
		expect(payload).toEqual({ id: expect.stringMatching(new RegExp(`^false_${CHAT}_3A[0-9A-F]{18}$`)), timestamp: expect.any(Number), from: CHAT, to: ME().id, fromMe: false, reaction: { text: '❤️', messageId: serializedId(sent.response_body) } });
		const removed = await simulate('reaction', { messageId: serializedId(sent.response_body), reaction: '' });
		expect(removed.payload).toMatchObject({ from: CHAT, reaction: { text: '', messageId: serializedId(sent.response_body) } });
		await expect(simulate('reaction', { messageId: 'true_1@c.us_NOPE' })).rejects.toMatchObject({ status: 404, message: 'Message not found.' });
	});

	test('poll-vote: poll.vote with option names on a poll the node sent; poll-vote-failed: poll.vote.failed', async () => {
		const poll = await sendAndWait(sandbox, 'send-poll', { chatId: CHAT, poll: { name: 'Pickup?', options: ['Morning', 'Evening'], multipleAnswers: true } });
		const pollId = serializedId(poll.response_body);
		const vote = await simulate('poll-vote', { messageId: pollId, options: ['Evening', 'Morning'] });
		const payload = await delivered(vote, 'poll.vote');
		expect(payload).toEqual({
			vote: { id: expect.stringMatching(new RegExp(`^false_${CHAT}_`)), to: ME().id, from: CHAT, fromMe: false, selectedOptions: ['Evening', 'Morning'], timestamp: expect.any(Number) },
			poll: { id: pollId, to: CHAT, from: ME().id, fromMe: true },
		});
		expect((await simulate('poll-vote', {})).payload).toMatchObject({ vote: { selectedOptions: ['Morning'] }, poll: { id: pollId } });
		const failed = await simulate('poll-vote-failed', { from: PHONE });
		expect(await delivered(failed, 'poll.vote.failed')).toMatchObject({ vote: { from: CHAT, selectedOptions: [] }, poll: { id: pollId } });
		await expect(simulate('poll-vote', { options: ['Noon'] })).rejects.toThrow(/"Noon" is not an option of the poll/);
		const single = await sendAndWait(sandbox, 'send-poll', { chatId: CHAT, poll: { name: 'One', options: ['A', 'B'] } });
		await expect(simulate('poll-vote', { messageId: serializedId(single.response_body), options: ['A', 'B'] })).rejects.toThrow(/one answer only/);
		const text = await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'no poll' });
		await expect(simulate('poll-vote', { messageId: serializedId(text.response_body) })).rejects.toThrow(/does not name poll the node sent/);
	});

	test('revoke: message.revoked for the customer\'s message, which is then gone', async () => {
		const { messageId } = await simulate('message', { from: PHONE, text: 'oops' });
		const keyId = (messageId as string).split('_').pop();
		const result = await simulate('revoke', { messageId });
		const payload = await delivered(result, 'message.revoked');
		expect(payload).toEqual({
			after: {
				id: expect.stringMatching(new RegExp(`^false_${CHAT}_`)),
				timestamp: expect.any(Number),
				from: CHAT,
				to: ME().id,
				participant: CHAT,
				fromMe: false,
				body: '',
				hasMedia: false,
				_data: {
					key: { remoteJid: CHAT, fromMe: false, id: expect.any(String) },
					messageTimestamp: expect.any(Number),
					broadcast: false,
					message: { protocolMessage: { key: { remoteJid: CHAT, fromMe: false, id: keyId }, type: 'REVOKE' } },
				},
			},
			before: null,
		});
		expect((await sendAndWait(sandbox, 'send-seen', { chatId: CHAT, messageId: messageId as string })).response_body).toEqual({ message: 'Message not found.' });
		const sent = await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'mine' });
		await expect(simulate('revoke', { messageId: serializedId(sent.response_body) })).rejects.toThrow(/only their own/);
	});

	test('waiting, presence and ack', async () => {
		const waiting = await simulate('waiting', { from: PHONE });
		expect(await delivered(waiting, 'message.waiting')).toEqual({ id: expect.stringMatching(new RegExp(`^false_${CHAT}_`)), from: CHAT, to: ME().id, participant: CHAT, fromMe: false, ack: 0, ackName: 'PENDING' });
		const presence = await simulate('presence', { group: GROUP, from: PHONE, presence: 'recording' });
		expect(await delivered(presence, 'presence.update')).toEqual({ id: GROUP, presences: [{ participant: CHAT, lastKnownPresence: 'recording', lastSeen: null }] });
		expect((await simulate('presence', { from: PHONE })).payload).toEqual({ id: CHAT, presences: [{ participant: CHAT, lastKnownPresence: 'typing', lastSeen: null }] });
		await expect(simulate('presence', { presence: 'dancing' })).rejects.toThrow(/presence must be one of/);

		const sent = await sendAndWait(sandbox, 'send-text', { chatId: CHAT, text: 'read me' });
		const read = await simulate('ack', {});
		expect(await delivered(read, 'message.ack')).toEqual({ id: serializedId(sent.response_body), from: CHAT, to: ME().id, participant: null, fromMe: true, ack: 3, ackName: 'READ' });
		expect((await simulate('ack', { messageId: serializedId(sent.response_body), ack: 'played' })).payload).toMatchObject({ ack: 4, ackName: 'PLAYED' });
		expect((await simulate('ack', { ack: -1 })).payload).toMatchObject({ ack: -1, ackName: 'ERROR' });
		await expect(simulate('ack', { ack: 9 })).rejects.toThrow(/ack must be one of/);
	});

	test('event: any event and payload as given', async () => {
		for (const event of ['message.any', 'message.ack', 'message.reaction', 'message.revoked', 'message.waiting', 'poll.vote', 'poll.vote.failed', 'presence.update']) {
			const result = await simulate('event', { event, payload: { custom: event } });
			expect(await delivered(result, event)).toEqual({ custom: event });
		}
		await expect(simulate('event', {})).rejects.toThrow(/event must be the event name/);
	});

	test('a message to react to must exist; unknown kinds and instances are refused', async () => {
		await expect(simulate('reaction', {})).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/there is no message to react to/) });
		await expect(sandbox.simulate(DEFAULT_INSTANCE, 'dance' as never, {})).rejects.toThrow(/unknown simulation "dance"/);
		await expect(sandbox.simulate('nope', 'message', {})).rejects.toThrow(/unknown instance/);
		await expect(simulate('message', { from: 'Anna' })).rejects.toThrow(/from must be a phone number/);
	});
});

describe('contacts', () => {
	test('contact-add and contact-rename change what get-all serves, with no webhook', async () => {
		const added = await simulate('contact-add', { phone: '+1 (555) 010-2030', name: 'New Lead', pushname: 'Lead' });
		expect(added).toEqual({ kind: 'contact-add', instanceId: DEFAULT_INSTANCE, events: [], payload: null, contact: { id: '15550102030@c.us', name: 'New Lead', pushname: 'Lead' } });
		let all: Contact[] = await getAllContacts(sandbox);
		expect(all).toContainEqual({ id: '15550102030@c.us', name: 'New Lead', pushname: 'Lead' });

		const renamed = await simulate('contact-rename', { phone: '15550102030', name: 'Customer', pushname: null });
		expect(renamed.contact).toEqual({ id: '15550102030@c.us', name: 'Customer' });
		all = await getAllContacts(sandbox);
		expect(all).toContainEqual({ id: '15550102030@c.us', name: 'Customer' });
		expect(all.filter((contact) => contact.id === '15550102030@c.us')).toHaveLength(1);

		const lid = await simulate('contact-add', { id: '99887766554433@lid', pushname: 'Hidden' });
		expect(lid.contact).toEqual({ id: '99887766554433@lid', pushname: 'Hidden' });
		expect(sandbox.contact(DEFAULT_INSTANCE, '99887766554433@lid')).toEqual({ id: '99887766554433@lid', pushname: 'Hidden' });
		expect(receiver.received).toHaveLength(0);

		await expect(simulate('contact-add', { phone: '15550102030' })).rejects.toMatchObject({ status: 409 });
		await expect(simulate('contact-rename', { phone: '15550000001', name: 'X' })).rejects.toMatchObject({ status: 404, message: 'Contact not found.' });
		await expect(simulate('contact-rename', { phone: '15550102030' })).rejects.toThrow(/give name and\/or pushname/);
		await expect(simulate('contact-add', {})).rejects.toThrow(/give id or phone/);
	});
});

describe('POST /__sandbox/simulate/{instance}/{kind}', () => {
	test('simulates and answers with the result; 400, 404 and 409 as the object throws', async () => {
		const response = await postJson(sandbox, `/simulate/${DEFAULT_INSTANCE}/message`, { from: PHONE, text: 'via HTTP' });
		expect(response.status).toBe(200);
		const body = (await response.json()) as { events: Array<{ status: number }>; payload: { body: string }; messageId: string };
		expect(body.payload.body).toBe('via HTTP');
		expect(body.events[0].status).toBe(200);
		expect(body.messageId).toMatch(/^false_/);
		expect((await postJson(sandbox, `/simulate/${DEFAULT_INSTANCE}/dance`, {})).status).toBe(400);
		expect((await postJson(sandbox, '/simulate/nope/message', {})).status).toBe(404);
		expect(await readJson(await postJson(sandbox, '/simulate/nope/message', {}))).toEqual({ message: 'Instance not found.' });
		expect((await postJson(sandbox, `/simulate/${DEFAULT_INSTANCE}/reaction`, { messageId: 'true_1@c.us_X' })).status).toBe(404);
		expect((await control(sandbox, `/simulate/${DEFAULT_INSTANCE}/message`, { method: 'POST', body: '[1]' })).status).toBe(400);
	});
});
