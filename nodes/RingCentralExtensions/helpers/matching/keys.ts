import type { IDataObject } from 'n8n-workflow';

/** How an input item or a record names its extension. */
export type MatchOn = 'id' | 'email' | 'extensionNumber';

/**
 * A match value as RingCentral compares it: emails without regard to case or surrounding
 * spaces, extension numbers and ids as trimmed text.
 */
export function normalizedKey(matchOn: MatchOn, value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	return matchOn === 'email' ? text.toLowerCase() : text;
}

export function keyOfExtension(matchOn: MatchOn, extension: IDataObject): string | undefined {
	if (matchOn === 'id') return normalizedKey(matchOn, extension.id);
	if (matchOn === 'extensionNumber') return normalizedKey(matchOn, extension.extensionNumber);
	return normalizedKey(matchOn, (extension.contact as IDataObject | undefined)?.email);
}

export const MATCH_LABELS: Record<MatchOn, string> = {
	id: 'ID',
	email: 'email',
	extensionNumber: 'extension number',
};

/** The longest value the list endpoint's filter takes (listExtensions in the spec). */
const FILTER_MAX_LENGTH: Partial<Record<MatchOn, number>> = { email: 254, extensionNumber: 8 };

/**
 * Why a normalized match value cannot be looked for: one longer than the list filter takes
 * would be a request RingCentral refuses (and matches no extension anyway).
 */
export function matchValueProblem(matchOn: MatchOn, key: string): string | undefined {
	const max = FILTER_MAX_LENGTH[matchOn];
	if (max === undefined || key.length <= max) return undefined;
	return `"${key}" has ${key.length} characters; RingCentral's ${MATCH_LABELS[matchOn]}s have at most ${max} characters`;
}

/** The value a record names its extension by, read before the record is stripped to the schema. */
export function recordKeyOf(matchOn: MatchOn, value: IDataObject): string | undefined {
	if (matchOn === 'id') return normalizedKey(matchOn, value.id);
	if (matchOn === 'extensionNumber') return normalizedKey(matchOn, value.extensionNumber);
	return normalizedKey(matchOn, value.email ?? (value.contact as IDataObject | undefined)?.email);
}

/** Positions that share one match value with another position, by value. */
export function duplicateKeys<T>(entries: T[], keyOf: (entry: T) => string): Map<string, T[]> {
	const byKey = new Map<string, T[]>();
	for (const entry of entries) byKey.set(keyOf(entry), [...(byKey.get(keyOf(entry)) ?? []), entry]);
	return new Map([...byKey].filter(([, list]) => list.length > 1));
}
