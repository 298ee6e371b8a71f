import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { HypersenderV1 } from './v1/HypersenderV1';

/**
 * The Hypersender node, on n8n's versioned layout (as n8n's Airtable): what every version shares
 * here, each version's parameters and operations in its own folder (v1/), the shared code
 * (execution, domain, descriptions, transport, helpers) beside them. A breaking change is a new
 * folder and a new entry in `nodeVersions` (CONTRIBUTING.md, "A new node version"); workflows
 * saved on version 1 keep running on v1/.
 */
export class Hypersender extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Hypersender',
			name: 'hypersender',
			icon: { light: 'file:hypersender.svg', dark: 'file:hypersender.dark.svg' },
			group: ['input'],
			description:
				'Send WhatsApp messages, media and chat actions, follow queued requests, and manage the contacts of a WhatsApp instance with the Hypersender API',
			defaultVersion: 1,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new HypersenderV1(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
