// Inputs several test files build alike: one home, so that they cannot drift apart.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FIRST_EXTENSION_ID } from '../fake-server/seed';

/** Extension · Bulk Update's parameters, polling every second, with the test's own on top. */
export function bulkUpdate(extra: INodeParameters = {}): INodeParameters {
	return { resource: 'extension', operation: 'bulkUpdate', pollInterval: 1, ...extra };
}

/** Bulk-update records that disable the first `count` seeded extensions, by id. */
export function disableRecords(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		id: FIRST_EXTENSION_ID + index,
		status: 'Disabled',
	}));
}
