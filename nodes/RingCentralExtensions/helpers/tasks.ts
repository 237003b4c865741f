import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { POLL_INTERVAL_LIMITS, POLL_TIMEOUT_LIMITS } from '../actions/common.descriptions';
import { pathSegments, ringCentralApiRequest } from '../transport';
import { numberInRange } from './parameters';
import { waitMs } from './wait';

/** A bulk-update task resource, as RingCentral returns it. */
export interface Task extends IDataObject {
	id: string;
	status: 'Accepted' | 'InProgress' | 'Completed' | 'Failed';
}

export interface TrackedTask {
	accountId: string;
	task: Task;
}

export interface PollSettings {
	wait: boolean;
	intervalMs: number;
	timeoutMs: number;
}

export function isFinished(task: Task): boolean {
	return task.status === 'Completed' || task.status === 'Failed';
}

export function pollSettingsOf(ctx: IExecuteFunctions, itemIndex: number): PollSettings {
	const wait = ctx.getNodeParameter('waitForCompletion', itemIndex, false) as boolean;
	if (!wait) return { wait, intervalMs: 0, timeoutMs: 0 };
	return {
		wait,
		intervalMs: numberInRange(ctx, 'pollInterval', itemIndex, POLL_INTERVAL_LIMITS) * 1000,
		timeoutMs: numberInRange(ctx, 'pollTimeout', itemIndex, POLL_TIMEOUT_LIMITS) * 1000,
	};
}

export async function readTask(
	ctx: IExecuteFunctions,
	accountId: string,
	taskId: string,
	itemIndex?: number,
): Promise<Task> {
	return await ringCentralApiRequest<Task>(ctx, {
		method: 'GET',
		accountId,
		path: `/extension-bulk-update/tasks${pathSegments(taskId)}`,
		group: 'Light',
		itemIndex,
	});
}

/**
 * Polls every unfinished task once per interval, all in the same round, so waiting for
 * several tasks takes about as long as the slowest one. Each task is dropped from the
 * rounds the moment it is Completed or Failed. Returns the tasks still unfinished when
 * the next round would pass the timeout.
 */
export async function waitForTasks(
	ctx: IExecuteFunctions,
	tracked: TrackedTask[],
	{ intervalMs, timeoutMs }: PollSettings,
): Promise<TrackedTask[]> {
	const start = Date.now();
	let pending = tracked.filter(({ task }) => !isFinished(task));
	// Rounds run on a fixed schedule from the start, so the last one lands on the timeout.
	for (let round = 1; pending.length > 0 && round * intervalMs <= timeoutMs; round++) {
		await waitMs(start + round * intervalMs - Date.now(), ctx.getExecutionCancelSignal());
		for (const entry of pending) entry.task = await readTask(ctx, entry.accountId, entry.task.id);
		pending = pending.filter(({ task }) => !isFinished(task));
	}
	return pending;
}

export function timeoutError(
	ctx: IExecuteFunctions,
	unfinished: TrackedTask[],
	timeoutMs: number,
): NodeOperationError {
	const ids = unfinished.map(({ task }) => task.id);
	return new NodeOperationError(
		ctx.getNode(),
		`Bulk-update ${ids.length === 1 ? 'task' : 'tasks'} ${ids.join(', ')} did not finish within ${timeoutMs / 1000} seconds`,
		{
			description:
				'RingCentral is still working on them. Read them later with Resource "Bulk Update Task", Operation "Get", to see their outcome.',
		},
	);
}

export function failedTaskError(ctx: IExecuteFunctions, task: Task): NodeOperationError {
	const result = (task.result ?? {}) as IDataObject;
	const errors = ((result.errors as IDataObject[] | undefined) ?? [])
		.map((entry) => [entry.errorCode, entry.message].filter(Boolean).join(' '))
		.filter(Boolean);
	return new NodeOperationError(
		ctx.getNode(),
		`Bulk-update task ${task.id} failed${errors.length ? `: ${errors.join('; ')}` : ''}`,
		{
			description:
				'RingCentral reported the whole task as Failed, so none of its records can be assumed updated.',
		},
	);
}

export interface RecordOutcome extends IDataObject {
	extensionId: string;
	status: 'Success' | 'Fail';
	errors: IDataObject[];
}

/** Per-record outcomes of a finished task, from the current or the older (plain array) shape. */
export function recordOutcomes(task: Task): RecordOutcome[] {
	const affected = ((task.result ?? {}) as IDataObject).affectedItems;
	const list = Array.isArray(affected)
		? affected
		: ((affected as IDataObject | undefined)?.result ?? []);
	return (list as IDataObject[]).map((entry) => ({
		extensionId: String(entry.extensionId ?? entry.id ?? ''),
		status: entry.status === 'Success' ? 'Success' : 'Fail',
		errors: (entry.errors as IDataObject[] | undefined) ?? [],
	}));
}

export function summaryOf(task: Task): IDataObject | undefined {
	if (!isFinished(task) || !task.result) return undefined;
	const outcomes = recordOutcomes(task);
	const failed = outcomes.filter((outcome) => outcome.status === 'Fail');
	return {
		records: outcomes.length,
		succeeded: outcomes.length - failed.length,
		failed: failed.length,
		failedExtensionIds: failed.map((outcome) => outcome.extensionId),
	};
}
