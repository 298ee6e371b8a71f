/**
 * In a real n8n: Message › Send Text and Send Image and Queued Request › Get, from the packed
 * package, against the sandbox's queued API; the example examples/send-text-to-contacts.json as
 * it is; and the API token nowhere in the execution data n8n saved. One n8n home for the file,
 * every workflow imported in one n8n process, each case one `n8n execute`.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import type { CaseResult, RunItem, Workflow, WorkflowNode } from './n8n-harness';
import { DEFAULT_INSTANCE, hypersenderNode, N8nHarness, runtime } from './n8n-harness';
import { manualTriggerNode } from '../../scripts/fixtures';
import { encodePng } from '../../sandbox/images';

const SIZE = 400;
/** A token no other string in n8n's home could contain by chance. */
const TOKEN = `hs-e2e-${randomBytes(12).toString('hex')}`;
const EXAMPLE_FILE = path.join(__dirname, '..', '..', 'examples', 'send-text-to-contacts.json');
const EXAMPLE = JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8')) as Workflow;
/** Digits ending in 0000 that are no contact: the sandbox says such numbers are not on WhatsApp. */
const NOT_ON_WHATSAPP = '4915100000000';
const isPhoneContact = (id: string) => /@(c\.us|s\.whatsapp\.net)$/.test(id);

let harness: N8nHarness;
const ids = new Map<string, string>();
let phones: string[];
let png: Buffer;

// ---- workflows: Manual Trigger → (Code node making input items) → the given nodes in a chain ----

const hypersender = (name: string, parameters: Record<string, unknown>, settings: Record<string, unknown> = {}) =>
	hypersenderNode(name, parameters, harness.credentials.sandbox, settings);

function codeNode(name: string, items: Array<Record<string, unknown>>): WorkflowNode {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [0, 0],
		parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
	};
}

function chain(name: string, nodes: WorkflowNode[]): Workflow {
	const all = [manualTriggerNode(), ...nodes].map((node, index) => ({
		...node,
		id: `c0ffee00-0000-4000-8000-${String(index + 1).padStart(12, '0')}`,
		position: [index * 220, 0] as [number, number],
	}));
	const connections: Record<string, unknown> = {};
	for (let index = 1; index < all.length; index++) {
		connections[all[index - 1].name] = { main: [[{ node: all[index].name, type: 'main', index: 0 }]] };
	}
	return { name, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

const workflows = (): Record<string, Workflow> => ({
	example: EXAMPLE,
	'queued, then get': chain('queued, then get', [
		codeNode('Recipients', [{ chat: phones[0] }, { chat: `+${phones[1].split('@')[0]}` }]),
		hypersender('Send text', {
			resource: 'message',
			operation: 'sendText',
			chatId: '={{ $json.chat }}',
			text: 'Queued, not waited for',
			options: { safeMode: false },
		}),
		hypersender('Get at once', { resource: 'queuedRequest', operation: 'get', queuedRequestId: '={{ $json.queuedRequestId }}' }),
		{
			name: 'Wait',
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			position: [0, 0],
			parameters: { resume: 'timeInterval', amount: 4, unit: 'seconds' },
		},
		hypersender('Get later', {
			resource: 'queuedRequest',
			operation: 'get',
			queuedRequestId: '={{ $json.uuid }}',
		}),
	]),
	'image from binary': chain('image from binary', [
		codeNode('Picture as base64', [{ png: png.toString('base64') }]),
		{
			name: 'To file',
			type: 'n8n-nodes-base.convertToFile',
			typeVersion: 1.1,
			position: [0, 0],
			parameters: { operation: 'toBinary', sourceProperty: 'png', options: { fileName: 'square.png', mimeType: 'image/png' } },
		},
		hypersender('Send image', {
			resource: 'message',
			operation: 'sendImage',
			chatId: phones[2],
			source: 'binary',
			binaryPropertyName: 'data',
			options: { caption: 'A small square', waitForResult: true },
		}),
	]),
	'not on WhatsApp, continue': chain('not on WhatsApp, continue', [
		codeNode('Recipients', [{ chat: phones[3] }, { chat: `+49 151 ${NOT_ON_WHATSAPP.slice(5)}` }]),
		hypersender(
			'Send text',
			{ resource: 'message', operation: 'sendText', chatId: '={{ $json.chat }}', text: 'Are you there?', options: { waitForResult: true } },
			{ onError: 'continueRegularOutput' },
		),
	]),
});

// ---- a small real PNG (a 24×24 square), built here so its size and SHA-256 are known ----

function squarePng(size: number, rgb: [number, number, number]): Buffer {
	return encodePng(size, size, () => rgb);
}

// ----

beforeAll(async () => {
	harness = await N8nHarness.start({
		name: 'e2e-messages',
		instances: { [DEFAULT_INSTANCE]: { size: SIZE, seed: 11 } },
		sandboxOptions: { token: TOKEN },
	});
	phones = harness.expected(DEFAULT_INSTANCE, 'id', 'asc').map((contact) => contact.id).filter(isPhoneContact);
	expect(harness.sandbox.contact(DEFAULT_INSTANCE, NOT_ON_WHATSAPP)).toBeNull();
	png = squarePng(24, [37, 211, 102]);
	const named = Object.entries(workflows());
	const imported = await runtime.importWorkflow(
		harness.home,
		named.map(([, workflow]) => ({ ...workflow, id: workflow.id ?? runtime.newId() })),
	);
	named.forEach(([name], index) => ids.set(name, imported[index]));
}, 15 * 60 * 1000);

afterAll(async () => await harness?.close());

beforeEach(() => {
	harness.sandbox.configure({ processingDelayMs: 300, safeDelayMs: 0, notOnWhatsapp: [] });
	harness.sandbox.clearMessages(DEFAULT_INSTANCE);
});

/** Every execution of this file, for the last test (the token in n8n's saved data). */
const executions: CaseResult[] = [];

async function execute(name: string, nodeName: string): Promise<CaseResult> {
	const result = await harness.execute(ids.get(name)!, { nodeName });
	executions.push(result);
	return result;
}

function itemsOf(result: CaseResult, nodeName: string): RunItem[] {
	if (!result.ok) throw new Error(`the workflow failed: ${result.error}`);
	const items = runtime.runItems(result.run, nodeName);
	if (!items) throw new Error(`the node "${nodeName}" did not run`);
	return items;
}

/** A sent message as Send operations output it with Wait for Result on. */
interface SentItem {
	messageId: string;
	queuedRequestId: string;
	responseStatus: number;
	key: { remoteJid: string; fromMe: boolean; id: string };
	message: Record<string, Record<string, unknown>>;
	messageTimestamp: string;
	status: string;
}

/** What Queued Request › Get outputs. */
interface RecordItem {
	uuid: string;
	status: 'pending' | 'sent' | 'failed';
	response_status: number | null;
	response_body: SentItem | null;
	messageId?: string;
}

interface ContactItem {
	id: string;
	displayName: string;
}

function json<T>(items: RunItem[]): T[] {
	return items.map((item) => item.json as unknown as T);
}

describe('examples/send-text-to-contacts.json in n8n', () => {
	test('sends five safe-mode texts to the first five phone contacts and outputs each sent message', async () => {
		const result = await execute('example', 'Send text');
		const contacts = json<ContactItem>(itemsOf(result, 'Get 5 phone contacts'));
		const expected = harness.expected(DEFAULT_INSTANCE, 'id', 'asc').filter((contact) => isPhoneContact(contact.id)).slice(0, 5);
		expect(contacts.map((contact) => contact.id)).toEqual(expected.map((contact) => contact.id));

		const sent = itemsOf(result, 'Send text');
		expect(sent).toHaveLength(5);
		expect(sent.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		const messages = harness.sandbox.messages(DEFAULT_INSTANCE);
		expect(messages.map((message) => [message.endpoint, message.chatId, message.response_status])).toEqual(
			expected.map((contact) => ['send-text-safe', contact.id, 201]),
		);
		json<SentItem>(sent).forEach((message, index) => {
			const contact = contacts[index];
			const remoteJid = `${contact.id.split('@')[0]}@c.us`;
			expect(message).toEqual(
				expect.objectContaining({
					responseStatus: 201,
					queuedRequestId: messages[index].uuid,
					messageId: `true_${remoteJid}_${message.key.id}`,
					key: { remoteJid, fromMe: true, id: expect.stringMatching(/^3EB0[0-9A-F]{20}$/) },
					message: { extendedTextMessage: { text: `Hello ${contact.displayName}, this is a test message sent from n8n with the Hypersender node.` } },
					messageTimestamp: expect.stringMatching(/^\d+$/),
					status: expect.any(String),
				}),
			);
			expect(messages[index].body).toEqual(expect.objectContaining({ chatId: contact.id, text: message.message.extendedTextMessage.text }));
		});
		expect(new Set(json<SentItem>(sent).map((message) => message.messageId)).size).toBe(5);
	});
});

describe('Message › Send Text without waiting, then Queued Request › Get, in n8n', () => {
	test('outputs the queued requests at once; Get shows them pending, and sent once processed', async () => {
		harness.sandbox.configure({ processingDelayMs: 2500 });
		const result = await execute('queued, then get', 'Get later');
		const queued = itemsOf(result, 'Send text').map((item) => item.json);
		const messages = harness.sandbox.messages(DEFAULT_INSTANCE);
		expect(messages.map((message) => [message.endpoint, message.chatId])).toEqual([
			['send-text', phones[0]],
			['send-text', `${phones[1].split('@')[0]}@c.us`],
		]);
		expect(queued).toEqual(
			messages.map((message) => ({
				queued: true,
				queuedRequestId: message.uuid,
				queuedRequestLink: `${harness.sandbox.baseUrl}/${DEFAULT_INSTANCE}/queued-requests/${message.uuid}`,
			})),
		);
		const atOnce = json<RecordItem>(itemsOf(result, 'Get at once'));
		expect(atOnce.map((record) => [record.uuid, record.status, record.response_status])).toEqual(
			messages.map((message) => [message.uuid, 'pending', null]),
		);
		const later = json<RecordItem>(itemsOf(result, 'Get later'));
		expect(later.map((record) => [record.uuid, record.status, record.response_status])).toEqual(
			messages.map((message) => [message.uuid, 'sent', 201]),
		);
		later.forEach((record, index) => {
			const remoteJid = `${phones[index].split('@')[0]}@c.us`;
			expect(record.messageId).toBe(`true_${remoteJid}_${record.response_body?.key.id}`);
			expect(record.response_body?.message).toEqual({ extendedTextMessage: { text: 'Queued, not waited for' } });
		});
	});
});

describe('Message › Send Image from binary data in n8n', () => {
	test('uploads the file n8n made, byte for byte, and outputs the sent image', async () => {
		const result = await execute('image from binary', 'Send image');
		const binary = itemsOf(result, 'To file')[0].binary as Record<string, { mimeType: string; fileName: string }>;
		expect(binary.data).toEqual(expect.objectContaining({ mimeType: 'image/png', fileName: 'square.png' }));
		const sha256 = (encoding: 'hex' | 'base64') => createHash('sha256').update(png).digest(encoding);
		const [message, ...others] = harness.sandbox.messages(DEFAULT_INSTANCE);
		expect(others).toEqual([]);
		expect(message).toEqual(
			expect.objectContaining({
				endpoint: 'send-image',
				chatId: phones[2],
				file: { filename: 'square.png', mimetype: 'image/png', size: png.length, sha256: sha256('hex') },
				response_status: 201,
			}),
		);
		expect(message.body).toEqual(expect.objectContaining({ caption: 'A small square' }));
		const [sent, ...more] = json<SentItem>(itemsOf(result, 'Send image'));
		expect(more).toEqual([]);
		expect(sent).toEqual(
			expect.objectContaining({
				responseStatus: 201,
				queuedRequestId: message.uuid,
				messageId: expect.stringMatching(new RegExp(`^true_${phones[2].split('@')[0]}@c\\.us_3EB0`)),
			}),
		);
		expect(sent.message.imageMessage).toEqual(
			expect.objectContaining({ mimetype: 'image/png', caption: 'A small square', fileLength: png.length, fileSha256: sha256('base64') }),
		);
	});
});

describe('Message › Send Text to a number not on WhatsApp in n8n', () => {
	test('with Wait for Result and On Error: Continue, gives an error item saying Not delivered, and the other item sent', async () => {
		const result = await execute('not on WhatsApp, continue', 'Send text');
		const items = itemsOf(result, 'Send text');
		const messages = harness.sandbox.messages(DEFAULT_INSTANCE);
		expect(messages.map((message) => [message.endpoint, message.response_status])).toEqual([
			['send-text-safe', 201],
			['send-text-safe', 404],
		]);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toEqual(expect.objectContaining({ responseStatus: 201, queuedRequestId: messages[0].uuid }));
		expect(items[1].json).toEqual({
			error: `Not delivered: the number is not on WhatsApp, or the instance was not found (chat "${NOT_ON_WHATSAPP}@c.us")`,
			queuedRequestId: messages[1].uuid,
		});
	});
});

describe('The API token in n8n', () => {
	test('appears in no execution data n8n saved, nor anywhere else in its home', () => {
		expect(executions.length).toBe(4);
		const database = path.join(harness.home, '.n8n', 'database.sqlite');
		const db = new DatabaseSync(database, { readOnly: true });
		let saved: Array<{ executionId: number; data: string; workflowData: string }>;
		try {
			saved = db.prepare('SELECT executionId, data, workflowData FROM execution_data').all() as typeof saved;
		} finally {
			db.close();
		}
		// Every execution of this file was saved, with its data (the queued request IDs it output).
		expect(saved).toHaveLength(executions.length);
		const allData = saved.map((row) => row.data).join('\n');
		for (const result of executions) {
			const outputs = Object.values(result.run!.data.resultData.runData).flatMap((runs) => runs.flatMap((run) => run.data?.main?.[0] ?? []));
			const queuedIds = outputs.map((item) => item.json.queuedRequestId).filter((id): id is string => typeof id === 'string');
			expect(queuedIds.length).toBeGreaterThan(0);
			for (const id of queuedIds) expect(allData).toContain(id);
		}
		for (const row of saved) {
			expect(row.data).not.toContain(TOKEN);
			expect(row.workflowData).not.toContain(TOKEN);
		}
		// Nor in any file of the home (the database with its journal, logs, settings), nor in n8n's output.
		const files = fs
			.readdirSync(harness.home, { recursive: true, withFileTypes: true })
			.filter((entry) => entry.isFile())
			.map((entry) => path.join(entry.parentPath, entry.name));
		// The raw bytes show the saved data as text (so they would show the token too).
		const someId = String(json<SentItem>(itemsOf(executions[0], 'Send text'))[0].queuedRequestId);
		expect(files.some((file) => fs.readFileSync(file).includes(someId))).toBe(true);
		for (const file of files) expect({ file, hasToken: fs.readFileSync(file).includes(TOKEN) }).toEqual({ file, hasToken: false });
		for (const result of executions) expect(result.output).not.toContain(TOKEN);
		// The sandbox did see it: every request of the suite was authorized.
		expect(harness.sandbox.token).toBe(TOKEN);
	});
});
