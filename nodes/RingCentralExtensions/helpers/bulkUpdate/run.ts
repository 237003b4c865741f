import type { IExecuteFunctions } from 'n8n-workflow';

import type { BatchResult } from '../batchResult';
import type { MatchOn } from '../matching/keys';
import { sameForEveryItem } from '../sameForEveryItem';
import { firstProblem, waitNamingTasks, withStartedTasks } from '../tasks/outcomes';
import { startTask, type PollSettings, type TrackedTask } from '../tasks/tasks';
import {
	batchesOf,
	itemIndexesOf,
	taskResults,
	withoutDuplicateIds,
	type Batch,
	type RecordSource,
	type SourcedRecord,
} from './records';
import { previewOf, resolveRecords, type RecordError } from './resolve';

/** What one item of Bulk Update asks for, checked before anything is sent. */
export interface BulkUpdateWork extends RecordSource {
	poll: PollSettings;
	output: string;
	matchOn: MatchOn;
	dryRun: boolean;
}

/**
 * Runs Bulk Update for the checked work of every item: by email or number, looks the
 * extensions up first (a dry run stops there, with previews); refuses two records for one
 * extension; starts one task per batch of records, and, when asked, waits for them.
 */
export async function runBulkUpdate(
	ctx: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: BulkUpdateWork }>,
): Promise<BatchResult[]> {
	const { poll, output } = work[0].work;
	const matchOn = sameForEveryItem(ctx, work, 'matchOn');
	const dryRun = sameForEveryItem(ctx, work, 'dryRun');
	const results: BatchResult[] = [];
	if (matchOn === 'id') {
		// Known before any look-up; by email or number, only once the look-ups found the ids.
		const unique = withoutDuplicateIds(ctx, work);
		results.push(...unique.errors);
		work = unique.work;
	}
	if (dryRun || matchOn !== 'id') {
		const resolution = await resolveWork(ctx, work, matchOn);
		if (resolution.errors.length > 0 && !ctx.continueOnFail()) throw resolution.errors[0].error;
		if (dryRun) {
			return [...results, ...resolution.errors, ...resolution.previews].sort(
				(a, b) => a.itemIndexes[0] - b.itemIndexes[0],
			);
		}
		results.push(...resolution.errors);
		work = resolution.work;
	}
	if (matchOn !== 'id') {
		const unique = withoutDuplicateIds(ctx, work);
		results.push(...unique.errors);
		work = unique.work;
	}
	const started: Array<TrackedTask & { batch: Batch }> = [];
	const batches = batchesOf(work.map((entry) => entry.work));
	for (const batch of batches) {
		try {
			started.push({
				accountId: batch.accountId,
				task: await startTask(
					ctx,
					batch.accountId,
					batch.records.map(({ record }) => record),
					batch.records[0].itemIndex,
				),
				batch,
			});
		} catch (error) {
			if (!ctx.continueOnFail()) throw withStartedTasks(error as Error, started);
			results.push({ error: error as Error, itemIndexes: itemIndexesOf(batch.records) });
		}
	}
	if (poll.wait) await waitNamingTasks(ctx, started, poll);
	const problem = firstProblem(ctx, started);
	if (problem && !ctx.continueOnFail()) throw withStartedTasks(problem, started);
	for (const entry of started) {
		if (entry.problem) {
			const itemIndexes = itemIndexesOf(entry.batch.records);
			results.push({ error: entry.problem, itemIndexes, json: { taskId: entry.task.id } });
		} else {
			results.push(...taskResults(ctx, entry.task, entry.batch, poll.wait ? output : 'tasks'));
		}
	}
	return results;
}

/**
 * Records that name their extension by email or number get its id; for a preview, every
 * record is paired with its extension as it is. Nothing is written here.
 */
async function resolveWork(
	ctx: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: BulkUpdateWork }>,
	matchOn: MatchOn,
): Promise<{
	work: Array<{ itemIndex: number; work: BulkUpdateWork }>;
	errors: RecordError[];
	previews: BatchResult[];
}> {
	const keyed = work.flatMap(({ work: entry }) =>
		entry.records.map((record) => ({ ...record, accountId: entry.accountId })),
	);
	const { resolved, errors } = await resolveRecords(ctx, keyed, matchOn, {
		stopOnError: !ctx.continueOnFail(),
	});
	const byItem = new Map<number, SourcedRecord[]>();
	for (const { record, itemIndex, key } of resolved) {
		byItem.set(itemIndex, [...(byItem.get(itemIndex) ?? []), { record, itemIndex, key }]);
	}
	return {
		work: work
			.map((entry) => ({
				...entry,
				work: { ...entry.work, records: byItem.get(entry.itemIndex) ?? [] },
			}))
			.filter((entry) => entry.work.records.length > 0),
		errors,
		previews: resolved.map((entry) => previewOf(entry, matchOn)),
	};
}
