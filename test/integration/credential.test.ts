/**
 * The credential's test request, resolved by n8n-workflow's expression engine with
 * `$credentials` as n8n resolves it, then sent with the credential's generic auth to the
 * sandbox. (The same test runs in a real n8n in the end-to-end and browser suites.)
 */
import { Workflow } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, INode, INodeTypes } from 'n8n-workflow';

import { startTestServer } from '../harness/http-server';

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

const authenticate = credentialType.authenticate as (
	credentials: ICredentialDataDecryptedObject,
	options: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

/** The test request as n8n sends it: resolved, authenticated by the credential, redirects as the options say. */
async function runCredentialTest(credentials: Record<string, string>) {
	const { request } = credentialType.test;
	const url = new URL(resolve(request.url!, credentials));
	for (const [key, value] of Object.entries(request.qs ?? {})) url.searchParams.set(key, String(value));
	const options = await authenticate(credentials, {
		url: url.toString(),
		method: request.method ?? 'GET',
		headers: { ...(request.headers as Record<string, string>) },
		disableFollowRedirect: request.disableFollowRedirect,
	});
	const response = await fetch(url, {
		method: options.method,
		headers: options.headers as Record<string, string>,
		redirect: options.disableFollowRedirect ? 'manual' : 'follow',
	});
	const text = await response.text();
	return { url: url.toString(), status: response.status, body: (text ? JSON.parse(text) : {}) as { message?: string } };
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

describe('the token goes to the Base URL and nowhere else', () => {
	test('a Base URL that redirects fails the test with the redirect\'s rule, and the other host gets nothing', async () => {
		const other = await startTestServer((_request, response) => response.writeHead(200).end('{}'));
		const redirecting = await startTestServer((request, response) =>
			response.writeHead(302, { Location: `${new URL(other.baseUrl).origin}${request.url}` }).end(),
		);
		try {
			const result = await runCredentialTest({ apiToken: sandbox.token, instanceId: DEFAULT_INSTANCE, baseUrl: redirecting.baseUrl });
			expect(result.status).toBe(302);
			expect(other.requests).toHaveLength(0);
			const rule = credentialType.test.rules?.find((candidate) => candidate.type === 'responseCode' && candidate.properties.value === 302);
			expect(rule?.properties.message).toMatch(/redirect \(HTTP 302\).*not followed/);
		} finally {
			await other.close();
			await redirecting.close();
		}
	});

	test.each([
		['http://app.example.com/api/whatsapp/v2', /plain http to app\.example\.com/],
		['https://user:secret-pass@app.example.com/api', /user name or password/],
		['ftp://app.example.com/api', /scheme "ftp:" is not https/],
		['not a url', /is not a URL/],
	])('the Base URL %s is refused before any request, with the allowed forms', async (baseUrl, problem) => {
		const attempt = authenticate({ apiToken: 'tok-123456', baseUrl }, { url: `${baseUrl}/x/contacts/get-all` });
		await expect(attempt).rejects.toThrow(problem);
		await expect(attempt).rejects.toThrow(/Allowed: https:\/\/<host>\/<path>.*localhost, 127\.0\.0\.1, \[::1\]/);
		await expect(attempt).rejects.not.toThrow(/secret-pass/);
	});

	test.each(['http://127.0.0.1:8787/api/whatsapp/v2', 'http://localhost:8787/v2', 'http://[::1]:8787/v2', 'https://app.hypersender.com/api/whatsapp/v2'])(
		'%s is allowed, and its requests never follow redirects',
		async (baseUrl) => {
			const options = await authenticate({ apiToken: 'tok-123456', baseUrl }, { url: `${baseUrl}/i/contacts/get-all` });
			expect(options.headers).toMatchObject({ Authorization: 'Bearer tok-123456' });
			expect(options).toMatchObject({ disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false });
		},
	);

	test('a request for another origin gets no token (a node lent the credential, or a URL built elsewhere)', async () => {
		const attempt = authenticate(
			{ apiToken: 'tok-123456', baseUrl: 'https://app.hypersender.com/api/whatsapp/v2' },
			{ url: 'https://collector.example.net/steal', headers: {} },
		);
		await expect(attempt).rejects.toThrow('only sent to the credential\'s Base URL (https://app.hypersender.com); this request goes to collector.example.net');
	});
});
