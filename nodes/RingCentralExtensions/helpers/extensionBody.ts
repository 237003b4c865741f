import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { conformToSchema, formatIssues } from '../../shared/helpers/jsonSchema';
import { inputError } from '../../shared/helpers/inputErrors';
import {
	jsonObject,
	jsonParameter,
	pathId,
	textParameter,
	textValue,
} from '../../shared/helpers/parameters';
import { requestSchemas } from '../../shared/helpers/schemas.generated';

/** Fields of the form that RingCentral keeps under `contact`. */
export const CONTACT_FIELDS = [
	'firstName',
	'lastName',
	'email',
	'company',
	'jobTitle',
	'department',
	'businessPhone',
	'mobilePhone',
] as const;

/** Reads one form value as text (see `textValue` in helpers/parameters.ts: objects are refused). */
export type TextOf = (name: string, value: unknown) => string | undefined;

/**
 * The first field added to Update Fields whose value is blank. A field is added to be changed:
 * an expression that comes out empty is a mistake in the mapping, not "leave it as it is".
 */
export function blankUpdateField(fields: IDataObject, text: TextOf): string | undefined {
	return Object.keys(fields).find((name) => text(name, fields[name]) === undefined);
}

/** The form fields that go under `contact`, as text (unset ones left out). */
export function contactFromFields(fields: IDataObject, text: TextOf): IDataObject {
	const contact: IDataObject = {};
	for (const field of CONTACT_FIELDS) {
		const value = text(field, fields[field]);
		if (value !== undefined) contact[field] = value;
	}
	return contact;
}

/** The top-level fields Create and Update share, as text (unset ones left out). */
export function sharedTopLevelFields(fields: IDataObject, text: TextOf): IDataObject {
	const siteId = text('siteId', fields.siteId);
	const body: IDataObject = {
		extensionNumber: text('extensionNumber', fields.extensionNumber),
		status: text('status', fields.status),
		partnerId: text('partnerId', fields.partnerId),
		site: siteId && { id: siteId },
	};
	return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

/** The Update Fields collection as an ExtensionUpdateRequest (unset fields left out). */
export function updateRequestFromFields(fields: IDataObject, text: TextOf): IDataObject {
	const contact = contactFromFields(fields, text);
	return {
		...(Object.keys(contact).length > 0 && { contact }),
		...sharedTopLevelFields(fields, text),
	};
}

/** The node parameter behind a path of Create's (and Create or Update's) request, for error messages. */
export function createParameterFor(fromJson: boolean, path: string): string {
	if (fromJson) return 'jsonBody';
	const [head, field] = path.split('.');
	if (head === 'contact' && (field === 'firstName' || field === 'lastName' || field === 'email'))
		return field;
	if (head === 'type') return 'extensionType';
	if (head === 'site') return 'additionalFields.siteId';
	if (head === 'costCenter') return 'additionalFields.costCenterId';
	return `additionalFields.${field ?? head}`;
}

/** The node parameter behind a path of a request built from Update Fields. */
export function updateFieldFor(path: string): string {
	const [head, field] = path.split('.');
	if (head === 'site') return 'updateFields.siteId';
	return `updateFields.${head === 'contact' ? (field ?? head) : head}`;
}

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

/** The item's ExtensionCreationRequest, checked against the spec (Create and Create or Update). */
export function buildCreateBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
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

/** The item's ExtensionUpdateRequest, checked against the spec; one that changes nothing is refused. */
export function buildUpdateBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
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

/** The chosen extension's id, checked to be usable as one URL path segment. */
export function extensionIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('extensionId', itemIndex, '', { extractValue: true });
	if (typeof value !== 'string' && typeof value !== 'number') {
		return pathId(ctx, 'extensionId', itemIndex, '');
	}
	return pathId(ctx, 'extensionId', itemIndex, String(value));
}
