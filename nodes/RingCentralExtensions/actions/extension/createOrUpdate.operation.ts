import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { accountIdOf, booleanParameter, numberInRange } from '../../../shared/helpers/parameters';
import { inputError } from '../../../shared/helpers/inputErrors';
import { buildCreateBody, createParameterFor } from '../../helpers/extensionBody';
import {
	MATCH_LABELS,
	matchValueProblem,
	normalizedKey,
	type MatchOn,
} from '../../helpers/matching/keys';
import { applyPlans, previewOf } from '../../helpers/provisioning/apply';
import { planProvisioning, type ProvisionItem } from '../../helpers/provisioning/plan';
import { RunOutcomes } from '../../helpers/runOutcomes';
import { sameForEveryItem } from '../../helpers/sameForEveryItem';
import {
	POLL_INTERVAL_LIMITS,
	POLL_TIMEOUT_LIMITS,
	type PollSettings,
} from '../../helpers/tasks/tasks';
import { pollIntervalProperty, pollTimeoutProperty } from '../common.descriptions';
import type { BatchResult } from '../node.type';

const show = { resource: ['extension'], operation: ['createOrUpdate'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Match On',
		name: 'matchOn',
		type: 'options',
		default: 'email',
		description: 'How an item finds the extension it stands for',
		options: [
			{
				name: 'Email',
				value: 'email',
				description: "The item's email, without regard to case or surrounding spaces",
			},
			{
				name: 'Extension Number',
				value: 'extensionNumber',
				description: "The item's extension number (Additional Fields, or extensionNumber in JSON)",
			},
		],
	},
	{
		displayName:
			'All items are matched together: existing extensions are found with as few list requests as possible, missing ones are created, and existing ones get only the fields that differ. Password, Extension Type and a Status of Not Activated apply to new extensions only.',
		name: 'createOrUpdateNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Preview Only (Dry Run)',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only read and output what would be created or changed (each field from → to), without writing anything. Reads only, so it is safe on a live account.',
	},
	pollIntervalProperty(
		'When more than five extensions change, they are updated in bulk-update tasks: how long to wait between two status checks',
		{ dryRun: [false] },
	),
	pollTimeoutProperty(
		'How long to wait for the bulk-update tasks in all. The error names unfinished tasks, to read later with Resource "Bulk Update Task".',
		{ dryRun: [false] },
	),
];

export const description = updateDisplayOptions({ show }, properties);

interface ProvisionWork extends ProvisionItem {
	dryRun: boolean;
	poll: PollSettings;
}

function matchKeyOf(
	ctx: IExecuteFunctions,
	itemIndex: number,
	matchOn: MatchOn,
	body: IDataObject,
	fromJson: boolean,
): string {
	const raw =
		matchOn === 'email' ? (body.contact as IDataObject | undefined)?.email : body.extensionNumber;
	const key = normalizedKey(matchOn, raw);
	const problem =
		key === undefined
			? `is empty, and matching is on ${MATCH_LABELS[matchOn]}`
			: matchValueProblem(matchOn, key);
	if (key !== undefined && problem === undefined) return key;
	const path = matchOn === 'email' ? 'contact.email' : 'extensionNumber';
	throw inputError(ctx, itemIndex, createParameterFor(fromJson, path), problem!);
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<ProvisionWork> {
	const matchOn = this.getNodeParameter('matchOn', itemIndex, 'email') as MatchOn;
	if (matchOn !== 'email' && matchOn !== 'extensionNumber') {
		throw inputError(this, itemIndex, 'matchOn', 'must be email or extensionNumber');
	}
	const body = buildCreateBody(this, itemIndex);
	const fromJson = this.getNodeParameter('specifyBody', itemIndex, 'fields') === 'json';
	const dryRun = booleanParameter(this, 'dryRun', itemIndex, false);
	return {
		itemIndex,
		accountId: accountIdOf(this, itemIndex),
		matchOn,
		key: matchKeyOf(this, itemIndex, matchOn, body, fromJson),
		body,
		fromJson,
		dryRun,
		poll: {
			wait: true,
			intervalMs: dryRun
				? 0
				: numberInRange(this, 'pollInterval', itemIndex, POLL_INTERVAL_LIMITS) * 1000,
			timeoutMs: dryRun
				? 0
				: numberInRange(this, 'pollTimeout', itemIndex, POLL_TIMEOUT_LIMITS) * 1000,
		},
	};
}

export async function execute(
	this: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: ProvisionWork }>,
): Promise<BatchResult[]> {
	const items = work.map((entry) => entry.work);
	// One item by email and another by number could otherwise both write one extension.
	sameForEveryItem(this, work, 'matchOn');
	const dryRun = sameForEveryItem(this, work, 'dryRun');
	const continueOnFail = this.continueOnFail();
	// A look-up that fails (e.g. 403) ends the run before any write: every item says so.
	const nothingWritten = (error: Error) =>
		new RunOutcomes(work.map(({ itemIndex }) => itemIndex)).stopped(this, error);
	const plans = await planProvisioning(this, items, { stopOnError: !continueOnFail }).catch(
		(error: Error) => {
			throw nothingWritten(error);
		},
	);
	const refused = plans.find((plan) => plan.action === 'error');
	if (refused && !continueOnFail) throw nothingWritten(refused.error);
	if (dryRun) return plans.map(previewOf);
	// The tasks of the run are waited for as the first item says.
	return await applyPlans(this, plans, items[0].poll, continueOnFail);
}
