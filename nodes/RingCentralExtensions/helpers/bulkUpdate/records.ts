import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { conformToSchema, formatIssues } from '../../../shared/helpers/jsonSchema';
import { inputError } from '../../../shared/helpers/inputErrors';
import { jsonParameter, jsonObject, pathId } from '../../../shared/helpers/parameters';
import { requestSchemas, specEnums } from '../../../shared/helpers/schemas.generated';
import { batchesByAccount } from '../tasks/batches';
import type { BatchResult } from '../batchResult';
import { duplicateKeys, recordKeyOf, type MatchOn } from '../matching/keys';

export interface SourcedRecord {
	record: IDataObject;
	itemIndex: number;
	/** The normalized value the record names its extension by (see matchOn). */
	key: string;
	/** The parameter it came from, for errors: `records[3]`, or `source (input item)`. */
	where: string;
	/** Its place among its item's records (0 for an input item), to keep the output in order. */
	position: number;
}

/** What one input item contributes: where its records came from, and for which account. */
export interface RecordSource {
	source: string;
	accountId: string;
	records: SourcedRecord[];
}

export interface Batch {
	accountId: string;
	records: SourcedRecord[];
}

const UPDATABLE = requestSchemas.extensionBulkUpdateInfo.properties;

/**
 * Drops the values RingCentral reports for an extension but does not take in an update (type
 * Limited, status Unassigned), so that records listed by Get Many round-trip. A value that is
 * neither (a typo) stays, to be reported.
 */
function withoutReadOnlyValues(record: IDataObject): IDataObject {
	const readOnly = (value: unknown, readable: readonly string[], writable: readonly string[]) =>
		readable.includes(value as string) && !writable.includes(value as string);
	const { type, status, ...rest } = record;
	return {
		...rest,
		...(!readOnly(type, specEnums.extensionType, UPDATABLE.type.enum) && { type }),
		...(!readOnly(status, specEnums.extensionStatus, UPDATABLE.status.enum) && { status }),
	};
}

const MATCH_FIELDS: Record<MatchOn, string> = {
	id: '"id"',
	email: '"email" (or "contact.email")',
	extensionNumber: '"extensionNumber"',
};

function toRecord(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	{ where, position }: Pick<SourcedRecord, 'where' | 'position'>,
	matchOn: MatchOn,
): SourcedRecord {
	const record = jsonObject(ctx, itemIndex, where, value, 'each record must be a JSON object');
	// Read before the record is stripped to the schema, which has no top-level "email".
	const key = recordKeyOf(matchOn, record);
	if (key === undefined) {
		throw inputError(ctx, itemIndex, where, `the record has no extension ${MATCH_FIELDS[matchOn]}`);
	}
	// A preview reads each record's extension by this id, in the URL path.
	if (matchOn === 'id') pathId(ctx, where, itemIndex, key);
	const conformed = conformToSchema(
		withoutReadOnlyValues(record),
		requestSchemas.extensionBulkUpdateInfo,
		{ unknownProperties: 'strip' },
	);
	if (conformed.issues.length > 0) {
		throw inputError(ctx, itemIndex, where, formatIssues(conformed.issues));
	}
	const { id: _id, ...changes } = conformed.value as IDataObject;
	if (Object.keys(changes).length === 0) {
		throw inputError(
			ctx,
			itemIndex,
			where,
			`the record for extension ${key} changes nothing RingCentral can update; check the field names (e.g. "status", "contact")`,
		);
	}
	return { record: conformed.value as IDataObject, itemIndex, key, where, position };
}

export function recordsOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	source: string,
	matchOn: MatchOn,
): SourcedRecord[] {
	if (source === 'inputItems') {
		const { json } = ctx.getInputData()[itemIndex];
		return [toRecord(ctx, itemIndex, json, { where: 'source (input item)', position: 0 }, matchOn)];
	}
	const records = jsonParameter(ctx, 'records', itemIndex);
	if (!Array.isArray(records))
		throw inputError(ctx, itemIndex, 'records', 'must be a JSON array of records');
	return records.map((record, position) =>
		toRecord(ctx, itemIndex, record, { where: `records[${position}]`, position }, matchOn),
	);
}

/**
 * Input items are pooled (per account) into as few requests as the 500-record limit
 * allows; a JSON records array stays with its own item.
 */
export function batchesOf(work: RecordSource[]): Batch[] {
	const entries = work.flatMap((entry, index) =>
		entry.records.map((record) => ({
			record,
			accountId: entry.accountId,
			pool: entry.source === 'inputItems' ? `pool:${entry.accountId}` : `item:${index}`,
		})),
	);
	return batchesByAccount(
		entries,
		(entry) => entry.accountId,
		(entry) => entry.pool,
	).map(({ accountId, entries: batch }) => ({
		accountId,
		records: batch.map(({ record }) => record),
	}));
}

function duplicateError(
	ctx: IExecuteFunctions,
	{ itemIndex, where, record }: SourcedRecord,
	other: SourcedRecord,
): Error {
	const place = other.itemIndex === itemIndex ? other.where : `item ${other.itemIndex}`;
	return inputError(
		ctx,
		itemIndex,
		where,
		`extension ${String(record.id)} has another record in ${place} of the same request; send one record per extension (merge the changes into it)`,
	);
}

/**
 * For each item holding a record whose extension another record of the same request names,
 * its error (naming the first other record), in the order the records were found to clash.
 */
function duplicateIdErrors(ctx: IExecuteFunctions, batches: Batch[]): Map<number, Error> {
	const errors = new Map<number, Error>();
	for (const batch of batches) {
		for (const { sourced, other } of idClashes(batch)) {
			if (!errors.has(sourced.itemIndex)) {
				errors.set(sourced.itemIndex, duplicateError(ctx, sourced, other));
			}
		}
	}
	return errors;
}

/**
 * The records of a batch that share an id, each with the record it clashes with: every later
 * one with the first, the first with the second, in the order they come.
 */
function idClashes(batch: Batch): Array<{ sourced: SourcedRecord; other: SourcedRecord }> {
	const withId = [...batch.records.entries()].filter(([, { record }]) => record.id !== undefined);
	const clashes: Array<{ at: number; sourced: SourcedRecord; other: SourcedRecord }> = [];
	for (const sharing of duplicateKeys(withId, ([, { record }]) => String(record.id)).values()) {
		const [[, first], [secondAt, second]] = sharing;
		for (const [at, sourced] of sharing.slice(1)) {
			clashes.push({ at: 2 * at, sourced, other: first });
		}
		clashes.push({ at: 2 * secondAt + 1, sourced: first, other: second });
	}
	return clashes.sort((a, b) => a.at - b.at);
}

/**
 * Two records for one extension in the same request would be applied in an order RingCentral
 * does not promise, and their outcomes could not be told apart: refused before they are sent.
 * Under Continue On Fail the items holding them become error items and the rest goes on.
 */
export function withoutDuplicateIds<Entry extends { itemIndex: number; work: RecordSource }>(
	ctx: IExecuteFunctions,
	work: Entry[],
): { work: Entry[]; errors: BatchResult[] } {
	const errors = duplicateIdErrors(ctx, batchesOf(work.map((entry) => entry.work)));
	if (errors.size === 0) return { work, errors: [] };
	if (!ctx.continueOnFail()) throw errors.values().next().value as Error;
	return {
		work: work.filter(({ itemIndex }) => !errors.has(itemIndex)),
		errors: [...errors].map(([itemIndex, error]) => ({ error, itemIndexes: [itemIndex] })),
	};
}
