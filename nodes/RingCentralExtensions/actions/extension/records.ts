import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { conformToSchema, formatIssues } from '../../../shared/helpers/jsonSchema';
import { inputError, jsonParameter, jsonObject } from '../../../shared/helpers/parameters';
import { requestSchemas, specEnums } from '../../../shared/helpers/schemas.generated';
import { failedTaskError, recordOutcomes, withSummary } from '../bulkUpdateTask/outcomes';
import type { Task } from '../bulkUpdateTask/tasks';
import type { BatchResult } from '../node.type';

const MAX_RECORDS_PER_REQUEST = 500;

interface SourcedRecord {
	record: IDataObject;
	itemIndex: number;
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

function toRecord(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	where: string,
): IDataObject {
	const record = jsonObject(ctx, itemIndex, where, value, 'each record must be a JSON object');
	const conformed = conformToSchema(
		withoutReadOnlyValues(record),
		requestSchemas.extensionBulkUpdateInfo,
		{ unknownProperties: 'strip' },
	);
	if (conformed.issues.length > 0) {
		throw inputError(ctx, itemIndex, where, formatIssues(conformed.issues));
	}
	const { id, ...changes } = conformed.value as IDataObject;
	if (typeof id !== 'string' || id.trim() === '') {
		throw inputError(ctx, itemIndex, where, 'the record has no extension "id"');
	}
	if (Object.keys(changes).length === 0) {
		throw inputError(
			ctx,
			itemIndex,
			where,
			`the record for extension ${id} changes nothing RingCentral can update; check the field names (e.g. "status", "contact")`,
		);
	}
	return conformed.value as IDataObject;
}

export function recordsOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	source: string,
): IDataObject[] {
	if (source === 'inputItems') {
		return [toRecord(ctx, itemIndex, ctx.getInputData()[itemIndex].json, 'source (input item)')];
	}
	const records = jsonParameter(ctx, 'records', itemIndex);
	if (!Array.isArray(records))
		throw inputError(ctx, itemIndex, 'records', 'must be a JSON array of records');
	return records.map((record, index) => toRecord(ctx, itemIndex, record, `records[${index}]`));
}

function chunk<T>(list: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < list.length; start += size)
		chunks.push(list.slice(start, start + size));
	return chunks;
}

/**
 * Input items are pooled (per account) into as few requests as the 500-record limit
 * allows; a JSON records array stays with its own item.
 */
export function batchesOf(work: RecordSource[]): Batch[] {
	const pools = new Map<string, Batch>();
	for (const [index, entry] of work.entries()) {
		const key = entry.source === 'inputItems' ? `pool:${entry.accountId}` : `item:${index}`;
		const pool = pools.get(key) ?? { accountId: entry.accountId, records: [] };
		pool.records.push(...entry.records);
		pools.set(key, pool);
	}
	return [...pools.values()].flatMap(({ accountId, records }) =>
		chunk(records, MAX_RECORDS_PER_REQUEST).map((part) => ({ accountId, records: part })),
	);
}

export function itemIndexesOf(records: SourcedRecord[]): number[] {
	return [...new Set(records.map(({ itemIndex }) => itemIndex))];
}

export function taskResults(
	ctx: IExecuteFunctions,
	task: Task,
	batch: Batch,
	output: string,
): BatchResult[] {
	const itemIndexes = itemIndexesOf(batch.records);
	if (task.status === 'Failed') {
		return [{ error: failedTaskError(ctx, task), itemIndexes, json: { taskId: task.id } }];
	}
	if (output !== 'records') {
		return [{ json: withSummary(task), itemIndexes }];
	}
	const outcomes = new Map(recordOutcomes(task).map((outcome) => [outcome.extensionId, outcome]));
	return batch.records.map(({ record, itemIndex }) => ({
		json: {
			taskId: task.id,
			...(outcomes.get(String(record.id)) ?? {
				extensionId: String(record.id),
				status: 'Unknown',
				errors: [],
			}),
		},
		itemIndexes: [itemIndex],
	}));
}
