/**
 * The output schemas the node ships (each operation's `outputSchema`, which the build writes to
 * dist/nodes/Hypersender/__schema__/v1.0.0/<resource>/<operation>.json with scripts/schemas.js:
 * what n8n's editor shows as the schema preview of a node that has not run yet) against what the
 * node really outputs. The schemas are written here by the build's own generator into a temporary
 * folder laid out like the node's dist folder, and read back through n8n-core's path resolution.
 * Every operation is run through n8n-core against the sandbox, with its default options and with
 * the options that add fields (Wait for Result, Add Derived Fields, Confirm, …), and every output
 * item's json checked with a strict validator (../harness/json-schema): each value of the declared
 * type, every `required` key present, and every key of the output declared in `properties` (so a
 * schema that misses a field fails). There is exactly one schema per operation the node declares,
 * at the path n8n-core resolves for it, and every top-level property of a schema shows up in some run.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { schemaProblems, validate } from '../harness/json-schema';
import { runHypersenderNode } from '../harness/n8n-core';
import { schemaFixture } from '../harness/output-schemas';
import type { Sandbox, SandboxContact } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';

const fixture = schemaFixture();
afterAll(() => fixture.remove());
const { declared, resources, schemaFile, schemaOf } = fixture;
const SCHEMA_DIR = fixture.schemaDir;
/** The resources this file runs; ./output-schemas-accounts.test.ts runs the others (Instance, One-Time Code, SMS, SMS Thread). */
const OWN_RESOURCES = ['chat', 'contact', 'message', 'queuedRequest'];
const ownDeclared = declared.filter((operation) => OWN_RESOURCES.includes(operation.split('/')[0]));

function filesUnder(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(full) : [path.relative(SCHEMA_DIR, full)];
	});
}

describe('the schema files', () => {
	test('the node declares the 37 operations of the README', () => {
		expect(resources).toEqual(['chat', 'contact', 'instance', 'message', 'otp', 'queuedRequest', 'sms', 'smsThread']);
		expect(declared).toHaveLength(37);
	});

	test('exactly one file per declared operation, at the path n8n-core resolves for typeVersion 1, and nothing else', () => {
		const expected = declared.map((operation) => path.relative(SCHEMA_DIR, schemaFile(operation)));
		expect(expected.every((file) => file.startsWith(`v1.0.0${path.sep}`))).toBe(true);
		expect(filesUnder(SCHEMA_DIR).sort()).toEqual(expected.sort());
	});

	test.each(declared)('%s: a JSON object schema the validator understands completely', (operation) => {
		const schema = schemaOf(operation);
		expect(schema.type).toBe('object');
		expect(schemaProblems(schema)).toEqual([]);
	});
});

// ---- the node's real output, operation by operation ----

const CHAT = '4915123456789@c.us';
/** An instance whose contacts have the names the API may send as null (the generated ones have missing or empty names). */
const NULL_NAMES = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
const TO = '+49 151 2345 6789';
const WAIT = { waitForResult: true, waitTimeout: 10 };

let sandbox: Sandbox;
/** A text message sent in beforeAll, for react, forward and star. */
let sentId: string;

/** Output items checked, and the top-level keys seen, per operation. */
const checked = new Map<string, { items: number; keys: Set<string> }>();

interface Case {
	name: string;
	resource: string;
	operation: string;
	/** The node's parameters, built when the case runs (after beforeAll and `setup`). */
	parameters: (context: { setup: IDataObject }) => IDataObject;
	setup?: () => Promise<IDataObject>;
	inputData?: INodeExecutionData[];
	/** How many items to expect (default 1). */
	items?: number;
}

async function run(resource: string, operation: string, parameters: IDataObject, inputData?: INodeExecutionData[]) {
	return await runHypersenderNode({
		parameters: { resource, operation, ...parameters } as never,
		credentials: credentialsFor(sandbox),
		inputData,
	});
}

async function sendText(text: string): Promise<string> {
	const result = await run('message', 'sendText', { chatId: TO, text, options: WAIT });
	expect(result.error).toBeUndefined();
	return String(result.items[0].json.messageId);
}

/** A message from the customer, unread, in CHAT; its serialized ID. */
async function receivedMessage(): Promise<string> {
	const simulated = await sandbox.simulate(DEFAULT_INSTANCE, 'message', { from: TO, text: 'Hello from the customer' });
	return simulated.messageId!;
}

/** A queued request that ends the given way, and its ID. */
async function queuedRequest(to: string): Promise<string> {
	const result = await run('message', 'sendText', { chatId: to, text: 'Queued', options: { waitForResult: false } });
	expect(result.error).toBeUndefined();
	return String(result.items[0].json.queuedRequestId);
}

const contact = (index: number) => () => sandbox.expected(DEFAULT_INSTANCE)[index].id;

/** Each queued operation twice: default output, then with Wait for Result. */
function queued(resource: string, operation: string, parameters: Case['parameters'], setup?: Case['setup']): Case[] {
	return [
		{ name: 'default output', resource, operation, parameters, setup },
		{
			name: 'Wait for Result',
			resource,
			operation,
			setup,
			parameters: (context) => {
				const built = parameters(context);
				return { ...built, options: { ...(built.options as IDataObject | undefined), ...WAIT } };
			},
		},
	];
}

const cases: Case[] = [
	{ name: 'default options (Limit 50)', resource: 'contact', operation: 'getAll', parameters: () => ({}), items: 50 },
	{
		name: 'Return All, Add Derived Fields, every kind',
		resource: 'contact',
		operation: 'getAll',
		parameters: () => ({ returnAll: true, options: { addDerivedFields: true, contactKind: ['phone', 'lid', 'group'] } }),
		items: 80,
	},
	{
		name: 'null names, Add Derived Fields',
		resource: 'contact',
		operation: 'getAll',
		parameters: () => ({ options: { instanceId: NULL_NAMES, addDerivedFields: true } }),
		items: 3,
	},
	{ name: 'default options', resource: 'contact', operation: 'get', parameters: () => ({ chatId: contact(3)() }) },
	{
		name: 'Add Derived Fields',
		resource: 'contact',
		operation: 'get',
		parameters: () => ({ chatId: contact(4)(), options: { addDerivedFields: true } }),
	},
	{ name: 'default options', resource: 'contact', operation: 'upsert', parameters: () => ({ chatId: TO, firstName: 'Anna' }) },
	{
		name: 'Last Name and Confirm',
		resource: 'contact',
		operation: 'upsert',
		parameters: () => ({ chatId: TO, firstName: 'Anna', options: { lastName: 'Schmidt', confirm: true, confirmWait: 0 } }),
	},
	{
		name: 'a visible picture',
		resource: 'contact',
		operation: 'getProfilePicture',
		parameters: () => {
			const hidden = new Set(sandbox.hiddenPictures(DEFAULT_INSTANCE));
			return { chatId: sandbox.expected(DEFAULT_INSTANCE).find((candidate) => !hidden.has(candidate.id))!.id };
		},
	},
	{
		name: 'a hidden picture (null)',
		resource: 'contact',
		operation: 'getProfilePicture',
		parameters: () => ({ chatId: sandbox.hiddenPictures(DEFAULT_INSTANCE)[0] }),
	},
	...queued('message', 'sendText', () => ({ chatId: TO, text: 'Hello Anna' })),
	{
		name: 'a reply (contextInfo), Wait for Result',
		resource: 'message',
		operation: 'sendText',
		parameters: () => ({ chatId: TO, text: 'Re', options: { ...WAIT, replyTo: sentId } }),
	},
	...queued('message', 'sendLinkPreview', () => ({
		chatId: TO,
		text: 'Our offer: https://example.com/offer',
		previewUrl: 'https://example.com/offer',
		previewTitle: 'Offer',
		options: { previewDescription: 'Two for one', previewImageUrl: 'https://example.com/offer.jpg' },
	})),
	...queued('message', 'sendImage', () => ({ chatId: TO, source: 'url', url: 'https://example.com/a.jpg', options: { caption: 'Look' } })),
	{
		name: 'from binary data, Wait for Result',
		resource: 'message',
		operation: 'sendImage',
		parameters: () => ({ chatId: TO, source: 'binary', options: WAIT }),
		inputData: [{ json: {}, binary: { data: { data: Buffer.from('\x89PNG\r\n\x1a\n').toString('base64'), mimeType: 'image/png', fileName: 'dot.png' } } }],
	},
	...queued('message', 'sendVideo', () => ({ chatId: TO, source: 'url', url: 'https://example.com/v.mp4' })),
	{
		name: 'as a video note, Wait for Result',
		resource: 'message',
		operation: 'sendVideo',
		parameters: () => ({ chatId: TO, source: 'url', url: 'https://example.com/n.mp4', options: { ...WAIT, asNote: true, caption: 'Note' } }),
	},
	...queued('message', 'sendFile', () => ({
		chatId: TO,
		source: 'url',
		url: 'https://example.com/doc.pdf',
		options: { filename: 'doc.pdf', mimetype: 'application/pdf', caption: 'The offer' },
	})),
	...queued('message', 'sendVoice', () => ({ chatId: TO, source: 'url', url: 'https://example.com/v.ogg' })),
	...queued('message', 'sendLocation', () => ({ chatId: TO, latitude: 52.52, longitude: 13.405, options: { title: 'Office' } })),
	...queued('message', 'sendContactCard', () => ({
		chatId: TO,
		contacts: { contact: [{ fullName: 'Anna Schmidt', phoneNumber: '+49 151 2345 6789', organization: 'Acme' }] },
	})),
	{
		name: 'two cards, Wait for Result',
		resource: 'message',
		operation: 'sendContactCard',
		parameters: () => ({
			chatId: TO,
			contacts: { contact: [{ fullName: 'Anna Schmidt', phoneNumber: '+49 151 2345 6789' }, { fullName: 'Ben Ott', phoneNumber: '+49 151 9876 5432' }] },
			options: WAIT,
		}),
	},
	...queued('message', 'sendPoll', () => ({ chatId: TO, pollName: 'Which day?', pollOptions: ['Monday', 'Tuesday'], multipleAnswers: true })),
	...queued('message', 'forward', () => ({ chatId: '4915199999999', messageId: sentId })),
	...queued('message', 'react', () => ({ chatId: TO, messageId: sentId, reaction: '👍' })),
	...queued('message', 'star', () => ({ chatId: TO, messageId: sentId, star: true })),
	...queued('message', 'delete', ({ setup }) => ({ chatId: TO, messageId: setup.messageId }), async () => ({ messageId: await sendText('To delete') })),
	...queued('chat', 'markRead', () => ({ chatId: TO, options: { messages: 5 } }), async () => ({ messageId: await receivedMessage() })),
	...queued('chat', 'sendSeen', ({ setup }) => ({ chatId: TO, messageId: setup.messageId }), async () => ({ messageId: await receivedMessage() })),
	...queued('chat', 'startTyping', () => ({ chatId: TO })),
	...queued('chat', 'stopTyping', () => ({ chatId: TO })),
	{
		name: 'sent',
		resource: 'queuedRequest',
		operation: 'get',
		setup: async () => ({ id: await queuedRequest(TO) }),
		parameters: ({ setup }) => ({ queuedRequestId: setup.id }),
	},
	{
		name: 'failed (not on WhatsApp)',
		resource: 'queuedRequest',
		operation: 'get',
		setup: async () => ({ id: await queuedRequest('4915100000000') }),
		parameters: ({ setup }) => ({ queuedRequestId: setup.id }),
	},
	// Last: a request done in a minute delays every request queued after it (the sandbox processes in order).
	{
		name: 'pending',
		resource: 'queuedRequest',
		operation: 'get',
		setup: async () => {
			sandbox.configure({ processingDelayMs: 60_000 });
			try {
				return { id: await queuedRequest(TO) };
			} finally {
				sandbox.configure({ processingDelayMs: 0 });
			}
		},
		parameters: ({ setup }) => ({ queuedRequestId: setup.id }),
	},
];

beforeAll(async () => {
	// 80 contacts of every kind; queued requests done at once, so Wait for Result needs one read.
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 80, seed: 5 } }, processingDelayMs: 0 });
	const nullNames = [
		{ id: '4915111111111@c.us', name: null, pushname: null },
		{ id: '100875997589545@lid', name: null, pushname: 'Maria' },
		{ id: '120363041234567890@g.us', name: 'Family', pushname: null },
	];
	sandbox.addInstance(NULL_NAMES, { contacts: nullNames as unknown as SandboxContact[] });
	sentId = await sendText('Hello, to react to, forward and star');
});

afterAll(async () => await sandbox.close());

describe('every output item conforms to its operation\'s schema', () => {
	test.each(cases.map((spec) => [`${spec.resource}/${spec.operation}`, spec.name, spec] as const))(
		'%s, %s',
		async (operation, _name, spec) => {
			const setup = spec.setup ? await spec.setup() : {};
			const result = await run(spec.resource, spec.operation, spec.parameters({ setup }), spec.inputData);
			expect(result.error?.message).toBeUndefined();
			expect(result.items).toHaveLength(spec.items ?? 1);
			const schema = schemaOf(operation);
			const errors = result.items.flatMap((item, index) => validate(schema, item.json, `item ${index}`));
			expect(errors).toEqual([]);
			const seen = checked.get(operation) ?? { items: 0, keys: new Set<string>() };
			for (const item of result.items) for (const key of Object.keys(item.json)) seen.keys.add(key);
			seen.items += result.items.length;
			checked.set(operation, seen);
		},
	);

	test('every declared operation of these resources was run, and every top-level property of its schema showed up in some output', () => {
		expect([...checked.keys()].sort()).toEqual([...ownDeclared].sort());
		const neverSeen = ownDeclared.flatMap((operation) =>
			Object.keys(schemaOf(operation).properties ?? {})
				.filter((key) => !checked.get(operation)?.keys.has(key))
				.map((key) => `${operation}: ${key}`),
		);
		expect(neverSeen).toEqual([]);
	});
});

describe('the validator fails a wrong schema', () => {
	const output = {
		queuedRequestId: 'a',
		responseStatus: 201,
		key: { remoteJid: CHAT, fromMe: true, id: '3EB0' },
		message: { extendedTextMessage: { text: 'Hi' } },
	};
	const clone = () => structuredClone(schemaOf('message/sendText'));

	test('the right schema passes', () => {
		expect(validate(clone(), output)).toEqual([]);
	});

	test('a field missing from properties, at the top or nested', () => {
		const top = clone();
		delete top.properties!.responseStatus;
		expect(validate(top, output)).toEqual(['$: "responseStatus" (201) is not declared in the schema\'s properties']);
		const nested = clone();
		delete nested.properties!.message.properties!.extendedTextMessage.properties!.text;
		expect(validate(nested, output)).toEqual(['$.message.extendedTextMessage: "text" ("Hi") is not declared in the schema\'s properties']);
	});

	test('a wrong type, a number that is not an integer, null where it is not allowed', () => {
		const wrong = clone();
		wrong.properties!.responseStatus.type = 'string';
		expect(validate(wrong, output)).toEqual(['$.responseStatus: 201 is not of type string']);
		expect(validate(clone(), { ...output, responseStatus: 201.5 })).toEqual(['$.responseStatus: 201.5 is not of type integer']);
		expect(validate(clone(), { ...output, queuedRequestId: null })).toEqual(['$.queuedRequestId: null is not of type string']);
		expect(validate(schemaOf('contact/getProfilePicture'), { chatId: CHAT, profilePictureUrl: null })).toEqual([]);
	});

	test('a required field that is not always there, and array items of the wrong type', () => {
		const required = clone();
		required.required = ['queuedRequestId', 'queued'];
		expect(validate(required, output)).toEqual(['$: the required "queued" is missing']);
		expect(validate(schemaOf('chat/markRead'), { queuedRequestId: 'a', ids: ['x', 1] })).toEqual(['$.ids[1]: 1 is not of type string']);
	});
});
