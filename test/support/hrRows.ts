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
