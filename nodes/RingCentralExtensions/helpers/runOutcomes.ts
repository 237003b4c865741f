// What a run that writes did to each of its items, so that an error ending it (or an error item
// under Continue On Fail) says per item what was created, updated, disabled or left unknown.
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { mayHaveActed } from '../../shared/transport/errors';

export type ItemOutcome =
	| 'created'
	| 'updated'
	| 'disabled'
	| 'deleted'
	| 'unchanged'
	/** Nothing was written for it: refused, or never sent because the run stopped first. */
	| 'notWritten'
	/** Its write went out and may have been carried out (no answer, a task not followed to its end). */
	| 'unknown';

const WORDS: Record<ItemOutcome, string> = {
	created: 'created',
	updated: 'updated',
	disabled: 'disabled',
	deleted: 'deleted',
	unchanged: 'unchanged',
	notWritten: 'not written',
	unknown: 'unknown (may have been written: check before running again)',
};

/** An error that ended a run, with every item's outcome. */
type WithOutcomes = Error & { description?: string; itemOutcomes?: Record<number, ItemOutcome> };

/** Marks a failed write whose outcome cannot be known (a task that could not be followed). */
export function unknownOutcome<E extends Error>(error: E): E {
	(error as E & { writeOutcome?: ItemOutcome }).writeOutcome = 'unknown';
	return error;
}

/** What a failed write means for its item: refused (not written), or possibly carried out. */
export function failureOutcome(error: Error): 'notWritten' | 'unknown' {
	const marked = (error as { writeOutcome?: ItemOutcome }).writeOutcome;
	return marked === 'unknown' || mayHaveActed(error) ? 'unknown' : 'notWritten';
}

/** The outcome an error that ended the run gives one item (for its error item), if it says. */
export function outcomeOfItem(error: unknown, itemIndex: number): ItemOutcome | undefined {
	return (error as WithOutcomes | undefined)?.itemOutcomes?.[itemIndex];
}

function itemList(indexes: Array<number | string>): string {
	return `${indexes.length === 1 ? 'item' : 'items'} ${indexes.join(', ')}`;
}

function extensionList(ids: Array<number | string>): string {
	return `${ids.length === 1 ? 'extension' : 'extensions'} ${ids.join(', ')}`;
}

/** `updated: items 1, 2; not written: item 0`, in the order of WORDS. */
function summaryOf(
	entries: Array<[number | string, ItemOutcome]>,
	list: (keys: Array<number | string>) => string,
): string {
	const byOutcome = new Map<ItemOutcome, Array<number | string>>();
	for (const [key, outcome] of entries)
		byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), key]);
	return (Object.keys(WORDS) as ItemOutcome[])
		.filter((outcome) => byOutcome.has(outcome))
		.map((outcome) => `${WORDS[outcome]}: ${list(byOutcome.get(outcome)!)}`)
		.join('; ');
}

/** The outcome of every item of a run that writes, as it goes. */
export class RunOutcomes {
	private readonly outcomes = new Map<number, ItemOutcome>();
	/** Writes that belong to no one item (the disables of leavers), by extension id. */
	private readonly extensionOutcomes = new Map<string, ItemOutcome>();

	constructor(private readonly itemIndexes: number[]) {}

	set(itemIndexes: number[], outcome: ItemOutcome): void {
		for (const itemIndex of itemIndexes) this.outcomes.set(itemIndex, outcome);
	}

	setFailed(itemIndexes: number[], error: Error): void {
		this.set(itemIndexes, failureOutcome(error));
	}

	setForExtension(extensionId: string, outcome: ItemOutcome): void {
		this.extensionOutcomes.set(extensionId, outcome);
	}

	/** `updated: items 1, 2; not written: item 0`, then the extensions', in the order of WORDS. */
	summary(): string {
		const itemSummary = summaryOf(
			this.itemIndexes.map((index) => [index, this.outcomes.get(index) ?? 'notWritten']),
			itemList,
		);
		if (this.extensionOutcomes.size === 0) return itemSummary;
		const extensions = summaryOf([...this.extensionOutcomes], extensionList);
		return `${itemSummary}; leavers: ${extensions}`;
	}

	/**
	 * The error that ends the run, saying per item what was done. Items not settled yet get
	 * `unsettled`: not written when nothing of theirs went out, unknown when it may have.
	 */
	stopped(
		ctx: IExecuteFunctions,
		error: unknown,
		{
			itemIndex,
			unsettled = () => 'notWritten',
			advice,
		}: {
			itemIndex?: number;
			unsettled?: (itemIndex: number) => ItemOutcome;
			/** What to do about it, said after the outcomes when something was written. */
			advice?: string;
		} = {},
	): Error {
		const ended = (
			error instanceof NodeOperationError || (error as { context?: unknown })?.context
				? error
				: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex })
		) as WithOutcomes;
		if (ended.itemOutcomes) return ended;
		for (const index of this.itemIndexes) {
			if (!this.outcomes.has(index)) this.outcomes.set(index, unsettled(index));
		}
		ended.itemOutcomes = Object.fromEntries(this.outcomes);
		const written = [...this.outcomes.values(), ...this.extensionOutcomes.values()].some(
			(outcome) => outcome !== 'notWritten' && outcome !== 'unchanged',
		);
		const note = [`What this run did, per item: ${this.summary()}.`, written && advice]
			.filter(Boolean)
			.join(' ');
		ended.description = [ended.description, note].filter(Boolean).join('\n');
		return ended;
	}
}
