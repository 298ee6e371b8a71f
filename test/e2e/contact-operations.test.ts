/**
 * In a real n8n: Contact › Get Profile Picture's download into n8n's binary data, and the
 * example that enriches contacts with their pictures, from the packed package, against the sandbox.
 *
 * Get, Create or Update (with Confirm), the hidden picture and the checks before any request are
 * proven through n8n-core in test/integration/contact-operations*.test.ts and
 * contact-profile-picture.test.ts; every contact operation is also called in a real n8n as an MCP
 * tool in test/e2e/ai-tools.test.ts.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

import { phoneNumber } from '../../nodes/Hypersender/domain/contactFields';
import type { CaseResult, CaseSpec } from './n8n-harness';
import { DEFAULT_INSTANCE, N8nHarness } from './n8n-harness';

const SIZE = 400;

let harness: N8nHarness;
let visiblePicture: string;

const cases = (): CaseSpec[] => [
	{
		name: 'picture download',
		parameters: { operation: 'getProfilePicture', chatId: visiblePicture, options: { download: true, binaryPropertyName: 'avatar' } },
	},
];

beforeAll(async () => {
	harness = await N8nHarness.start({ name: 'e2e-contact-ops', instances: { [DEFAULT_INSTANCE]: { size: SIZE, seed: 5 } } });
	const { sandbox } = harness;
	const hidden = new Set(sandbox.hiddenPictures(DEFAULT_INSTANCE));
	visiblePicture = sandbox.contacts(DEFAULT_INSTANCE).find((contact) => !hidden.has(contact.id))!.id;
	await harness.prepare(cases());
}, 15 * 60 * 1000);

afterAll(async () => await harness?.close());

function jsonOf(result: CaseResult) {
	if (!result.ok) throw new Error(`the workflow failed: ${result.error}`);
	return result.items!.map((item) => item.json);
}

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
