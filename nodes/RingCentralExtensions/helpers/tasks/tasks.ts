import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { pathSegments, ringCentralApiRequest, waitMs } from '../../../shared/transport';
import { booleanParameter, numberInRange } from '../../../shared/helpers/parameters';
import { settle } from '../../../shared/helpers/values';
import { unknownOutcome } from '../runOutcomes';

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

/** Bounds of the Poll Interval and Poll Timeout parameters, in seconds. */
export const POLL_INTERVAL_LIMITS = { min: 1, max: 3600, fallback: 5 };
export const POLL_TIMEOUT_LIMITS = { min: 1, max: 86400, fallback: 600 };

export interface PollSettings {
	wait: boolean;
	intervalMs: number;
	timeoutMs: number;
}

export function isFinished(task: Task): boolean {
	return task.status === 'Completed' || task.status === 'Failed';
}

/**
 * The item's Poll Interval and Poll Timeout, when the tasks are to be waited for: by default as
 * its Wait for Completion says (Create or Update passes whether it writes at all).
 */
export function pollSettingsOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	wait = booleanParameter(ctx, 'waitForCompletion', itemIndex, false),
): PollSettings {
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
		expect: 'task',
	});
}

/**
 * Polls every unfinished task once per round, all in the same round, so waiting for several
 * tasks takes about as long as the slowest one. Each round starts a whole interval after the
 * previous one ended, so a slow round is never followed by a hurried one. Each task is
 * dropped the moment it is Completed or Failed. A task that cannot be read, or is still
 * unfinished once the timeout has passed, gets a `problem` that names it.
 */
export async function waitForTasks(
	ctx: IExecuteFunctions,
	tracked: TrackedTask[],
	{ intervalMs, timeoutMs }: PollSettings,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const signal = ctx.getExecutionCancelSignal();
	let pending = tracked.filter(({ task }) => !isFinished(task));
	// The first round comes no later than the timeout; the wait ends with the first round at
	// or after it (so the last may come up to one interval late, never sooner than one).
	for (let wait = Math.min(intervalMs, timeoutMs); pending.length > 0; wait = intervalMs) {
		await waitMs(wait, signal);
		for (const entry of pending) await pollOnce(ctx, entry, signal);
		pending = pending.filter((entry) => !entry.problem && !isFinished(entry.task));
		if (Date.now() >= deadline) break;
	}
	if (pending.length === 0) return;
	const timedOut = timeoutError(ctx, pending, timeoutMs);
	for (const entry of pending) entry.problem = unknownOutcome(timedOut);
}

async function pollOnce(
	ctx: IExecuteFunctions,
	entry: TrackedTask,
	signal: AbortSignal | undefined,
): Promise<void> {
	const read = await settle(readTask(ctx, entry.accountId, entry.task.id));
	if (read.ok) {
		entry.task = read.value;
		return;
	}
	// A cancelled run stops here; any other failure is this task's problem, the others go on.
	if (signal?.aborted) throw read.error;
	read.error.message = `Could not read bulk-update task ${entry.task.id}: ${read.error.message}`;
	entry.problem = unknownOutcome(read.error);
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
		expect: 'task',
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
