import { describeValue } from './values';

/** The part of JSON Schema that RingCentral's request bodies use (see schemas.generated.ts). */
export interface JsonSchema {
	type?: string;
	enum?: readonly unknown[];
	maxLength?: number;
	minLength?: number;
	required?: readonly string[];
	format?: string;
	properties?: Readonly<Record<string, JsonSchema>>;
	items?: JsonSchema;
}

interface SchemaIssue {
	/** Where in the value, e.g. `contact.email` or `customFields[2].value`. */
	path: string;
	message: string;
}

interface ConformOptions {
	/** `strip` drops properties the schema does not define; `reject` reports them. */
	unknownProperties: 'strip' | 'reject';
}

interface Conformed {
	value: unknown;
	issues: SchemaIssue[];
}

const NULL_PROBLEM =
	'is null, which RingCentral does not take: leave the property out to change nothing, or give a value';
/**
 * An email address as RingCentral takes one: ASCII only, the usual characters around one "@",
 * a domain of dotted labels (the common "email" format of JSON Schema validators).
 */
const EMAIL =
	/^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
/** An absolute URI: a scheme, then no spaces (as the spec's `format: uri` asks). */
const URI = /^[a-z][a-z\d+\-.]*:\S*$/i;
/** Characters that look like nothing, or like another character, in an address. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}]/u;
const NON_ASCII = /[^\x20-\x7e]/;

function codePoint(character: string): string {
	return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first character of a value (an email, an extension number) that a user cannot see or
 * tell from another: an invisible one (a zero-width space from a copied cell, a control
 * character, a non-breaking space) or a non-ASCII one (a Kelvin sign "K" looks like a K).
 */
export function unusualCharacter(value: string): string | undefined {
	const invisible = INVISIBLE.exec(value.replace(/ /g, ''));
	if (invisible) return `an invisible character (${codePoint(invisible[0])})`;
	const nonAscii = NON_ASCII.exec(value);
	return nonAscii ? `"${nonAscii[0]}" (${codePoint(nonAscii[0])})` : undefined;
}

/**
 * Why a text is no email address RingCentral takes, named so that the user can find it: an
 * invisible or non-ASCII character, or a comma (which the list filter reads as two addresses).
 */
export function emailProblem(value: string): string | undefined {
	if (EMAIL.test(value)) return undefined;
	const unusual = unusualCharacter(value);
	if (unusual) {
		return `contains ${unusual}, which RingCentral does not take in an email address: ${JSON.stringify(value)}`;
	}
	if (value.includes(',')) {
		return `contains a comma: ${JSON.stringify(value)}; give one address per value`;
	}
	return `is not an email address: ${JSON.stringify(value)}`;
}

/**
 * Checks a value against a request schema and returns the copy to send: numbers become
 * strings where the API wants strings (ids and extension numbers out of spreadsheets), and
 * undefined properties are left out. A null is a problem (the spec has no nullable property),
 * except where the property is one `strip` drops anyway. Every problem is reported with its path.
 */
export function conformToSchema(
	value: unknown,
	schema: JsonSchema,
	options: ConformOptions,
	path = '',
): Conformed {
	if (schema.type === 'object' || schema.properties)
		return conformObject(value, schema, options, path);
	if (schema.type === 'array') return conformArray(value, schema, options, path);
	return conformScalar(value, schema, path);
}

function conformObject(
	value: unknown,
	schema: JsonSchema,
	options: ConformOptions,
	path: string,
): Conformed {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return invalid(path, `must be an object, not ${describeValue(value)}`);
	}
	const issues: SchemaIssue[] = [];
	// Null prototype, and only the schema's own properties: a key such as `toString`,
	// `constructor` or `__proto__` (an own key in parsed JSON) is never taken for a property,
	// and no check is satisfied through inheritance.
	const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
	const properties = schema.properties ?? {};
	for (const [key, child] of Object.entries(value)) {
		if (child === undefined) continue;
		const childPath = path ? `${path}.${key}` : key;
		const childSchema = Object.hasOwn(properties, key) ? properties[key] : undefined;
		if (!childSchema) {
			if (options.unknownProperties === 'reject') {
				issues.push({ path: childPath, message: 'is not a property RingCentral accepts here' });
			}
			continue;
		}
		if (child === null) {
			// No property of the spec is nullable: null is most often an expression that found nothing.
			issues.push({ path: childPath, message: NULL_PROBLEM });
			continue;
		}
		const conformed = conformToSchema(child, childSchema, options, childPath);
		issues.push(...conformed.issues);
		out[key] = conformed.value;
	}
	for (const key of schema.required ?? []) {
		const keyPath = path ? `${path}.${key}` : key;
		// A value that was given but refused is reported once, as what is wrong with it.
		const refused = issues.some((issue) => issue.path === keyPath);
		if (!refused && (out[key] === undefined || out[key] === '')) {
			issues.push({ path: keyPath, message: 'is required' });
		}
	}
	return { value: { ...out }, issues };
}

function conformArray(
	value: unknown,
	schema: JsonSchema,
	options: ConformOptions,
	path: string,
): Conformed {
	if (!Array.isArray(value)) return invalid(path, `must be an array, not ${describeValue(value)}`);
	const issues: SchemaIssue[] = [];
	const out = value.map((entry, index) => {
		const conformed = schema.items
			? conformToSchema(entry, schema.items, options, `${path}[${index}]`)
			: { value: entry, issues: [] };
		issues.push(...conformed.issues);
		return conformed.value;
	});
	return { value: out, issues };
}

function conformScalar(value: unknown, schema: JsonSchema, path: string): Conformed {
	const coerced = coerce(value, schema.type);
	const problem = scalarProblem(coerced, schema);
	return problem ? invalid(path, problem) : { value: coerced, issues: [] };
}

function coerce(value: unknown, type: string | undefined): unknown {
	if (type === 'string' && typeof value === 'number') return String(value);
	if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
	if (
		(type === 'integer' || type === 'number') &&
		typeof value === 'string' &&
		value.trim() !== ''
	) {
		const number = Number(value);
		return Number.isFinite(number) ? number : value;
	}
	return value;
}

function scalarProblem(value: unknown, schema: JsonSchema): string | undefined {
	const expected = schema.type;
	if (expected === 'string' && typeof value !== 'string')
		return `must be text, not ${describeValue(value)}`;
	if (expected === 'boolean' && typeof value !== 'boolean')
		return `must be true or false, not ${describeValue(value)}`;
	if ((expected === 'integer' || expected === 'number') && typeof value !== 'number') {
		return `must be a number, not ${describeValue(value)}`;
	}
	if (expected === 'integer' && !Number.isInteger(value)) return 'must be a whole number';
	const refused = schema.enum && notAllowed([value], schema.enum);
	if (refused)
		return `is ${JSON.stringify(value)}, which RingCentral does not accept here; ${refused.hint}`;
	if (typeof value !== 'string') return undefined;
	if (schema.maxLength !== undefined && value.length > schema.maxLength) {
		return `is ${value.length} characters long; the most RingCentral accepts is ${schema.maxLength}`;
	}
	if (schema.minLength !== undefined && value.length < schema.minLength) {
		return `must be at least ${schema.minLength} characters long`;
	}
	if (schema.format === 'email') return emailProblem(value);
	if (schema.format === 'uri' && !URI.test(value))
		return `must be a URI (e.g. https://…), not ${JSON.stringify(value)}`;
	return undefined;
}

/**
 * The values that are not among `allowed`, with the hint that lists what is: every enum
 * check (filters, schema values) words its refusal from this.
 */
export function notAllowed(
	values: readonly unknown[],
	allowed: readonly unknown[],
): { unknown: unknown[]; hint: string } | undefined {
	const unknown = values.filter((value) => !allowed.includes(value));
	return unknown.length > 0 ? { unknown, hint: `use one of: ${allowed.join(', ')}` } : undefined;
}

function invalid(path: string, message: string): Conformed {
	return { value: undefined, issues: [{ path, message }] };
}

/** One line per issue, for an error message: `contact.email is required`. */
export function formatIssues(issues: SchemaIssue[], limit = 5): string {
	const lines = issues
		.slice(0, limit)
		.map((issue) => `${issue.path || 'the value'} ${issue.message}`);
	if (issues.length > limit) lines.push(`… and ${issues.length - limit} more`);
	return lines.join('; ');
}
