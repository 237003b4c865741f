import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as bulkUpdateTask from './actions/bulkUpdateTask';
import { accountIdProperty } from './actions/common.descriptions';
import * as extension from './actions/extension';
import { router } from './actions/router';
import * as userTemplate from './actions/userTemplate';
import { listSearch } from './methods';

const operationProperties: INodeProperties[] = [
	extension.operationProperty,
	bulkUpdateTask.operationProperty,
	userTemplate.operationProperty,
];

/** The canvas subtitle: the chosen action in words ("Get many extensions"), not raw values. */
function actionSubtitle(): string {
	const actions: Record<string, string> = {};
	for (const property of operationProperties) {
		const [resource] = property.displayOptions?.show?.resource as string[];
		for (const option of property.options as INodePropertyOptions[]) {
			actions[`${resource}:${String(option.value)}`] = option.action ?? option.name;
		}
	}
	return `={{ ${JSON.stringify(actions)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}

export class RingCentralExtensions implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RingCentral Extensions',
		name: 'ringCentralExtensions',
		icon: { light: 'file:ringCentralExtensions.svg', dark: 'file:ringCentralExtensions.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(),
		description:
			'Administer RingCentral phone-system extensions: list, create and bulk-update users, track bulk-update tasks, read user templates',
		defaults: { name: 'RingCentral Extensions' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'ringCentralAccessTokenApi',
				required: true,
				displayOptions: { show: { authentication: ['accessToken'] } },
			},
			{
				name: 'ringCentralJwtApi',
				required: true,
				displayOptions: { show: { authentication: ['jwt'] } },
			},
			{
				name: 'ringCentralOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{
						name: 'Access Token',
						value: 'accessToken',
						description: 'A token you paste in; it expires after about an hour',
					},
					{
						name: 'JWT (Recommended)',
						value: 'jwt',
						description: 'Lets n8n fetch and renew the access token for you',
					},
					{
						name: 'OAuth2',
						value: 'oAuth2',
						description: 'Sign in with a RingCentral user',
					},
				],
				default: 'accessToken',
			},
			{
				// n8n 2.x shows one Credential dropdown instead of the field above; this shows under it.
				displayName:
					'For workflows that run on their own, pick a RingCentral JWT (Recommended) API credential: n8n renews its token, while an access token expires after about an hour',
				name: 'credentialNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['accessToken'] } },
			},
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
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
