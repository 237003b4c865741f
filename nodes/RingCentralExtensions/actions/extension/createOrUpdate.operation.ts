import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { accountIdOf, inputError, numberInRange } from '../../../shared/helpers/parameters';
import type { PollSettings } from '../bulkUpdateTask/tasks';
import { ringCentralApiRequest } from '../../../shared/transport';
import { POLL_INTERVAL_LIMITS, POLL_TIMEOUT_LIMITS } from '../common.descriptions';
import type { BatchResult } from '../node.type';
import { buildBody } from './create.operation';
import { withoutSecrets, withPatch } from './diff';
import { normalizedKey, type MatchOn } from './matching';
import { planProvisioning, type PlannedAction, type ProvisionItem } from './plan';
import { writeUpdates, type PlannedUpdate, type UpdateOutcome } from './updates';

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
			'All items are matched together: existing extensions are found with as few list requests as possible, missing ones are created, and existing ones get only the fields that differ. Password and Extension Type apply to new extensions only.',
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
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		default: 5,
		typeOptions: { minValue: POLL_INTERVAL_LIMITS.min, maxValue: POLL_INTERVAL_LIMITS.max },
		description:
			'When more than five extensions change, they are updated in bulk-update tasks: how long to wait between two status checks',
		displayOptions: { show: { dryRun: [false] } },
	},
	{
		displayName: 'Poll Timeout (Seconds)',
		name: 'pollTimeout',
		type: 'number',
		default: 600,
		typeOptions: { minValue: POLL_TIMEOUT_LIMITS.min, maxValue: POLL_TIMEOUT_LIMITS.max },
		description:
			'How long to wait for the bulk-update tasks in all. The error names unfinished tasks, to read later with Resource "Bulk Update Task".',
		displayOptions: { show: { dryRun: [false] } },
	},
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
): string {
	const raw =
		matchOn === 'email' ? (body.contact as IDataObject | undefined)?.email : body.extensionNumber;
	const key = normalizedKey(matchOn, raw);
	if (key !== undefined) return key;
	const fromJson = ctx.getNodeParameter('specifyBody', itemIndex, 'fields') === 'json';
	const parameter = fromJson
		? 'jsonBody'
		: matchOn === 'email'
			? 'email'
			: 'additionalFields.extensionNumber';
	throw inputError(
		ctx,
		itemIndex,
		parameter,
		`is empty, and matching is on ${matchOn === 'email' ? 'email' : 'extension number'}`,
	);
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<ProvisionWork> {
	const matchOn = this.getNodeParameter('matchOn', itemIndex, 'email') as MatchOn;
	if (matchOn !== 'email' && matchOn !== 'extensionNumber') {
		throw inputError(this, itemIndex, 'matchOn', 'must be email or extensionNumber');
	}
	const body = buildBody(this, itemIndex);
	const dryRun = this.getNodeParameter('dryRun', itemIndex, false) === true;
	return {
		itemIndex,
		accountId: accountIdOf(this, itemIndex),
		matchOn,
		key: matchKeyOf(this, itemIndex, matchOn, body),
		body,
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

function previewOf(plan: PlannedAction): BatchResult {
	const itemIndexes = [plan.itemIndex];
	if (plan.action === 'error') return { error: plan.error, itemIndexes };
	const extension =
		plan.action === 'created'
			? withoutSecrets(plan.body)
			: plan.action === 'updated'
				? withPatch(plan.extension, plan.patch)
				: plan.extension;
	return {
		json: { action: plan.action, changes: plan.changes, extension, dryRun: true },
		itemIndexes,
	};
}

/** Counts what was written, for an error that stops the run half-way. */
class Progress {
	created = 0;
	updated = 0;

	stopped(ctx: IExecuteFunctions, error: Error, itemIndex: number): Error {
		const note = `Before this error, ${this.created} extension(s) were created and ${this.updated} updated. Running the node again is safe: it finds them and writes only what still differs.`;
		const withDescription =
			error instanceof NodeOperationError || 'context' in error
				? (error as Error & { description?: string })
				: new NodeOperationError(ctx.getNode(), error, { itemIndex });
		withDescription.description = [withDescription.description, note].filter(Boolean).join('\n');
		return withDescription;
	}
}

export async function execute(
	this: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: ProvisionWork }>,
): Promise<BatchResult[]> {
	const items = work.map((entry) => entry.work);
	const continueOnFail = this.continueOnFail();
	const plans = await planProvisioning(this, items, { stopOnError: !continueOnFail });
	const refused = plans.find((plan) => plan.action === 'error');
	if (refused && !continueOnFail) throw (refused as { error: Error }).error;
	if (items[0].dryRun) return plans.map(previewOf);

	const results = new Map<PlannedAction, BatchResult>();
	const progress = new Progress();
	const settle = (plan: PlannedAction, outcome: UpdateOutcome | { json: IDataObject }) => {
		const itemIndexes = [plan.itemIndex];
		if ('error' in outcome) {
			if (!continueOnFail) throw progress.stopped(this, outcome.error, plan.itemIndex);
			results.set(plan, { error: outcome.error, itemIndexes });
		} else {
			results.set(plan, { json: 'json' in outcome ? outcome.json : outcome, itemIndexes });
		}
	};

	for (const plan of plans) {
		if (plan.action === 'error')
			results.set(plan, { error: plan.error, itemIndexes: [plan.itemIndex] });
		if (plan.action === 'unchanged') {
			settle(plan, { json: { action: 'unchanged', changes: {}, extension: plan.extension } });
		}
		if (plan.action !== 'created') continue;
		let outcome: UpdateOutcome;
		try {
			outcome = { extension: await createExtension(this, plan) };
			progress.created++;
		} catch (error) {
			outcome = { error: error as Error };
		}
		settle(
			plan,
			'error' in outcome
				? outcome
				: { json: { action: 'created', changes: plan.changes, extension: outcome.extension } },
		);
	}

	const updates = new Map<PlannedUpdate, PlannedAction & { action: 'updated' }>();
	for (const plan of plans) {
		if (plan.action === 'updated') updates.set({ ...plan }, plan);
	}
	await writeUpdates(this, [...updates.keys()], items[0].poll, (update, outcome) => {
		const plan = updates.get(update)!;
		if ('extension' in outcome) progress.updated++;
		settle(
			plan,
			'error' in outcome
				? outcome
				: { json: { action: 'updated', changes: plan.changes, extension: outcome.extension } },
		);
	});
	return plans.map((plan) => results.get(plan)!);
}

async function createExtension(
	ctx: IExecuteFunctions,
	plan: PlannedAction & { action: 'created' },
): Promise<IDataObject> {
	return await ringCentralApiRequest(ctx, {
		method: 'POST',
		accountId: plan.accountId,
		path: '/extension',
		group: 'Medium',
		body: plan.body,
		itemIndex: plan.itemIndex,
	});
}
