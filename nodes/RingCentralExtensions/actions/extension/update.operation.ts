import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { conformToSchema, formatIssues } from '../../../shared/helpers/jsonSchema';
import { extensionStatusOptions } from '../../../shared/helpers/options';
import {
	accountIdOf,
	inputError,
	jsonParameter,
	textValue,
} from '../../../shared/helpers/parameters';
import { requestSchemas } from '../../../shared/helpers/schemas.generated';
import { pathSegments, ringCentralApiRequest } from '../../../shared/transport';
import { extensionIdOf, extensionIdProperty } from './extensionLocator';
import {
	blankUpdateField,
	SHARED_FIELD_PROPERTIES,
	specifyBodyProperty,
	updateFieldFor,
	updateRequestFromFields,
	type TextOf,
} from './fields';

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

function rawBody(ctx: IExecuteFunctions, itemIndex: number, fromJson: boolean): unknown {
	if (!fromJson) {
		const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const text: TextOf = (name, value) => textValue(ctx, itemIndex, `updateFields.${name}`, value);
		const blank = blankUpdateField(fields, text);
		if (blank !== undefined) {
			throw inputError(
				ctx,
				itemIndex,
				`updateFields.${blank}`,
				'is empty; remove it to leave the value as it is, or use Specify Body → Using JSON to clear it',
			);
		}
		return updateRequestFromFields(fields, text);
	}
	const body = jsonParameter(ctx, 'jsonBody', itemIndex);
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		throw inputError(ctx, itemIndex, 'jsonBody', 'must be a JSON object (one update per item)');
	}
	return body;
}

function buildBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const fromJson = ctx.getNodeParameter('specifyBody', itemIndex, 'fields') === 'json';
	const { value, issues } = conformToSchema(
		rawBody(ctx, itemIndex, fromJson),
		requestSchemas.extensionUpdateRequest,
		{ unknownProperties: 'reject' },
	);
	if (issues.length > 0) {
		const parameter = fromJson ? 'jsonBody' : updateFieldFor(issues[0].path);
		throw inputError(ctx, itemIndex, parameter, formatIssues(issues));
	}
	const body = value as IDataObject;
	if (Object.keys(body).length === 0) {
		const parameter = fromJson ? 'jsonBody' : 'updateFields';
		throw inputError(ctx, itemIndex, parameter, 'names nothing to change; add at least one field');
	}
	return body;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const body = buildBody(this, itemIndex);
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
