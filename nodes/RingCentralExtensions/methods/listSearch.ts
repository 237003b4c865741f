import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { templateTypeOptions } from '../../shared/helpers/options';
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
	const accountId = String(this.getNodeParameter('accountId', '~') ?? '').trim() || '~';
	const response = await ringCentralApiRequest<IDataObject>(this, {
		method: 'GET',
		accountId,
		path: '/templates',
		group: 'Medium',
		qs: { page, perPage: PAGE_SIZE },
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
