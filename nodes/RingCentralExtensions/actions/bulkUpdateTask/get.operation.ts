import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { accountIdOf, pathId } from '../../../shared/helpers/parameters';
import { settle } from '../../../shared/helpers/values';
import {
	pollSettingsOf,
	readTask,
	waitForTasks,
	type PollSettings,
	type TrackedTask,
} from '../../helpers/tasks/tasks';
import { withSummary } from '../../helpers/tasks/outcomes';
import { pollingProperties } from '../common.descriptions';
import type { BatchResult } from '../node.type';

const show = { resource: ['bulkUpdateTask'], operation: ['get'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Task ID',
		name: 'taskId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 8f2d6b0e-...',
		description: 'The ID of the task that a Bulk Update returned',
	},
	...pollingProperties({}, false),
];

export const description = updateDisplayOptions({ show }, properties);

interface TaskWork {
	accountId: string;
	taskId: string;
	poll: PollSettings;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<TaskWork> {
	return {
		accountId: accountIdOf(this, itemIndex),
		taskId: pathId(this, 'taskId', itemIndex),
		poll: pollSettingsOf(this, itemIndex),
	};
}

/** Reads every task once, then, when asked to wait, polls the unfinished ones together. */
export async function execute(
	this: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: TaskWork }>,
): Promise<BatchResult[]> {
	const results: BatchResult[] = [];
	const tracked: Array<TrackedTask & { itemIndex: number }> = [];
	for (const { itemIndex, work: task } of work) {
		const read = await settle(readTask(this, task.accountId, task.taskId, itemIndex));
		if (read.ok) {
			tracked.push({ accountId: task.accountId, task: read.value, itemIndex });
			continue;
		}
		if (!this.continueOnFail()) throw read.error;
		results.push({ error: read.error, itemIndexes: [itemIndex] });
	}
	const poll = work[0].work.poll;
	if (poll.wait) await waitForTasks(this, tracked, poll);
	for (const { task, itemIndex, problem } of tracked) {
		if (problem) {
			results.push({ error: problem, itemIndexes: [itemIndex], json: { taskId: task.id } });
			continue;
		}
		results.push({ json: withSummary(task), itemIndexes: [itemIndex] });
	}
	return results;
}
