/**
 * The credential's test request, resolved by n8n-workflow's expression engine with
 * `$credentials` as n8n resolves it, then sent with the credential's generic auth to the
 * sandbox. (The same test runs in a real n8n in the end-to-end and browser suites.)
 */
import { Workflow } from 'n8n-workflow';
import type { INode, INodeTypes } from 'n8n-workflow';

import { HypersenderApi } from '../../credentials/HypersenderApi.credentials';
import type { Sandbox } from '../harness/sandbox';
import { DEFAULT_INSTANCE, startSandbox } from '../harness/sandbox';

const credentialType = new HypersenderApi();
const node: INode = {
	id: '1',
	name: 'Credential test',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const noOp = { description: { properties: [], inputs: ['main'], outputs: ['main'] } };
const workflow = new Workflow({
	nodes: [node],
	connections: {},
	active: false,
	nodeTypes: {
		getByName: () => noOp,
		getByNameAndVersion: () => noOp,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes,
});

function resolve(value: string, credentials: Record<string, string>): string {
	return String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }));
}

async function runCredentialTest(credentials: Record<string, string>) {
	const { request } = credentialType.test;
	const auth = credentialType.authenticate as { properties: { headers: Record<string, string> } };
	const url = new URL(resolve(request.url!, credentials));
	for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
	const headers: Record<string, string> = { ...(request.headers as Record<string, string>) };
	for (const [key, value] of Object.entries(auth.properties.headers)) headers[key] = resolve(value, credentials);
	const response = await fetch(url, { method: request.method ?? 'GET', headers });
	return { url: url.toString(), status: response.status, body: (await response.json()) as { message?: string } };
}

let sandbox: Sandbox;
beforeAll(async () => (sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 5, seed: 1 } } })));
afterAll(async () => await sandbox.close());

test('the test request reads one contact of the credential\'s instance', async () => {
	const result = await runCredentialTest({ apiToken: sandbox.token, instanceId: DEFAULT_INSTANCE, baseUrl: `${sandbox.baseUrl}/` });
	expect(result.url).toBe(`${sandbox.baseUrl}/${DEFAULT_INSTANCE}/contacts/get-all?limit=1`);
	expect(result.status).toBe(200);
});

test('a wrong token fails the test with the API\'s 401', async () => {
	const result = await runCredentialTest({ apiToken: 'wrong', instanceId: DEFAULT_INSTANCE, baseUrl: sandbox.baseUrl });
	expect(result).toMatchObject({ status: 401, body: { message: 'Unauthenticated.' } });
});

test('a wrong instance fails the test with the API\'s 404', async () => {
	const result = await runCredentialTest({ apiToken: sandbox.token, instanceId: ' a/b ', baseUrl: sandbox.baseUrl });
	expect(result.url).toBe(`${sandbox.baseUrl}/a%2Fb/contacts/get-all?limit=1`);
	expect(result.status).toBe(404);
});
