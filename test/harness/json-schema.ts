/**
 * A strict JSON Schema validator for the subset the node's output schemas use (type, properties,
 * required, items, additionalProperties, enum, description): each value of the declared type,
 * every `required` key present, and every key of a value declared in `properties` unless
 * `additionalProperties` allows it. schemaProblems refuses a schema it could not check completely.
 */

export interface JsonSchema {
	type?: string | string[];
	properties?: Record<string, JsonSchema>;
	required?: string[];
	items?: JsonSchema;
	/** Absent: every key must be declared in `properties`; true: free-form; a schema: what undeclared keys hold. */
	additionalProperties?: boolean | JsonSchema;
	enum?: unknown[];
	description?: string;
}

const KEYWORDS = new Set(['type', 'properties', 'required', 'items', 'additionalProperties', 'enum', 'description']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	value !== null && typeof value === 'object' && !Array.isArray(value);

const typesOf = (schema: JsonSchema) => (schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]);

function hasType(value: unknown, type: string): boolean {
	switch (type) {
		case 'null':
			return value === null;
		case 'array':
			return Array.isArray(value);
		case 'object':
			return isPlainObject(value);
		case 'integer':
			return Number.isInteger(value);
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		default:
			return typeof value === type;
	}
}

function shown(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Every way `value` departs from `schema`, one line each (empty: it conforms). */
export function validate(schema: JsonSchema, value: unknown, at = '$'): string[] {
	const types = typesOf(schema);
	if (!types.some((type) => hasType(value, type))) return [`${at}: ${shown(value)} is not of type ${types.join(' | ')}`];
	const errors: string[] = [];
	if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${shown(value)} is not one of ${shown(schema.enum)}`);
	if (isPlainObject(value)) {
		for (const key of schema.required ?? []) if (!(key in value)) errors.push(`${at}: the required "${key}" is missing`);
		for (const [key, child] of Object.entries(value)) {
			const declared = schema.properties?.[key];
			if (declared) errors.push(...validate(declared, child, `${at}.${key}`));
			else if (isPlainObject(schema.additionalProperties)) errors.push(...validate(schema.additionalProperties, child, `${at}.${key}`));
			else if (schema.additionalProperties !== true) errors.push(`${at}: "${key}" (${shown(child)}) is not declared in the schema's properties`);
		}
	}
	if (Array.isArray(value)) value.forEach((child, index) => errors.push(...validate(schema.items ?? {}, child, `${at}[${index}]`)));
	return errors;
}

/** What the validator cannot check is refused: unknown keywords, typeless nodes, objects and arrays without their parts. */
export function schemaProblems(schema: JsonSchema, at = '$'): string[] {
	const problems: string[] = [];
	for (const keyword of Object.keys(schema)) if (!KEYWORDS.has(keyword)) problems.push(`${at}: unknown keyword "${keyword}"`);
	const types = typesOf(schema);
	if (types.length === 0) problems.push(`${at}: no type`);
	for (const type of types) if (!TYPES.has(type)) problems.push(`${at}: unknown type "${type}"`);
	if (new Set(types).size !== types.length) problems.push(`${at}: a type is listed twice`);
	if (types.includes('object') && !schema.properties && schema.additionalProperties === undefined) {
		problems.push(`${at}: an object with neither properties nor additionalProperties`);
	}
	if (types.includes('array') && !schema.items) problems.push(`${at}: an array without items`);
	for (const key of schema.required ?? []) if (!schema.properties?.[key]) problems.push(`${at}: required "${key}" is not a property`);
	for (const value of schema.enum ?? []) if (!types.some((type) => hasType(value, type))) problems.push(`${at}: enum value ${shown(value)} is not of its type`);
	for (const [key, child] of Object.entries(schema.properties ?? {})) problems.push(...schemaProblems(child, `${at}.${key}`));
	if (schema.items) problems.push(...schemaProblems(schema.items, `${at}[]`));
	if (isPlainObject(schema.additionalProperties)) problems.push(...schemaProblems(schema.additionalProperties, `${at}.*`));
	return problems;
}
