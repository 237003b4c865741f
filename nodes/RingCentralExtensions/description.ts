import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { accountIdProperty, authenticationProperty } from '../shared/descriptions';
import * as bulkUpdateTask from './actions/bulkUpdateTask';
import { rateLimitingProperty } from './actions/common.descriptions';
import * as extension from './actions/extension';
import * as userTemplate from './actions/userTemplate';

const operationProperties: INodeProperties[] = [
	extension.operationProperty,
	bulkUpdateTask.operationProperty,
	userTemplate.operationProperty,
];

/** The canvas subtitle: the chosen action in words ("Get many extensions"), not raw values. */
export function actionSubtitle(): string {
	const actions: Record<string, string> = {};
	for (const property of operationProperties) {
		const [resource] = property.displayOptions?.show?.resource as string[];
		for (const option of property.options as INodePropertyOptions[]) {
			actions[`${resource}:${String(option.value)}`] = option.action ?? option.name;
		}
	}
	return `={{ ${JSON.stringify(actions)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}

/** Every parameter of the node, in the order the editor shows them. */
export const properties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Extension',
				value: 'extension',
				description: 'Users, call queues and other extensions of the phone system',
			},
			{
				name: 'Bulk Update Task',
				value: 'bulkUpdateTask',
				description: 'The task RingCentral runs for a bulk update',
			},
			{
				name: 'User Template',
				value: 'userTemplate',
				description: 'Templates of settings for new users',
			},
		],
		default: 'extension',
	},
	...operationProperties,
	accountIdProperty,
	...extension.description,
	...bulkUpdateTask.description,
	...userTemplate.description,
	rateLimitingProperty,
];
