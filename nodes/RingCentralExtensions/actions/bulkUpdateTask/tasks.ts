import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { POLL_INTERVAL_LIMITS, POLL_TIMEOUT_LIMITS } from '../common.descriptions';
import { pathSegments, ringCentralApiRequest } from '../../../shared/transport';
import { numberInRange } from '../../../shared/helpers/parameters';
import { waitMs } from '../../../shared/transport/wait';

/** A bulk-update task resource, as RingCentral returns it. */
export interface Task extends IDataObject {
	id: string;
	status: 'Accepted' | 'InProgress' | 'Completed' | 'Failed';
}

export interface TrackedTask {
	accountId: string;
	task: Task;
	/** Why the task could not be followed to its end: it could not be read, or the wait ran out. */
	problem?: Error;
}

export interface PollSettings {
	wait: boolean;
	intervalMs: number;
	timeoutMs: number;
}

function isFinished(task: Task): boolean {
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
 * rounds the moment it is Completed or Failed. A task that cannot be read, or is still
 * unfinished when the timeout is reached, gets a `problem` that names it.
 */
export async function waitForTasks(
	ctx: IExecuteFunctions,
	tracked: TrackedTask[],
	{ intervalMs, timeoutMs }: PollSettings,
): Promise<void> {
	const start = Date.now();
	const signal = ctx.getExecutionCancelSignal();
	let pending = tracked.filter(({ task }) => !isFinished(task));
	// Rounds run on a fixed schedule from the start; the last one lands on the timeout.
	for (let round = 1; pending.length > 0; round++) {
		const due = Math.min(round * intervalMs, timeoutMs);
		await waitMs(start + due - Date.now(), signal);
		for (const entry of pending) await pollOnce(ctx, entry, signal);
		pending = pending.filter((entry) => !entry.problem && !isFinished(entry.task));
		if (due >= timeoutMs) break;
	}
	if (pending.length === 0) return;
	const timedOut = timeoutError(ctx, pending, timeoutMs);
	for (const entry of pending) entry.problem = timedOut;
}

async function pollOnce(
	ctx: IExecuteFunctions,
	entry: TrackedTask,
	signal: AbortSignal | undefined,
): Promise<void> {
	const read = await readTask(ctx, entry.accountId, entry.task.id).then(
		(task) => ({ task }),
		(error: Error) => ({ error }),
	);
	if ('task' in read) {
		entry.task = read.task;
		return;
	}
	// A cancelled run stops here; any other failure is this task's problem, the others go on.
	if (signal?.aborted) throw read.error;
	read.error.message = `Could not read bulk-update task ${entry.task.id}: ${read.error.message}`;
	entry.problem = read.error;
}

export async function startTask(
	ctx: IExecuteFunctions,
	accountId: string,
	records: IDataObject[],
	itemIndex: number,
): Promise<Task> {
	return await ringCentralApiRequest<Task>(ctx, {
		method: 'POST',
		accountId,
		path: '/extension-bulk-update',
		group: 'Heavy',
		body: { records },
		itemIndex,
	});
}

function timeoutError(
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

interface RecordOutcome extends IDataObject {
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

function summaryOf(task: Task): IDataObject | undefined {
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

/** Something failed after tasks went out: name them, so that nothing is sent twice. */
export function withStartedTasks(error: Error, started: TrackedTask[]): Error {
	if (started.length === 0) return error;
	const ids = started.map(({ task }) => task.id).join(', ');
	const note = `Bulk-update tasks already started before this error: ${ids}. Do not resend their records; read the tasks with Resource "Bulk Update Task".`;
	const withDescription = error as Error & { description?: string };
	withDescription.description = [withDescription.description, note].filter(Boolean).join('\n');
	return error;
}

/** A task as output: once finished, with a summary of its records' outcomes. */
export function withSummary(task: Task): IDataObject {
	const summary = summaryOf(task);
	return summary ? { ...task, summary } : task;
}
