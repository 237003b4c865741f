import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { extensionStatusOptions } from '../../../shared/helpers/options';
import { accountIdOf } from '../../../shared/helpers/parameters';
import { requestSchemas } from '../../../shared/helpers/schemas.generated';
import { pathSegments, ringCentralApiRequest } from '../../../shared/transport';
import { buildUpdateBody, extensionIdOf } from '../../helpers/extensionBody';
import { extensionIdProperty, SHARED_FIELD_PROPERTIES, specifyBodyProperty } from './descriptions';

const show = { resource: ['extension'], operation: ['update'] };

const updatableStatusOptions = extensionStatusOptions.filter((option) =>
	(requestSchemas.extensionUpdateRequest.properties.status.enum as readonly unknown[]).includes(
		option.value,
	),
);

const properties: INodeProperties[] = [
	extensionIdProperty('The extension to update'),
	specifyBodyProperty({
		fields: 'Add only the fields to change; the others stay as they are',
		json: "An update request as RingCentral's API documents it (ExtensionUpdateRequest)",
		description: 'Pick the fields to change, or write the whole update request as JSON',
	}),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here are changed; the others stay as they are',
		displayOptions: { show: { specifyBody: ['fields'] } },
		options: [
			SHARED_FIELD_PROPERTIES.businessPhone,
			SHARED_FIELD_PROPERTIES.company,
			SHARED_FIELD_PROPERTIES.department,
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'Must not be in use by another extension of the account',
			},
			{
				displayName: 'Extension Number',
				name: 'extensionNumber',
				type: 'string',
				default: '',
				description: 'Must not be in use by another extension of the account',
			},
			{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
			SHARED_FIELD_PROPERTIES.jobTitle,
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			SHARED_FIELD_PROPERTIES.mobilePhone,
			SHARED_FIELD_PROPERTIES.partnerId,
			SHARED_FIELD_PROPERTIES.siteId,
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: updatableStatusOptions,
				default: 'Enabled',
				description: 'Disabled switches a leaver off without deleting anything',
			},
		],
	},
	{
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default: '{\n  "status": "Disabled"\n}',
		required: true,
		description:
			'An ExtensionUpdateRequest, as in the RingCentral API reference. Only the properties given are changed.',
		displayOptions: { show: { specifyBody: ['json'] } },
	},
];

export const description = updateDisplayOptions({ show }, properties);

/** What it does to an item that goes through (an error ending the run says it per item). */
export const outcome = 'updated';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = buildUpdateBody(this, itemIndex);
	return await ringCentralApiRequest(this, {
		method: 'PUT',
		accountId: accountIdOf(this, itemIndex),
		path: `/extension${pathSegments(extensionIdOf(this, itemIndex))}`,
		group: 'Medium',
		body,
		itemIndex,
		expect: 'record',
	});
}
