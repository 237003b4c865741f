import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { isPlainObject as isObject } from '../helpers/values';
import { pathSegments } from '../transport/paths';

/** The trigger's `events` values. */
export type ExtensionEvent = 'created' | 'updated' | 'deleted';

export const EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Extension Created', value: 'created' },
	{ name: 'Extension Updated', value: 'updated', description: 'Any change, status included' },
	{ name: 'Extension Deleted', value: 'deleted' },
];

const EVENT_OF_TYPE: Record<string, ExtensionEvent> = {
	Create: 'created',
	Update: 'updated',
	Delete: 'deleted',
};

/** The event envelope RingCentral posts (the spec's ExtensionListEvent / ExtensionInfoEvent). */
export interface Delivery {
	uuid?: string;
	/** The event filter the notification was sent for (the account's extension list). */
	event?: string;
	timestamp?: string;
	subscriptionId?: string;
	changes: ExtensionChange[];
}

export interface ExtensionChange {
	event: ExtensionEvent;
	extensionId: string;
}

/**
 * Reads both body shapes RingCentral uses: the spec's `body: { extensionId, eventType }` and
 * the docs' `body: { extensions: [{ extensionId, eventType, hints }] }`. Entries without an
 * id or with an event type this trigger does not know are skipped.
 */
export function parseDelivery(received: unknown): Delivery {
	const payload = isObject(received) ? received : {};
	const body = isObject(payload.body) ? payload.body : {};
	const entries = Array.isArray(body.extensions) ? body.extensions : [body];
	return {
		uuid: stringOrUndefined(payload.uuid),
		event: stringOrUndefined(payload.event),
		timestamp: stringOrUndefined(payload.timestamp),
		subscriptionId: stringOrUndefined(payload.subscriptionId),
		changes: entries.flatMap((entry: unknown) => {
			const change = isObject(entry) ? toChange(entry) : undefined;
			return change ? [change] : [];
		}),
	};
}

function toChange(entry: IDataObject): ExtensionChange | undefined {
	const event = EVENT_OF_TYPE[String(entry.eventType)];
	const extensionId = entry.extensionId;
	const idIsUsable =
		(typeof extensionId === 'string' && extensionId !== '') || typeof extensionId === 'number';
	return event && idIsUsable ? { event, extensionId: String(extensionId) } : undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** The event filter for every extension of the account (create, update and delete alike). */
export function extensionEventFilter(accountId: string): string {
	return `/restapi/v1.0/account${pathSegments(accountId)}/extension`;
}

/** RingCentral stores "~" resolved to the account's id, so any account id matches "~". */
export function isFilterFor(filter: string, accountId: string): boolean {
	if (accountId !== '~') return filter === extensionEventFilter(accountId);
	return /^\/restapi\/v1\.0\/account\/[^/]+\/extension$/.test(filter);
}
