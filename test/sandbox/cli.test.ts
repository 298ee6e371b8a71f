/** The command line: `node sandbox/cli.js [options]`. */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code run by jest in Node, not a node in n8n Cloud */
import { spawn } from 'node:child_process';
import path from 'node:path';

import { parseArgs } from '../../sandbox/cli';
import { sleep } from './helpers';

const CLI_SCRIPT = path.join(__dirname, '..', '..', 'sandbox', 'cli.js');

function run(args: string[]) {
	const child = spawn(process.execPath, [CLI_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, exited, output: () => output };
}

test('starts, announces its URL, serves and stops on SIGTERM', async () => {
	const cli = run(['--port', '0', '--size', '30', '--token', 'cli-token']);
	while (!cli.output().includes('\n')) await sleep(10);
	const match = /^Hypersender sandbox listening on (http:\/\/127\.0\.0\.1:\d+\/api\/whatsapp\/v2) \(instance (\S+), 30 contacts, token cli-token\)\n$/.exec(cli.output());
	expect(match).not.toBeNull();
	const response = await fetch(`${match![1]}/${match![2]}/contacts/get-all`, { headers: { Authorization: 'Bearer cli-token' } });
	expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(30);
	cli.child.kill('SIGTERM');
	expect(await cli.exited).toBe(0);
});

test('exits 2 with a clear message on a bad flag', async () => {
	const cli = run(['--fault-rate', 'lots']);
	expect(await cli.exited).toBe(2);
	expect(cli.output()).toMatch(/--fault-rate must be a number/);
});

test('prints the options with --help, the new ones included', async () => {
	const cli = run(['--help']);
	expect(await cli.exited).toBe(0);
	for (const flag of ['--fault-phase', '--upsert-delay', '--upsert-calls', '--picture-ttl', '--processing-delay', '--safe-delay', '--not-on-whatsapp']) {
		expect(cli.output()).toContain(flag);
	}
	expect(cli.output()).toContain('send-text');
});

test('turns the upsert, picture and fault-phase flags into options', () => {
	const parsed = parseArgs(['--upsert-delay', '2000', '--upsert-calls=3', '--picture-ttl', '60000', '--fault-phase', 'after']);
	expect(parsed).toMatchObject({ options: { upsertDelayMs: 2000, upsertCallsNeeded: 3, pictureTtlMs: 60000, faults: { phase: 'after' } } });
});

test('defaults the new flags to no delay, one call, five minutes and phase before', () => {
	expect(parseArgs([])).toMatchObject({ options: { upsertDelayMs: 0, upsertCallsNeeded: 1, pictureTtlMs: 300000, faults: { phase: 'before' } } });
});

test('turns the queued-processing flags into options, with their defaults', () => {
	expect(parseArgs(['--processing-delay', '100', '--safe-delay=2500', '--not-on-whatsapp', '15551234567, 4915100000'])).toMatchObject({
		options: { processingDelayMs: 100, safeDelayMs: 2500, notOnWhatsapp: ['15551234567', '4915100000'] },
	});
	expect(parseArgs([])).toMatchObject({ options: { processingDelayMs: 500, safeDelayMs: 0, notOnWhatsapp: [] } });
});

test.each([
	[['--processing-delay', '-1'], /--processing-delay must be a number >= 0/],
	[['--safe-delay', 'soon'], /--safe-delay must be a number >= 0/],
	[['--not-on-whatsapp', '+15551234567'], /--not-on-whatsapp: "\+15551234567" is not a phone number/],
	[['--fault-phase', 'during'], /--fault-phase must be before or after/],
	[['--upsert-calls', '0'], /--upsert-calls must be an integer >= 1/],
	[['--picture-ttl', '-5'], /--picture-ttl must be a number >= 0/],
])('refuses %j', (args, message) => {
	expect(() => parseArgs(args)).toThrow(message);
});

test('turns the fault-routes, plan, rate-limit, restart and SMS flags into options, with their defaults', () => {
	const parsed = parseArgs(['--fault-routes', 'sms/send-message, otp/*', '--plan', 'trial', '--no-rate-limits', '--rate-limit-window', '500', '--restart-delay=0', '--sms-send-delay', '10', '--sms-delivery-delay', '20']);
	expect(parsed).toMatchObject({
		options: { faults: { routes: ['sms/send-message', 'otp/*'] }, plan: 'trial', rateLimits: false, rateLimitWindowMs: 500, restartDelayMs: 0, smsSendDelayMs: 10, smsDeliveryDelayMs: 20 },
	});
	expect(parseArgs([])).toMatchObject({
		options: { faults: { routes: null }, plan: 'subscribed', rateLimits: true, rateLimitWindowMs: 60000, restartDelayMs: 2000, smsSendDelayMs: 1000, smsDeliveryDelayMs: 1000 },
	});
	expect(parseArgs(['--fault-phase', 'both'])).toMatchObject({ options: { faults: { phase: 'both' } } });
	expect(() => parseArgs(['--fault-routes', 'mail/send'])).toThrow(/--fault-routes/);
	expect(() => parseArgs(['--plan', 'gold'])).toThrow(/--plan must be subscribed or trial/);
	expect(() => parseArgs(['--rate-limit-window', '0'])).toThrow(/--rate-limit-window must be a number >= 1/);
	expect(() => parseArgs(['--no-rate-limits=1'])).toThrow(/takes no value/);
});

test('with --verbose (or a fixed port), the start output names the other API families and the controls', async () => {
	const cli = run(['--port', '0', '--verbose', '--size', '3']);
	const deadline = Date.now() + 10000;
	while (!cli.output().includes('Controls') && Date.now() < deadline) await sleep(10);
	cli.child.kill('SIGTERM');
	await cli.exited;
	for (const part of ['/api/whatsapp/v2/instances', '/create-instance', '/health', '/api/otp/v2/', '/request-code', '/api/sms/v2/', '/send-message', '/heartbeats', '/__sandbox']) {
		expect(cli.output()).toContain(part);
	}
});
