import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { ringCentralApiRequest } from '../../../shared/transport';
import type { PollSettings } from '../tasks/tasks';
import type { BatchResult } from '../batchResult';
import { withoutSecrets, withPatch } from '../changes';
import type { PlannedDisable } from './missing';
import type { PlannedAction } from './plan';
import { writeUpdates, type PlannedUpdate, type UpdateOutcome } from './writeUpdates';

type Planned<A extends PlannedAction['action']> = PlannedAction & { action: A };

/** What a plan would do, without doing it: the output of a preview. */
export function previewOf(plan: PlannedAction): BatchResult {
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
	disabled = 0;

	stopped(ctx: IExecuteFunctions, error: Error, itemIndex: number): Error {
		const disabled = this.disabled > 0 ? ` (and ${this.disabled} disabled)` : '';
		const note = `Before this error, ${this.created} extension(s) were created and ${this.updated} updated${disabled}. Running the node again is safe: it finds them and writes only what still differs.`;
		const withDescription =
			error instanceof NodeOperationError || 'context' in error
				? (error as Error & { description?: string })
				: new NodeOperationError(ctx.getNode(), error, { itemIndex });
		withDescription.description = [withDescription.description, note].filter(Boolean).join('\n');
		return withDescription;
	}
}

async function createExtension(
	ctx: IExecuteFunctions,
	plan: Planned<'created'>,
): Promise<IDataObject> {
	return await ringCentralApiRequest(ctx, {
		method: 'POST',
		accountId: plan.accountId,
		path: '/extension',
		group: 'Medium',
		body: plan.body,
		itemIndex: plan.itemIndex,
		expect: 'record',
	});
}

/**
 * Carries out the plans: the updates and the disables of leavers (together, see writeUpdates),
 * then one POST per new extension; nothing for unchanged ones. Each write is sent once. Without
 * Continue On Fail the first failure stops the run, and its error says what was written before
 * it. The disables' results follow the plans' ones.
 */
export async function applyPlans(
	ctx: IExecuteFunctions,
	plans: PlannedAction[],
	poll: PollSettings,
	continueOnFail: boolean,
	disables: PlannedDisable[] = [],
): Promise<BatchResult[]> {
	const results = new Map<PlannedAction | PlannedDisable, BatchResult>();
	const progress = new Progress();
	const settle = (
		plan: PlannedAction | PlannedDisable,
		outcome: { error: Error } | { json: IDataObject },
	) => {
		const itemIndexes = 'itemIndexes' in plan ? plan.itemIndexes : [plan.itemIndex];
		if ('json' in outcome) {
			results.set(plan, { json: outcome.json, itemIndexes });
			return;
		}
		if (!continueOnFail) throw progress.stopped(ctx, outcome.error, plan.itemIndex);
		results.set(plan, { error: outcome.error, itemIndexes });
	};

	for (const plan of plans) {
		if (plan.action === 'error') settle(plan, { error: plan.error });
		if (plan.action === 'unchanged') {
			settle(plan, { json: { action: 'unchanged', changes: {}, extension: plan.extension } });
		}
	}
	// Updates first: an email or number an update frees can then go to a new extension.
	const updates = new Map<PlannedUpdate, Planned<'updated'>>();
	for (const plan of plans) if (plan.action === 'updated') updates.set({ ...plan }, plan);
	const disabling = new Set<PlannedUpdate>(disables);
	const settleDisable = (disable: PlannedDisable, outcome: UpdateOutcome) => {
		if ('error' in outcome) {
			if (!continueOnFail) throw progress.stopped(ctx, outcome.error, disable.itemIndex);
			const { itemIndexes, extension } = disable;
			results.set(disable, { error: outcome.error, itemIndexes, json: { extension } });
			return;
		}
		progress.disabled++;
		const { changes } = disable;
		settle(disable, { json: { action: 'disabled', changes, extension: outcome.extension } });
	};
	await writeUpdates(ctx, [...updates.keys(), ...disables], poll, (update, outcome) => {
		if (disabling.has(update)) return settleDisable(update as PlannedDisable, outcome);
		const plan = updates.get(update)!;
		if ('error' in outcome) return settle(plan, outcome);
		progress.updated++;
		settle(plan, {
			json: { action: 'updated', changes: plan.changes, extension: outcome.extension },
		});
	});
	for (const plan of plans) {
		if (plan.action !== 'created') continue;
		let outcome: { error: Error } | { json: IDataObject };
		try {
			const extension = await createExtension(ctx, plan);
			progress.created++;
			outcome = { json: { action: 'created', changes: plan.changes, extension } };
		} catch (error) {
			outcome = { error: error as Error };
		}
		settle(plan, outcome);
	}

	return [...plans, ...disables].map((plan) => results.get(plan)!);
}
