import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { notAllowed } from '../../../shared/helpers/jsonSchema';
import { templateTypeOptions } from '../../../shared/helpers/options';
import { accountIdOf, listLimitOf } from '../../../shared/helpers/parameters';
import { Filters } from '../../../shared/helpers/filters';
import { inputError } from '../../../shared/helpers/inputErrors';
import { specEnums } from '../../../shared/helpers/schemas.generated';
import { ringCentralApiRequestAllItems } from '../../../shared/transport';
import { limitProperty, returnAllProperty } from '../common.descriptions';

const show = { resource: ['userTemplate'], operation: ['getAll'] };

const properties: INodeProperties[] = [
	returnAllProperty(show),
	limitProperty(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				options: templateTypeOptions,
				default: 'UserSettings',
				description: 'Only templates of this type',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const limit = listLimitOf(this, itemIndex);
	const type = new Filters(this, itemIndex).text('type');
	const refused = type === undefined ? undefined : notAllowed([type], specEnums.templateType);
	if (refused) {
		throw inputError(
			this,
			itemIndex,
			'filters.type',
			`unknown template type ${JSON.stringify(type)}; ${refused.hint}`,
		);
	}
	return await ringCentralApiRequestAllItems(this, {
		method: 'GET',
		accountId: accountIdOf(this, itemIndex),
		path: '/templates',
		group: 'Medium',
		qs: type === undefined ? {} : { type },
		limit,
		itemIndex,
	});
}
