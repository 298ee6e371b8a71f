/** `node sandbox/cli.js simulate sms --event …`: the SMS gateway's phone events from the command line. */
import { parseSimulateArgs, simulateMain } from '../../sandbox/cli-simulate';
import type { Sandbox } from './helpers';
import { apiRequest, DEFAULT_INSTANCE, useSandbox } from './helpers';
import type { Receiver } from './webhook-helpers';
import { startReceiver } from './webhook-helpers';

const current = useSandbox();
let sandbox: Sandbox;
let receiver: Receiver;
beforeAll(() => {
	sandbox = current();
});
beforeEach(async () => {
	sandbox.clearSms(DEFAULT_INSTANCE);
	receiver = await startReceiver();
	sandbox.configure({ webhookUrl: receiver.url, smsSendDelayMs: 60000 });
});
afterEach(async () => {
	await receiver.close();
});

async function simulateCli(args: string[]) {
	let stdout = '';
	let stderr = '';
	const code = await simulateMain(['sms', '--sandbox', sandbox.url, ...args], { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {} });
	return { code, stdout, stderr };
}

test('maps the SMS flags to the simulation input', () => {
	expect(parseSimulateArgs(['sms', '--event', 'phone.heartbeat.received', '--battery-level', '12', '--charging', '--app-version', 'v2'], {})).toMatchObject({
		kind: 'sms',
		input: { event: 'phone.heartbeat.received', batteryLevel: '12', isCharging: true, appVersion: 'v2' },
	});
	expect(parseSimulateArgs(['sms', '--from', '+49 151 1', '--content', 'Hi', '--reason', 'NO_SIGNAL'], {})).toMatchObject({ input: { from: '+49 151 1', content: 'Hi', reason: 'NO_SIGNAL' } });
});

test('an incoming SMS by default: printed, delivered as {event, data}', async () => {
	const { code, stdout } = await simulateCli(['--from', '+49 151 23456789', '--content', 'Where is my parcel?']);
	expect(code).toBe(0);
	expect(stdout).toMatch(/^Simulated sms on instance /);
	expect(stdout).toMatch(/message\.phone\.received evt_[0-9a-f]{24} -> http:\/\/127\.0\.0\.1:\d+\/webhook\/test: HTTP 200/);
	expect(stdout).toMatch(/sms [0-9a-f-]{36}: received, \+4915123456789 -> \+1555\d{7}/);
	const [delivery] = await receiver.waitFor(1);
	expect(delivery.body).toMatchObject({ event: 'message.phone.received', data: { content: 'Where is my parcel?', type: 'received_from_mobile' } });
});

test('--event message.send.failed fails the newest sent SMS; --json prints the whole answer', async () => {
	const sent = await apiRequest<{ id: string }>(sandbox, 'sms', 'POST', `${DEFAULT_INSTANCE}/send-message`, { json: { content: 'x', to: '+12025550123' } });
	const { code, stdout } = await simulateCli(['--event', 'message.send.failed', '--reason', 'NO_SIGNAL', '--json']);
	expect(code).toBe(0);
	expect(JSON.parse(stdout)).toMatchObject({ kind: 'sms', message: { id: sent.body.id, status: 'failed', failure_reason: 'NO_SIGNAL' }, events: [{ event: 'message.send.failed', status: 200 }] });
});

test('a heartbeat from the command line; an unknown event is refused (exit 1)', async () => {
	expect((await simulateCli(['--event', 'phone.heartbeat.received', '--battery-level', '12'])).code).toBe(0);
	expect(sandbox.smsHeartbeats(DEFAULT_INSTANCE)).toEqual([expect.objectContaining({ battery_level: 12 })]);
	const refused = await simulateCli(['--event', 'phone.exploded']);
	expect(refused.code).toBe(1);
	expect(refused.stderr).toMatch(/the sandbox refused \(400\): event must be an SMS event/);
});
