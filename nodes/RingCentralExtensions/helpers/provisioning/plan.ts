import type { IDataObject, IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import { conformToSchema, formatIssues } from '../../../shared/helpers/jsonSchema';
import { inputError } from '../../../shared/helpers/inputErrors';
import { requestSchemas } from '../../../shared/helpers/schemas.generated';
import { creationChanges, diff, patchOf, SECRET_FIELDS, type Changes } from '../changes';
import { createParameterFor } from '../extensionBody';
import { findExtensions, type FindExtensions } from '../matching/findExtensions';
import { ambiguousMatchError, sharedKeyErrors, type MatchOn } from '../matching/keys';

/** One input item of Create or Update, checked. */
export interface ProvisionItem {
	itemIndex: number;
	accountId: string;
	matchOn: MatchOn;
	/** The normalized match value. */
	key: string;
	/** The item's ExtensionCreationRequest. */
	body: IDataObject;
	/** Whether the body is the item's JSON Body (else the form fields). */
	fromJson: boolean;
}

export type PlannedAction = { itemIndex: number; accountId: string } & (
	| { action: 'created'; body: IDataObject; changes: Changes }
	| { action: 'updated'; extension: IDataObject; patch: IDataObject; changes: Changes }
	| { action: 'unchanged'; extension: IDataObject; changes: Changes }
	| { action: 'error'; error: Error }
);

/**
 * Creation-only fields: a user's type is not converted, and a password or PIN cannot be read
 * back to compare. (What ExtensionUpdateRequest does not take at all, such as cost center, hidden
 * and name, is dropped by `updatablePart` when it conforms the body to that schema.)
 */
const CREATION_ONLY = ['type', ...SECRET_FIELDS];

/**
 * A status of NotActivated is how a new hire starts; written to an existing extension it would
 * demote an active user (ExtensionUpdateRequest takes it), so it applies to new extensions only.
 */
function isCreationOnly(key: string, value: unknown): boolean {
	return CREATION_ONLY.includes(key) || (key === 'status' && value === 'NotActivated');
}

/** The part of a creation request that can be compared with an existing extension and written to it. */
function updatablePart(
	ctx: IExecuteFunctions,
	item: ProvisionItem,
): IDataObject | NodeOperationError {
	const body = Object.fromEntries(
		Object.entries(item.body).filter(([key, value]) => !isCreationOnly(key, value)),
	);
	const { value, issues } = conformToSchema(body, requestSchemas.extensionUpdateRequest, {
		unknownProperties: 'strip',
	});
	if (issues.length === 0) return value as IDataObject;
	return inputError(
		ctx,
		item.itemIndex,
		createParameterFor(item.fromJson, issues[0].path),
		`the extension exists, and RingCentral cannot update it this way: ${formatIssues(issues)}`,
	);
}

function planOne(ctx: IExecuteFunctions, item: ProvisionItem, found: IDataObject[]): PlannedAction {
	const { itemIndex, accountId } = item;
	if (found.length > 1) {
		return { itemIndex, accountId, action: 'error', error: ambiguousMatchError(ctx, item, found) };
	}
	if (found.length === 0) {
		return {
			itemIndex,
			accountId,
			action: 'created',
			body: item.body,
			changes: creationChanges(item.body),
		};
	}
	const [extension] = found;
	const updatable = updatablePart(ctx, item);
	if (updatable instanceof Error)
		return { itemIndex, accountId, action: 'error', error: updatable };
	const changes = diff(extension, updatable);
	if (Object.keys(changes).length === 0) {
		return { itemIndex, accountId, action: 'unchanged', extension, changes };
	}
	return { itemIndex, accountId, action: 'updated', extension, patch: patchOf(changes), changes };
}

/**
 * Decides for every item what to do, before anything is written: items sharing a match value,
 * and match values that several extensions share, become errors naming them.
 */
export async function planProvisioning(
	ctx: IExecuteFunctions,
	items: ProvisionItem[],
	{ stopOnError, find = findExtensions }: { stopOnError: boolean; find?: FindExtensions },
): Promise<PlannedAction[]> {
	const duplicates = sharedKeyErrors(ctx, items, 'created or updated by one item');
	// Found without a request: stop before sending one.
	if (stopOnError && duplicates.size > 0) throw [...duplicates.values()][0];
	const matched = items.filter((item) => !duplicates.has(item));
	const byAccount = new Map<string, ProvisionItem[]>();
	for (const item of matched) {
		const group = `${item.accountId}|${item.matchOn}`;
		byAccount.set(group, [...(byAccount.get(group) ?? []), item]);
	}
	const plans = new Map<ProvisionItem, PlannedAction>();
	for (const accountItems of byAccount.values()) {
		const matches = await find(ctx, {
			accountId: accountItems[0].accountId,
			matchOn: accountItems[0].matchOn,
			values: accountItems.map(({ key }) => key),
			itemIndex: accountItems[0].itemIndex,
		});
		for (const item of accountItems)
			plans.set(item, planOne(ctx, item, matches.get(item.key) ?? []));
	}
	return items.map(
		(item) =>
			plans.get(item) ?? {
				itemIndex: item.itemIndex,
				accountId: item.accountId,
				action: 'error',
				error: duplicates.get(item)!,
			},
	);
}
