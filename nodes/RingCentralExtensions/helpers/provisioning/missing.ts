import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import {
	pathSegments,
	ringCentralApiRequest,
	ringCentralApiRequestAllItems,
} from '../../../shared/transport';
import type { BatchResult } from '../batchResult';
import { diff, withPatch, type Changes } from '../changes';
import { findExtensions, indexBy, type FindExtensions } from '../matching/findExtensions';
import { keyOfExtension } from '../matching/keys';
import type { ProvisionItem } from './plan';
import {
	excludedBy,
	inScopeDepartments,
	scopeQuery,
	type MissingSettings,
	type Scope,
} from './scope';
import type { PlannedUpdate } from './writeUpdates';

/** The scope as read once per run: it finds the leavers and serves the matching too. */
export interface ScopeRead {
	/** Per account: every extension of the scope's types and statuses. */
	listed: Map<string, IDataObject[]>;
	/** The extension the credential signs in as: never reported or disabled. */
	signedInId: string;
}

/** Reads the scope when it is first needed: by the matching, after the input was checked. */
export interface ScopeReader {
	read(): Promise<ScopeRead>;
	/** Matching that looks in the scope first (see scopeFirstFinder). */
	find: FindExtensions;
}

/** An extension in scope that no input item names. */
export interface MissingExtension {
	accountId: string;
	extension: IDataObject;
}

/** A leaver's extension to disable, as one more update of the run, paired with every input item. */
export interface PlannedDisable extends PlannedUpdate {
	itemIndexes: number[];
	changes: Changes;
}

const DISABLED = { status: 'Disabled' };
/** How many of the extensions over Max Disable the refusal names. */
const NAMED_IN_REFUSAL = 5;

/**
 * Reads the scope's extensions of every account the items name (one list of the scope's types
 * and statuses, up to 1,000 a page) and the signed-in extension's id (one Light request to
 * `/extension/~`, the same for every account).
 */
async function readScope(
	ctx: IExecuteFunctions,
	items: ProvisionItem[],
	scope: Scope,
): Promise<ScopeRead> {
	const listed = new Map<string, IDataObject[]>();
	for (const { accountId, itemIndex } of items) {
		if (listed.has(accountId)) continue;
		const extensions = await ringCentralApiRequestAllItems(ctx, {
			method: 'GET',
			accountId,
			path: '/extension',
			group: 'Medium',
			qs: scopeQuery(scope),
			itemIndex,
		});
		listed.set(accountId, extensions);
	}
	const signedIn = await ringCentralApiRequest<IDataObject>(ctx, {
		method: 'GET',
		accountId: '~',
		path: `/extension${pathSegments('~')}`,
		group: 'Light',
		itemIndex: items[0].itemIndex,
		expect: 'record',
	});
	return { listed, signedInId: String(signedIn.id) };
}

export function scopeReader(
	ctx: IExecuteFunctions,
	items: ProvisionItem[],
	scope: Scope,
): ScopeReader {
	let reading: Promise<ScopeRead> | undefined;
	const read = async () => await (reading ??= readScope(ctx, items, scope));
	return { read, find: scopeFirstFinder(read) };
}

/**
 * Matching that starts from the scope: only the values no extension in it holds (new hires,
 * people whose extension is outside the scope) are looked for in the account.
 */
function scopeFirstFinder(read: () => Promise<ScopeRead>): FindExtensions {
	return async (ctx, lookup) => {
		const { listed } = await read();
		const inScope = indexBy(lookup.matchOn, listed.get(lookup.accountId) ?? [], lookup.values);
		const rest = lookup.values.filter((value) => !inScope.has(value));
		if (rest.length === 0) return inScope;
		const outside = await findExtensions(ctx, { ...lookup, values: rest });
		return new Map([...inScope, ...outside]);
	};
}

/**
 * The extensions in scope whose match value no input item has, in list order; an item that
 * failed (two items with one email, say) still holds its extension. The signed-in extension,
 * the excluded ones and those outside the scope's departments are never missing.
 */
function missingExtensionsOf(
	read: ScopeRead,
	items: ProvisionItem[],
	scope: Scope,
): MissingExtension[] {
	const { matchOn } = items[0];
	const held = new Set(items.map(({ accountId, key }) => `${accountId}|${key}`));
	const seen = new Set<string>();
	const missing: MissingExtension[] = [];
	for (const [accountId, listed] of read.listed) {
		for (const extension of listed) {
			const id = String(extension.id);
			const key = keyOfExtension(matchOn, extension);
			if (seen.has(`${accountId}|${id}`) || id === read.signedInId) continue;
			seen.add(`${accountId}|${id}`);
			if (!inScopeDepartments(scope, extension) || excludedBy(scope, extension)) continue;
			if (key !== undefined && held.has(`${accountId}|${key}`)) continue;
			missing.push({ accountId, extension });
		}
	}
	return missing;
}

/** The extensions a disable run writes: the missing ones not Disabled already. */
function disablesOf(missing: MissingExtension[], itemIndexes: number[]): PlannedDisable[] {
	return missing
		.filter(({ extension }) => extension.status !== DISABLED.status)
		.map(({ accountId, extension }) => ({
			itemIndex: itemIndexes[0],
			itemIndexes,
			accountId,
			extension,
			patch: { ...DISABLED },
			changes: diff(extension, DISABLED),
		}));
}

/**
 * The output for the missing extensions: `missing` (nothing written, or Disabled already) or,
 * in a preview of a disable run, `disabled` with the change it would make.
 */
function missingResults(
	missing: MissingExtension[],
	disables: PlannedDisable[],
	itemIndexes: number[],
	dryRun: boolean,
): BatchResult[] {
	const disabling = new Map(disables.map((disable) => [disable.extension, disable]));
	const preview = dryRun ? { dryRun: true } : {};
	return missing
		.filter(({ extension }) => !disabling.has(extension) || dryRun)
		.map(({ extension }) => {
			const disable = disabling.get(extension);
			const json = disable
				? {
						action: 'disabled',
						changes: disable.changes,
						extension: withPatch(extension, DISABLED),
					}
				: { action: 'missing', extension };
			return { json: { ...json, ...preview }, itemIndexes };
		});
}

function describeExtension(extension: IDataObject): string {
	const email = (extension.contact as IDataObject | undefined)?.email;
	return [
		extension.extensionNumber,
		extension.name,
		email && `<${String(email)}>`,
		`(ID ${String(extension.id)})`,
	]
		.filter(Boolean)
		.join(' ');
}

/** Names the first few, and says how many more. */
function firstOf(disables: PlannedDisable[]): string {
	const named = disables
		.slice(0, NAMED_IN_REFUSAL)
		.map(({ extension }) => describeExtension(extension));
	const more = disables.length - named.length;
	return `${named.join('; ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function overLimit(
	disables: PlannedDisable[],
	{ maxDisable }: MissingSettings,
): string | undefined {
	if (disables.length <= maxDisable) return undefined;
	return `${disables.length} extensions would be disabled, more than Max Disable (${maxDisable})`;
}

/**
 * The refusal of a run that would disable more than Max Disable (Entra ID's "accidental deletions
 * prevention"): an empty or cut-off HR export must never switch off the company.
 */
function overLimitError(
	ctx: IExecuteFunctions,
	disables: PlannedDisable[],
	settings: MissingSettings,
): NodeOperationError | undefined {
	const problem = overLimit(disables, settings);
	if (!problem) return undefined;
	return new NodeOperationError(
		ctx.getNode(),
		`Nothing was written: ${problem}: ${firstOf(disables)}`,
		{
			itemIndex: disables[0].itemIndex,
			description: `Nobody in the input holds these extensions. If they have all left, raise Max Disable to ${disables.length} or more and run again. If not, narrow the Scope (types, statuses, departments, exclude) or check that the input is the whole list. Preview Only shows everyone who would be disabled, and is never refused.`,
		},
	);
}

/**
 * Input items that could not be read (with Continue On Fail) may stand for people in scope:
 * disabling without them could switch off people who have not left, so nothing is disabled.
 */
function withheldReason(unreadItems: number[], disables: PlannedDisable[]): string {
	const plural = unreadItems.length === 1 ? '' : 's';
	return `input item${plural} ${unreadItems.join(', ')} could not be read, and the extension${plural} they stand for would look like leavers (${disables.length} would have been disabled)`;
}

function withheldError(
	ctx: IExecuteFunctions,
	unreadItems: number[],
	disables: PlannedDisable[],
): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Nothing was disabled: ${withheldReason(unreadItems, disables)}`,
		{
			itemIndex: unreadItems[0],
			description:
				'Correct those items and run again; the creates and updates of the other items went ahead.',
		},
	);
}

/**
 * With Disable, the input must be the whole list of people: Execute Once passes on only the
 * first item, and an input without data (an empty export, with Always Output Data) names nobody.
 * Either would make everyone in scope look like a leaver, so the run is refused outright.
 */
export function refuseUnsafeDisable(ctx: IExecuteFunctions, itemIndex: number): void {
	const advice =
		'With Missing Extensions set to Disable, everyone else in scope would look like a leaver';
	if (ctx.getNode().executeOnce === true) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The node setting Execute Once passes on only the first input item: ${advice}. Turn Execute Once off.`,
			{ itemIndex },
		);
	}
	if (itemIndex !== 0) return;
	if (ctx.getInputData().every(({ json }) => Object.keys(json).length === 0)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The input is empty (no item holds any data): ${advice.replace('everyone else', 'everyone')}. Nothing was sent.`,
			{ itemIndex },
		);
	}
}

/** What happens to the extensions in scope that no input item names, in a run of Create or Update. */
export interface Leavers {
	/** The disables to write with the updates (none while unread items make them unsafe). */
	disables: PlannedDisable[];
	/** The output of a preview: every missing extension, and what a real run would do to it. */
	preview(): BatchResult[];
	/** The refusal of a run that would disable more than Max Disable, before anything is written. */
	refusal(): (BatchResult & { error: Error }) | undefined;
	/** The output for the missing extensions nothing is written to (and why disables were withheld). */
	unwritten(): BatchResult[];
}

export function leaversOf(
	ctx: IExecuteFunctions,
	read: ScopeRead,
	items: ProvisionItem[],
	settings: MissingSettings,
): Leavers {
	// They follow from the whole list, so they are paired with every input item.
	const itemIndexes = ctx.getInputData().map((_, index) => index);
	const readItems = new Set(items.map(({ itemIndex }) => itemIndex));
	const unread = itemIndexes.filter((index) => !readItems.has(index));
	const missing = missingExtensionsOf(read, items, settings.scope);
	const planned = settings.mode === 'disable' ? disablesOf(missing, itemIndexes) : [];
	const disables = unread.length === 0 ? planned : [];
	return {
		disables,
		preview() {
			const problem = overLimit(planned, settings);
			const warn = (message: string) =>
				ctx.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
			if (problem) {
				warn(
					`A real run would write nothing: ${problem}. If they have all left, raise Max Disable; if not, narrow the Scope.`,
				);
			} else if (planned.length > disables.length) {
				warn(`A real run would disable nobody: ${withheldReason(unread, planned)}.`);
			}
			return missingResults(missing, planned, itemIndexes, true);
		},
		refusal() {
			const error = overLimitError(ctx, planned, settings);
			return error && { error, itemIndexes };
		},
		unwritten() {
			const results = missingResults(missing, disables, itemIndexes, false);
			if (planned.length === disables.length) return results;
			return [...results, { error: withheldError(ctx, unread, planned), itemIndexes }];
		},
	};
}
