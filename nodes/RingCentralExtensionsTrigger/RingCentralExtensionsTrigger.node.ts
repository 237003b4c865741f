import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { accountIdProperty, authenticationProperty, credentials } from '../shared/descriptions';
import { eventProperties } from './properties';
import { createSubscription, deleteSubscription, subscriptionExists } from './subscription';
import { receiveDelivery } from './webhook';

export class RingCentralExtensionsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RingCentral Extensions Trigger',
		name: 'ringCentralExtensionsTrigger',
		icon: {
			light: 'file:ringCentralExtensionsTrigger.svg',
			dark: 'file:ringCentralExtensionsTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ [].concat($parameter["events"]).join(", ") }}',
		description:
			'Starts the workflow when an extension (user, call queue, …) of a RingCentral account is created, changed or deleted',
		defaults: { name: 'RingCentral Extensions Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [authenticationProperty, accountIdProperty, ...eventProperties],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await subscriptionExists(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createSubscription(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscription(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this);
	}
}
