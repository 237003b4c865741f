import { randomUUID } from 'node:crypto';

import { resourceNotFound } from './errors';
import type {
	AffectedItemsShape,
	BulkUpdateRecord,
	ErrorEntity,
	ExtensionUpdateResult,
	TaskProgressOptions,
	TaskRecord,
	TaskResource,
	TaskResult,
} from './types';

export interface TaskSettings {
	progress: TaskProgressOptions;
	affectedItemsShape: AffectedItemsShape;
	/** `<baseUrl>/restapi/v1.0/account/<id>` */
	accountUri: string;
	/** Runs the records against the extensions when a task completes. */
	apply: (records: BulkUpdateRecord[]) => ExtensionUpdateResult[];
}

const DEFAULT_TASK_FAILURE: ErrorEntity[] = [
	{ errorCode: 'CMN-500', message: 'Bulk update task failed' },
];

/** Bulk-update tasks: Accepted -> InProgress -> Completed (or Failed), driven by polls or by the clock. */
export class BulkUpdateTasks {
	private pendingFailure?: ErrorEntity[];

	constructor(
		private readonly tasks: Map<string, TaskRecord>,
		private readonly settings: TaskSettings,
	) {}

	create(records: BulkUpdateRecord[]): TaskResource {
		const id = randomUUID();
		const now = new Date().toISOString();
		const task: TaskRecord = {
			resource: {
				id,
				uri: `${this.settings.accountUri}/extension-bulk-update/tasks/${id}`,
				status: 'Accepted',
				creationTime: now,
				lastModifiedTime: now,
			},
			records,
			createdAt: Date.now(),
			polls: 0,
			failWith: this.pendingFailure,
		};
		this.pendingFailure = undefined;
		this.tasks.set(id, task);
		return structuredClone(task.resource);
	}

	failNext(errors: ErrorEntity[] = DEFAULT_TASK_FAILURE): void {
		this.pendingFailure = errors;
	}

	/** A GET of the task: counts as a poll and may move the task on. */
	poll(id: string): TaskResource {
		const task = this.tasks.get(id);
		if (!task) throw resourceNotFound('taskId');
		task.polls++;
		this.advance(task);
		return structuredClone(task.resource);
	}

	/** Completes clock-driven tasks whose time has come, even if nobody polls them. */
	advanceByClock(): void {
		if (this.settings.progress.completeAfterMs === undefined) return;
		for (const task of this.tasks.values()) this.advance(task);
	}

	private advance(task: TaskRecord): void {
		if (isFinished(task)) return;
		if (this.isDue(task)) this.finish(task);
		else if (task.polls > 0) this.setStatus(task, 'InProgress');
	}

	private isDue(task: TaskRecord): boolean {
		const { completeAfterMs, completeAfterPolls = 2 } = this.settings.progress;
		if (completeAfterMs !== undefined) return Date.now() - task.createdAt >= completeAfterMs;
		return task.polls >= completeAfterPolls;
	}

	private finish(task: TaskRecord): void {
		if (task.failWith) {
			this.setStatus(task, 'Failed', { errors: task.failWith });
			return;
		}
		const results = this.settings.apply(task.records);
		const affectedItems =
			this.settings.affectedItemsShape === 'array' ? results : { result: results };
		this.setStatus(task, 'Completed', { affectedItems });
	}

	private setStatus(task: TaskRecord, status: TaskResource['status'], result?: TaskResult): void {
		if (task.resource.status === status) return;
		task.resource = {
			...task.resource,
			status,
			lastModifiedTime: new Date().toISOString(),
			...(result && { result }),
		};
	}
}

function isFinished(task: TaskRecord): boolean {
	return task.resource.status === 'Completed' || task.resource.status === 'Failed';
}
