/** The command line's webhook flags and `simulate` subcommand, against a running sandbox. */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code run by jest in Node, not a node in n8n Cloud */
import { spawn } from 'node:child_process';
import path from 'node:path';

import { parseArgs } from '../../sandbox/cli';
import { parseSimulateArgs, simulateMain } from '../../sandbox/cli-simulate';
import { DEFAULT_WEBHOOK_USER_ID } from '../../sandbox/config';
import type { Sandbox } from './helpers';
import { sleep, useSandbox } from './helpers';
import { DEFAULT_INSTANCE, sendAndWait, serializedId } from './queued-helpers';
import type { Receiver } from './webhook-helpers';
import { startReceiver } from './webhook-helpers';

const CLI_SCRIPT = path.join(__dirname, '..', '..', 'sandbox', 'cli.js');

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

/** Runs `simulate` in this process, capturing what it prints. */
async function simulateCli(args: string[], env: NodeJS.ProcessEnv = {}) {
	let stdout = '';
	let stderr = '';
	const code = await simulateMain(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env });
	return { code, stdout, stderr };
}

describe('parsing', () => {
	test('maps the flags to the simulation input', () => {
		expect(parseSimulateArgs(['poll-vote', '--option', 'A', '--option=B', '--message-id', 'true_1@c.us_X', '--from', '+49 151 1'], {})).toEqual({
			kind: 'poll-vote',
			sandbox: 'http://127.0.0.1:8787',
			instance: undefined,
			json: false,
			input: { options: ['A', 'B'], messageId: 'true_1@c.us_X', from: '+49 151 1' },
		});
		expect(parseSimulateArgs(['event', '--event', 'x.y', '--payload', '{"a":1}', '--json', '--instance', 'i1'], { HYPERSENDER_SANDBOX_URL: 'http://127.0.0.1:9999/' })).toMatchObject({
			sandbox: 'http://127.0.0.1:9999',
			instance: 'i1',
			json: true,
			input: { event: 'x.y', payload: { a: 1 } },
		});
		expect(parseSimulateArgs(['ack', '--ack', '-1', '--reaction', ''], {})).toMatchObject({ input: { ack: '-1', reaction: '' } });
	});

	test.each([
		[[], /give the kind/],
		[['dance'], /unknown kind "dance"/],
		[['message', '--colour', 'red'], /unknown option --colour/],
		[['message', '--text'], /--text needs a value/],
		[['event', '--payload', '{oops'], /--payload must be JSON/],
		[['message', '--sandbox', 'ftp://x'], /--sandbox must be the sandbox's http URL/],
		[['message', 'extra'], /unexpected argument "extra"/],
	])('refuses %j with exit code 2', async (args, message) => {
		const { code, stderr } = await simulateCli(args);
		expect(code).toBe(2);
		expect(stderr).toMatch(message);
	});

	test('the webhook flags of the server, with their defaults', () => {
		expect(parseArgs(['--webhook-url', 'http://127.0.0.1:5678/webhook/x', '--webhook-secret', 's', '--webhook-auth-style', 'raw', '--webhook-user-id', 'u-1'])).toMatchObject({
			options: { webhookUrl: 'http://127.0.0.1:5678/webhook/x', webhookSecret: 's', webhookAuthStyle: 'raw', webhookUserId: 'u-1' },
		});
		expect(parseArgs([])).toMatchObject({ options: { webhookUrl: null, webhookSecret: null, webhookAuthStyle: 'bearer', webhookUserId: DEFAULT_WEBHOOK_USER_ID } });
		expect(() => parseArgs(['--webhook-url', 'nowhere'])).toThrow(/--webhook-url must be an http or https URL/);
		expect(() => parseArgs(['--webhook-auth-style', 'basic'])).toThrow(/--webhook-auth-style must be bearer or raw/);
		expect(() => parseArgs(['--webhook-secret='])).toThrow(/--webhook-secret must not be empty/);
	});
});

describe('against a running sandbox', () => {
	test('message: prints the event, where it went and the receiver\'s status; the main instance by default', async () => {
		const { code, stdout } = await simulateCli(['message', '--sandbox', sandbox.url, '--from', '+49 151 2345 6789', '--text', 'Hi from the CLI']);
		expect(code).toBe(0);
		const [received] = await receiver.waitFor(1);
		expect(received.body.data).toMatchObject({ instanceId: DEFAULT_INSTANCE, payload: { from: '4915123456789@c.us', body: 'Hi from the CLI', fromMe: false } });
		expect(stdout).toContain(`Simulated message on instance ${DEFAULT_INSTANCE}\n`);
		expect(stdout).toContain(`message.any ${received.body.data.id} -> ${receiver.url}: HTTP 200 (`);
		expect(stdout).toContain(`message id: ${received.body.data.payload.id}\n`);
		expect(stdout).toContain('"body": "Hi from the CLI"');
	});

	test('reaction and poll-vote by flags, --json, and HYPERSENDER_SANDBOX_URL', async () => {
		const poll = await sendAndWait(sandbox, 'send-poll', { chatId: '4915123456789', poll: { name: 'Q', options: ['Yes', 'No'] } });
		const vote = await simulateCli(['poll-vote', '--option', 'No', '--json'], { HYPERSENDER_SANDBOX_URL: sandbox.url });
		expect(vote.code).toBe(0);
		const result = JSON.parse(vote.stdout);
		expect(result.payload).toMatchObject({ vote: { selectedOptions: ['No'] }, poll: { id: serializedId(poll.response_body) } });
		const reaction = await simulateCli(['reaction', '--sandbox', sandbox.url, '--instance', DEFAULT_INSTANCE, '--reaction', '🎉']);
		expect(reaction.code).toBe(0);
		await sandbox.webhooksIdle();
		expect(receiver.received.map((received) => received.body.event)).toEqual(['message.any', 'message.ack', 'poll.vote', 'message.reaction']);
		expect(receiver.received[3].body.data.payload).toMatchObject({ reaction: { text: '🎉', messageId: serializedId(poll.response_body) } });
	});

	test('contact-add prints the contact; no URL: "not delivered", exit 0; a failing receiver or a refusal: exit 1', async () => {
		const added = await simulateCli(['contact-add', '--sandbox', sandbox.url, '--phone', '+1 555 010 9999', '--name', 'CLI Contact']);
		expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining('contact: {"id":"15550109999@c.us","name":"CLI Contact"}') });
		expect(sandbox.contact(DEFAULT_INSTANCE, '15550109999')).toEqual({ id: '15550109999@c.us', name: 'CLI Contact' });

		receiver.respond = () => ({ status: 503 });
		const failing = await simulateCli(['waiting', '--sandbox', sandbox.url]);
		expect(failing.code).toBe(1);
		expect(failing.stdout).toContain(': HTTP 503 (');

		sandbox.configure({ webhookUrl: null });
		const unheard = await simulateCli(['presence', '--sandbox', sandbox.url]);
		expect(unheard.code).toBe(0);
		expect(unheard.stdout).toMatch(/presence\.update evt_[0-9a-f]{24}: not delivered \(no webhook URL is configured for this instance\)/);

		const refused = await simulateCli(['reaction', '--sandbox', sandbox.url, '--message-id', 'true_1@c.us_NOPE']);
		expect(refused).toMatchObject({ code: 1, stderr: 'sandbox simulate: the sandbox refused (404): Message not found.\n' });
		const unknown = await simulateCli(['message', '--sandbox', sandbox.url, '--instance', 'nope']);
		expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('(404): Instance not found.') });
		const unreachable = await simulateCli(['message', '--sandbox', 'http://127.0.0.1:1']);
		expect(unreachable).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot reach the sandbox at http://127.0.0.1:1') });
	});
});

test('node sandbox/cli.js with --webhook-url and --webhook-secret, then `simulate` in another process', async () => {
	sandbox.configure({ webhookUrl: null });
	const server = spawn(process.execPath, [CLI_SCRIPT, '--port', '0', '--size', '5', '--webhook-url', receiver.url, '--webhook-secret', 'cli-secret'], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	server.stdout.on('data', (chunk) => (output += chunk));
	server.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
	try {
		while (!output.includes('Webhook events go to')) {
			if (server.exitCode !== null) throw new Error(output);
			await sleep(10);
		}
		expect(output).not.toContain('cli-secret');
		expect(output).toContain(`Webhook events go to ${receiver.url} (with the secret as Authorization)`);
		const url = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1];
		const child = spawn(process.execPath, [CLI_SCRIPT, 'simulate', 'message', '--text', 'spawned'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HYPERSENDER_SANDBOX_URL: url } });
		let printed = '';
		child.stdout.on('data', (chunk) => (printed += chunk));
		child.stderr.on('data', (chunk) => (printed += chunk));
		const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
		expect(code).toBe(0);
		expect(printed).toContain(`-> ${receiver.url}: HTTP 200`);
		const [received] = await receiver.waitFor(1);
		expect(received.headers.authorization).toBe('Bearer cli-secret');
		expect(received.body.data.payload).toMatchObject({ body: 'spawned', fromMe: false });
	} finally {
		server.kill('SIGTERM');
		expect(await exited).toBe(0);
	}
});

test('--help names the webhook flags and the simulate subcommand; simulate --help lists the kinds', async () => {
	const run = (args: string[]) =>
		new Promise<string>((resolve) => {
			const child = spawn(process.execPath, [CLI_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
			let text = '';
			child.stdout.on('data', (chunk) => (text += chunk));
			child.on('exit', () => resolve(text));
		});
	const help = await run(['--help']);
	for (const flag of ['--webhook-url', '--webhook-secret', '--webhook-auth-style', '--webhook-user-id', 'simulate <kind>']) expect(help).toContain(flag);
	const simulateHelp = (await simulateCli(['--help'])).stdout;
	for (const kind of ['message', 'reaction', 'poll-vote', 'poll-vote-failed', 'revoke', 'waiting', 'presence', 'ack', 'contact-add', 'contact-rename', 'event', '--sandbox', 'HYPERSENDER_SANDBOX_URL']) {
		expect(simulateHelp).toContain(kind);
	}
});
