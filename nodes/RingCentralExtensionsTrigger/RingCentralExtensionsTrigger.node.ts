import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { accountIdProperty, authenticationProperty, credentials } from '../shared/descriptions';
import { eventProperties } from '../shared/extensionEvents/properties';
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
		// n8n's nodes panel shows this node and the action node as one entry, under this description.
		description:
			'Administer RingCentral phone-system extensions (users, call queues, …): list, create, update, bulk-update and delete them, keep them in step with an HR list, and start a workflow when one is created, changed or deleted',
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
