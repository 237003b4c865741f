import {
	ApplicationError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type ILoadOptionsFunctions,
	type ITriggerFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

/** Every context a parameter is read in: an execution (per item), the editor's look-ups, the trigger's hooks and webhook. */
export type ParameterContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ITriggerFunctions;

function isExecution(ctx: ParameterContext): ctx is IExecuteFunctions {
	return 'getInputData' in ctx;
}

/** An input problem found before anything is sent, naming the item and the parameter. */
export function inputError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}, parameter "${parameter}": ${problem}`,
		{
			itemIndex,
			description,
		},
	);
}

/**
 * Why a value cannot be one URL path segment. Dot segments (`.`, `..`, `...`) are refused
 * because URL parsers resolve them as directory steps even when percent-encoded.
 */
function pathSegmentProblem(segment: string): string | undefined {
	if (segment === '') return 'must not be empty';
	if (/^\.+$/.test(segment)) return `"${segment}" is not a valid identifier`;
	return undefined;
}

/**
 * Joins ids into a URL path, each trimmed and encoded as exactly one segment (`/`, `?` and
 * `#` cannot escape it). The transport builds every path with this.
 */
export function pathSegments(...segments: string[]): string {
	return segments
		.map((raw) => {
			const segment = raw.trim();
			const problem = pathSegmentProblem(segment);
			if (problem) {
				throw new ApplicationError(`"${segment}" cannot be used as an ID in a RingCentral URL`);
			}
			return `/${encodeURIComponent(segment)}`;
		})
		.join('');
}

/** A parameter problem outside an execution (no item): the editor's look-ups, the trigger's hooks. */
function parameterError(
	ctx: ParameterContext,
	parameter: string,
	problem: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Parameter "${parameter}": ${problem}`);
}

/**
 * An id parameter for the URL path, checked before anything is sent (trimmed; see `pathSegments`).
 * Every id a parameter puts into a path is read through this, so a bad one names its parameter
 * (and item, in an execution) instead of failing in `pathSegments`.
 */
export function pathId(
	ctx: ParameterContext,
	name: string,
	itemIndex: number,
	value?: string,
): string {
	const id = (value ?? String(parameterValue(ctx, name, itemIndex, '') ?? '')).trim();
	const problem = pathSegmentProblem(id);
	if (!problem) return id;
	throw isExecution(ctx)
		? inputError(ctx, itemIndex, name, problem)
		: parameterError(ctx, name, problem);
}

function parameterValue(
	ctx: ParameterContext,
	name: string,
	itemIndex: number,
	fallback: unknown,
): unknown {
	return isExecution(ctx)
		? ctx.getNodeParameter(name, itemIndex, fallback)
		: ctx.getNodeParameter(name, fallback);
}

/**
 * The `accountId` parameter, in every context it is read in: trimmed, "~" (the credential's own
 * account) when empty. RingCentral stores "~" resolved to the account's id, so an untrimmed "~ "
 * would never match the trigger's stored event filter.
 */
export function accountIdOf(ctx: ParameterContext, itemIndex = 0): string {
	const accountId = String(parameterValue(ctx, 'accountId', itemIndex, '~') ?? '').trim();
	return pathId(ctx, 'accountId', itemIndex, accountId || '~');
}

/** A JSON parameter: n8n hands over parsed JSON or a string, depending on how it was set. */
export function jsonParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	const raw = ctx.getNodeParameter(name, itemIndex, undefined) as unknown;
	if (typeof raw !== 'string') return raw;
	if (raw.trim() === '') throw inputError(ctx, itemIndex, name, 'must not be empty');
	try {
		return JSON.parse(raw) as unknown;
	} catch (error) {
		throw inputError(ctx, itemIndex, name, `is not valid JSON (${(error as Error).message})`);
	}
}

function isJsonObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value that must be one JSON object (not a list, text or null). */
export function jsonObject(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
	problem = 'must be a JSON object',
): IDataObject {
	if (!isJsonObject(value)) throw inputError(ctx, itemIndex, parameter, problem);
	return value;
}

/** A number parameter checked against its range (expressions can bypass the editor's limits). */
export function numberInRange(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	{ min, max, fallback }: { min: number; max: number; fallback: number },
): number {
	const value = Number(ctx.getNodeParameter(name, itemIndex, fallback));
	if (!Number.isFinite(value) || value < min || value > max) {
		throw inputError(ctx, itemIndex, name, `must be a number from ${min} to ${max}`);
	}
	return value;
}

/** What a value is, for an error message: `an object`, `null`, `the string "false"`. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing (undefined)';
	if (value === null) return 'null';
	if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
	if (typeof value === 'string')
		return value.trim() === '' ? 'an empty text' : `the text ${JSON.stringify(value.slice(0, 40))}`;
	return typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`;
}

/**
 * A boolean parameter. An expression can make it anything; the text "false" is not false, so
 * anything but true or false is bad input rather than a guess.
 */
export function booleanParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: boolean,
): boolean {
	const value = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	if (typeof value === 'boolean') return value;
	throw inputError(ctx, itemIndex, name, `must be true or false, not ${describeValue(value)}`);
}

/** The Return All / Limit pair: undefined means every record. */
export function listLimitOf(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (booleanParameter(ctx, 'returnAll', itemIndex, false)) return undefined;
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as unknown;
	if (!(typeof limit === 'number' && Number.isInteger(limit) && limit >= 1)) {
		throw inputError(
			ctx,
			itemIndex,
			'limit',
			`must be a whole number of at least 1, not ${describeValue(limit)}`,
		);
	}
	return limit;
}

/**
 * A text value (a field, or a filter): a string, trimmed, or a number written out; undefined
 * when empty. An object or list is bad input: it would go out as "[object Object]" or "a,b".
 */
export function textValue(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') {
		throw inputError(ctx, itemIndex, parameter, `must be text, not ${describeValue(value)}`);
	}
	const trimmed = value.trim();
	return trimmed === '' ? undefined : trimmed;
}

/** A text parameter, as `textValue`. */
export function textParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
): string | undefined {
	return textValue(ctx, itemIndex, name, ctx.getNodeParameter(name, itemIndex, '') as unknown);
}

/**
 * The filters of a list operation. A filter left out of the collection means "no filter"; one
 * that is there must have a value: an expression that resolves to nothing, or to the wrong
 * type, would otherwise quietly list everything (and "find, then disable" act on everyone).
 */
export class Filters {
	private readonly values: IDataObject;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly itemIndex: number,
		private readonly parameter = 'filters',
	) {
		const values = ctx.getNodeParameter(parameter, itemIndex, {}) as unknown;
		if (typeof values !== 'object' || values === null || Array.isArray(values)) {
			throw inputError(
				ctx,
				itemIndex,
				parameter,
				`must be a collection, not ${describeValue(values)}`,
			);
		}
		this.values = values as IDataObject;
	}

	private refuse(name: string, expected: string, value: unknown): never {
		throw inputError(
			this.ctx,
			this.itemIndex,
			`${this.parameter}.${name}`,
			`is set but resolved to ${describeValue(value)}; expected ${expected}. Remove the filter to list without it`,
		);
	}

	/** One text value; `numbers` lets a whole number stand for its digits (extension numbers). */
	text(name: string, { numbers = false } = {}): string | undefined {
		if (!Object.hasOwn(this.values, name)) return undefined;
		const value = this.values[name];
		if (numbers && typeof value === 'number' && Number.isInteger(value) && value >= 0) {
			return String(value);
		}
		if (typeof value !== 'string' || value.trim() === '') this.refuse(name, 'a text', value);
		return value.trim();
	}

	/** Several text values: a list, or one text with commas between the values. */
	list(name: string): string[] | undefined {
		if (!Object.hasOwn(this.values, name)) return undefined;
		const value = this.values[name];
		const entries = typeof value === 'string' ? value.split(',') : value;
		if (!Array.isArray(entries) || entries.some((entry) => typeof entry !== 'string')) {
			this.refuse(name, 'a list of texts (or one text, with commas between values)', value);
		}
		const values = (entries as string[]).map((entry) => entry.trim()).filter(Boolean);
		if (values.length === 0) this.refuse(name, 'at least one value', value);
		return values;
	}
}
