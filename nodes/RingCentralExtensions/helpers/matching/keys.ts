import type { IDataObject } from 'n8n-workflow';

import { emailProblem, unusualCharacter } from '../../../shared/helpers/jsonSchema';

/** How an input item or a record names its extension. */
export type MatchOn = 'id' | 'email' | 'extensionNumber';

/** A–Z to a–z and nothing else: full Unicode folding turns a Kelvin sign "K" (U+212A) into k. */
function asciiLowerCase(text: string): string {
	return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * A match value as RingCentral compares it: emails without regard to (ASCII) case or
 * surrounding spaces, extension numbers and ids as trimmed text. The one normalisation of
 * match keys; `matchValueProblem` refuses what RingCentral would refuse or confuse.
 */
export function normalizedKey(matchOn: MatchOn, value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	return matchOn === 'email' ? asciiLowerCase(text) : text;
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
 * would be a request RingCentral refuses (and matches no extension anyway); an email with a
 * comma would fail the look-up of every item, one with an invisible or non-ASCII character
 * would be refused at its create, after the run's updates were written.
 */
export function matchValueProblem(matchOn: MatchOn, key: string): string | undefined {
	const max = FILTER_MAX_LENGTH[matchOn];
	if (max !== undefined && key.length > max) {
		return `"${key}" has ${key.length} characters; RingCentral's ${MATCH_LABELS[matchOn]}s have at most ${max} characters`;
	}
	if (matchOn === 'email') return emailProblem(key);
	const unusual = unusualCharacter(key);
	return (
		unusual &&
		`contains ${unusual}, which no ${MATCH_LABELS[matchOn]} holds: ${JSON.stringify(key)}`
	);
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
