// What a finished (or interrupted) bulk-update task means for the user: per-record outcomes,
// summaries and the errors that name the tasks.
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { failureReason } from '../../../shared/helpers/failureReason';
import { isFinished, waitForTasks, type PollSettings, type Task, type TrackedTask } from './tasks';

export function failedTaskError(ctx: IExecuteFunctions, task: Task): NodeOperationError {
	const result = (task.result ?? {}) as IDataObject;
	const errors = ((result.errors as IDataObject[] | undefined) ?? [])
		.map(failureReason)
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

/** A task's state in a few words: `abc (Completed: 3 succeeded, 1 failed)`. */
function taskState(task: Task): string {
	const summary = summaryOf(task);
	const counts = summary ? `: ${summary.succeeded} succeeded, ${summary.failed} failed` : '';
	return `${task.id} (${task.status}${counts})`;
}

/** The first task that ended Failed or could not be followed, as its error. */
export function firstProblem(ctx: IExecuteFunctions, started: TrackedTask[]): Error | undefined {
	for (const entry of started) {
		if (entry.problem) return entry.problem;
		if (entry.task.status === 'Failed') return failedTaskError(ctx, entry.task);
	}
	return undefined;
}

const STARTED_NOTE = 'Bulk-update tasks already started before this error';

/**
 * Something failed after tasks went out: name every one of them with its state, so the user
 * knows what went through and nothing is sent twice.
 */
export function withStartedTasks(error: Error, started: TrackedTask[]): Error {
	const named = (error as Error & { description?: string }).description?.includes(STARTED_NOTE);
	if (started.length === 0 || named) return error;
	const states = started.map(({ task }) => taskState(task)).join(', ');
	const note = `${STARTED_NOTE}: ${states}. Do not resend their records; read the tasks with Resource "Bulk Update Task".`;
	const withDescription = error as Error & { description?: string };
	if (started.some(({ task }) => !error.message.includes(String(task.id)))) {
		error.message = `${error.message}. Tasks of this run: ${states}`;
	}
	withDescription.description = [withDescription.description, note].filter(Boolean).join('\n');
	return error;
}

/** Waits for the tasks that went out; a wait that breaks off (a cancelled run) names every one. */
export async function waitNamingTasks(
	ctx: IExecuteFunctions,
	started: TrackedTask[],
	poll: PollSettings,
): Promise<void> {
	await waitForTasks(ctx, started, poll).catch((error: Error) => {
		throw withStartedTasks(error, started);
	});
}

/** A task as output: once finished, with a summary of its records' outcomes. */
export function withSummary(task: Task): IDataObject {
	const summary = summaryOf(task);
	return summary ? { ...task, summary } : task;
}
