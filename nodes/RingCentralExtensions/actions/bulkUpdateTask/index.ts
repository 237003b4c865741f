import type { INodeProperties } from 'n8n-workflow';

import type { OperationsOf } from '../node.type';
import * as get from './get.operation';

export const operations: OperationsOf<'bulkUpdateTask'> = {
	get: { kind: 'batch', ...get },
};

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['bulkUpdateTask'] } },
	default: 'get',
	options: [
		{
			name: 'Get',
			value: 'get',
			description:
				'Read a bulk-update task: its status and, once finished, the outcome of every record',
			action: 'Get a bulk update task',
		},
	],
};

export const description: INodeProperties[] = [...get.description];
