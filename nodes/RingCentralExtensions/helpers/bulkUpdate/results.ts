import type { IExecuteFunctions } from 'n8n-workflow';

import type { BatchResult } from '../batchResult';
import { failedTaskError, recordOutcomes, withSummary } from '../tasks/outcomes';
import type { Task } from '../tasks/tasks';
import type { Batch, SourcedRecord } from './records';

export function itemIndexesOf(records: SourcedRecord[]): number[] {
	return [...new Set(records.map(({ itemIndex }) => itemIndex))];
}

/** What a bulk-update task means for the items its records came from: the task, or each record's outcome. */
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
