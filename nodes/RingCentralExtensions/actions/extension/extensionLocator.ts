import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { pathId } from '../../../shared/helpers/parameters';

/** The `extensionId` resource locator of Get, Update and Delete ("~" offered where it is allowed). */
export function extensionIdProperty(
	description: string,
	{ ownExtension = true }: { ownExtension?: boolean } = {},
): INodeProperties {
	return {
		displayName: 'Extension',
		name: 'extensionId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an extension...',
				typeOptions: { searchListMethod: 'searchExtensions', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 62372045008',
				...(ownExtension && { hint: '"~" is the extension the credential belongs to' }),
			},
		],
	};
}

/** The chosen extension's id, checked to be usable as one URL path segment. */
export function extensionIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('extensionId', itemIndex, '', { extractValue: true });
	if (typeof value !== 'string' && typeof value !== 'number') {
		return pathId(ctx, 'extensionId', itemIndex, '');
	}
	return pathId(ctx, 'extensionId', itemIndex, String(value));
}
