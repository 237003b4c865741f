import type { INodeProperties } from 'n8n-workflow';

import type { OperationsOf } from '../node.type';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: OperationsOf<'userTemplate'> = {
	get: { kind: 'item', ...get },
	getAll: { kind: 'item', ...getAll },
};

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['userTemplate'] } },
	default: 'getAll',
	options: [
		{
			name: 'Get',
			value: 'get',
			description: 'Read one user template',
			action: 'Get a user template',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List the user templates of the account',
			action: 'Get many user templates',
		},
	],
};

export const description: INodeProperties[] = [...getAll.description, ...get.description];
