/** The command line: `simulate media …` and the media host's port. */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code run by jest in Node, not a node in n8n Cloud */
import { spawn } from 'node:child_process';
import path from 'node:path';

import { parseArgs } from '../../sandbox/cli';
import { parseSimulateArgs, simulateMain } from '../../sandbox/cli-simulate';
import type { Sandbox } from './helpers';
import { DEFAULT_INSTANCE, DEFAULT_TOKEN, sleep, useSandbox } from './helpers';
import { download } from './media-helpers';
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
	sandbox.configure({ webhookUrl: receiver.url });
});
afterEach(async () => {
	await sandbox.webhooksIdle();
	await receiver.close();
});

async function simulateCli(args: string[]) {
	let stdout = '';
	let stderr = '';
	const code = await simulateMain(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {} });
	return { code, stdout, stderr };
}

describe('parsing', () => {
	test('maps the media flags to the simulation input', () => {
		const args = ['media', '--kind', 'document', '--from', '+49 151 1', '--origin', 'api', '--expires-in', '30s', '--size', '4096', '--seed=5', '--no-filename', '--throttle', '1000', '--delay', '50', '--caption', 'Invoice'];
		expect(parseSimulateArgs(args, {})).toEqual({
			kind: 'media',
			sandbox: 'http://127.0.0.1:8787',
			instance: undefined,
			json: false,
			input: { kind: 'document', from: '+49 151 1', origin: 'api', expiresInMs: 30000, size: '4096', seed: '5', noFilename: true, throttleBytesPerSecond: '1000', delayMs: '50', caption: 'Invoice' },
		});
		expect(parseSimulateArgs(['media', '--kind', 'voice', '--inline', '--transcript', 'Hi', '--expires-in', '1500'], {})).toMatchObject({ input: { kind: 'voice', inline: true, transcript: 'Hi', expiresInMs: 1500 } });
		expect(parseSimulateArgs(['media', '--kind', 'image', '--error', 'Media not available', '--not-found', '--filename', 'a.jpg', '--expires-in', '10m'], {})).toMatchObject({
			input: { error: 'Media not available', notFound: true, filename: 'a.jpg', expiresInMs: 600000 },
		});
		expect(() => parseSimulateArgs(['media', '--expires-in', 'soon'], {})).toThrow(/--expires-in must be a duration/);
		expect(() => parseSimulateArgs(['media', '--inline=yes'], {})).toThrow(/--inline takes no value/);
	});

	test('--media-port: the media host port (default any free port)', () => {
		expect(parseArgs(['--media-port', '9797'])).toMatchObject({ options: { mediaPort: 9797 } });
		expect(parseArgs([])).toMatchObject({ options: { mediaPort: 0 } });
		expect(() => parseArgs(['--media-port', '70000'])).toThrow(/--media-port must be an integer from 0 to 65535/);
	});
});

describe('simulate media', () => {
	test('delivers the media message and prints the media link, which serves the bytes', async () => {
		const { code, stdout, stderr } = await simulateCli(['media', '--sandbox', sandbox.url, '--kind', 'voice', '--origin', 'api', '--size', '2048']);
		expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
		const [received] = await receiver.waitFor(1);
		expect(received.body.data.payload).toMatchObject({ hasMedia: true, media: { mimetype: 'audio/ogg; codecs=opus' } });
		const match = /^media ([0-9a-f]{24}): voice, audio\/ogg; codecs=opus, 2048 bytes: (\S+) \(api, expires \S+\)$/m.exec(stdout);
		expect(match).not.toBeNull();
		const got = await download(match![2], true);
		expect(got.bytes.equals(sandbox.mediaBytes(match![1]))).toBe(true);
		expect(stdout).toContain(`Simulated media on instance ${DEFAULT_INSTANCE}\n`);
	});

	test('inline and error media say so; a bad kind exits 1 with the sandbox\'s message', async () => {
		expect((await simulateCli(['media', '--sandbox', sandbox.url, '--kind', 'sticker', '--inline'])).stdout).toMatch(/^media [0-9a-f]{24}: sticker, image\/webp, 8000 bytes: inline \(media\.data\)$/m);
		expect((await simulateCli(['media', '--sandbox', sandbox.url, '--kind', 'image', '--error', 'Media not available'])).stdout).toMatch(/: no URL, error "Media not available"$/m);
		const bad = await simulateCli(['media', '--sandbox', sandbox.url, '--kind', 'gif']);
		expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('kind must be one of voice, image, document, video, sticker') });
		expect((await simulateCli(['--help'])).stdout).toContain('--kind KIND');
	});
});

test('the sandbox prints the media host at start (here: with --verbose on --port 0)', async () => {
	const child = spawn(process.execPath, [CLI_SCRIPT, '--port', '0', '--size', '5', '--verbose', '--token', DEFAULT_TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	try {
		const deadline = Date.now() + 10000;
		while (!output.includes('Media host') && Date.now() < deadline) await sleep(10);
		const host = /Media host \(media of simulated incoming messages, no auth\) on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(output);
		expect(host).not.toBeNull();
		expect((await download(`${host![1]}/media/x`)).status).toBe(403);
	} finally {
		child.kill('SIGTERM');
	}
	expect(await exited).toBe(0);
});
