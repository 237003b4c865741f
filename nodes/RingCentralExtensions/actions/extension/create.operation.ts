import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import {
	creatableExtensionTypeOptions,
	extensionStatusOptions,
} from '../../../shared/helpers/options';
import { accountIdOf } from '../../../shared/helpers/parameters';
import { ringCentralApiRequest } from '../../../shared/transport';
import { buildCreateBody } from '../../helpers/extensionBody';
import { SHARED_FIELD_PROPERTIES, specifyBodyProperty } from './descriptions';

// Create or Update takes the same fields.
const show = { resource: ['extension'], operation: ['create', 'createOrUpdate'] };

const properties: INodeProperties[] = [
	specifyBodyProperty({
		fields: 'Name, email, type and the common fields, one extension per input item',
		json: "A whole creation request as RingCentral's API documents it",
		description: 'Fill in the common fields, or write the whole creation request as JSON',
	}),
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { specifyBody: ['fields'] } },
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		default: '',
		displayOptions: { show: { specifyBody: ['fields'] } },
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
		description:
			'Create: must not be in use by another extension of the account. Create or Update: the address an existing extension is found by when matching on email.',
		displayOptions: { show: { specifyBody: ['fields'] } },
	},
	{
		displayName: 'Extension Type',
		name: 'extensionType',
		type: 'options',
		options: creatableExtensionTypeOptions,
		default: 'User',
		description: 'User for a person. A call queue is "Call Queue (Department)".',
		displayOptions: { show: { specifyBody: ['fields'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { specifyBody: ['fields'] } },
		options: [
			SHARED_FIELD_PROPERTIES.businessPhone,
			SHARED_FIELD_PROPERTIES.company,
			{
				displayName: 'Cost Center ID',
				name: 'costCenterId',
				type: 'string',
				default: '',
				description: 'The cost center the extension is billed to, for cost reporting',
			},
			SHARED_FIELD_PROPERTIES.department,
			{
				displayName: 'Extension Number',
				name: 'extensionNumber',
				type: 'string',
				default: '',
				description: 'Leave empty to let RingCentral pick the next free number',
			},
			SHARED_FIELD_PROPERTIES.jobTitle,
			SHARED_FIELD_PROPERTIES.mobilePhone,
			SHARED_FIELD_PROPERTIES.partnerId,
			{
				displayName: 'Password',
				name: 'password',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'With status Enabled, the user can log in at once; otherwise RingCentral sends a welcome email',
			},
			SHARED_FIELD_PROPERTIES.siteId,
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: extensionStatusOptions,
				default: 'NotActivated',
				description:
					'New users start Not Activated unless a password and Enabled are given. In Create or Update, Not Activated applies to new extensions only: an existing one keeps its status.',
			},
		],
	},
	{
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default:
			'{\n  "contact": {\n    "firstName": "",\n    "lastName": "",\n    "email": ""\n  },\n  "type": "User"\n}',
		required: true,
		description: 'An ExtensionCreationRequest, as in the RingCentral API reference',
		displayOptions: { show: { specifyBody: ['json'] } },
	},
];

export const description = updateDisplayOptions({ show }, properties);

/** What it does to an item that goes through (an error ending the run says it per item). */
export const outcome = 'created';

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await ringCentralApiRequest(this, {
		method: 'POST',
		accountId: accountIdOf(this, itemIndex),
		path: '/extension',
		group: 'Medium',
		body: buildCreateBody(this, itemIndex),
		itemIndex,
		expect: 'record',
	});
}
