import type { IDataObject } from 'n8n-workflow';

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
