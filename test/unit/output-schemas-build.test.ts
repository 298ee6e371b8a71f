/**
 * The build's output-schema generator (scripts/schemas.js): one file per operation of the
 * operation table, at `__schema__/v<version>/<resource>/<operation>.json`, holding the operation's
 * `outputSchema` as tab-indented JSON; a stale file of that version goes, other versions stay.
 */
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { operations } from '../../nodes/Hypersender/v1/actions/operations';
import { formatJson, VERSIONS, writeOutputSchemas } from '../../scripts/schemas';

let dir: string;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hypersender-schemas-build-'));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function filesUnder(root: string): string[] {
	return fs.readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(root, entry.name);
		return entry.isDirectory() ? filesUnder(full).map((file) => `${entry.name}/${file}`) : [entry.name];
	});
}

const table = Object.entries(operations.resources).flatMap(([resource, { operations: byName }]) =>
	Object.entries(byName).map(([name, operation]) => ({ file: `${resource}/${name}.json`, operation })),
);

test('the build writes version 1 (operations.ts compiled) as v1.0.0, where n8n-core looks for typeVersion 1', () => {
	expect(VERSIONS).toEqual([{ version: '1.0.0', table: 'v1/actions/operations.js' }]);
});

test('one file per operation of the table, each the operation\'s outputSchema, tab-indented with a final newline', () => {
	const written = writeOutputSchemas(operations, '1.0.0', dir);
	const versionDir = path.join(dir, '__schema__', 'v1.0.0');
	expect(table).toHaveLength(37);
	expect(filesUnder(versionDir).sort()).toEqual(table.map(({ file }) => file).sort());
	expect(written.map((file) => path.relative(versionDir, file).split(path.sep).join('/')).sort()).toEqual(filesUnder(versionDir).sort());
	for (const { file, operation } of table) {
		const text = fs.readFileSync(path.join(versionDir, file), 'utf8');
		expect({ file, schema: JSON.parse(text) }).toEqual({ file, schema: operation.outputSchema });
		expect(text).toBe(`${formatJson(operation.outputSchema)}\n`);
		expect(text.startsWith('{\n\t"type": "object",\n')).toBe(true);
	}
});

test('arrays of plain values on one line, everything else one key a line', () => {
	expect(formatJson({ type: ['string', 'null'], properties: { a: { type: 'integer' } }, required: ['a'], empty: {} })).toBe(
		'{\n\t"type": ["string", "null"],\n\t"properties": {\n\t\t"a": {\n\t\t\t"type": "integer"\n\t\t}\n\t},\n\t"required": ["a"],\n\t"empty": {}\n}',
	);
});

test('a stale file of the version is removed; another version\'s folder stays', () => {
	const stale = path.join(dir, '__schema__', 'v1.0.0', 'message', 'sendSticker.json');
	const other = path.join(dir, '__schema__', 'v2.0.0', 'contact', 'getAll.json');
	for (const file of [stale, other]) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, '{}\n');
	}
	writeOutputSchemas(operations, '1.0.0', dir);
	expect(fs.existsSync(stale)).toBe(false);
	expect(fs.readFileSync(other, 'utf8')).toBe('{}\n');
});

test('an operation without an outputSchema, a bad version or a bad name is refused', () => {
	const without = { resources: { chat: { operations: { markRead: {} } } } };
	expect(() => writeOutputSchemas(without, '1.0.0', dir)).toThrow('chat/markRead has no outputSchema');
	expect(() => writeOutputSchemas(operations, '1', dir)).toThrow('version "1" is not x.y.z');
	const escaping = { resources: { '..': { operations: { get: { outputSchema: { type: 'object' } } } } } };
	expect(() => writeOutputSchemas(escaping, '1.0.0', dir)).toThrow('"../get" is not a resource/operation path');
});
