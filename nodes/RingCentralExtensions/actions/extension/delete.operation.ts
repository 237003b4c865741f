import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { accountIdOf, booleanValue } from '../../../shared/helpers/parameters';
import { inputError } from '../../../shared/helpers/inputErrors';
import { pathSegments, ringCentralApiRequest } from '../../../shared/transport';
import { extensionIdOf } from '../../helpers/extensionBody';
import { extensionIdProperty } from './descriptions';

const show = { resource: ['extension'], operation: ['delete'] };

const properties: INodeProperties[] = [
	extensionIdProperty('The extension to delete', { ownExtension: false }),
	{
		displayName:
			'Deleting cannot be undone. RingCentral removes the extension with its settings, voicemail and call log; by default its direct numbers stay in the account as company numbers and its digital lines (device and number) are deleted. Leavers are usually disabled first (Update, status Disabled) and deleted later.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Save Phone Lines',
				name: 'savePhoneLines',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep the digital lines (device and number) in the inventory as unassigned extensions instead of deleting them',
			},
			{
				displayName: 'Save Phone Numbers',
				name: 'savePhoneNumbers',
				type: 'boolean',
				default: true,
				description:
					'Whether to keep the direct numbers in the inventory (as company numbers). Off removes them from the account.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show }, properties);

/** What it does to an item that goes through (an error ending the run says it per item). */
export const outcome = 'deleted';

function deleteQuery(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	for (const name of ['savePhoneLines', 'savePhoneNumbers']) {
		const value = options[name];
		if (value === undefined) continue;
		qs[name] = booleanValue(ctx, itemIndex, `options.${name}`, value);
	}
	return qs;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = extensionIdOf(this, itemIndex);
	if (id === '~') {
		throw inputError(
			this,
			itemIndex,
			'extensionId',
			'"~" is the credential\'s own extension, which would delete the user n8n signs in as; give its ID if that is really meant',
		);
	}
	await ringCentralApiRequest(this, {
		method: 'DELETE',
		accountId: accountIdOf(this, itemIndex),
		path: `/extension${pathSegments(id)}`,
		group: 'Medium',
		qs: deleteQuery(this, itemIndex),
		itemIndex,
	});
	return { id, deleted: true };
}
