import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Delivery, ExtensionChange } from './events';

/** Reads one extension's record; undefined when it is gone (deleted right after the change). */
export type ReadExtension = (extensionId: string) => Promise<IDataObject | undefined>;

/** RingCentral's extension ids are numbers: anything else (`~`, `..`) is not read. */
const EXTENSION_ID = /^\d{1,19}$/;

/** What the delivery says about itself; a value it does not carry is left out, not `undefined`. */
export function envelopeOf({ timestamp, uuid, subscriptionId }: Delivery): IDataObject {
	return Object.fromEntries(
		Object.entries({ timestamp, uuid, subscriptionId }).filter(([, value]) => value !== undefined),
	);
}

/**
 * One item per changed extension, for webhook and WebSocket delivery alike. A change listed
 * twice is one item (read once); an entry that cannot be read becomes an item that says why,
 * so the other changes of the delivery are not lost with it.
 */
export async function itemsForChanges(
	changes: ExtensionChange[],
	envelope: IDataObject,
	includeDetails: boolean,
	read: ReadExtension,
): Promise<INodeExecutionData[]> {
	const items: INodeExecutionData[] = [];
	const seen = new Set<string>();
	for (const change of changes) {
		const key = `${change.event}:${change.extensionId}`;
		if (seen.has(key)) continue;
		seen.add(key);
		const json: IDataObject = { event: change.event, extensionId: change.extensionId };
		if (!EXTENSION_ID.test(change.extensionId)) {
			json.error = `"${change.extensionId}" is not an extension ID: the record was not read`;
		} else if (includeDetails && change.event !== 'deleted') {
			try {
				const extension = await read(change.extensionId);
				if (extension) json.extension = extension;
			} catch (error) {
				json.error = `The extension's record could not be read: ${(error as Error).message}`;
			}
		}
		items.push({ json: { ...json, ...envelope } });
	}
	return items;
}
