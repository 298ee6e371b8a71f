// @ts-check
'use strict';
// Names the node, the tests and the tooling all have to agree on, written once. The node's own
// source (TypeScript, compiled to dist/) keeps its literals because n8n's lint requires literals
// in descriptions; test/unit/fixtures.test.ts checks they equal these.

const PACKAGE_NAME = 'n8n-nodes-hypersender';

/** The node's `name` and the type n8n gives it once the package is installed. */
const NODE_NAME = 'hypersender';
const NODE_TYPE = `${PACKAGE_NAME}.${NODE_NAME}`;
const NODE_DISPLAY_NAME = 'Hypersender';

const CREDENTIAL_TYPE = 'hypersenderApi';
/** The credential `npm start` and the tests import for the sandbox. */
const SANDBOX_CREDENTIAL = Object.freeze({ id: 'hsSandboxCredential', name: 'Hypersender (sandbox)' });

const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
/** The name n8n 2.x gives a new Manual Trigger node. */
const MANUAL_TRIGGER_NAME = 'When clicking ‘Execute workflow’';

/**
 * A Manual Trigger node as n8n saves it in a workflow.
 * @param {{ id?: string, name?: string, position?: [number, number] }} [overrides]
 */
function manualTriggerNode(overrides = {}) {
	return {
		id: overrides.id ?? 'a1b2c3d4-0000-4000-8000-000000000001',
		name: overrides.name ?? MANUAL_TRIGGER_NAME,
		type: MANUAL_TRIGGER_TYPE,
		typeVersion: 1,
		/** @type {[number, number]} */
		position: overrides.position ?? [0, 0],
		parameters: {},
	};
}

module.exports = {
	PACKAGE_NAME,
	NODE_NAME,
	NODE_TYPE,
	NODE_DISPLAY_NAME,
	CREDENTIAL_TYPE,
	SANDBOX_CREDENTIAL,
	MANUAL_TRIGGER_TYPE,
	MANUAL_TRIGGER_NAME,
	manualTriggerNode,
};
