/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import path from 'node:path';

import { HypersenderApi } from '../../credentials/HypersenderApi.credentials';
import { Hypersender } from '../../nodes/Hypersender/Hypersender.node';
import { CREDENTIAL_TYPE } from '../../nodes/Hypersender/transport';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fixtures = require('../../scripts/fixtures');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const packageJson = require('../../package.json');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codex = require('../../nodes/Hypersender/Hypersender.node.json');

// The tooling (plain JavaScript) takes these names from scripts/fixtures.js; the node and the
// credential must carry the same ones, or the tests would drive a node n8n does not know.
test('the node, the credential, the codex and package.json use the names of scripts/fixtures.js', () => {
	const node = new Hypersender().getNodeType(1).description;
	expect(`${packageJson.name}.${node.name}`).toBe(fixtures.NODE_TYPE);
	expect(node.displayName).toBe(fixtures.NODE_DISPLAY_NAME);
	expect(codex.node).toBe(fixtures.NODE_TYPE);
	expect(new HypersenderApi().name).toBe(fixtures.CREDENTIAL_TYPE);
	expect(CREDENTIAL_TYPE).toBe(fixtures.CREDENTIAL_TYPE);
	expect(node.credentials?.map((credential) => credential.name)).toEqual([fixtures.CREDENTIAL_TYPE]);
});

// Hypersender is a versioned node (n8n's VersionedNodeType): what the node list shows comes from
// the base description, which every version's description starts from.
test('the versioned node lists version 1 as its default and every version by number', () => {
	const node = new Hypersender();
	expect(node.description.defaultVersion).toBe(1);
	expect(Object.keys(node.nodeVersions)).toEqual(['1']);
	const v1 = node.getNodeType(1).description;
	expect(v1.version).toBe(1);
	for (const key of ['displayName', 'name', 'icon', 'group', 'description'] as const) {
		expect(v1[key]).toEqual(node.description[key]);
	}
	expect(node.getNodeType()).toBe(node.getNodeType(1));
});

// n8n's scanner asks that every *.node.ts under nodes/ be registered in package.json: the
// versions' classes are plain modules, and only the entries n8n loads are node files.
test('every *.node.ts under nodes/ is registered in package.json', () => {
	const nodesDir = path.join(__dirname, '../../nodes');
	const found = fs
		.readdirSync(nodesDir, { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.node.ts'))
		.map((file) => `dist/nodes/${file.replace(/\\/g, '/').replace(/\.ts$/, '.js')}`)
		.sort();
	expect(found).toEqual([...packageJson.n8n.nodes].sort());
});
