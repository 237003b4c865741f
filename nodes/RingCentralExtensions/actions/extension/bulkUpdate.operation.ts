import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { conformToSchema, formatIssues } from '../../helpers/jsonSchema';
import { accountIdOf, inputError, jsonParameter } from '../../helpers/parameters';
import { requestSchemas, specEnums } from '../../helpers/schemas.generated';
import {
	failedTaskError,
	pollSettingsOf,
	recordOutcomes,
	summaryOf,
	waitForTasks,
	type PollSettings,
	type Task,
	type TrackedTask,
} from '../../helpers/tasks';
import { ringCentralApiRequest } from '../../transport';
import { pollingProperties } from '../common.descriptions';
import type { BatchResult } from '../operation.types';
import type { MatchOn } from './matching';
import { previewOf, recordKeyOf, resolveRecords, type RecordError } from './recordMatching';

const show = { resource: ['extension'], operation: ['bulkUpdate'] };

export const MAX_RECORDS_PER_REQUEST = 500;

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

interface SourcedRecord {
	record: IDataObject;
	itemIndex: number;
	/** The normalized value the record names its extension by (see matchOn). */
	key: string;
}

interface BulkUpdateWork {
	source: string;
	accountId: string;
	records: SourcedRecord[];
	poll: PollSettings;
	output: string;
	matchOn: MatchOn;
	dryRun: boolean;
}

interface Batch {
	accountId: string;
	records: SourcedRecord[];
}

const UPDATABLE = requestSchemas.extensionBulkUpdateInfo.properties;

/**
 * Drops the values RingCentral reports for an extension but does not take in an update (type
 * Limited, status Unassigned), so that records listed by Get Many round-trip. A value that is
 * neither (a typo) stays, to be reported.
 */
function withoutReadOnlyValues(record: IDataObject): IDataObject {
	const readOnly = (value: unknown, readable: readonly string[], writable: readonly string[]) =>
		readable.includes(value as string) && !writable.includes(value as string);
	const { type, status, ...rest } = record;
	return {
		...rest,
		...(!readOnly(type, specEnums.extensionType, UPDATABLE.type.enum) && { type }),
		...(!readOnly(status, specEnums.extensionStatus, UPDATABLE.status.enum) && { status }),
	};
}

const MATCH_FIELDS: Record<MatchOn, string> = {
	id: '"id"',
	email: '"email" (or "contact.email")',
	extensionNumber: '"extensionNumber"',
};

function toRecord(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	where: string,
	matchOn: MatchOn,
): SourcedRecord {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw inputError(ctx, itemIndex, where, 'each record must be a JSON object');
	}
	const key = recordKeyOf(matchOn, value as IDataObject);
	if (key === undefined) {
		throw inputError(ctx, itemIndex, where, `the record has no extension ${MATCH_FIELDS[matchOn]}`);
	}
	const conformed = conformToSchema(
		withoutReadOnlyValues(value as IDataObject),
		requestSchemas.extensionBulkUpdateInfo,
		{ unknownProperties: 'strip' },
	);
	if (conformed.issues.length > 0) {
		throw inputError(ctx, itemIndex, where, formatIssues(conformed.issues));
	}
	const { id: _id, ...changes } = conformed.value as IDataObject;
	if (Object.keys(changes).length === 0) {
		throw inputError(
			ctx,
			itemIndex,
			where,
			`the record for extension ${key} changes nothing RingCentral can update; check the field names (e.g. "status", "contact")`,
		);
	}
	return { record: conformed.value as IDataObject, itemIndex, key };
}

function recordsOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	source: string,
	matchOn: MatchOn,
): SourcedRecord[] {
	if (source === 'inputItems') {
		const { json } = ctx.getInputData()[itemIndex];
		return [toRecord(ctx, itemIndex, json, 'source (input item)', matchOn)];
	}
	const records = jsonParameter(ctx, 'records', itemIndex);
	if (!Array.isArray(records))
		throw inputError(ctx, itemIndex, 'records', 'must be a JSON array of records');
	return records.map((record, index) =>
		toRecord(ctx, itemIndex, record, `records[${index}]`, matchOn),
	);
}

function matchOnOf(ctx: IExecuteFunctions, itemIndex: number): MatchOn {
	const matchOn = ctx.getNodeParameter('matchOn', itemIndex, 'id') as MatchOn;
	if (!['id', 'email', 'extensionNumber'].includes(matchOn)) {
		throw inputError(ctx, itemIndex, 'matchOn', 'must be id, email or extensionNumber');
	}
	return matchOn;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<BulkUpdateWork> {
	const source = this.getNodeParameter('source', itemIndex, 'inputItems') as string;
	const poll = pollSettingsOf(this, itemIndex);
	const matchOn = matchOnOf(this, itemIndex);
	return {
		source,
		accountId: accountIdOf(this, itemIndex),
		records: recordsOf(this, itemIndex, source, matchOn),
		poll,
		output: poll.wait ? (this.getNodeParameter('output', itemIndex, 'tasks') as string) : 'tasks',
		matchOn,
		dryRun: this.getNodeParameter('dryRun', itemIndex, false) === true,
	};
}

function chunk<T>(list: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < list.length; start += size)
		chunks.push(list.slice(start, start + size));
	return chunks;
}

/**
 * Input items are pooled (per account) into as few requests as the 500-record limit
 * allows; a JSON records array stays with its own item.
 */
function batchesOf(work: BulkUpdateWork[]): Batch[] {
	const pools = new Map<string, Batch>();
	for (const [index, entry] of work.entries()) {
		const key = entry.source === 'inputItems' ? `pool:${entry.accountId}` : `item:${index}`;
		const pool = pools.get(key) ?? { accountId: entry.accountId, records: [] };
		pool.records.push(...entry.records);
		pools.set(key, pool);
	}
	return [...pools.values()].flatMap(({ accountId, records }) =>
		chunk(records, MAX_RECORDS_PER_REQUEST).map((part) => ({ accountId, records: part })),
	);
}

function itemIndexesOf(records: SourcedRecord[]): number[] {
	return [...new Set(records.map(({ itemIndex }) => itemIndex))];
}

async function startTask(ctx: IExecuteFunctions, batch: Batch): Promise<Task> {
	return await ringCentralApiRequest<Task>(ctx, {
		method: 'POST',
		accountId: batch.accountId,
		path: '/extension-bulk-update',
		group: 'Heavy',
		body: { records: batch.records.map(({ record }) => record) },
		itemIndex: batch.records[0].itemIndex,
	});
}

function taskResults(
	ctx: IExecuteFunctions,
	task: Task,
	batch: Batch,
	output: string,
): BatchResult[] {
	const itemIndexes = itemIndexesOf(batch.records);
	if (task.status === 'Failed') {
		return [{ error: failedTaskError(ctx, task), itemIndexes, json: { taskId: task.id } }];
	}
	if (output !== 'records') {
		const summary = summaryOf(task);
		return [{ json: summary ? { ...task, summary } : task, itemIndexes }];
	}
	const outcomes = new Map(recordOutcomes(task).map((outcome) => [outcome.extensionId, outcome]));
	return batch.records.map(({ record, itemIndex }) => ({
		json: {
			taskId: task.id,
			...(outcomes.get(String(record.id)) ?? {
				extensionId: String(record.id),
				status: 'Unknown',
				errors: [],
			}),
		},
		itemIndexes: [itemIndex],
	}));
}

export async function execute(
	this: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: BulkUpdateWork }>,
): Promise<BatchResult[]> {
	const { poll, output, matchOn, dryRun } = work[0].work;
	const results: BatchResult[] = [];
	if (dryRun || matchOn !== 'id') {
		const resolution = await resolveWork(this, work, matchOn);
		if (resolution.errors.length > 0 && !this.continueOnFail()) throw resolution.errors[0].error;
		if (dryRun) {
			return [...resolution.errors, ...resolution.previews].sort(
				(a, b) => a.itemIndexes[0] - b.itemIndexes[0],
			);
		}
		results.push(...resolution.errors);
		work = resolution.work;
	}
	const started: Array<TrackedTask & { batch: Batch }> = [];
	for (const batch of batchesOf(work.map((entry) => entry.work))) {
		try {
			started.push({ accountId: batch.accountId, task: await startTask(this, batch), batch });
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
	const { resolved, errors } = await resolveRecords(ctx, keyed, matchOn);
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

/** Something failed after tasks went out: name them, so that nothing is sent twice. */
function withStartedTasks(error: Error, started: TrackedTask[]): Error {
	if (started.length === 0) return error;
	const ids = started.map(({ task }) => task.id).join(', ');
	const note = `Bulk-update tasks already started before this error: ${ids}. Do not resend their records; read the tasks with Resource "Bulk Update Task".`;
	const withDescription = error as Error & { description?: string };
	withDescription.description = [withDescription.description, note].filter(Boolean).join('\n');
	return error;
}
