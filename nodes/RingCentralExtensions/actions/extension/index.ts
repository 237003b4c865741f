import type { INodeProperties } from 'n8n-workflow';

import type { OperationsOf } from '../node.type';
import * as bulkUpdate from './bulkUpdate.operation';
import * as create from './create.operation';
import * as getAll from './getAll.operation';

export const operations: OperationsOf<'extension'> = {
	getAll: { kind: 'item', ...getAll },
	create: { kind: 'item', ...create },
	bulkUpdate: { kind: 'batch', ...bulkUpdate },
};

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['extension'] } },
	default: 'getAll',
	options: [
		{
			name: 'Bulk Update',
			value: 'bulkUpdate',
			description: 'Update many extensions at once (up to 500 per request), e.g. disable leavers',
			action: 'Bulk update extensions',
		},
		{
			name: 'Create',
			value: 'create',
			description: 'Create an extension, e.g. a user for a new hire',
			action: 'Create an extension',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List the extensions of the account, with optional filters',
			action: 'Get many extensions',
		},
	],
};

export const description: INodeProperties[] = [
	...getAll.description,
	...create.description,
	...bulkUpdate.description,
];
