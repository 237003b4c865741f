import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BatchResult } from '../batchResult';
import { diff } from '../changes';
import { findExtensions } from '../matching/findExtensions';
import { entryError } from '../../../shared/helpers/inputErrors';
import {
	ambiguousMatchError,
	MATCH_LABELS,
	normalizedKey,
	sharedKeyErrors,
	type MatchOn,
} from '../matching/keys';
import type { SourcedRecord } from './records';
import { matchedBy, type PlacedResult } from './results';

/**
 * A bulk-update record with the item it came from, its place, and the value that names its
 * extension; `parameter` (`records[2]`) when its item holds several, for errors to name it.
 */
export interface KeyedRecord extends SourcedRecord {
	accountId: string;
	parameter?: string;
}

export interface RecordError {
	error: Error;
	entry: KeyedRecord;
}

export interface ResolvedRecord extends KeyedRecord {
	/** The extension the record names, as RingCentral lists it. */
	current: IDataObject;
}

/**
 * The match value is how the record finds its extension, not a change: an email that differs
 * in case alone, or the number matched on, is not sent.
 */
function withoutMatchValue(matchOn: MatchOn, record: IDataObject, key: string): IDataObject {
	const { contact, extensionNumber, ...rest } = record;
	const out: IDataObject = { ...rest };
	if (matchOn !== 'extensionNumber' || normalizedKey(matchOn, extensionNumber) !== key) {
		if (extensionNumber !== undefined) out.extensionNumber = extensionNumber;
	}
	if (contact !== undefined) {
		const { email, ...otherContact } = contact as IDataObject;
		const keep = matchOn !== 'email' || normalizedKey(matchOn, email) !== key;
		const kept = keep && email !== undefined ? { ...otherContact, email } : otherContact;
		if (Object.keys(kept).length > 0) out.contact = kept;
	}
	return out;
}

/**
 * Finds the extension of every record with as few list requests as the limits allow (see
 * findExtensions). A record that names no extension, one that several extensions share, or
 * one that another record names too, becomes an error naming its item; with `stopOnError`, a
 * value two records share is thrown before any look-up is sent.
 */
export async function resolveRecords(
	ctx: IExecuteFunctions,
	records: KeyedRecord[],
	matchOn: MatchOn,
	{ stopOnError }: { stopOnError: boolean },
): Promise<{ resolved: ResolvedRecord[]; errors: RecordError[] }> {
	const keyed = records.map((entry) => ({ ...entry, matchOn }));
	// Two records for one extension by ID are refused by withoutDuplicateIds (records.ts).
	const shared =
		matchOn === 'id' ? new Map() : sharedKeyErrors(ctx, keyed, 'updated by one record');
	if (stopOnError && shared.size > 0) throw [...shared.values()][0];
	const byAccount = new Map<string, Array<KeyedRecord & { matchOn: MatchOn }>>();
	for (const entry of keyed.filter((record) => !shared.has(record))) {
		byAccount.set(entry.accountId, [...(byAccount.get(entry.accountId) ?? []), entry]);
	}
	const resolved: ResolvedRecord[] = [];
	const errors: RecordError[] = [...shared].map(([entry, error]) => ({ error, entry }));
	const label = MATCH_LABELS[matchOn];
	for (const [accountId, entries] of byAccount) {
		const matches = await findExtensions(ctx, {
			accountId,
			matchOn,
			values: entries.map(({ key }) => key),
			itemIndex: entries[0].itemIndex,
		});
		for (const entry of entries) {
			const found = matches.get(entry.key) ?? [];
			const changes = withoutMatchValue(matchOn, entry.record, entry.key);
			const problem = (text: string) => entryError(ctx, entry.itemIndex, entry.parameter, text);
			const error =
				found.length === 0
					? problem(`no extension has the ${label} "${entry.key}"`)
					: found.length > 1
						? ambiguousMatchError(ctx, entry, found)
						: Object.keys(changes).length === 0
							? problem(
									`the record for the ${label} "${entry.key}" changes nothing but the value it is matched on`,
								)
							: undefined;
			if (error) {
				errors.push({ error, entry });
				continue;
			}
			const [current] = found;
			resolved.push({ ...entry, record: { ...changes, id: String(current.id) }, current });
		}
	}
	return { resolved, errors };
}

/** What a record would change: per field the extension's current and new value. */
export function previewOf(entry: ResolvedRecord, matchOn: MatchOn): PlacedResult {
	const { id, ...changes } = entry.record;
	const result: BatchResult = {
		json: {
			extensionId: String(id),
			...matchedBy(matchOn, entry.key),
			name: entry.current.name,
			changes: diff(entry.current, changes, 'report'),
			dryRun: true,
		},
		itemIndexes: [entry.itemIndex],
	};
	return { result, at: entry };
}

/** A record refused before anything was sent, as an error item naming what it was matched by. */
export function errorOf({ error, entry }: RecordError, matchOn: MatchOn): PlacedResult {
	const json = matchedBy(matchOn, entry.key);
	return { result: { error, itemIndexes: [entry.itemIndex], json }, at: entry };
}
