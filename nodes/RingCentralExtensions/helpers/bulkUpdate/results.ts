import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BatchResult } from '../batchResult';
import type { MatchOn } from '../matching/keys';
import { failedTaskError, recordOutcomes, withSummary } from '../tasks/outcomes';
import type { Task } from '../tasks/tasks';
import type { Batch, SourcedRecord } from './records';

export function itemIndexesOf(records: SourcedRecord[]): number[] {
	return [...new Set(records.map(({ itemIndex }) => itemIndex))];
}

/** A result with the place of the record it stems from (a task's: its first record). */
export interface PlacedResult {
	result: BatchResult;
	at: Pick<SourcedRecord, 'itemIndex' | 'position'>;
}

/** Results in the order of the items and records they stem from, errors among them. */
export function inRecordOrder(placed: PlacedResult[]): BatchResult[] {
	return [...placed]
		.sort((a, b) => a.at.itemIndex - b.at.itemIndex || a.at.position - b.at.position)
		.map(({ result }) => result);
}

/** What a record was matched by, for its output item: `{ email }`; by ID, the extension ID says it. */
export function matchedBy(matchOn: MatchOn, key: string): IDataObject {
	return matchOn === 'id' ? {} : { [matchOn]: key };
}

/** What a bulk-update task means for the items its records came from: the task, or each record's outcome. */
export function taskResults(
	ctx: IExecuteFunctions,
	task: Task,
	batch: Batch,
	{ output, matchOn }: { output: string; matchOn: MatchOn },
): PlacedResult[] {
	const itemIndexes = itemIndexesOf(batch.records);
	const at = batch.records[0];
	if (task.status === 'Failed') {
		return [
			{ result: { error: failedTaskError(ctx, task), itemIndexes, json: { taskId: task.id } }, at },
		];
	}
	if (output !== 'records') {
		return [{ result: { json: withSummary(task), itemIndexes }, at }];
	}
	const outcomes = new Map(recordOutcomes(task).map((outcome) => [outcome.extensionId, outcome]));
	return batch.records.map((sourced) => {
		const extensionId = String(sourced.record.id);
		const outcome = outcomes.get(extensionId);
		return {
			result: {
				json: {
					taskId: task.id,
					extensionId,
					...matchedBy(matchOn, sourced.key),
					status: outcome?.status ?? 'Unknown',
					errors: outcome?.errors ?? [],
				},
				itemIndexes: [sourced.itemIndex],
			},
			at: sourced,
		};
	});
}
