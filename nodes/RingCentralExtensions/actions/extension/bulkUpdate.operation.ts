import { updateDisplayOptions, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { accountIdOf, booleanParameter } from '../../../shared/helpers/parameters';
import { inputError } from '../../../shared/helpers/inputErrors';
import { recordsOf, type SourcedRecord } from '../../helpers/bulkUpdate/records';
import { runBulkUpdate, type BulkUpdateWork } from '../../helpers/bulkUpdate/run';
import { matchValueProblem, type MatchOn } from '../../helpers/matching/keys';
import { pollSettingsOf } from '../../helpers/tasks/tasks';
import { pollingProperties } from '../common.descriptions';
import type { BatchResult } from '../node.type';

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
		if (problem) throw inputError(ctx, itemIndex, where, problem);
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
		dryRun: booleanParameter(this, 'dryRun', itemIndex, false),
	};
}

export async function execute(
	this: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: BulkUpdateWork }>,
): Promise<BatchResult[]> {
	return await runBulkUpdate(this, work);
}
