import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { HypersenderV1 } from './v1/HypersenderV1.node';

/**
 * The Hypersender node, on n8n's versioned layout (as n8n's Airtable): each version's parameters
 * and run in its own folder (v1/), the shared code (execution, domain, descriptions, transport,
 * helpers) beside them. A breaking change is a new folder and a new entry in `nodeVersions`
 * (CONTRIBUTING.md, "A new node version"); workflows saved on version 1 keep running on v1/.
 */
export class Hypersender extends VersionedNodeType {
	constructor() {
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new HypersenderV1(),
		};
		const defaultVersion = 1;
		// What the node list shows comes from the version new nodes get.
		const { displayName, name, icon, group, description } = nodeVersions[defaultVersion].description;
		const baseDescription: INodeTypeBaseDescription = { displayName, name, icon, group, description, defaultVersion };
		super(nodeVersions, baseDescription);
	}
}
