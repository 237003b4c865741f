import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { accountIdOf, inputError } from '../../../shared/helpers/parameters';
import {
	pollSettingsOf,
	startTask,
	waitForTasks,
	type PollSettings,
	type TrackedTask,
} from '../bulkUpdateTask/tasks';
import { firstProblem, withStartedTasks } from '../bulkUpdateTask/outcomes';
import { pollingProperties } from '../common.descriptions';
import type { BatchResult } from '../node.type';
import {
	batchesOf,
	itemIndexesOf,
	recordsOf,
	withoutDuplicateIds,
	taskResults,
	type Batch,
	type RecordSource,
	type SourcedRecord,
} from './records';
import { matchValueProblem, type MatchOn } from './matching';
import { previewOf, resolveRecords, type RecordError } from './recordMatching';
import { sameForEveryItem } from './runSetting';

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
					'Each input item is one extension record: its ID plus the fields to change, e.g. status Disabled. Items from "Get Many", edited, can be fed straight in: fields RingCentral does not accept are dropped. Up to 500 records go in one request.',
			},
			{
				name: 'JSON Records',
				value: 'json',
				description: 'Each input item gives an array of records, as JSON',
			},
		],
	},
	{
		displayName: 'Match On',
		name: 'matchOn',
		type: 'options',
		default: 'id',
		description: 'How a record names the extension it updates',
		options: [
			{
				name: 'ID',
				value: 'id',
				description: 'The extension ID in the record, as Get Many outputs it',
			},
			{
				name: 'Email',
				value: 'email',
				description:
					'The record\'s "email" (or contact.email), without regard to case; found with as few list requests as possible before anything is sent',
			},
			{
				name: 'Extension Number',
				value: 'extensionNumber',
				description:
					'The record\'s "extensionNumber"; found with as few list requests as possible before anything is sent',
			},
		],
	},
	{
		displayName: 'Preview Only (Dry Run)',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only read the extensions and output per record every field that would change (current and new value), without sending the update. Reads only, so it is safe on a live account.',
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
	matchOn: MatchOn;
	dryRun: boolean;
}

function matchOnOf(ctx: IExecuteFunctions, itemIndex: number): MatchOn {
	const matchOn = ctx.getNodeParameter('matchOn', itemIndex, 'id') as MatchOn;
	if (!['id', 'email', 'extensionNumber'].includes(matchOn)) {
		throw inputError(ctx, itemIndex, 'matchOn', 'must be id, email or extensionNumber');
	}
	return matchOn;
}

/** Match values no extension can hold are refused here, before any look-up is sent. */
function checkMatchValues(
	ctx: IExecuteFunctions,
	itemIndex: number,
	matchOn: MatchOn,
	records: SourcedRecord[],
): SourcedRecord[] {
	for (const { key, where } of records) {
		const problem = matchValueProblem(matchOn, key);
		if (problem) throw inputError(ctx, itemIndex, where ?? 'records', problem);
	}
	return records;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<BulkUpdateWork> {
	const source = this.getNodeParameter('source', itemIndex, 'inputItems') as string;
	const poll = pollSettingsOf(this, itemIndex);
	const matchOn = matchOnOf(this, itemIndex);
	const records = recordsOf(this, itemIndex, source, matchOn);
	return {
		source,
		accountId: accountIdOf(this, itemIndex),
		records: checkMatchValues(this, itemIndex, matchOn, records),
		poll,
		output: poll.wait ? (this.getNodeParameter('output', itemIndex, 'tasks') as string) : 'tasks',
		matchOn,
		dryRun: this.getNodeParameter('dryRun', itemIndex, false) === true,
	};
}

export async function execute(
	this: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: BulkUpdateWork }>,
): Promise<BatchResult[]> {
	const { poll, output } = work[0].work;
	const matchOn = sameForEveryItem(this, work, 'matchOn');
	const dryRun = sameForEveryItem(this, work, 'dryRun');
	const results: BatchResult[] = [];
	if (matchOn === 'id') {
		// Known before any look-up; by email or number, only once the look-ups found the ids.
		const unique = withoutDuplicateIds(this, work);
		results.push(...unique.errors);
		work = unique.work;
	}
	if (dryRun || matchOn !== 'id') {
		const resolution = await resolveWork(this, work, matchOn);
		if (resolution.errors.length > 0 && !this.continueOnFail()) throw resolution.errors[0].error;
		if (dryRun) {
			return [...results, ...resolution.errors, ...resolution.previews].sort(
				(a, b) => a.itemIndexes[0] - b.itemIndexes[0],
			);
		}
		results.push(...resolution.errors);
		work = resolution.work;
	}
	if (matchOn !== 'id') {
		const unique = withoutDuplicateIds(this, work);
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
	if (poll.wait) {
		// A cancelled (or otherwise broken) wait still names the tasks that went out.
		await waitForTasks(this, started, poll).catch((error: Error) => {
			throw withStartedTasks(error, started);
		});
	}
	const problem = firstProblem(this, started);
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
