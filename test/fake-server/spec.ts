import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** The parts of an OpenAPI 3.0 document the fake reads. */
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

export interface Reference {
	$ref: string;
}

export interface SpecParameter {
	name: string;
	in: string;
	required?: boolean;
	schema?: JsonSchema;
}

export interface SpecMediaTypes {
	content?: Record<string, { schema: JsonSchema }>;
}

export interface SpecOperation {
	operationId: string;
	parameters?: Array<SpecParameter | Reference>;
	requestBody?: SpecMediaTypes & { required?: boolean };
	responses?: Record<string, SpecMediaTypes | Reference>;
	'x-throttling-group'?: string;
}

export interface SpecDocument {
	paths: Record<string, Record<string, SpecOperation>>;
	components: {
		schemas: Record<string, JsonSchema>;
		parameters?: Record<string, SpecParameter>;
		responses?: Record<string, SpecMediaTypes>;
	};
}

const SPEC_FILE = join('spec', 'ringcentral-extensions.openapi.yml');

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

export function loadSpec(specFile = findSpecFile()): SpecDocument {
	return parseYaml(readFileSync(specFile, 'utf8')) as SpecDocument;
}

export function isReference(value: object): value is Reference {
	return '$ref' in value;
}

/** Follows a local `#/...` reference (one level) to what it points at. */
export function resolveReference<T extends object>(spec: SpecDocument, value: T | Reference): T {
	if (!isReference(value)) return value;
	const pointer = value.$ref.replace(/^#\//, '').split('/');
	return pointer.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], spec) as T;
}
