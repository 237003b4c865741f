/**
 * Tightens an in-memory copy of the OpenAPI document so the validator also rejects what the
 * spec allows on paper but RingCentral refuses, or what a well-behaved client never sends.
 */

export interface JsonSchema {
	$ref?: string;
	type?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	items?: JsonSchema;
	allOf?: JsonSchema[];
	additionalProperties?: boolean | JsonSchema;
	[keyword: string]: unknown;
}

export interface SpecParameter {
	name: string;
	in: string;
	schema?: JsonSchema;
}

export interface SpecOperation {
	operationId: string;
	parameters?: Array<SpecParameter | { $ref: string }>;
	requestBody?: { content: Record<string, { schema: JsonSchema }> };
	'x-throttling-group'?: string;
}

export interface SpecDocument {
	paths: Record<string, Record<string, SpecOperation>>;
	components: { schemas: Record<string, JsonSchema> };
}

const MAX_BULK_UPDATE_RECORDS = 500;

export function tightenSpec(spec: SpecDocument): SpecDocument {
	const copy = structuredClone(spec);
	limitBulkUpdateRecords(copy);
	forbidCommaSeparatedEmails(copy);
	requirePositivePaging(copy);
	forbidUndefinedBodyProperties(copy);
	return copy;
}

function operationsOf(spec: SpecDocument): SpecOperation[] {
	return Object.values(spec.paths).flatMap((pathItem) => Object.values(pathItem));
}

function inlineQueryParameters(spec: SpecDocument): SpecParameter[] {
	return operationsOf(spec)
		.flatMap((operation) => operation.parameters ?? [])
		.filter((parameter): parameter is SpecParameter => 'in' in parameter && parameter.in === 'query');
}

/** The operation description says 500 at most; the schema does not. */
function limitBulkUpdateRecords(spec: SpecDocument): void {
	const records = spec.components.schemas.ExtensionBulkUpdateRequest.properties?.records;
	if (records) records.maxItems = MAX_BULK_UPDATE_RECORDS;
}

/** Several addresses must go out as repeated `email` keys, never joined by commas. */
function forbidCommaSeparatedEmails(spec: SpecDocument): void {
	for (const parameter of inlineQueryParameters(spec)) {
		if (parameter.name === 'email' && parameter.schema?.items) {
			parameter.schema.items.pattern = '^[^,]*$';
		}
	}
}

/** The parameter descriptions say "only positive number values are allowed". */
function requirePositivePaging(spec: SpecDocument): void {
	for (const parameter of inlineQueryParameters(spec)) {
		if ((parameter.name === 'page' || parameter.name === 'perPage') && parameter.schema) {
			parameter.schema.minimum = 1;
		}
	}
}

/**
 * Request body schemas are inlined (so response schemas sharing the same components stay
 * lenient) and every object in them refuses properties the spec does not define.
 */
function forbidUndefinedBodyProperties(spec: SpecDocument): void {
	for (const operation of operationsOf(spec)) {
		for (const media of Object.values(operation.requestBody?.content ?? {})) {
			media.schema = strictSchema(media.schema, spec.components.schemas, []);
		}
	}
}

function strictSchema(schema: JsonSchema, components: Record<string, JsonSchema>, refChain: string[]): JsonSchema {
	if (schema.$ref) {
		const name = schema.$ref.replace('#/components/schemas/', '');
		if (refChain.includes(name)) throw new Error(`Recursive schema ${[...refChain, name].join(' -> ')}`);
		return strictSchema(components[name], components, [...refChain, name]);
	}
	if (schema.allOf) {
		// additionalProperties: false does not compose with allOf, so the parts become one object.
		const parts = schema.allOf.map((part) => strictSchema(part, components, refChain));
		const { allOf: _allOf, ...rest } = schema;
		return closeObject({ ...rest, ...mergeObjectSchemas(parts) });
	}
	const result: JsonSchema = { ...schema };
	if (schema.properties) {
		result.properties = Object.fromEntries(
			Object.entries(schema.properties).map(([name, property]) => [
				name,
				strictSchema(property, components, refChain),
			]),
		);
	}
	if (schema.items) result.items = strictSchema(schema.items, components, refChain);
	return schema.type === 'object' || schema.properties ? closeObject(result) : result;
}

function mergeObjectSchemas(parts: JsonSchema[]): JsonSchema {
	return {
		type: 'object',
		properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
		required: [...new Set(parts.flatMap((part) => part.required ?? []))],
	};
}

function closeObject(schema: JsonSchema): JsonSchema {
	return { ...schema, additionalProperties: false };
}
