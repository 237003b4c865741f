import type { INodeProperties } from 'n8n-workflow';

import type { OperationsOf } from '../node.type';
import * as bulkUpdate from './bulkUpdate.operation';
import * as create from './create.operation';
import * as createOrUpdate from './createOrUpdate.operation';
import * as deleteOperation from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: OperationsOf<'extension'> = {
	getAll: { kind: 'item', ...getAll },
	create: { kind: 'item', ...create },
	createOrUpdate: { kind: 'batch', ...createOrUpdate },
	get: { kind: 'item', ...get },
	update: { kind: 'item', ...update },
	delete: { kind: 'item', ...deleteOperation },
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
			name: 'Create or Update',
			value: 'createOrUpdate',
			description:
				'Keep extensions in step with a list of people (e.g. HR rows), matched by email or number: create new ones, update what differs, and optionally disable those nobody on the list holds',
			action: 'Create or update extensions',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete one extension, with its settings; its numbers can be kept',
			action: 'Delete an extension',
		},
		{
			name: 'Get',
			value: 'get',
			description: 'Read one extension',
			action: 'Get an extension',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List the extensions of the account, with optional filters',
			action: 'Get many extensions',
		},
		{
			name: 'Update',
			value: 'update',
			description: 'Change fields of one extension, e.g. its status or job title',
			action: 'Update an extension',
		},
	],
};

export const description: INodeProperties[] = [
	...getAll.description,
	...get.description,
	...create.description,
	...createOrUpdate.description,
	...update.description,
	...deleteOperation.description,
	...bulkUpdate.description,
];
