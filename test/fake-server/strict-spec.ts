/**
 * Tightens an in-memory copy of the OpenAPI document so the validator also rejects what the
 * spec allows on paper but RingCentral refuses, or what a well-behaved client never sends.
 */

import {
	isReference,
	resolveReference,
	type JsonSchema,
	type SpecDocument,
	type SpecOperation,
	type SpecParameter,
} from './spec';

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
		.filter(
			(parameter): parameter is SpecParameter =>
				!isReference(parameter) && parameter.in === 'query',
		);
}

/** The operation description says 500 at most; the schema does not. An empty update is no update. */
function limitBulkUpdateRecords(spec: SpecDocument): void {
	const records = spec.components.schemas.ExtensionBulkUpdateRequest.properties?.records;
	if (records) Object.assign(records, { minItems: 1, maxItems: MAX_BULK_UPDATE_RECORDS });
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
			media.schema = strictSchema(media.schema, spec, []);
		}
	}
}

function strictSchema(schema: JsonSchema, spec: SpecDocument, refChain: string[]): JsonSchema {
	if (schema.$ref) {
		if (refChain.includes(schema.$ref)) {
			throw new Error(`Recursive schema ${[...refChain, schema.$ref].join(' -> ')}`);
		}
		return strictSchema(resolveReference<JsonSchema>(spec, schema), spec, [
			...refChain,
			schema.$ref,
		]);
	}
	if (schema.allOf) {
		// additionalProperties: false does not compose with allOf, so the parts become one object.
		const parts = schema.allOf.map((part) => strictSchema(part, spec, refChain));
		const { allOf: _allOf, ...rest } = schema;
		return closeObject({ ...rest, ...mergeObjectSchemas(parts) });
	}
	const result: JsonSchema = { ...schema };
	if (schema.properties) {
		result.properties = Object.fromEntries(
			Object.entries(schema.properties).map(([name, property]) => [
				name,
				strictSchema(property, spec, refChain),
			]),
		);
	}
	if (schema.items) result.items = strictSchema(schema.items, spec, refChain);
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
