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
	const node = new Hypersender().description;
	expect(`${packageJson.name}.${node.name}`).toBe(fixtures.NODE_TYPE);
	expect(node.displayName).toBe(fixtures.NODE_DISPLAY_NAME);
	expect(codex.node).toBe(fixtures.NODE_TYPE);
	expect(new HypersenderApi().name).toBe(fixtures.CREDENTIAL_TYPE);
	expect(CREDENTIAL_TYPE).toBe(fixtures.CREDENTIAL_TYPE);
	expect(node.credentials?.map((credential) => credential.name)).toEqual([fixtures.CREDENTIAL_TYPE]);
});
