import type { IDataObject, INodeProperties } from 'n8n-workflow';

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

/** Form fields Create's Additional Fields and Update's Update Fields both offer, alike. */
export const SHARED_FIELD_PROPERTIES: Record<
	'businessPhone' | 'company' | 'department' | 'jobTitle' | 'mobilePhone' | 'partnerId' | 'siteId',
	INodeProperties
> = {
	businessPhone: {
		displayName: 'Business Phone',
		name: 'businessPhone',
		type: 'string',
		default: '',
		placeholder: '+16505550100',
		description: 'In E.164 format',
	},
	company: { displayName: 'Company', name: 'company', type: 'string', default: '' },
	department: {
		displayName: 'Department',
		name: 'department',
		type: 'string',
		default: '',
		description: "The user's department in the company directory (not a call queue)",
	},
	jobTitle: { displayName: 'Job Title', name: 'jobTitle', type: 'string', default: '' },
	mobilePhone: {
		displayName: 'Mobile Phone',
		name: 'mobilePhone',
		type: 'string',
		default: '',
		placeholder: '+16505550101',
		description: 'In E.164 format, with the + sign',
	},
	partnerId: {
		displayName: 'Partner ID',
		name: 'partnerId',
		type: 'string',
		default: '',
		description: 'Your own identifier for the extension, e.g. an HR employee ID',
	},
	siteId: {
		displayName: 'Site ID',
		name: 'siteId',
		type: 'string',
		default: '',
		description: 'The site of a multi-site account',
	},
};

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

/** The Specify Body choice of Create and Update: the form, or the whole request as JSON. */
export function specifyBodyProperty(texts: {
	fields: string;
	json: string;
	description: string;
}): INodeProperties {
	return {
		displayName: 'Specify Body',
		name: 'specifyBody',
		type: 'options',
		default: 'fields',
		options: [
			{ name: 'Using Fields Below', value: 'fields', description: texts.fields },
			{ name: 'Using JSON', value: 'json', description: texts.json },
		],
		description: texts.description,
	};
}
