/**
 * The output schemas as the build writes them (scripts/schemas.js into a temporary folder laid
 * out like dist/nodes/Hypersender), read back through n8n-core's path resolution, and the
 * operations the node declares: what the output-schema suites check the node's real output against.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { resolveOutputSchemaPath } from 'n8n-core';
import type { INodeProperties } from 'n8n-workflow';

import { Hypersender } from '../../nodes/Hypersender/Hypersender.node';
import { operations } from '../../nodes/Hypersender/v1/actions/operations';
import { VERSIONS, writeOutputSchemas } from '../../scripts/schemas';
import type { JsonSchema } from './json-schema';

export interface SchemaFixture {
	/** The node's folder as the build lays it out, with the schemas the build writes. */
	nodeDir: string;
	schemaDir: string;
	/** The Resource parameter's values, in order. */
	resources: string[];
	/** Every `resource/operation` the node declares. */
	declared: string[];
	/** Where n8n-core looks for an operation's schema (typeVersion 1). */
	schemaFile(operation: string): string;
	schemaOf(operation: string): JsonSchema;
	remove(): void;
}

export function schemaFixture(): SchemaFixture {
	const nodeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hypersender-output-schemas-'));
	const buildVersion = VERSIONS.find((entry) => entry.table === 'v1/actions/operations.js')!.version;
	writeOutputSchemas(operations, buildVersion, nodeDir);
	const description = new Hypersender().getNodeType(1).description;
	const resources = (description.properties.find((property) => property.name === 'resource')!.options as Array<{ value: string }>).map(
		(option) => option.value,
	);
	const declared = resources.flatMap((resource) => {
		const property = description.properties.find(
			(candidate: INodeProperties) =>
				candidate.name === 'operation' && candidate.displayOptions?.show?.resource?.length === 1 && candidate.displayOptions.show.resource[0] === resource,
		);
		if (!property) throw new Error(`no Operation parameter for the resource "${resource}"`);
		return (property.options as Array<{ value: string }>).map((option) => `${resource}/${option.value}`);
	});
	const schemaFile = (operation: string) => {
		const [resource, name] = operation.split('/');
		const file = resolveOutputSchemaPath({ nodeDir, version: description.version as number, resource, operation: name });
		if (!file) throw new Error(`n8n-core resolves no schema path for ${operation}`);
		return file;
	};
	const schemas = new Map<string, JsonSchema>();
	const schemaOf = (operation: string): JsonSchema => {
		if (!schemas.has(operation)) schemas.set(operation, JSON.parse(fs.readFileSync(schemaFile(operation), 'utf8')) as JsonSchema);
		return schemas.get(operation)!;
	};
	return {
		nodeDir,
		schemaDir: path.join(nodeDir, '__schema__'),
		resources,
		declared,
		schemaFile,
		schemaOf,
		remove: () => fs.rmSync(nodeDir, { recursive: true, force: true }),
	};
}
