import {
	ApplicationError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

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

/** An id parameter for the URL path, checked before anything is sent (trimmed; see `pathSegments`). */
export function pathId(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	value?: string,
): string {
	const id = (value ?? String(ctx.getNodeParameter(name, itemIndex, '') ?? '')).trim();
	const problem = pathSegmentProblem(id);
	if (problem) throw inputError(ctx, itemIndex, name, problem);
	return id;
}

export function accountIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const accountId = String(ctx.getNodeParameter('accountId', itemIndex, '~') ?? '').trim();
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

/** The Return All / Limit pair: undefined means every record. */
export function listLimitOf(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = ctx.getNodeParameter('limit', itemIndex, 50) as number;
	if (!(Number.isInteger(limit) && limit >= 1)) {
		throw inputError(ctx, itemIndex, 'limit', 'must be a whole number of at least 1');
	}
	return limit;
}
