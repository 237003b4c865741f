import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	MAX_PAGE_SIZE,
	pathSegments,
	ringCentralApiRequest,
	ringCentralApiRequestAllItems,
} from '../../../shared/transport';
import { unlessNotFound } from '../../../shared/transport/notFound';
import { FILTER_LIMITS, keyOfExtension, type MatchOn } from './keys';

/** Extensions found for each match value (normalized); more than one is an ambiguity. */
export type Matches = Map<string, IDataObject[]>;

/** The list endpoint's `email` filter takes several values, as many as Get Many sends. */
const EMAILS_PER_LIST_REQUEST = FILTER_LIMITS.emailsPerRequest;

/** How many requests finding these values one filter at a time takes. */
export function filteredRequestCount(matchOn: MatchOn, valueCount: number): number {
	const perRequest = matchOn === 'email' ? EMAILS_PER_LIST_REQUEST : 1;
	return Math.ceil(valueCount / perRequest);
}

export interface Lookup {
	accountId: string;
	matchOn: MatchOn;
	/** Normalized match values; duplicates are ignored. */
	values: string[];
	itemIndex: number;
}

/** How Create or Update finds the extensions its items name (see findExtensions). */
export type FindExtensions = (ctx: IExecuteFunctions, lookup: Lookup) => Promise<Matches>;

/**
 * Finds the extensions holding the given match values with as few requests as the limits
 * allow. Filtering takes one list request per 100 emails, or one request per extension number
 * or id; reading the whole list takes one request per 1,000 extensions. With more than one
 * filtered request to make, the first page of the whole list is read: it tells how many pages
 * the list has (and is the whole list in an account of up to 1,000 extensions). The list is
 * read to its end when that takes no more requests than filtering would; otherwise the
 * values are filtered for (one request more than the least possible, at worst).
 */
export async function findExtensions(ctx: IExecuteFunctions, lookup: Lookup): Promise<Matches> {
	const values = [...new Set(lookup.values)];
	if (values.length === 0) return new Map();
	const filtered = filteredRequestCount(lookup.matchOn, values.length);
	if (filtered > 1) {
		const whole = await readWholeListIfCheaper(ctx, lookup, filtered);
		if (whole) return indexBy(lookup.matchOn, whole, values);
	}
	return indexBy(lookup.matchOn, await readFiltered(ctx, lookup, values), values);
}

async function readWholeListIfCheaper(
	ctx: IExecuteFunctions,
	{ accountId, itemIndex }: Lookup,
	filteredRequests: number,
): Promise<IDataObject[] | undefined> {
	const listRequest = {
		method: 'GET' as const,
		accountId,
		path: '/extension',
		group: 'Medium' as const,
		itemIndex,
	};
	const first = await ringCentralApiRequest<IDataObject>(ctx, {
		...listRequest,
		qs: { page: 1, perPage: MAX_PAGE_SIZE },
		expect: 'list',
	});
	const records = (first.records as IDataObject[] | undefined) ?? [];
	if (!(first.navigation as IDataObject | undefined)?.nextPage || records.length === 0) {
		return records;
	}
	const totalPages = (first.paging as IDataObject | undefined)?.totalPages;
	if (typeof totalPages !== 'number' || totalPages - 1 > filteredRequests) return undefined;
	const rest = await ringCentralApiRequestAllItems(ctx, { ...listRequest, firstPage: 2 });
	return [...records, ...rest];
}

async function readFiltered(
	ctx: IExecuteFunctions,
	{ accountId, matchOn, itemIndex }: Lookup,
	values: string[],
): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	const list = async (qs: IDataObject) =>
		await ringCentralApiRequestAllItems(ctx, {
			method: 'GET',
			accountId,
			path: '/extension',
			group: 'Medium',
			qs,
			itemIndex,
		});
	if (matchOn === 'email') {
		for (let start = 0; start < values.length; start += EMAILS_PER_LIST_REQUEST) {
			found.push(...(await list({ email: values.slice(start, start + EMAILS_PER_LIST_REQUEST) })));
		}
	} else if (matchOn === 'extensionNumber') {
		for (const extensionNumber of values) found.push(...(await list({ extensionNumber })));
	} else {
		for (const id of values) {
			const extension = await readOneOrNone(ctx, accountId, id, itemIndex);
			if (extension) found.push(extension);
		}
	}
	return found;
}

async function readOneOrNone(
	ctx: IExecuteFunctions,
	accountId: string,
	id: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	// No extension with that id is an answer here, not a failure.
	return await unlessNotFound(
		ringCentralApiRequest<IDataObject>(ctx, {
			method: 'GET',
			accountId,
			path: `/extension${pathSegments(id)}`,
			group: 'Light',
			itemIndex,
			expect: 'record',
		}),
	);
}

/** Each wanted value with the extensions that hold it (each extension once). */
export function indexBy(matchOn: MatchOn, extensions: IDataObject[], values: string[]): Matches {
	const wanted = new Set(values);
	const matches: Matches = new Map();
	const seen = new Set<string>();
	for (const extension of extensions) {
		const key = keyOfExtension(matchOn, extension);
		const id = String(extension.id);
		if (key === undefined || !wanted.has(key) || seen.has(id)) continue;
		seen.add(id);
		matches.set(key, [...(matches.get(key) ?? []), extension]);
	}
	return matches;
}
