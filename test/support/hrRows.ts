import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral } from '../fake-server';
import type { ExtensionRecord, RecordedRequest } from '../fake-server/types';

const WRITES = ['createExtension', 'updateExtension', 'extensionBulkUpdate', 'deleteExtension'];

/** The requests that changed the account: creates, updates (PUT and bulk) and deletes. */
export function writesOf(server: FakeRingCentral): RecordedRequest[] {
	return server.requests.filter(({ operationId }) => WRITES.includes(operationId ?? ''));
}

/** An HR row that says what an extension already holds. */
export function rowOf(extension: ExtensionRecord): IDataObject {
	return {
		firstName: extension.contact.firstName,
		...(extension.contact.lastName && { lastName: extension.contact.lastName }),
		email: extension.contact.email,
	};
}

/** The rows of people who have these extensions, the first `moved` of them now in department Reorganised. */
export function rowsOf(extensions: ExtensionRecord[], moved: number): IDataObject[] {
	return extensions.map((extension, index) => ({
		...rowOf(extension),
		...(index < moved && { department: 'Reorganised' }),
	}));
}

/** Rows for `count` new hires: Hire 1, hire1@example.com, and so on. */
export function newHires(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		firstName: 'Hire',
		lastName: String(index + 1),
		email: `hire${index + 1}@example.com`,
	}));
}

/** Create or Update's default scope for leavers: users that are Enabled or Not Activated. */
export function inDefaultScope(extension: ExtensionRecord): boolean {
	return extension.type === 'User' && ['Enabled', 'NotActivated'].includes(extension.status);
}

/** Create or Update with the form fields read from each item. */
export const CREATE_OR_UPDATE_FIELDS: INodeParameters = {
	resource: 'extension',
	operation: 'createOrUpdate',
	firstName: '={{ $json.firstName }}',
	lastName: '={{ $json.lastName ?? "" }}',
	email: '={{ $json.email }}',
	additionalFields: {
		jobTitle: '={{ $json.jobTitle ?? "" }}',
		department: '={{ $json.department ?? "" }}',
		extensionNumber: '={{ $json.extensionNumber ?? "" }}',
		siteId: '={{ $json.siteId ?? "" }}',
	},
	pollInterval: 1,
};
