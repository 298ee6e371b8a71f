/**
 * Runs the Hypersender node's SMS and SMS Thread operations through n8n-core against the SMS test
 * gateway (./sms-gateway.js), and checks every output item against its operation's output schema.
 */
import type { IDataObject } from 'n8n-workflow';

import { operations } from '../../nodes/Hypersender/v1/actions/operations';
import type { JsonSchema } from './json-schema';
import { validate } from './json-schema';
import type { RunNodeOptions, RunNodeResult } from './n8n-core';
import { runHypersenderNode } from './n8n-core';
import { startSmsGateway } from './sms-gateway';

export type SmsGateway = Awaited<ReturnType<typeof startSmsGateway>>;

const gateways: SmsGateway[] = [];

/** A gateway closed after the test that started it. */
export async function smsGateway(options: Parameters<typeof startSmsGateway>[0] = {}): Promise<SmsGateway> {
	const gateway = await startSmsGateway(options);
	gateways.push(gateway);
	return gateway;
}

afterEach(async () => {
	await Promise.all(gateways.splice(0).map(async (gateway) => await gateway.close()));
});

/** Runs one operation of `resource` (sms by default); fails the test when an output item does not match its schema. */
export async function runSms(
	gateway: { credentials: IDataObject },
	parameters: IDataObject & { operation: string; resource?: string },
	extra: Omit<RunNodeOptions, 'parameters' | 'credentials'> = {},
): Promise<RunNodeResult> {
	const resource = parameters.resource ?? 'sms';
	const result = await runHypersenderNode({
		parameters: { resource, ...parameters } as never,
		credentials: gateway.credentials as never,
		...extra,
	});
	const schema = operations.resources[resource].operations[parameters.operation].outputSchema as JsonSchema;
	const problems = result.items.filter((item) => item.json.error === undefined).flatMap((item, index) => validate(schema, item.json, `item ${index}`));
	expect(problems).toEqual([]);
	return result;
}

/** The calls the gateway got for one route, e.g. `send-message`. */
export function callsTo(gateway: SmsGateway, route: string) {
	return gateway.state.calls.filter((call) => call.route === route);
}
