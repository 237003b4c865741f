import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { templateTypeOptions } from '../../shared/helpers/options';
import { accountIdOf } from '../../shared/helpers/parameters';
import { ringCentralApiRequest } from '../../shared/transport';

const PAGE_SIZE = 100;

function typeLabel(type: unknown): string {
	return String(
		templateTypeOptions.find((option) => option.value === type)?.name ?? type ?? 'Template',
	);
}

/** Lists the account's user templates for the template picker, filtered by name or ID. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1) || 1;
	const accountId = accountIdOf(this);
	const response = await ringCentralApiRequest<IDataObject>(this, {
		method: 'GET',
		accountId,
		path: '/templates',
		group: 'Medium',
		qs: { page, perPage: PAGE_SIZE },
		expect: 'list',
	});
	const needle = filter?.trim().toLowerCase() ?? '';
	const results = ((response.records as IDataObject[] | undefined) ?? [])
		.map((template) => ({
			name: `${String(template.name ?? template.id)} (${typeLabel(template.type)})`,
			value: String(template.id),
			description: typeof template.description === 'string' ? template.description : undefined,
		}))
		.filter(
			({ name, value }) => !needle || name.toLowerCase().includes(needle) || value.includes(needle),
		);
	const hasMore = Boolean((response.navigation as IDataObject | undefined)?.nextPage);
	return { results, paginationToken: hasMore ? String(page + 1) : undefined };
}

/** Pages of the extension picker: small without a filter, large when filtering locally. */
const EXTENSION_PAGE_SIZE = 100;
const FILTERED_EXTENSION_PAGE_SIZE = 1000;

function extensionLabel(extension: IDataObject): string {
	const name = String(extension.name ?? '').trim() || `Extension ${String(extension.id)}`;
	return extension.extensionNumber ? `${name} (${String(extension.extensionNumber)})` : name;
}

/**
 * A filtered page may hold no match while later pages do: an empty list with a "next page" looks
 * to the editor like "nothing found". So up to this many pages are read per call until one matches.
 */
const MAX_FILTERED_PAGES = 3;

interface SearchResult {
	name: string;
	value: string;
	description?: string;
}

function extensionResult(extension: IDataObject): SearchResult & { haystack: string } {
	const email = String(((extension.contact ?? {}) as IDataObject).email ?? '');
	return {
		name: extensionLabel(extension),
		value: String(extension.id),
		description: email || undefined,
		haystack: `${extensionLabel(extension)} ${email} ${String(extension.id)}`.toLowerCase(),
	};
}

/**
 * Lists the account's extensions for the extension picker. A filter matches any part of the
 * name, the extension number, the email or the id, without regard to case (RingCentral's own
 * filters only match whole values, so pages are read and filtered here).
 */
export async function searchExtensions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	let page = Number(paginationToken ?? 1) || 1;
	const accountId = accountIdOf(this);
	const needle = filter?.trim().toLowerCase() ?? '';
	const results: SearchResult[] = [];
	for (let read = 1; ; read++, page++) {
		const response = await ringCentralApiRequest<IDataObject>(this, {
			method: 'GET',
			accountId,
			path: '/extension',
			group: 'Medium',
			qs: { page, perPage: needle ? FILTERED_EXTENSION_PAGE_SIZE : EXTENSION_PAGE_SIZE },
			expect: 'list',
		});
		for (const { haystack, ...result } of (
			(response.records as IDataObject[] | undefined) ?? []
		).map(extensionResult)) {
			if (!needle || haystack.includes(needle)) results.push(result);
		}
		const hasMore = Boolean((response.navigation as IDataObject | undefined)?.nextPage);
		if (!hasMore) return { results };
		if (!needle || results.length > 0 || read >= MAX_FILTERED_PAGES) {
			return { results, paginationToken: String(page + 1) };
		}
	}
}
