// @ts-check
'use strict';
// The workflows the real-n8n variants run: Manual Trigger → Hypersender (node-n8n), and what users
// do without this package, Manual Trigger → HTTP Request with pagination → Split Out on `data`
// (http-request-n8n).
const runtime = require('../../scripts/n8n/runtime');
const { CREDENTIAL_TYPE, MANUAL_TRIGGER_NAME, NODE_DISPLAY_NAME, NODE_TYPE, manualTriggerNode } = require('../../scripts/fixtures');
const { PAGE_SIZE, instanceFor } = require('./variants');

/** @typedef {import('../../scripts/n8n/runtime').Workflow} Workflow */
/** @typedef {import('../../scripts/n8n/runtime').N8nRun} N8nRun */
/** @typedef {{ id: string, name: string }} CredentialRef */
/** @typedef {'node-n8n' | 'http-request-n8n'} N8nVariant */

/** The Hypersender node's name in the workflow: the one n8n gives a new node of its type. */
const NODE_NAME = NODE_DISPLAY_NAME;
const HTTP_NAME = 'HTTP Request';
const SPLIT_NAME = 'Split Out';
const HTTP_REQUEST_VERSION = 4.5; // the latest (default) HTTP Request version in n8n 2.41

/** The real-n8n variants. */
const N8N_VARIANTS = /** @type {const} */ (['node-n8n', 'http-request-n8n']);
/** The node(s) whose executionTime is the variant's time. @param {N8nVariant} variant */
const measuredNodes = (variant) => (variant === 'node-n8n' ? [NODE_NAME] : [HTTP_NAME, SPLIT_NAME]);

/**
 * The startTime (epoch ms) and executionTime (ms) n8n recorded for `name`'s first run.
 * @param {N8nRun | undefined} run
 * @param {string} name
 * @returns {{ startTime?: number, executionTime?: number }}
 */
const taskOf = (run, name) => /** @type {{ startTime?: number, executionTime?: number }} */ (run?.data?.resultData?.runData?.[name]?.[0] ?? {});

const triggerNode = () => manualTriggerNode({ id: 'b3a7e000-0000-4000-a000-000000000001' });

/**
 * Manual Trigger → Hypersender (Contact › Get Many, Return All) with `credential`.
 * @param {number | string} size the N in its name
 * @param {CredentialRef} credential
 * @returns {Workflow & { id: string }}
 */
function nodeWorkflow(size, credential) {
	return {
		id: runtime.newId(),
		name: `bench: Hypersender Return All (${size})`,
		nodes: [
			triggerNode(),
			{
				id: 'b3a7e000-0000-4000-a000-000000000002',
				name: NODE_NAME,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'contact', operation: 'getAll', returnAll: true, options: {} },
				credentials: { [CREDENTIAL_TYPE]: credential },
			},
		],
		connections: { [MANUAL_TRIGGER_NAME]: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Manual Trigger → HTTP Request 4.5 paging the API (offset = $pageCount * 1000, limit 1000,
 * complete when a page is short, Bearer credential) → Split Out on `data`.
 * @param {number} size the instance to read
 * @param {string} baseUrl
 * @param {CredentialRef} credential an httpBearerAuth credential
 * @returns {Workflow & { id: string }}
 */
function httpRequestWorkflow(size, baseUrl, credential) {
	return {
		id: runtime.newId(),
		name: `bench: HTTP Request pagination + Split Out (${size})`,
		nodes: [
			triggerNode(),
			{
				id: 'b3a7e000-0000-4000-a000-000000000003',
				name: HTTP_NAME,
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_REQUEST_VERSION,
				position: [220, 0],
				parameters: {
					method: 'GET',
					url: `${baseUrl}/${instanceFor(size)}/contacts/get-all`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpBearerAuth',
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'limit', value: String(PAGE_SIZE) }] },
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: { parameters: [{ type: 'qs', name: 'offset', value: `={{ $pageCount * ${PAGE_SIZE} }}` }] },
								paginationCompleteWhen: 'other',
								completeExpression: `={{ $response.body.data.length < ${PAGE_SIZE} }}`,
							},
						},
					},
				},
				credentials: { httpBearerAuth: credential },
			},
			{
				id: 'b3a7e000-0000-4000-a000-000000000004',
				name: SPLIT_NAME,
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'data', include: 'noOtherFields', options: {} },
			},
		],
		connections: {
			[MANUAL_TRIGGER_NAME]: { main: [[{ node: HTTP_NAME, type: 'main', index: 0 }]] },
			[HTTP_NAME]: { main: [[{ node: SPLIT_NAME, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

module.exports = { NODE_NAME, HTTP_NAME, SPLIT_NAME, N8N_VARIANTS, measuredNodes, taskOf, nodeWorkflow, httpRequestWorkflow };
