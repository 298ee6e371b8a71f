import type { INode, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Hypersender } from '../../nodes/Hypersender/Hypersender.node';

const nodeType = new Hypersender();
const nodeTypes: INodeTypes = {
	getByName: () => nodeType,
	getByNameAndVersion: () => nodeType.getNodeType(1),
	getKnownTypes: () => ({}),
};

/** The subtitle n8n's canvas shows under the node, evaluated as the editor does. */
function subtitle(resource: string, operation: string): unknown {
	const node: INode = {
		id: 'n1',
		name: 'Hypersender',
		type: 'n8n-nodes-hypersender.hypersender',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource, operation },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const expression = nodeType.getNodeType(1).description.subtitle!;
	return workflow.expression.getSimpleParameterValue(node, expression, 'internal', {});
}

test.each([
	['contact', 'getAll', 'Get many contacts'],
	['message', 'sendText', 'send text: message'],
	['queuedRequest', 'get', 'get: queued request'],
	['instance', 'getAll', 'Get many instances'],
	['instance', 'requestNewQr', 'request new qr: instance'],
	['otp', 'validateCode', 'validate code: one-time code'],
	['sms', 'getAll', 'Get many SMS messages'],
	['sms', 'send', 'send: SMS'],
	['smsThread', 'getAll', 'Get many SMS threads'],
	['smsThread', 'archive', 'archive: SMS thread'],
])('%s › %s reads "%s"', (resource, operation, expected) => {
	expect(subtitle(resource, operation)).toBe(expected);
});
