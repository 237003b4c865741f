import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { conformToSchema, formatIssues } from '../../../shared/helpers/jsonSchema';
import {
	creatableExtensionTypeOptions,
	extensionStatusOptions,
} from '../../../shared/helpers/options';
import {
	accountIdOf,
	inputError,
	jsonObject,
	jsonParameter,
	textParameter,
	textValue,
} from '../../../shared/helpers/parameters';
import { requestSchemas } from '../../../shared/helpers/schemas.generated';
import { ringCentralApiRequest } from '../../../shared/transport';
import {
	contactFromFields,
	createParameterFor,
	SHARED_FIELD_PROPERTIES,
	specifyBodyProperty,
	sharedTopLevelFields,
	type TextOf,
} from './fields';

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

function bodyFromFields(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const text: TextOf = (name, value) =>
		textValue(ctx, itemIndex, `additionalFields.${name}`, value);
	const contact: IDataObject = {
		...contactFromFields(extra, text),
		firstName: textParameter(ctx, 'firstName', itemIndex),
		lastName: textParameter(ctx, 'lastName', itemIndex),
		email: textParameter(ctx, 'email', itemIndex),
	};
	const costCenterId = text('costCenterId', extra.costCenterId);
	return {
		contact,
		type: ctx.getNodeParameter('extensionType', itemIndex, 'User'),
		...sharedTopLevelFields(extra, text),
		password: text('password', extra.password),
		costCenter: costCenterId && { id: costCenterId },
	};
}

function bodyFromJson(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const body = jsonParameter(ctx, 'jsonBody', itemIndex);
	return jsonObject(
		ctx,
		itemIndex,
		'jsonBody',
		body,
		'must be a JSON object (one extension per item)',
	);
}

/** The item's ExtensionCreationRequest, checked against the spec (also used by Create or Update). */
export function buildBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const fromJson = ctx.getNodeParameter('specifyBody', itemIndex, 'fields') === 'json';
	const raw = fromJson ? bodyFromJson(ctx, itemIndex) : bodyFromFields(ctx, itemIndex);
	const { value, issues } = conformToSchema(raw, requestSchemas.extensionCreationRequest, {
		unknownProperties: 'reject',
	});
	if (issues.length > 0) {
		const parameter = createParameterFor(fromJson, issues[0].path);
		throw inputError(ctx, itemIndex, parameter, formatIssues(issues));
	}
	return value as IDataObject;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await ringCentralApiRequest(this, {
		method: 'POST',
		accountId: accountIdOf(this, itemIndex),
		path: '/extension',
		group: 'Medium',
		body: buildBody(this, itemIndex),
		itemIndex,
		expect: 'record',
	});
}
