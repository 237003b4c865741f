import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { pathSegmentProblem } from '../transport/paths';
import { inputError, parameterError } from './inputErrors';
import { describeValue, isPlainObject } from './values';

/** Every context a parameter is read in: an execution (per item), the editor's look-ups, the triggers' hooks, webhook and listener. */
export type ParameterContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions
	| ITriggerFunctions;

function isExecution(ctx: ParameterContext): ctx is IExecuteFunctions {
	return 'getInputData' in ctx;
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

/** A value that must be one JSON object (not a list, text or null). */
export function jsonObject(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
	problem = 'must be a JSON object',
): IDataObject {
	if (!isPlainObject(value)) throw inputError(ctx, itemIndex, parameter, problem);
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

/** The texts an expression (a spreadsheet cell, a CSV column, a query string) gives for a boolean. */
const BOOLEAN_TEXTS: Record<string, boolean> = { true: true, false: false };

/**
 * A boolean parameter that shapes the run (Preview Only, Wait For Completion, Return All,
 * Include Details): the one reading of them all. true and false, and the texts "true" and
 * "false" (any case, surrounding spaces ignored) as an expression gives them; anything else is
 * bad input, refused before anything is sent, rather than a guess (a preview taken for a write).
 */
export function booleanParameter(
	ctx: ParameterContext,
	name: string,
	itemIndex: number,
	fallback: boolean,
): boolean {
	const value = parameterValue(ctx, name, itemIndex, fallback);
	const reading = booleanOf(value);
	if (reading !== undefined) return reading;
	const problem = `must be true or false, not ${describeValue(value)}`;
	throw isExecution(ctx)
		? inputError(ctx, itemIndex, name, problem)
		: parameterError(ctx, name, problem);
}

/** A boolean inside a collection parameter (e.g. `options.savePhoneLines`), read as `booleanParameter`. */
export function booleanValue(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	value: unknown,
): boolean {
	const reading = booleanOf(value);
	if (reading !== undefined) return reading;
	throw inputError(ctx, itemIndex, parameter, `must be true or false, not ${describeValue(value)}`);
}

function booleanOf(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value !== 'string') return undefined;
	const text = value.trim().toLowerCase();
	return Object.hasOwn(BOOLEAN_TEXTS, text) ? BOOLEAN_TEXTS[text] : undefined;
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
