import type { INodeProperties } from 'n8n-workflow';

/** The `extensionId` resource locator of Get, Update and Delete ("~" offered where it is allowed). */
export function extensionIdProperty(
	description: string,
	{ ownExtension = true }: { ownExtension?: boolean } = {},
): INodeProperties {
	return {
		displayName: 'Extension',
		name: 'extensionId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an extension...',
				typeOptions: { searchListMethod: 'searchExtensions', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 62372045008',
				...(ownExtension && { hint: '"~" is the extension the credential belongs to' }),
			},
		],
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
