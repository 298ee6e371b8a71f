/**
 * In a real n8n (`n8n start` with the packed package): the output schemas the node ships are
 * served where n8n's editor asks for a schema preview,
 * `/schemas/<node type>/<version padded to x.y.z>/<resource>/<operation>.json`, byte for byte the
 * files the build writes from each operation's `outputSchema` (scripts/schemas.js; as packed and
 * installed); an operation, a version or a node type that has none gets 404, so the editor falls
 * back to no preview.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

import { operations } from '../../nodes/Hypersender/v1/actions/operations';
import type { Editor } from '../../scripts/n8n/runtime';
import { schemaFiles } from '../../scripts/schemas';
import { DEFAULT_INSTANCE, N8nHarness, NODE_TYPE, PACKAGE_NAME, runtime } from './n8n-harness';

/** Each operation's schema file as the build writes it (scripts/schemas.js), by `<resource>/<operation>.json`. */
const BUILT = schemaFiles(operations);

let harness: N8nHarness;
let editor: Editor;

const schemaUrl = (rest: string, nodeType = NODE_TYPE) => `${editor.url}/schemas/${nodeType}/${rest}`;

/** The file as the package installed in n8n's home has it. */
function installedSchema(resource: string, operation: string): string {
	const file = path.join(harness.home, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME, 'dist', 'nodes', 'Hypersender', '__schema__', 'v1.0.0', resource, `${operation}.json`);
	return fs.readFileSync(file, 'utf8');
}

beforeAll(async () => {
	harness = await N8nHarness.start({ name: 'e2e-output-schemas', instances: { [DEFAULT_INSTANCE]: { size: 10, seed: 1 } } });
	editor = await runtime.startEditor(harness.home, { port: await runtime.freePort() });
}, 5 * 60 * 1000);

afterAll(async () => {
	await editor?.stop();
	await harness?.close();
});

test.each([
	['1.0.0', 'contact', 'getAll'],
	['1.0.0', 'message', 'sendText'],
	// The version as the editor pads it and as the node declares it: both find v1.0.0.
	['1', 'queuedRequest', 'get'],
])('GET /schemas/%s/%s/%s.json: 200, the packed file as the build writes it from the source', async (version, resource, operation) => {
	const source = BUILT.get(`${resource}/${operation}.json`)!;
	expect(installedSchema(resource, operation)).toBe(source);
	const res = await runtime.request(schemaUrl(`${version}/${resource}/${operation}.json`));
	expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status: 200, type: expect.stringMatching(/^application\/json/) });
	expect(res.text).toBe(source);
	expect(res.body).toEqual(JSON.parse(source));
});

test.each([
	['an operation the resource does not have', '1.0.0/contact/sendText.json'],
	['an operation that does not exist', '1.0.0/message/sendSticker.json'],
	['a version the node does not have', '2.0.0/contact/getAll.json'],
	['no operation', '1.0.0/contact.json'],
])('%s: 404', async (_what, rest) => {
	const res = await runtime.request(schemaUrl(rest));
	expect(res.status).toBe(404);
});

test('a node type of the package without schemas (the Contact Trigger): 404', async () => {
	const res = await runtime.request(schemaUrl('1.0.0/contact/getAll.json', `${PACKAGE_NAME}.hypersenderContactTrigger`));
	expect(res.status).toBe(404);
});
