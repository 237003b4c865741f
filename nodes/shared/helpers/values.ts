import type { IDataObject } from 'n8n-workflow';

/** A JSON object: not a list, not null. */
export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
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

/** A promise's outcome as a value, so that a failure can be looked at instead of thrown. */
export async function settle<T>(
	promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
	return await promise.then(
		(value) => ({ ok: true as const, value }),
		(error: Error) => ({ ok: false as const, error }),
	);
}
