import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { conformToSchema } from '../../../shared/helpers/jsonSchema';
import { failureReason } from '../../../shared/helpers/failureReason';
import { requestSchemas } from '../../../shared/helpers/schemas.generated';
import { failedTaskError, recordOutcomes, waitNamingTasks } from '../tasks/outcomes';
import { startTask, type PollSettings, type TrackedTask } from '../tasks/tasks';
import { pathSegments, ringCentralApiRequest } from '../../../shared/transport';
import { batchesByAccount, type AccountBatch } from '../tasks/batches';
import { unknownOutcome } from '../runOutcomes';
import { withPatch } from '../changes';

/**
 * Up to this many changed extensions are updated with one PUT each (Medium group, 40 a
 * minute); more go out as bulk updates (Heavy group, 10 a minute, up to 500 records each).
 * A PUT answers at once with the record as it now is; a bulk update is a task that must be
 * polled (at least one poll interval, 5 s by default) and shares nothing with the Medium
 * budget that the list and create requests of the same run draw on. Past five, the PUTs take
 * longer than one bulk update and its polls, and use up the Medium budget the creates need.
 */
export const MAX_PUT_UPDATES = 5;

export interface PlannedUpdate {
	itemIndex: number;
	accountId: string;
	extension: IDataObject;
	patch: IDataObject;
}

export type UpdateOutcome = { extension: IDataObject } | { error: Error };

/** Called after each write, so that a failure can stop the run where it is. */
export type OnOutcome = (update: PlannedUpdate, outcome: UpdateOutcome) => void;

export async function putUpdate(
	ctx: IExecuteFunctions,
	update: PlannedUpdate,
): Promise<IDataObject> {
	return await ringCentralApiRequest(ctx, {
		method: 'PUT',
		accountId: update.accountId,
		path: `/extension${pathSegments(String(update.extension.id))}`,
		group: 'Medium',
		body: update.patch,
		itemIndex: update.itemIndex,
		expect: 'record',
	});
}

/** The bulk-update record for a change, or undefined where the bulk shape cannot carry it. */
function bulkRecordOf(update: PlannedUpdate): IDataObject | undefined {
	// e.g. a site: the bulk record's site id is typed as a URI, a PUT takes the plain id.
	const record = { id: String(update.extension.id), ...update.patch };
	const { issues } = conformToSchema(record, requestSchemas.extensionBulkUpdateInfo, {
		unknownProperties: 'reject',
	});
	return issues.length === 0 ? record : undefined;
}

export function usesBulkUpdate(updateCount: number): boolean {
	return updateCount > MAX_PUT_UPDATES;
}

/**
 * Writes every planned update with the fewest rate-limited requests (see MAX_PUT_UPDATES).
 * With `stopAtFailure`, nothing more is sent after a PUT fails (a task's records all report).
 */
export async function writeUpdates(
	ctx: IExecuteFunctions,
	updates: PlannedUpdate[],
	poll: PollSettings,
	onOutcome: OnOutcome,
	{ stopAtFailure = false } = {},
): Promise<void> {
	const bulk: BulkEntry[] = [];
	const single: PlannedUpdate[] = [];
	for (const update of updates) {
		const record = usesBulkUpdate(updates.length) ? bulkRecordOf(update) : undefined;
		if (record) bulk.push({ update, record });
		else single.push(update);
	}
	for (const update of single) {
		let outcome: UpdateOutcome;
		try {
			outcome = { extension: await putUpdate(ctx, update) };
		} catch (error) {
			outcome = { error: error as Error };
		}
		onOutcome(update, outcome);
		if ('error' in outcome && stopAtFailure) return;
	}
	await writeBulkUpdates(ctx, bulk, poll, onOutcome);
}

type BulkEntry = { update: PlannedUpdate; record: IDataObject };
type BulkBatch = AccountBatch<BulkEntry>;

async function writeBulkUpdates(
	ctx: IExecuteFunctions,
	entries: BulkEntry[],
	poll: PollSettings,
	onOutcome: OnOutcome,
): Promise<void> {
	const started: Array<TrackedTask & { batch: BulkBatch }> = [];
	const notStarted: Array<{ batch: BulkBatch; error: Error }> = [];
	for (const batch of batchesByAccount(entries, ({ update }) => update.accountId)) {
		try {
			const task = await startTask(
				ctx,
				batch.accountId,
				batch.entries.map(({ record }) => record),
				batch.entries[0].update.itemIndex,
			);
			started.push({ accountId: batch.accountId, task, batch });
		} catch (error) {
			notStarted.push({ batch, error: error as Error });
		}
	}
	// Tasks that went out are followed to their end before any failure is reported.
	if (started.length > 0) await waitNamingTasks(ctx, started, poll);
	for (const entry of started) reportTask(ctx, entry, onOutcome);
	for (const { batch, error } of notStarted) {
		for (const { update } of batch.entries) onOutcome(update, { error });
	}
}

function reportTask(
	ctx: IExecuteFunctions,
	{ task, batch, problem }: TrackedTask & { batch: BulkBatch },
	onOutcome: OnOutcome,
): void {
	const taskError = problem ?? (task.status === 'Failed' ? failedTaskError(ctx, task) : undefined);
	const outcomes = new Map(recordOutcomes(task).map((outcome) => [outcome.extensionId, outcome]));
	for (const { update, record } of batch.entries) {
		if (taskError) {
			onOutcome(update, { error: taskError });
			continue;
		}
		const outcome = outcomes.get(String(record.id));
		if (outcome?.status === 'Success') {
			onOutcome(update, { extension: withPatch(update.extension, update.patch) });
			continue;
		}
		const reasons = (outcome?.errors ?? []).map(failureReason).join('; ');
		const error = new Error(
			outcome
				? `RingCentral did not update extension ${String(record.id)} (bulk-update task ${task.id}): ${reasons || 'Fail'}`
				: `Bulk-update task ${task.id} reported no outcome for extension ${String(record.id)}; read the task with Resource "Bulk Update Task" to see whether it was updated`,
		);
		onOutcome(update, { error: outcome ? error : unknownOutcome(error) });
	}
}
