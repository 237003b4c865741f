import type { IDataObject, IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { entryError } from '../../../shared/helpers/inputErrors';

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

/**
 * What the list endpoint's filters take (listExtensions in the spec): one home for Get Many's
 * filters and for matching. Get Many caps the `email` filter's values at 100 per request.
 */
export const FILTER_LIMITS = { emailsPerRequest: 100, emailLength: 254, extensionNumberLength: 8 };

/** The longest value the list endpoint's filter takes, by what is matched on. */
const FILTER_MAX_LENGTH: Partial<Record<MatchOn, number>> = {
	email: FILTER_LIMITS.emailLength,
	extensionNumber: FILTER_LIMITS.extensionNumberLength,
};

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

/** An input (an item, a record) that names its extension by a normalized match value. */
export interface KeyedEntry {
	itemIndex: number;
	accountId: string;
	matchOn: MatchOn;
	key: string;
	/** Which entry of its item it is (`records[2]`), when the item holds several: errors name it. */
	parameter?: string;
}

/** `items 0, 2`; entries of one item by their places: `records[0], records[2]`. */
function placesOf(entries: KeyedEntry[]): string {
	const items = [...new Set(entries.map(({ itemIndex }) => itemIndex))];
	const parameters = entries.map(({ parameter }) => parameter);
	if (items.length === 1 && parameters.every(Boolean)) return parameters.join(', ');
	return `items ${items.join(', ')}`;
}

/**
 * Inputs that name one extension by the same match value (an HR list with a person twice):
 * which of them would be applied last is not known, so each becomes an error naming their
 * items, found before any look-up. `writes` says what one input does: "updated by one record".
 */
export function sharedKeyErrors<T extends KeyedEntry>(
	ctx: IExecuteFunctions,
	entries: T[],
	writes: string,
): Map<T, NodeOperationError> {
	const errors = new Map<T, NodeOperationError>();
	const sharedKeys = duplicateKeys(entries, (entry) =>
		[entry.accountId, entry.matchOn, entry.key].join('|'),
	);
	for (const sharing of sharedKeys.values()) {
		const { matchOn, key } = sharing[0];
		const problem = `${placesOf(sharing)} have the same ${MATCH_LABELS[matchOn]} "${key}": one extension can be ${writes} only`;
		for (const entry of sharing) {
			errors.set(entry, entryError(ctx, entry.itemIndex, entry.parameter, problem));
		}
	}
	return errors;
}

/** Several extensions hold the item's match value: which one it means is unclear. */
export function ambiguousMatchError(
	ctx: IExecuteFunctions,
	entry: KeyedEntry,
	found: IDataObject[],
): NodeOperationError {
	const ids = found.map(({ id }) => String(id)).join(', ');
	return entryError(
		ctx,
		entry.itemIndex,
		entry.parameter,
		`extensions ${ids} share the ${MATCH_LABELS[entry.matchOn]} "${entry.key}", so it is unclear which to update`,
	);
}
