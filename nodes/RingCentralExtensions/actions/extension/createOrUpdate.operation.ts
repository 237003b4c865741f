import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { accountIdOf, booleanParameter } from '../../../shared/helpers/parameters';
import { inputError } from '../../../shared/helpers/inputErrors';
import { buildCreateBody, createParameterFor } from '../../helpers/extensionBody';
import {
	MATCH_LABELS,
	matchValueProblem,
	normalizedKey,
	type MatchOn,
} from '../../helpers/matching/keys';
import { applyPlans, previewOf } from '../../helpers/provisioning/apply';
import { leaversOf, refuseUnsafeDisable, scopeReader } from '../../helpers/provisioning/missing';
import { planProvisioning, type ProvisionItem } from '../../helpers/provisioning/plan';
import { missingSettingsOf, type MissingSettings } from '../../helpers/provisioning/scope';
import { RunOutcomes } from '../../helpers/runOutcomes';
import { sameForEveryItem } from '../../helpers/sameForEveryItem';
import { pollSettingsOf, type PollSettings } from '../../helpers/tasks/tasks';
import { pollIntervalProperty, pollTimeoutProperty } from '../common.descriptions';
import { missingExtensionsProperties } from './missingExtensions.descriptions';
import type { BatchResult } from '../node.type';

const show = { resource: ['extension'], operation: ['createOrUpdate'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Match On',
		name: 'matchOn',
		type: 'options',
		default: 'email',
		description: 'How an item finds the extension it stands for',
		hint: 'All items are matched together, with as few list requests as possible: missing extensions are created, existing ones get only the fields that differ. Password, Extension Type and a Status of Not Activated apply to new extensions only.',
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
		displayName: 'Preview Only (Dry Run)',
		name: 'dryRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to only read and output what would be created or changed (each field from → to), without writing anything. Reads only, so it is safe on a live account.',
	},
	...missingExtensionsProperties,
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
	missing: MissingSettings;
	/** The parts of `missing`, each the same for every item. */
	missingExtensions: MissingSettings['mode'];
	scope: string;
	maxDisable: number;
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
	const missing = missingSettingsOf(this, itemIndex);
	if (missing.mode === 'disable') refuseUnsafeDisable(this, itemIndex);
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
		missing,
		missingExtensions: missing.mode,
		scope: JSON.stringify(missing.scope),
		maxDisable: missing.maxDisable,
		poll: pollSettingsOf(this, itemIndex, !dryRun),
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
	for (const setting of ['missingExtensions', 'scope', 'maxDisable'] as const) {
		sameForEveryItem(this, work, setting);
	}
	const { missing } = items[0];
	const continueOnFail = this.continueOnFail();
	// A read that fails (a look-up answered 403) ends the run before any write: every item says so.
	const nothingWritten = (error: Error) =>
		new RunOutcomes(work.map(({ itemIndex }) => itemIndex)).stopped(this, error);
	const beforeAnyWrite = async <T>(reading: Promise<T>) =>
		await reading.catch((error: Error) => {
			throw nothingWritten(error);
		});
	// Read by the matching, which it serves too: only values outside the scope are looked for.
	const scope = missing.mode === 'keep' ? undefined : scopeReader(this, items, missing.scope);
	const plans = await beforeAnyWrite(
		planProvisioning(this, items, { stopOnError: !continueOnFail, find: scope?.find }),
	);
	const refused = plans.find((plan) => plan.action === 'error');
	if (refused && !continueOnFail) throw nothingWritten(refused.error);
	const leavers = scope && leaversOf(this, await beforeAnyWrite(scope.read()), items, missing);
	if (dryRun) return [...plans.map(previewOf), ...(leavers?.preview() ?? [])];
	const refusal = leavers?.refusal();
	if (refusal) {
		if (!continueOnFail) throw nothingWritten(refusal.error);
		return [refusal];
	}
	// The tasks of the run are waited for as the first item says.
	const results = await applyPlans(this, plans, items[0].poll, continueOnFail, leavers?.disables);
	return [...results, ...(leavers?.unwritten() ?? [])];
}
