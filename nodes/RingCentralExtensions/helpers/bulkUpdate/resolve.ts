import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { BatchResult } from '../batchResult';
import { diff } from '../changes';
import { findExtensions } from '../matching/findExtensions';
import { duplicateKeys, MATCH_LABELS, normalizedKey, type MatchOn } from '../matching/keys';

/** A bulk-update record with the item it came from and the value that names its extension. */
export interface KeyedRecord {
	record: IDataObject;
	itemIndex: number;
	accountId: string;
	key: string;
}

export interface RecordError {
	error: Error;
	itemIndexes: number[];
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
 * Records that name one extension by the same email or number (an HR list with a person twice):
 * which of them RingCentral would apply last is not known, so each becomes an error naming their
 * items, before any look-up (two records by ID for one extension are refused by
 * refuseDuplicateIds in records.ts).
 */
function sharedValueErrors(
	ctx: IExecuteFunctions,
	records: KeyedRecord[],
	matchOn: MatchOn,
): Map<KeyedRecord, RecordError> {
	const errors = new Map<KeyedRecord, RecordError>();
	if (matchOn === 'id') return errors;
	for (const sharing of duplicateKeys(
		records,
		(entry) => `${entry.accountId}|${entry.key}`,
	).values()) {
		const items = [...new Set(sharing.map(({ itemIndex }) => itemIndex))].join(', ');
		for (const entry of sharing) {
			const message = `Item ${entry.itemIndex}: items ${items} have the same ${MATCH_LABELS[matchOn]} "${entry.key}": one extension can be updated by one record only`;
			const error = new NodeOperationError(ctx.getNode(), message, { itemIndex: entry.itemIndex });
			errors.set(entry, { error, itemIndexes: [entry.itemIndex] });
		}
	}
	return errors;
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
	const shared = sharedValueErrors(ctx, records, matchOn);
	if (stopOnError && shared.size > 0) throw [...shared.values()][0].error;
	const byAccount = new Map<string, KeyedRecord[]>();
	for (const entry of records.filter((record) => !shared.has(record))) {
		byAccount.set(entry.accountId, [...(byAccount.get(entry.accountId) ?? []), entry]);
	}
	const resolved: ResolvedRecord[] = [];
	const errors: RecordError[] = [...shared.values()];
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
			const problem =
				found.length === 0
					? `no extension has the ${label} "${entry.key}"`
					: found.length > 1
						? `extensions ${found.map(({ id }) => String(id)).join(', ')} share the ${label} "${entry.key}", so it is unclear which to update`
						: undefined;
			if (problem) {
				const error = new NodeOperationError(ctx.getNode(), `Item ${entry.itemIndex}: ${problem}`, {
					itemIndex: entry.itemIndex,
				});
				errors.push({ error, itemIndexes: [entry.itemIndex] });
				continue;
			}
			const [current] = found;
			const changes = withoutMatchValue(matchOn, entry.record, entry.key);
			if (Object.keys(changes).length === 0) {
				const error = new NodeOperationError(
					ctx.getNode(),
					`Item ${entry.itemIndex}: the record for the ${label} "${entry.key}" changes nothing but the value it is matched on`,
					{ itemIndex: entry.itemIndex },
				);
				errors.push({ error, itemIndexes: [entry.itemIndex] });
				continue;
			}
			resolved.push({ ...entry, record: { ...changes, id: String(current.id) }, current });
		}
	}
	return { resolved, errors };
}

/** What a record would change: per field the extension's current and new value. */
export function previewOf(entry: ResolvedRecord, matchOn: MatchOn): BatchResult {
	const { id, ...changes } = entry.record;
	return {
		json: {
			extensionId: String(id),
			...(matchOn !== 'id' && { [matchOn]: entry.key }),
			name: entry.current.name,
			changes: diff(entry.current, changes, 'report'),
			dryRun: true,
		},
		itemIndexes: [entry.itemIndex],
	};
}
