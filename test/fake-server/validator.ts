import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import addFormats from 'ajv-formats';
import type { ErrorObject } from 'ajv';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import { parse as parseYaml } from 'yaml';

import { tightenSpec, type SpecDocument } from './strict-spec';
import type { ErrorEntity, RateLimitGroup } from './types';

const SPEC_FILE = join('test', 'ringcentral-extensions.openapi.yml');

export interface MatchedOperation {
	operationId: string;
	group: RateLimitGroup;
	/** Path parameters, percent-decoded. */
	params: Record<string, string>;
}

export interface RequestToValidate {
	method: string;
	path: string;
	rawQuery: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

/**
 * Walks up from this file's folder to the repository root, so the same lookup works from the
 * TypeScript sources and from the compiled copy under .build/.
 */
export function findSpecFile(startDir = __dirname): string {
	for (let dir = startDir; ; dir = dirname(dir)) {
		const candidate = join(dir, SPEC_FILE);
		if (existsSync(candidate)) return candidate;
		if (dirname(dir) === dir) throw new Error(`${SPEC_FILE} not found above ${startDir}`);
	}
}

export class SpecValidator {
	private constructor(
		private readonly strictApi: OpenAPIBackend,
		private readonly documentedApi: OpenAPIBackend,
	) {}

	static async load(specFile = findSpecFile()): Promise<SpecValidator> {
		const spec = parseYaml(readFileSync(specFile, 'utf8')) as SpecDocument;
		const [strictApi, documentedApi] = await Promise.all([
			initBackend(tightenSpec(spec)),
			initBackend(spec),
		]);
		return new SpecValidator(strictApi, documentedApi);
	}

	match(method: string, path: string): MatchedOperation | undefined {
		const request = { method, path, headers: {} };
		const operation = this.strictApi.matchOperation(request);
		if (!operation?.operationId) return undefined;
		return {
			operationId: operation.operationId,
			group: (operation as { 'x-throttling-group'?: RateLimitGroup })['x-throttling-group'] ?? 'Medium',
			params: this.strictApi.router.parseRequest(request, operation).params as Record<string, string>,
		};
	}

	/** Errors against the tightened spec, in RingCentral's error-entity form; empty when valid. */
	validateRequest(operationId: string, request: RequestToValidate): ErrorEntity[] {
		const result = this.strictApi.validateRequest(
			{
				method: request.method,
				path: request.path,
				query: request.rawQuery,
				headers: request.headers as Record<string, string | string[]>,
				body: request.body,
			},
			operationId,
		);
		return (result.errors ?? []).map(toErrorEntity);
	}

	/** Checks one of the fake's own answers against the spec as published (for self-tests). */
	validateResponse(operationId: string, status: number, body: unknown): ErrorObject[] {
		return this.documentedApi.validateResponse(body, operationId, status).errors ?? [];
	}
}

async function initBackend(spec: SpecDocument): Promise<OpenAPIBackend> {
	const api = new OpenAPIBackend({
		definition: spec as unknown as Document,
		strict: false,
		validate: true,
		ajvOpts: { allErrors: true },
		customizeAjv: (ajv) => {
			addFormats(ajv);
			return ajv;
		},
	});
	await api.init();
	return api;
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
	if (named.length === 1 && named[0] === 'requestBody') return 'body';
	return named.reduce(
		(name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment),
		'',
	) || 'body';
}

function offendingProperty(error: ErrorObject): string[] {
	if (error.keyword === 'additionalProperties') return [String(error.params.additionalProperty)];
	if (error.keyword === 'required') return [String(error.params.missingProperty)];
	return [];
}

function messageFor(error: ErrorObject, parameterName: string): string {
	if (error.keyword === 'additionalProperties') return `Parameter [${parameterName}] is not recognized`;
	if (error.keyword === 'required') return `Parameter [${parameterName}] is required`;
	return `Parameter [${parameterName}] value is invalid: ${error.message ?? error.keyword}`;
}

let cached: Promise<SpecValidator> | undefined;

/** Compiling the spec takes about a second, so every server in a process shares one validator. */
export function sharedValidator(): Promise<SpecValidator> {
	cached ??= SpecValidator.load();
	return cached;
}
