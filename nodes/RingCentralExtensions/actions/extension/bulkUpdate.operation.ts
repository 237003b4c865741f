import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { accountIdOf } from '../../../shared/helpers/parameters';
import {
	pollSettingsOf,
	startTask,
	waitForTasks,
	type PollSettings,
	type TrackedTask,
} from '../bulkUpdateTask/tasks';
import { withStartedTasks } from '../bulkUpdateTask/outcomes';
import { pollingProperties } from '../common.descriptions';
import type { BatchResult } from '../node.type';
import {
	batchesOf,
	itemIndexesOf,
	recordsOf,
	taskResults,
	type Batch,
	type RecordSource,
} from './records';

const show = { resource: ['extension'], operation: ['bulkUpdate'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'inputItems',
		description: 'Where the extension records to update come from',
		options: [
			{
				name: 'Input Items',
				value: 'inputItems',
				description:
					'Each input item is one extension record. Items from "Get Many", edited, can be fed straight in: fields RingCentral does not accept are dropped.',
			},
			{
				name: 'JSON Records',
				value: 'json',
				description: 'Each input item gives an array of records, as JSON',
			},
		],
	},
	{
		displayName:
			'Each item is one extension record: its ID plus the fields to change, e.g. status Disabled. Items from Get Many fit as they are. Up to 500 records go in one request.',
		name: 'inputItemsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['inputItems'] } },
	},
	{
		displayName: 'Records',
		name: 'records',
		type: 'json',
		default: '[\n  {\n    "id": "",\n    "status": "Disabled"\n  }\n]',
		required: true,
		description:
			'An array of ExtensionBulkUpdateInfo records, each with the extension ID. More than 500 are sent in several requests. It is read for every input item, so a fixed array is sent once per item: feed this node one item.',
		displayOptions: { show: { source: ['json'] } },
	},
	...pollingProperties({}, true),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'tasks',
		description: 'What to output once RingCentral has finished',
		options: [
			{
				name: 'One Item per Task',
				value: 'tasks',
				description: 'The bulk-update task in its final state, with a summary of the outcomes',
			},
			{
				name: 'One Item per Record',
				value: 'records',
				description:
					'The outcome of every record (extension ID, Success or Fail, errors), paired with the item it came from',
			},
		],
		displayOptions: { show: { waitForCompletion: [true] } },
	},
];

export const description = updateDisplayOptions({ show }, properties);

interface BulkUpdateWork extends RecordSource {
	poll: PollSettings;
	output: string;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<BulkUpdateWork> {
	const source = this.getNodeParameter('source', itemIndex, 'inputItems') as string;
	const poll = pollSettingsOf(this, itemIndex);
	return {
		source,
		accountId: accountIdOf(this, itemIndex),
		records: recordsOf(this, itemIndex, source).map((record) => ({ record, itemIndex })),
		poll,
		output: poll.wait ? (this.getNodeParameter('output', itemIndex, 'tasks') as string) : 'tasks',
	};
}

export async function execute(
	this: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: BulkUpdateWork }>,
): Promise<BatchResult[]> {
	const { poll, output } = work[0].work;
	const results: BatchResult[] = [];
	const started: Array<TrackedTask & { batch: Batch }> = [];
	for (const batch of batchesOf(work.map((entry) => entry.work))) {
		try {
			started.push({
				accountId: batch.accountId,
				task: await startTask(
					this,
					batch.accountId,
					batch.records.map(({ record }) => record),
					batch.records[0].itemIndex,
				),
				batch,
			});
		} catch (error) {
			if (!this.continueOnFail()) throw withStartedTasks(error as Error, started);
			results.push({ error: error as Error, itemIndexes: itemIndexesOf(batch.records) });
		}
	}
	if (poll.wait) await waitForTasks(this, started, poll);
	const problem = started.find((entry) => entry.problem)?.problem;
	if (problem && !this.continueOnFail()) throw withStartedTasks(problem, started);
	for (const entry of started) {
		if (entry.problem) {
			const itemIndexes = itemIndexesOf(entry.batch.records);
			results.push({ error: entry.problem, itemIndexes, json: { taskId: entry.task.id } });
		} else {
			results.push(...taskResults(this, entry.task, entry.batch, poll.wait ? output : 'tasks'));
		}
	}
	return results;
}
