import type { IDataObject } from 'n8n-workflow';

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

/** The Update Fields collection as an ExtensionUpdateRequest (unset fields left out). */
export function updateRequestFromFields(fields: IDataObject, text: TextOf): IDataObject {
	const contact: IDataObject = {};
	for (const field of CONTACT_FIELDS) {
		const value = text(field, fields[field]);
		if (value !== undefined) contact[field] = value;
	}
	const siteId = text('siteId', fields.siteId);
	const body: IDataObject = {
		contact: Object.keys(contact).length > 0 ? contact : undefined,
		extensionNumber: text('extensionNumber', fields.extensionNumber),
		status: text('status', fields.status),
		partnerId: text('partnerId', fields.partnerId),
		site: siteId && { id: siteId },
	};
	return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

/** The node parameter behind a path of a request built from Update Fields. */
export function updateFieldFor(path: string): string {
	const [head, field] = path.split('.');
	if (head === 'site') return 'updateFields.siteId';
	return `updateFields.${head === 'contact' ? (field ?? head) : head}`;
}
