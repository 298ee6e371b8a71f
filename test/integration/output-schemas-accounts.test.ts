/**
 * The output schemas of Instance, One-Time Code, SMS and SMS Thread (the build's own generator,
 * read back through n8n-core: ../harness/output-schemas) against what the node really outputs,
 * every operation run through n8n-core against the sandbox and every output item checked with the
 * strict validator; every top-level property of each schema shows up in some run.
 * ./output-schemas.test.ts does the same for the WhatsApp resources.
 */
import type { IDataObject } from 'n8n-workflow';

import { validate } from '../harness/json-schema';
import { runHypersenderNode } from '../harness/n8n-core';
import { schemaFixture } from '../harness/output-schemas';
import type { Sandbox } from '../harness/sandbox';
import { credentialsFor, DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';

const fixture = schemaFixture();
afterAll(() => fixture.remove());
const RESOURCES = ['instance', 'otp', 'sms', 'smsThread'];
const declared = fixture.declared.filter((operation) => RESOURCES.includes(operation.split('/')[0]));
const CHAT = '+49 151 2345 6789';
const SMS_TO = '+4915123456789';

let sandbox: Sandbox;
const checked = new Map<string, { items: number; keys: Set<string> }>();

interface Case {
	name: string;
	operation: string;
	parameters: (setup: IDataObject) => IDataObject;
	setup?: () => Promise<IDataObject> | IDataObject;
	/** How many items at least (default 1). */
	items?: number;
}

async function run(operation: string, parameters: IDataObject) {
	const [resource, name] = operation.split('/');
	return await runHypersenderNode({ parameters: { resource, operation: name, ...parameters } as never, credentials: credentialsFor(sandbox) });
}

async function sentSms(content: string): Promise<IDataObject> {
	const result = await run('sms/send', { to: SMS_TO, content });
	expect(result.error?.message).toBeUndefined();
	return result.items[0].json;
}

const cases: Case[] = [
	{ name: 'working', operation: 'instance/getHealth', parameters: () => ({}) },
	{ name: 'every instance', operation: 'instance/getAll', parameters: () => ({}) },
	{ name: 'with a webhook', operation: 'instance/create', parameters: () => ({ phone: '+49 151 7777 0001', name: 'Schema check', options: { webhookUrl: 'https://example.com/hook' } }) },
	{ name: 'default', operation: 'instance/restart', parameters: () => ({}) },
	{ name: 'default', operation: 'instance/requestNewQr', parameters: () => ({}) },
	{ name: 'every option', operation: 'otp/requestCode', parameters: () => ({ chatId: CHAT, options: { length: 8, useLetters: true, allCapital: true, name: 'Acme', expires: 600 } }) },
	{
		name: 'a right code',
		operation: 'otp/validateCode',
		setup: async () => {
			const result = await run('otp/requestCode', { chatId: CHAT });
			return { code: result.items[0].json.code };
		},
		parameters: (setup) => ({ chatId: CHAT, code: setup.code }),
	},
	{ name: 'a wrong code', operation: 'otp/validateCode', parameters: () => ({ chatId: CHAT, code: '000000x' }) },
	{
		name: 'every message and callback',
		operation: 'otp/generateLink',
		parameters: () => ({
			chatId: CHAT,
			options: {
				expires: 900,
				name: 'Acme',
				promptMessage: 'Log me in',
				successMessage: 'Open {link}',
				failedMessage: 'Failed',
				expiredMessage: 'Expired',
				successCallbackUrl: 'https://example.com/ok',
				failedCallbackUrl: 'https://example.com/failed',
			},
		}),
	},
	{ name: 'every option', operation: 'sms/send', parameters: () => ({ to: SMS_TO, content: 'Your parcel is on its way', options: { requestId: 'schema-1', maxSendAttempts: 3, messageExpirationSeconds: 600 } }) },
	{
		name: 'a request ID already sent (alreadySent)',
		operation: 'sms/send',
		setup: async () => ({ first: await sentSms('Sent once') }),
		parameters: (setup) => ({ to: SMS_TO, content: 'Sent once', options: { requestId: (setup.first as IDataObject).requestId } }),
	},
	{ name: 'Return All', operation: 'sms/getAll', parameters: () => ({ returnAll: true }), items: 2 },
	{ name: 'received and sent', operation: 'sms/getAll', setup: async () => ({ received: await sandbox.receiveSms(DEFAULT_INSTANCE, { from: SMS_TO, content: 'Thanks!' }) }), parameters: () => ({ returnAll: true }), items: 2 },
	{ name: 'default', operation: 'sms/delete', setup: async () => ({ id: (await sentSms('To delete')).id }), parameters: (setup) => ({ messageId: setup.id }) },
	{ name: 'Limit 5', operation: 'sms/getHeartbeats', setup: () => ({ seeded: sandbox.seedSms(DEFAULT_INSTANCE, { heartbeats: 8 }).heartbeats }), parameters: () => ({ returnAll: false, limit: 5 }), items: 5 },
	{ name: 'Return All', operation: 'smsThread/getAll', parameters: () => ({ returnAll: true }) },
	{ name: 'archive', operation: 'smsThread/archive', setup: () => ({ id: sandbox.smsThreads(DEFAULT_INSTANCE)[0].id }), parameters: (setup) => ({ threadId: setup.id }) },
	{ name: 'unarchive', operation: 'smsThread/archive', setup: () => ({ id: sandbox.smsThreads(DEFAULT_INSTANCE)[0].id }), parameters: (setup) => ({ threadId: setup.id, archived: false }) },
	{
		name: 'default',
		operation: 'smsThread/delete',
		setup: async () => {
			await sentSms('A thread of its own');
			return { id: sandbox.smsThreads(DEFAULT_INSTANCE).at(-1)!.id };
		},
		parameters: (setup) => ({ threadId: setup.id }),
	},
];

beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 20, seed: 5 } }, processingDelayMs: 0, rateLimits: false });
	await sentSms('A first SMS');
});

afterAll(async () => await sandbox.close());

test.each(cases.map((spec) => [spec.operation, spec.name, spec] as const))('%s, %s', async (operation, _name, spec) => {
	const setup = spec.setup ? await spec.setup() : {};
	const result = await run(operation, spec.parameters(setup));
	expect(result.error?.message).toBeUndefined();
	expect(result.items.length).toBeGreaterThanOrEqual(spec.items ?? 1);
	const schema = fixture.schemaOf(operation);
	expect(result.items.flatMap((item, index) => validate(schema, item.json, `item ${index}`))).toEqual([]);
	const seen = checked.get(operation) ?? { items: 0, keys: new Set<string>() };
	for (const item of result.items) for (const key of Object.keys(item.json)) seen.keys.add(key);
	seen.items += result.items.length;
	checked.set(operation, seen);
});

test('every declared operation of these resources was run, and every top-level property of its schema showed up in some output', () => {
	expect([...checked.keys()].sort()).toEqual([...declared].sort());
	const neverSeen = declared.flatMap((operation) =>
		Object.keys(fixture.schemaOf(operation).properties ?? {})
			.filter((key) => !checked.get(operation)?.keys.has(key))
			.map((key) => `${operation}: ${key}`),
	);
	expect(neverSeen).toEqual([]);
});
