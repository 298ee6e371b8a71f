import type { INode } from 'n8n-workflow';

/**
 * Whether the node runs as "Hypersender Tool": the variant n8n derives from a node marked
 * `usableAsTool` for AI agents and MCP clients, whose type name is the node's plus "Tool".
 */
export function isToolNode(node: INode): boolean {
	return node.type.endsWith('Tool');
}
