import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ringCentralApiRequest } from '../../../shared/transport';
import type { PollSettings } from '../tasks/tasks';
import type { BatchResult } from '../batchResult';
import { withoutSecrets, withPatch } from '../changes';
import type { PlannedDisable } from './missing';
import type { PlannedAction } from './plan';
import { failureOutcome, RunOutcomes, type ItemOutcome } from '../runOutcomes';
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

/** Said after the outcomes of a stopped run that wrote something. */
const RERUN_ADVICE =
	'Running the node again is safe: it finds the extensions written and writes only what still differs.';

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
 * Continue On Fail the first failure stops the run (nothing more is sent), and its error says
 * per item, and per leaver, what was done. With it, each failed item is an error item naming its
 * outcome. The disables' results follow the plans' ones.
 */
export async function applyPlans(
	ctx: IExecuteFunctions,
	plans: PlannedAction[],
	poll: PollSettings,
	continueOnFail: boolean,
	disables: PlannedDisable[] = [],
): Promise<BatchResult[]> {
	const results = new Map<PlannedAction | PlannedDisable, BatchResult>();
	const outcomes = new RunOutcomes(plans.map(({ itemIndex }) => itemIndex));
	let failure: { error: Error; itemIndex: number } | undefined;
	const settle = (plan: PlannedAction, outcome: { error: Error } | { json: IDataObject }) => {
		const itemIndexes = [plan.itemIndex];
		if ('json' in outcome) {
			outcomes.set(itemIndexes, outcome.json.action as ItemOutcome);
			results.set(plan, { json: outcome.json, itemIndexes });
			return;
		}
		outcomes.setFailed(itemIndexes, outcome.error);
		const json = { outcome: failureOutcome(outcome.error) };
		results.set(plan, { error: outcome.error, itemIndexes, json });
		failure ??= { error: outcome.error, itemIndex: plan.itemIndex };
	};
	const stopsHere = () => failure !== undefined && !continueOnFail;
	const stopped = (error: Error, itemIndex?: number, unsettled?: (index: number) => ItemOutcome) =>
		outcomes.stopped(ctx, error, { itemIndex, unsettled, advice: RERUN_ADVICE });

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
		const { itemIndexes, extension, changes } = disable;
		const extensionId = String(extension.id);
		if ('extension' in outcome) {
			outcomes.setForExtension(extensionId, 'disabled');
			const json = { action: 'disabled', changes, extension: outcome.extension };
			results.set(disable, { json, itemIndexes });
			return;
		}
		outcomes.setForExtension(extensionId, failureOutcome(outcome.error));
		const json = { extension, outcome: failureOutcome(outcome.error) };
		results.set(disable, { error: outcome.error, itemIndexes, json });
		failure ??= { error: outcome.error, itemIndex: disable.itemIndex };
	};
	/** Leavers with no outcome when the run stops: never sent, or sent into a wait that broke off. */
	const settleUnreportedDisables = (outcome: ItemOutcome) => {
		for (const disable of disables) {
			if (!results.has(disable)) outcomes.setForExtension(String(disable.extension.id), outcome);
		}
	};
	const onOutcome = (update: PlannedUpdate, outcome: UpdateOutcome) => {
		if (disabling.has(update)) return settleDisable(update as PlannedDisable, outcome);
		const plan = updates.get(update)!;
		if ('error' in outcome) return settle(plan, outcome);
		settle(plan, {
			json: { action: 'updated', changes: plan.changes, extension: outcome.extension },
		});
	};
	await writeUpdates(ctx, [...updates.keys(), ...disables], poll, onOutcome, {
		stopAtFailure: !continueOnFail,
	}).catch((error: Error) => {
		// A wait that broke off (a cancelled run): the updates not reported may have been written.
		const updating = new Set([...updates.values()].map(({ itemIndex }) => itemIndex));
		settleUnreportedDisables('unknown');
		throw stopped(error, undefined, (index) => (updating.has(index) ? 'unknown' : 'notWritten'));
	});
	for (const plan of plans) {
		if (plan.action !== 'created' || stopsHere()) continue;
		let outcome: { error: Error } | { json: IDataObject };
		try {
			const extension = await createExtension(ctx, plan);
			outcome = { json: { action: 'created', changes: plan.changes, extension } };
		} catch (error) {
			outcome = { error: error as Error };
		}
		settle(plan, outcome);
	}
	if (failure && stopsHere()) {
		settleUnreportedDisables('notWritten');
		throw stopped(failure.error, failure.itemIndex);
	}
	return [...plans, ...disables].map((plan) => results.get(plan)!);
}
