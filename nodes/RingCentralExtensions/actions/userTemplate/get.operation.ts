import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { accountIdOf, pathId } from '../../../shared/helpers/parameters';
import { pathSegments, ringCentralApiRequest } from '../../../shared/transport';

const show = { resource: ['userTemplate'], operation: ['get'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Template',
		name: 'templateId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The user template to read',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a template...',
				typeOptions: { searchListMethod: 'searchTemplates', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 120506004',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const templateId = this.getNodeParameter('templateId', itemIndex, '', {
		extractValue: true,
	}) as string;
	return await ringCentralApiRequest(this, {
		method: 'GET',
		accountId: accountIdOf(this, itemIndex),
		path: `/templates${pathSegments(pathId(this, 'templateId', itemIndex, String(templateId ?? '').trim()))}`,
		group: 'Light',
		itemIndex,
		expect: 'record',
	});
}
