import type { IDataObject } from 'n8n-workflow';

import { HypersenderApi } from '../../credentials/HypersenderApi.credentials';
import { compare, decodeState, encodeState } from '../../nodes/HypersenderContactTrigger/state';
import type { WebhookEnvelope } from '../../nodes/HypersenderTrigger/events';
import {
	authorizationMatches,
	claimedInstance,
	configuredSecret,
	DERIVED_FIELDS,
	eventFacts,
	eventItem,
	ITEM_FIELDS,
	MAX_BODY_DEPTH,
	nestingDepth,
	parseEnvelope,
	skipReason,
	WEBHOOK_EVENTS,
} from '../../nodes/HypersenderTrigger/events';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sandboxEvents = require('../../sandbox/events');

const ME = { id: '4915199999999@c.us', pushName: 'Shop', lid: '1234@lid' };

function envelope(event: string, payload: IDataObject): WebhookEnvelope {
	const parsed = parseEnvelope({ event, data: { id: 'evt_1', event, metadata: [], me: ME, payload, instanceId: 'inst', userId: 'user' } });
	if ('problem' in parsed) throw new Error(parsed.problem);
	return parsed;
}

describe('webhook authorization', () => {
	test('the secret as is or as "Bearer <secret>" passes; anything else does not', () => {
		expect(authorizationMatches('s3cret', 's3cret')).toBe(true);
		expect(authorizationMatches('Bearer s3cret', 's3cret')).toBe(true);
		expect(authorizationMatches('bearer   s3cret ', 's3cret')).toBe(true);
		expect(authorizationMatches(['Bearer s3cret'], 's3cret')).toBe(true);
		expect(authorizationMatches('Bearer s3cre', 's3cret')).toBe(false);
		expect(authorizationMatches('s3cret2', 's3cret')).toBe(false);
		expect(authorizationMatches('', 's3cret')).toBe(false);
		expect(authorizationMatches(undefined, 's3cret')).toBe(false);
		expect(authorizationMatches('Basic s3cret', 's3cret')).toBe(false);
	});

	test('surrounding spaces count on neither side: of the secret, of the header, of the part after "Bearer"', () => {
		expect(authorizationMatches('s3cret', '  s3cret\t')).toBe(true);
		expect(authorizationMatches(' Bearer \t s3cret  ', ' s3cret ')).toBe(true);
		expect(authorizationMatches(['\ts3cret '], 's3cret ')).toBe(true);
		// Spaces inside still count, and so does every other character.
		expect(authorizationMatches('s3 cret', ' s3cret ')).toBe(false);
		expect(authorizationMatches('Bearer s3cret', ' s3cre ')).toBe(false);
		// A secret of spaces only is no secret: it matches nothing here, and the node checks nothing.
		expect(authorizationMatches('', '   ')).toBe(false);
		expect(authorizationMatches('   ', '   ')).toBe(false);
		expect([configuredSecret(' s3cret\n'), configuredSecret(' \t '), configuredSecret(''), configuredSecret(undefined)]).toEqual([
			's3cret',
			undefined,
			undefined,
			undefined,
		]);
	});

	test('the instance comes from x-instanceId, else from the body', () => {
		expect(claimedInstance(' inst-1 ', { instanceId: 'other' })).toBe('inst-1');
		expect(claimedInstance(undefined, { instanceId: 'inst-2' })).toBe('inst-2');
		expect(claimedInstance(undefined, undefined)).toBeUndefined();
	});

	test('the credential has an optional Webhook Secret, a password field', () => {
		const field = new HypersenderApi().properties.find((property) => property.name === 'webhookSecret');
		expect(field).toMatchObject({ type: 'string', typeOptions: { password: true }, default: '' });
		expect(field?.required).toBeFalsy();
	});
});

describe('webhook bodies', () => {
	test.each([
		[null, 'the body is not a JSON object'],
		[[], 'the body is not a JSON object'],
		[{ data: {} }, 'the body has no "event"'],
		[{ event: 'message.any' }, 'the body has no "data" object'],
		[{ event: 'message.any', data: { payload: 'x' } }, '"data.payload" is not an object'],
	])('%p is refused: %s', (body, problem) => {
		expect(parseEnvelope(body)).toEqual({ problem });
	});

	test('nesting depth: objects and arrays count, values do not; counted without recursion, stopping past the limit', () => {
		expect([nestingDepth('x'), nestingDepth(null), nestingDepth({}), nestingDepth([1, 'a']), nestingDepth({ a: [{ b: {} }], c: 1 })]).toEqual([0, 0, 1, 1, 4]);
		const nest = (levels: number) => JSON.parse('['.repeat(levels) + ']'.repeat(levels)) as unknown;
		expect(nestingDepth(nest(MAX_BODY_DEPTH))).toBe(MAX_BODY_DEPTH);
		expect(nestingDepth(nest(MAX_BODY_DEPTH + 1))).toBe(MAX_BODY_DEPTH + 1);
		// 200,000 levels (1 MB of brackets is 500,000) is more than a recursive walk survives.
		const deep = nest(200_000);
		expect(() => JSON.stringify(deep)).toThrow(RangeError);
		expect(nestingDepth(deep)).toBe(200_000);
		expect(nestingDepth(deep, MAX_BODY_DEPTH)).toBe(MAX_BODY_DEPTH + 1);
	});

	test(`the sandbox's deepest events (a reply to a reply, a group revoke) are far under ${MAX_BODY_DEPTH} levels`, () => {
		const origin = { chat: '120363041234567890@g.us', sender: '4915123456789@c.us' };
		const first = sandboxEvents.incomingMessage(ME, origin, { text: 'Hi', pushName: 'Anna' });
		const reply = sandboxEvents.incomingMessage(ME, origin, { text: 'Re', pushName: 'Anna', quoted: first });
		const replyToReply = sandboxEvents.incomingMessage(ME, origin, { text: 'Re: Re', pushName: 'Anna', quoted: reply });
		const revoke = sandboxEvents.revoked(ME, first);
		const depths = [replyToReply.payload, revoke].map((payload) => nestingDepth({ event: 'e', data: { payload } }));
		expect(depths).toEqual([11, 8]);
	});

	test('there are the eight documented events', () => {
		expect(WEBHOOK_EVENTS.map((event) => event.value)).toEqual([
			'message.any',
			'message.ack',
			'message.reaction',
			'message.revoked',
			'message.waiting',
			'poll.vote',
			'poll.vote.failed',
			'presence.update',
		]);
	});
});

describe('what an event is about', () => {
	const incoming = envelope('message.any', {
		id: 'false_4915123456789@c.us_AAA',
		timestamp: 1764230400,
		from: '4915123456789@c.us',
		fromMe: false,
		body: 'Hello shop',
		hasMedia: false,
		_data: { key: { remoteJid: '4915123456789@c.us', fromMe: false, id: 'AAA' }, pushName: 'Anna' },
	});

	test('an incoming message: the chat is the sender, direct, not mine', () => {
		expect(eventFacts(incoming)).toEqual({ fromMe: false, chatId: '4915123456789@c.us', chatType: 'direct', sender: '4915123456789@c.us' });
	});

	test('my own message: the chat is the recipient, the sender is me', () => {
		const own = envelope('message.any', { id: 'true_4915123456789@c.us_B', from: ME.id, to: '4915123456789@c.us', fromMe: true, body: 'Hi' });
		expect(eventFacts(own)).toEqual({ fromMe: true, chatId: '4915123456789@c.us', chatType: 'direct', sender: ME.id });
	});

	test('my own message as other engines write it (from = the chat, to = me): the chat is still the other side', () => {
		const own = envelope('message.any', {
			from: '4915123456789@c.us',
			to: ME.id,
			fromMe: true,
			_data: { key: { remoteJid: '4915123456789@s.whatsapp.net', fromMe: true, id: 'C' } },
		});
		expect(eventFacts(own)).toMatchObject({ fromMe: true, chatId: '4915123456789@s.whatsapp.net', sender: ME.id });
	});

	test('a group message: the chat is the group, the sender the member', () => {
		const group = envelope('message.any', {
			from: '120363041234567890@g.us',
			fromMe: false,
			participant: '4915123456789@c.us',
			body: 'hi all',
		});
		expect(eventFacts(group)).toEqual({ fromMe: false, chatId: '120363041234567890@g.us', chatType: 'group', sender: '4915123456789@c.us' });
	});

	test('a revoke and a poll vote are about their "after" and "vote"', () => {
		expect(eventFacts(envelope('message.revoked', { after: { from: '491511@c.us', fromMe: false }, before: null })).chatId).toBe('491511@c.us');
		expect(eventFacts(envelope('poll.vote', { vote: { from: '491512@c.us', fromMe: false, selectedOptions: ['Yes'] }, poll: {} })).chatId).toBe(
			'491512@c.us',
		);
	});

	test('filters: events, own messages (acks always pass), chat types', () => {
		const options = { events: ['message.any', 'message.ack'], ignoreOwnMessages: true, chatTypes: undefined };
		expect(skipReason(incoming, eventFacts(incoming), options)).toBeUndefined();
		const own = envelope('message.any', { from: ME.id, to: '491@c.us', fromMe: true });
		expect(skipReason(own, eventFacts(own), options)).toBe('it is your own');
		expect(skipReason(own, eventFacts(own), { ...options, ignoreOwnMessages: false })).toBeUndefined();
		const ack = envelope('message.ack', { id: 'true_491@c.us_X', from: '491@c.us', fromMe: true, ack: 3, ackName: 'READ' });
		expect(skipReason(ack, eventFacts(ack), options)).toBeUndefined();
		const reaction = envelope('message.reaction', { from: '491@c.us', fromMe: false, reaction: { text: '👍', messageId: 'x' } });
		expect(skipReason(reaction, eventFacts(reaction), options)).toBe('the event "message.reaction" is not selected');
		expect(skipReason(incoming, eventFacts(incoming), { ...options, chatTypes: ['group'] })).toBe('it is from a direct chat');
		expect(skipReason(incoming, eventFacts(incoming), { ...options, chatTypes: [] })).toBeUndefined();
	});

	test('the item: event, instance, chat, the payload\'s fields without _data, the raw payload; derived fields on request', () => {
		const item = eventItem(incoming, eventFacts(incoming), { instanceId: 'inst', userId: 'user', addDerivedFields: true });
		expect(item).toMatchObject({
			event: 'message.any',
			instanceId: 'inst',
			userId: 'user',
			eventId: 'evt_1',
			chatId: '4915123456789@c.us',
			chatType: 'direct',
			id: 'false_4915123456789@c.us_AAA',
			body: 'Hello shop',
			fromMe: false,
			me: ME,
			sender: '4915123456789@c.us',
			senderKind: 'phone',
			senderPhone: '+4915123456789',
			displayName: 'Anna',
			messageText: 'Hello shop',
		});
		expect(item._data).toBeUndefined();
		expect((item.payload as IDataObject)._data).toBeDefined();
		const plain = eventItem(incoming, eventFacts(incoming), { instanceId: 'inst', userId: undefined, addDerivedFields: false });
		expect(plain.senderPhone).toBeUndefined();
		expect(plain.userId).toBe('user');
	});

	test('payload fields named like the node\'s own do not replace them; the payload keeps its values', () => {
		const hostile: IDataObject = { from: '4915123456789@c.us', fromMe: false, body: 'hi', constructor: 'kept', toString: 'kept too' };
		for (const name of [...ITEM_FIELDS, ...DERIVED_FIELDS]) hostile[name] = `spoofed ${name}`;
		hostile.fromMe = true;
		Object.defineProperty(hostile, '__proto__', { value: { polluted: true }, enumerable: true, configurable: true, writable: true });
		const spoof = envelope('message.any', { ...hostile, fromMe: 'yes' });
		const own = { event: 'message.any', instanceId: 'inst', userId: 'user', eventId: 'evt_1', chatId: '4915123456789@c.us', chatType: 'direct' };
		const derived = { sender: '4915123456789@c.us', senderKind: 'phone', senderPhone: '+4915123456789', displayName: '+4915123456789', messageText: 'hi' };
		const item = eventItem(spoof, eventFacts(spoof), { instanceId: 'inst', userId: 'user', addDerivedFields: true });
		expect(item).toEqual({ ...own, body: 'hi', from: hostile.from, constructor: 'kept', toString: 'kept too', fromMe: false, me: ME, payload: spoof.payload, ...derived });
		expect(Object.keys(item).slice(0, 6)).toEqual(Object.keys(own));
		expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
		expect((item.payload as IDataObject).chatId).toBe('spoofed chatId');
		// Without Add Derived Fields the node sets no "sender" or "messageText": the payload's stay.
		const plain = eventItem(spoof, eventFacts(spoof), { instanceId: 'inst', userId: 'user', addDerivedFields: false });
		expect(plain).toMatchObject({ ...own, fromMe: false, me: ME, sender: 'spoofed sender', messageText: 'spoofed messageText' });
	});

	test('a reaction\'s text and a linked ID without a phone number', () => {
		const reaction = envelope('message.reaction', { from: '100875997589545@lid', fromMe: false, reaction: { text: '', messageId: 'm' } });
		const item = eventItem(reaction, eventFacts(reaction), { instanceId: 'i', userId: 'u', addDerivedFields: true });
		expect(item).toMatchObject({ senderKind: 'lid', senderPhone: null, displayName: '100875997589545@lid', messageText: '' });
	});
});

describe('the Contact Trigger\'s memory', () => {
	const book = (count: number, name = (index: number) => `Person ${index}`) =>
		Array.from({ length: count }, (_, index) => ({ id: `49151${String(index).padStart(8, '0')}@c.us`, name: name(index) }));

	test('added and (on request) renamed contacts; an encode/decode round trip keeps everything', () => {
		const first = compare(book(5), undefined, { includeNameChanges: true, previousNames: undefined });
		expect(first.changes).toEqual([]);
		const stored = JSON.parse(JSON.stringify(encodeState(first.next, first.names)));
		const remembered = decodeState(stored);
		expect(remembered?.size).toBe(5);
		const second = compare(book(6, (index) => (index === 2 ? 'New Name' : `Person ${index}`)), remembered, {
			includeNameChanges: true,
			previousNames: stored.names,
		});
		expect(second.changes.map((change) => [change.change, change.contact.id, change.previous?.name])).toEqual([
			['renamed', '4915100000002@c.us', 'Person 2'],
			['added', '4915100000005@c.us', undefined],
		]);
		expect(compare(book(6), remembered, { includeNameChanges: false, previousNames: undefined }).changes.map((change) => change.change)).toEqual([
			'added',
		]);
	});

	test('an unknown or older state counts as no state', () => {
		expect(decodeState(undefined)).toBeUndefined();
		expect(decodeState({ version: 0, contacts: '' })).toBeUndefined();
		expect(decodeState({ version: 1, contacts: 'AAAA' })).toBeUndefined();
	});

	test('100,000 contacts take 16 bytes each in the saved state (names kept only with Include Name Changes)', () => {
		const contacts = book(100_000);
		const plain = compare(contacts, undefined, { includeNameChanges: false, previousNames: undefined });
		const size = JSON.stringify(encodeState(plain.next, plain.names)).length;
		expect(size / contacts.length).toBeLessThanOrEqual(16.01);
		const withNames = compare(contacts, undefined, { includeNameChanges: true, previousNames: undefined });
		const namedSize = JSON.stringify(encodeState(withNames.next, withNames.names)).length;
		// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud
		process.stdout.write(`contact-trigger state at 100,000: ${(size / contacts.length).toFixed(2)} B/contact; with names ${(namedSize / contacts.length).toFixed(2)} B/contact\n`);
		expect(namedSize).toBeGreaterThan(size);
	});
});
