import type { IExecuteFunctions } from 'n8n-workflow';

import type { BatchResult } from '../batchResult';
import type { MatchOn } from '../matching/keys';
import { failureOutcome, RunOutcomes, type ItemOutcome } from '../runOutcomes';
import { sameForEveryItem } from '../sameForEveryItem';
import { firstProblem, recordOutcomes, waitNamingTasks, withStartedTasks } from '../tasks/outcomes';
import { startTask, type PollSettings, type TrackedTask } from '../tasks/tasks';
import {
	batchesOf,
	withoutDuplicateIds,
	type Batch,
	type RecordSource,
	type SourcedRecord,
} from './records';
import { inRecordOrder, itemIndexesOf, taskResults, type PlacedResult } from './results';
import { errorOf, previewOf, resolveRecords } from './resolve';

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
	const outcomes = new RunOutcomes(work.map(({ itemIndex }) => itemIndex));
	const started: Array<TrackedTask & { batch: Batch }> = [];
	// An error that ends the run says per item what its tasks did (see outcomeIn).
	const stopped = (error: Error) =>
		outcomes.stopped(ctx, withStartedTasks(error, started), {
			unsettled: (itemIndex) => outcomeIn(started, itemIndex),
		});
	try {
		const results = await run(ctx, work, { started, outcomes, poll, output });
		// Under Continue On Fail: each error item says what became of its records.
		return results.map((result) =>
			'error' in result
				? { ...result, json: { ...result.json, outcome: failureOutcome(result.error) } }
				: result,
		);
	} catch (error) {
		throw stopped(error as Error);
	}
}

async function run(
	ctx: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: BulkUpdateWork }>,
	{
		started,
		outcomes,
		poll,
		output,
	}: Pick<BulkUpdateWork, 'poll' | 'output'> & {
		started: Array<TrackedTask & { batch: Batch }>;
		outcomes: RunOutcomes;
	},
): Promise<BatchResult[]> {
	const matchOn = sameForEveryItem(ctx, work, 'matchOn');
	const dryRun = sameForEveryItem(ctx, work, 'dryRun');
	// Every result with the place of its record: the output keeps the order of the input.
	const results: PlacedResult[] = [];
	const refuseDuplicateIds = () => {
		const unique = withoutDuplicateIds(ctx, work);
		results.push(...unique.errors.map((result) => ({ result, at: placeOfItem(result) })));
		work = unique.work;
	};
	// By ID, known before any look-up; by email or number, only once the look-ups found the ids.
	if (matchOn === 'id') refuseDuplicateIds();
	if (dryRun || matchOn !== 'id') {
		const resolution = await resolveWork(ctx, work, matchOn);
		const [refused] = inRecordOrder(resolution.errors);
		if (refused && 'error' in refused && !ctx.continueOnFail()) throw refused.error;
		results.push(...resolution.errors);
		if (dryRun) return inRecordOrder([...results, ...resolution.previews]);
		work = resolution.work;
	}
	if (matchOn !== 'id') refuseDuplicateIds();
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
			const itemIndexes = itemIndexesOf(batch.records);
			outcomes.setFailed(itemIndexes, error as Error);
			if (!ctx.continueOnFail()) throw withStartedTasks(error as Error, started);
			results.push({ result: { error: error as Error, itemIndexes }, at: batch.records[0] });
		}
	}
	if (poll.wait) await waitNamingTasks(ctx, started, poll);
	const problem = firstProblem(ctx, started);
	if (problem && !ctx.continueOnFail()) throw problem;
	for (const entry of started) {
		if (entry.problem) {
			const itemIndexes = itemIndexesOf(entry.batch.records);
			results.push({
				result: { error: entry.problem, itemIndexes, json: { taskId: entry.task.id } },
				at: entry.batch.records[0],
			});
		} else {
			const shape = { output: poll.wait ? output : 'tasks', matchOn };
			results.push(...taskResults(ctx, entry.task, entry.batch, shape));
		}
	}
	return inRecordOrder(results);
}

/** An item refused as a whole (all its records) comes where its first record would. */
function placeOfItem({ itemIndexes }: BatchResult): PlacedResult['at'] {
	return { itemIndex: itemIndexes[0], position: 0 };
}

/**
 * What the run did to an item, by the task its records went out in: updated when the task
 * finished and updated any of them, unknown when the task was not followed to its end, not
 * written when none went out (or the task failed, or updated none of them).
 */
function outcomeIn(started: Array<TrackedTask & { batch: Batch }>, itemIndex: number): ItemOutcome {
	const entries = started.filter(({ batch }) =>
		batch.records.some((record) => record.itemIndex === itemIndex),
	);
	if (
		entries.some(
			({ task, problem }) => problem || task.status === 'Accepted' || task.status === 'InProgress',
		)
	) {
		return 'unknown';
	}
	const updated = entries.some(({ task, batch }) => {
		const succeeded = new Set(
			recordOutcomes(task)
				.filter(({ status }) => status === 'Success')
				.map(({ extensionId }) => extensionId),
		);
		return batch.records.some(
			({ record, itemIndex: index }) => index === itemIndex && succeeded.has(String(record.id)),
		);
	});
	return updated ? 'updated' : 'notWritten';
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
	errors: PlacedResult[];
	previews: PlacedResult[];
}> {
	const keyed = work.flatMap(({ work: entry }) =>
		entry.records.map((record) => ({
			...record,
			accountId: entry.accountId,
			// An input item is its record; a record of a JSON array is named by its place.
			...(entry.source === 'json' && { parameter: record.where }),
		})),
	);
	const { resolved, errors } = await resolveRecords(ctx, keyed, matchOn, {
		stopOnError: !ctx.continueOnFail(),
	});
	const byItem = new Map<number, SourcedRecord[]>();
	for (const { record, itemIndex, key, where, position } of resolved) {
		const sourced = { record, itemIndex, key, where, position };
		byItem.set(itemIndex, [...(byItem.get(itemIndex) ?? []), sourced]);
	}
	return {
		work: work
			.map((entry) => ({
				...entry,
				work: { ...entry.work, records: byItem.get(entry.itemIndex) ?? [] },
			}))
			.filter((entry) => entry.work.records.length > 0),
		errors: errors.map((error) => errorOf(error, matchOn)),
		previews: resolved.map((entry) => previewOf(entry, matchOn)),
	};
}
