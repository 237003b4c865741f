import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { accountIdOf } from '../../../shared/helpers/parameters';
import { pathSegments, ringCentralApiRequest } from '../../../shared/transport';
import { extensionIdOf } from '../../helpers/extensionBody';
import { extensionIdProperty } from './descriptions';

const show = { resource: ['extension'], operation: ['get'] };

const properties: INodeProperties[] = [extensionIdProperty('The extension to read')];

export const description = updateDisplayOptions({ show }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await ringCentralApiRequest(this, {
		method: 'GET',
		accountId: accountIdOf(this, itemIndex),
		path: `/extension${pathSegments(extensionIdOf(this, itemIndex))}`,
		group: 'Light',
		itemIndex,
		expect: 'record',
	});
}
