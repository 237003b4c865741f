import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { credentials } from '../shared/descriptions';
import { router } from './actions/router';
import { actionSubtitle, properties } from './description';
import { listSearch } from './methods';

export class RingCentralExtensions implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RingCentral Extensions',
		name: 'ringCentralExtensions',
		icon: { light: 'file:ringCentralExtensions.svg', dark: 'file:ringCentralExtensions.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: actionSubtitle(),
		description:
			'Administer RingCentral phone-system extensions: list, read, create, update, delete and bulk-update users, keep them in step with an HR list, track bulk-update tasks, read user templates',
		defaults: { name: 'RingCentral Extensions' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials,
		properties,
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
