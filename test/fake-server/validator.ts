import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

import {
	loadSpec,
	resolveReference,
	type JsonSchema,
	type SpecDocument,
	type SpecMediaTypes,
	type SpecOperation,
	type SpecParameter,
} from './spec';
import { tightenSpec } from './strict-spec';
import type { ErrorEntity, RateLimitGroup } from './types';

// openapi-backend would do this, but its ESM-only ref parser cannot load under jest on Node 20;
// plain ajv with a little routing covers the six operations.

export interface MatchedOperation {
	operationId: string;
	group: RateLimitGroup;
	/** Path parameters, percent-decoded. */
	params: Record<string, string>;
}

export interface RequestToValidate {
	params: Record<string, string>;
	query: Record<string, string[]>;
	body: unknown;
}

interface CompiledOperation {
	operationId: string;
	method: string;
	group: RateLimitGroup;
	pathPattern: RegExp;
	pathParamNames: string[];
	/** Path and query parameters, coerced from strings as the spec types them. */
	validateParameters: ValidateFunction;
	/** The body as sent: no coercion, so `id: 100001` where a string is due is an error. */
	validateBody: ValidateFunction;
	/** Response schemas of the spec as published (not tightened), by status. */
	responseSchemas: Map<number, JsonSchema>;
}

export class SpecValidator {
	/** Compiled on first use: only self-tests check responses. */
	private readonly responseValidators = new Map<string, ValidateFunction>();

	private constructor(
		private readonly operations: CompiledOperation[],
		private readonly plainAjv: Ajv,
	) {}

	static load(specFile?: string): SpecValidator {
		const published = loadSpec(specFile);
		const strict = tightenSpec(published);
		const parameterAjv = createAjv({ coerceTypes: 'array' });
		const plainAjv = createAjv({});
		const operations = Object.entries(strict.paths).flatMap(([path, pathItem]) =>
			Object.entries(pathItem).map(([method, operation]) => ({
				operationId: operation.operationId,
				method: method.toUpperCase(),
				group: operation['x-throttling-group'] as RateLimitGroup,
				...pathMatcher(path),
				validateParameters: parameterAjv.compile(parametersSchema(strict, operation)),
				validateBody: plainAjv.compile(bodySchema(strict, operation)),
				responseSchemas: responseSchemas(published, published.paths[path][method]),
			})),
		);
		return new SpecValidator(operations, plainAjv);
	}

	match(method: string, path: string): MatchedOperation | undefined {
		for (const operation of this.operations) {
			const values = operation.method === method ? operation.pathPattern.exec(path) : null;
			if (!values) continue;
			const params = Object.fromEntries(
				operation.pathParamNames.map((name, index) => [
					name,
					decodeURIComponent(values[index + 1]),
				]),
			);
			return { operationId: operation.operationId, group: operation.group, params };
		}
		return undefined;
	}

	/** Errors against the tightened spec, in RingCentral's error-entity form; empty when valid. */
	validateRequest(operationId: string, request: RequestToValidate): ErrorEntity[] {
		const operation = this.operation(operationId);
		// Coercion rewrites the data in place: validate copies.
		const query = Object.fromEntries(
			Object.entries(request.query).map(([key, values]) => [key, [...values]]),
		);
		const body = request.body === undefined ? {} : { requestBody: request.body };
		return [
			...errorsOf(operation.validateParameters, { path: { ...request.params }, query }),
			...errorsOf(operation.validateBody, body),
		].map(toErrorEntity);
	}

	/** Checks one of the fake's own answers against the published spec (for self-tests). */
	validateResponse(operationId: string, status: number, body: unknown): ErrorObject[] {
		const key = `${operationId} ${status}`;
		let validate = this.responseValidators.get(key);
		if (!validate) {
			const schema = this.operation(operationId).responseSchemas.get(status);
			if (!schema) throw new Error(`The spec documents no ${status} answer for ${operationId}`);
			validate = this.plainAjv.compile(schema);
			this.responseValidators.set(key, validate);
		}
		return errorsOf(validate, body);
	}

	private operation(operationId: string): CompiledOperation {
		const operation = this.operations.find((candidate) => candidate.operationId === operationId);
		if (!operation) throw new Error(`Unknown operation ${operationId}`);
		return operation;
	}
}

function createAjv(options: { coerceTypes?: 'array' }): Ajv {
	// strict: false lets OpenAPI's own keywords (example, x-*, ...) through.
	const ajv = new Ajv({ strict: false, allErrors: true, ...options });
	addFormats(ajv);
	return ajv;
}

function errorsOf(validate: ValidateFunction, data: unknown): ErrorObject[] {
	return validate(data) ? [] : [...(validate.errors ?? [])];
}

function pathMatcher(template: string): { pathPattern: RegExp; pathParamNames: string[] } {
	const pathParamNames: string[] = [];
	const pattern = template
		.split(/\{([^}]+)\}/)
		.map((part, index) => {
			if (index % 2 === 0) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
			pathParamNames.push(part);
			return '([^/]+)';
		})
		.join('');
	return { pathPattern: new RegExp(`^${pattern}/?$`), pathParamNames };
}

/**
 * Schemas compile as the root of a document that also holds the spec's components, so their
 * `#/components/...` references resolve unchanged.
 */
function withComponents(spec: SpecDocument, schema: JsonSchema): JsonSchema {
	return { allOf: [schema], components: spec.components };
}

function parametersSchema(spec: SpecDocument, operation: SpecOperation): JsonSchema {
	const parameters = (operation.parameters ?? []).map((parameter) =>
		resolveReference<SpecParameter>(spec, parameter),
	);
	const group = (location: string): JsonSchema => {
		const inLocation = parameters.filter((parameter) => parameter.in === location);
		return {
			type: 'object',
			properties: Object.fromEntries(
				inLocation.map((parameter) => [parameter.name, parameter.schema ?? {}]),
			),
			required: inLocation
				.filter((parameter) => parameter.required)
				.map((parameter) => parameter.name),
			additionalProperties: false,
		};
	};
	return withComponents(spec, {
		type: 'object',
		properties: { path: group('path'), query: group('query') },
	});
}

function bodySchema(spec: SpecDocument, operation: SpecOperation): JsonSchema {
	const { requestBody } = operation;
	const schema = requestBody ? jsonSchemaOf(requestBody) : undefined;
	return withComponents(spec, {
		type: 'object',
		properties: schema ? { requestBody: schema } : {},
		required: requestBody?.required ? ['requestBody'] : [],
		additionalProperties: false,
	});
}

function responseSchemas(spec: SpecDocument, operation: SpecOperation): Map<number, JsonSchema> {
	const schemas = new Map<number, JsonSchema>();
	for (const [status, response] of Object.entries(operation.responses ?? {})) {
		const schema = jsonSchemaOf(resolveReference<SpecMediaTypes>(spec, response));
		if (schema) schemas.set(Number(status), withComponents(spec, schema));
	}
	return schemas;
}

function jsonSchemaOf(media: SpecMediaTypes): JsonSchema | undefined {
	return media.content?.['application/json']?.schema;
}

function toErrorEntity(error: ErrorObject): ErrorEntity {
	const parameterName = parameterNameOf(error);
	return { errorCode: 'CMN-101', message: messageFor(error, parameterName), parameterName };
}

/** `/requestBody/records/3/contact` + missing `email` -> `records[3].contact.email`; `/query/status/0` -> `status`. */
function parameterNameOf(error: ErrorObject): string {
	const [location, ...segments] = error.instancePath.split('/').slice(1);
	const named = [...segments, ...offendingProperty(error)];
	if (location === 'query' || location === 'path') return named[0] ?? location;
	const name = named
		.filter((segment) => segment !== 'requestBody')
		.reduce(
			(path, segment) =>
				/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
			'',
		);
	return name || 'body';
}

function offendingProperty(error: ErrorObject): string[] {
	if (error.keyword === 'additionalProperties') return [String(error.params.additionalProperty)];
	if (error.keyword === 'required') return [String(error.params.missingProperty)];
	return [];
}

function messageFor(error: ErrorObject, parameterName: string): string {
	if (error.keyword === 'additionalProperties' && parameterName === 'body') {
		return 'This operation takes no request body';
	}
	if (error.keyword === 'additionalProperties') {
		return `Parameter [${parameterName}] is not recognized`;
	}
	if (error.keyword === 'required') return `Parameter [${parameterName}] is required`;
	return `Parameter [${parameterName}] value is invalid: ${error.message ?? error.keyword}`;
}

let shared: SpecValidator | undefined;

/** Compiling the spec takes a moment, so every server in a process shares one validator. */
export function sharedValidator(): SpecValidator {
	shared ??= SpecValidator.load();
	return shared;
}
