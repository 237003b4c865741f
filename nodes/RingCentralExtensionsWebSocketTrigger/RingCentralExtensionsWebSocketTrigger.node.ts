import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import { accountIdProperty, authenticationProperty, credentials } from '../shared/descriptions';
import { eventProperties } from '../shared/extensionEvents/properties';
import { startListening } from './listener';

/**
 * RingCentral's WebSocket delivery: n8n connects out, so no public URL is needed. A node of
 * its own rather than a `delivery` option on the webhook trigger: n8n 2.41 runs a node that
 * has both webhooks and `trigger()` as a trigger in every test run, so the webhook's test
 * deliveries would never reach the workflow (see docs/trigger.md).
 */
export class RingCentralExtensionsWebSocketTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RingCentral Extensions WebSocket Trigger',
		name: 'ringCentralExtensionsWebSocketTrigger',
		icon: {
			light: 'file:ringCentralExtensionsWebSocketTrigger.svg',
			dark: 'file:ringCentralExtensionsWebSocketTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ [].concat($parameter["events"]).join(", ") }}',
		description:
			'Starts the workflow when an extension of a RingCentral account is created, changed or deleted, over a connection n8n opens to RingCentral (no public URL needed)',
		defaults: { name: 'RingCentral Extensions WebSocket Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties: [
			{
				displayName:
					'n8n holds a connection to RingCentral while the workflow is published: no public URL is needed, but changes made while n8n is down for more than about 3 minutes are not delivered. The app needs the WebSocket Subscriptions and Read Accounts permissions.',
				name: 'deliveryNotice',
				type: 'notice',
				default: '',
			},
			authenticationProperty,
			accountIdProperty,
			...eventProperties,
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await startListening(this);
	}
}
