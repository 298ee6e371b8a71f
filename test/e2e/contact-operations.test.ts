/**
 * In a real n8n: Contact › Get, Create or Update and Get Profile Picture, from the packed
 * package, against the sandbox; each case one workflow executed by n8n itself.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

import { phoneNumber } from '../../nodes/Hypersender/actions/contact/contactFields';
import type { CaseResult, CaseSpec } from './n8n-harness';
import { DEFAULT_INSTANCE, N8nHarness } from './n8n-harness';

const SIZE = 400;
const NEW_PHONE = '447700900777';

let harness: N8nHarness;
let phone: { id: string; digits: string };
let lid: { id: string; phone: string };
let visiblePicture: string;
let hiddenPicture: string;

const cases = (): CaseSpec[] => [
	{ name: 'get by phone', parameters: { operation: 'get', chatId: `+${phone.digits}` } },
	{ name: 'get linked id by phone', parameters: { operation: 'get', chatId: lid.phone, options: { addDerivedFields: true } } },
	{
		name: 'get unknown, continue',
		parameters: { operation: 'get', chatId: '={{ $json.chat }}' },
		inputItems: [{ chat: phone.id }, { chat: '4900000000002' }],
		nodeSettings: { onError: 'continueRegularOutput' },
	},
	{ name: 'get bad chat id', parameters: { operation: 'get', chatId: '12-34' } },
	{
		name: 'upsert new, confirmed',
		parameters: {
			operation: 'upsert',
			chatId: `+${NEW_PHONE.slice(0, 2)} ${NEW_PHONE.slice(2)}`,
			firstName: 'Grace',
			options: { lastName: 'Hopper', confirm: true, confirmWait: 1 },
		},
	},
	{ name: 'get after upsert', parameters: { operation: 'get', chatId: NEW_PHONE } },
	{ name: 'upsert empty first name', parameters: { operation: 'upsert', chatId: NEW_PHONE, firstName: '={{ "" }}' } },
	{
		name: 'picture download',
		parameters: { operation: 'getProfilePicture', chatId: visiblePicture, options: { download: true, binaryPropertyName: 'avatar' } },
	},
	{ name: 'picture hidden', parameters: { operation: 'getProfilePicture', chatId: hiddenPicture, options: { download: true } } },
];

beforeAll(async () => {
	harness = await N8nHarness.start({ name: 'e2e-contact-ops', instances: { [DEFAULT_INSTANCE]: { size: SIZE, seed: 5 } } });
	const { sandbox } = harness;
	const phoneContact = sandbox.contacts(DEFAULT_INSTANCE).find((contact) => contact.id.endsWith('@c.us') && contact.name)!;
	phone = { id: phoneContact.id, digits: phoneContact.id.split('@')[0] };
	lid = sandbox.linkedPhones(DEFAULT_INSTANCE)[0];
	const hidden = new Set(sandbox.hiddenPictures(DEFAULT_INSTANCE));
	hiddenPicture = [...hidden][0];
	visiblePicture = sandbox.contacts(DEFAULT_INSTANCE).find((contact) => !hidden.has(contact.id))!.id;
	await harness.prepare(cases());
}, 15 * 60 * 1000);

afterAll(async () => await harness?.close());

function jsonOf(result: CaseResult) {
	if (!result.ok) throw new Error(`the workflow failed: ${result.error}`);
	return result.items!.map((item) => item.json);
}

describe('Contact › Get in n8n', () => {
	test('returns the contact for a phone number written with a plus', async () => {
		const result = await harness.execute('get by phone');
		expect(jsonOf(result)).toEqual([harness.sandbox.contact(DEFAULT_INSTANCE, phone.id)]);
		expect(result.requests.map((request) => [request.path.split('/').pop(), request.query.chat_id])).toEqual([
			['get', phone.digits],
		]);
	});

	test('returns the linked ID behind a phone number, with derived fields', async () => {
		const result = await harness.execute('get linked id by phone');
		expect(jsonOf(result)).toEqual([expect.objectContaining({ id: lid.id, kind: 'lid', phone: null })]);
	});

	test('gives an error item naming the chat ID of an unknown contact, and the known one', async () => {
		const result = await harness.execute('get unknown, continue');
		expect(result.items!.map((item) => [item.json, item.pairedItem])).toEqual([
			[harness.sandbox.contact(DEFAULT_INSTANCE, phone.id), { item: 0 }],
			[{ error: 'No contact found for the chat ID "4900000000002"' }, { item: 1 }],
		]);
	});

	test('stops on a bad chat ID before any request', async () => {
		const result = await harness.execute('get bad chat id');
		expect(result.ok).toBe(false);
		expect(result.error).toContain('Invalid Chat ID or Phone Number (chatId): "12-34" is not a phone number or chat ID');
		expect(result.requests).toHaveLength(0);
	});
});

describe('Contact › Create or Update in n8n', () => {
	test('creates the contact, confirms it, and Get then returns it', async () => {
		const result = await harness.execute('upsert new, confirmed');
		expect(jsonOf(result)).toEqual([
			{
				chatId: NEW_PHONE,
				firstName: 'Grace',
				lastName: 'Hopper',
				message: 'Contact upserted successfully.',
				data: { success: true },
				confirmed: true,
				upsertCalls: 1,
				contact: expect.objectContaining({ id: `${NEW_PHONE}@c.us`, name: 'Grace Hopper' }),
			},
		]);
		expect(result.requests.find((request) => request.method === 'POST')?.body).toEqual({
			chat_id: NEW_PHONE,
			first_name: 'Grace',
			last_name: 'Hopper',
		});
		const read = await harness.execute('get after upsert');
		expect(jsonOf(read)).toEqual([expect.objectContaining({ id: `${NEW_PHONE}@c.us`, name: 'Grace Hopper' })]);
	});

	test('stops on an empty first name before any request', async () => {
		const result = await harness.execute('upsert empty first name');
		expect(result.ok).toBe(false);
		expect(result.error).toContain('Invalid First Name (firstName): "" is empty');
		expect(result.requests).toHaveLength(0);
	});
});

describe('Contact › Get Profile Picture in n8n', () => {
	test('downloads the picture into the chosen binary property, without the token', async () => {
		const result = await harness.execute('picture download');
		expect(jsonOf(result)).toEqual([{ chatId: visiblePicture, profilePictureUrl: expect.stringContaining('/pps/') }]);
		const binary = result.items![0].binary as Record<string, { mimeType: string; fileName: string; fileSize?: string }>;
		expect(binary.avatar.mimeType).toMatch(/^image\/(png|jpeg)$/);
		expect(binary.avatar.fileName).toMatch(new RegExp(`^${visiblePicture.split('@')[0]}\\.(png|jpg)$`));
		const downloads = result.requests.filter((request) => request.kind === 'picture');
		expect(downloads).toHaveLength(1);
		expect(downloads[0].authorization).toBe('missing');
		expect(downloads[0].status).toBe(200);
	});

	test('gives null for a hidden picture, not an error', async () => {
		const result = await harness.execute('picture hidden');
		expect(jsonOf(result)).toEqual([{ chatId: hiddenPicture, profilePictureUrl: null }]);
	});
});

describe('examples/enrich-contacts.json in n8n', () => {
	test('gives ten named phone contacts, each with its picture or null', async () => {
		const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'enrich-contacts.json'), 'utf8'));
		const id = await harness.importWorkflow(workflow);
		const result = await harness.execute(id, { nodeName: 'Contact card' });
		const cards = jsonOf(result) as Array<{ name: string; phone: string; chatId: string; profilePictureUrl: string | null }>;
		const hidden = new Set(harness.sandbox.hiddenPictures(DEFAULT_INSTANCE));
		const expected = harness
			.expected(DEFAULT_INSTANCE, 'id', 'asc')
			.filter((contact) => /@(c\.us|s\.whatsapp\.net)$/.test(contact.id) && contact.name)
			.slice(0, 10);
		expect(cards.map((card) => [card.chatId, card.name])).toEqual(expected.map((contact) => [contact.id, contact.name]));
		expect(cards.map((card) => card.phone)).toEqual(cards.map((card) => phoneNumber(card.chatId) ?? ''));
		for (const [index, card] of cards.entries()) {
			const binary = (result.items![index] as { binary?: Record<string, { mimeType: string }> }).binary;
			if (hidden.has(card.chatId)) {
				expect(card.profilePictureUrl).toBeNull();
				expect(binary).toBeUndefined();
			} else {
				expect(binary?.data.mimeType).toMatch(/^image\//);
			}
		}
	});
});
