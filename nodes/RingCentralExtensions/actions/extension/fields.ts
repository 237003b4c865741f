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

/** A form value as text: trimmed, numbers from spreadsheets as strings, blank as absent. */
export function text(value: unknown): string | undefined {
	const trimmed =
		typeof value === 'string'
			? value.trim()
			: value === undefined || value === null
				? ''
				: String(value);
	return trimmed === '' ? undefined : trimmed;
}

/**
 * The first field added to Update Fields whose value is blank. A field is added to be changed:
 * an expression that comes out empty is a mistake in the mapping, not "leave it as it is".
 */
export function blankUpdateField(fields: IDataObject): string | undefined {
	return Object.keys(fields).find((name) => text(fields[name]) === undefined);
}

/** The Update Fields collection as an ExtensionUpdateRequest (unset fields left out). */
export function updateRequestFromFields(fields: IDataObject): IDataObject {
	const contact: IDataObject = {};
	for (const field of CONTACT_FIELDS) {
		const value = text(fields[field]);
		if (value !== undefined) contact[field] = value;
	}
	const siteId = text(fields.siteId);
	const body: IDataObject = {
		contact: Object.keys(contact).length > 0 ? contact : undefined,
		extensionNumber: text(fields.extensionNumber),
		status: text(fields.status),
		partnerId: text(fields.partnerId),
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
