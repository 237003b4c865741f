/**
 * Delivery uuids seen recently, per subscription, in this process's memory.
 *
 * Static data cannot hold them: n8n 2.41 drops what `webhook()` writes there whenever it
 * starts an execution. So a repeat is recognised only by the n8n process that received the
 * first delivery, and only until it restarts (see the README's trigger section).
 */
const MAX_UUIDS_PER_SUBSCRIPTION = 1000;
const MAX_SUBSCRIPTIONS = 200;

const seen = new Map<string, Set<string>>();

/** Records the uuid; false when it was already there (a repeated delivery). */
export function claimDelivery(subscriptionKey: string, uuid: string): boolean {
	let uuids = seen.get(subscriptionKey);
	if (uuids?.has(uuid)) return false;
	if (!uuids) {
		uuids = new Set();
		seen.set(subscriptionKey, uuids);
		evictOldest(seen, MAX_SUBSCRIPTIONS);
	}
	uuids.add(uuid);
	evictOldest(uuids, MAX_UUIDS_PER_SUBSCRIPTION);
	return true;
}

/** Forgets a uuid whose delivery could not be turned into an execution, so a retry may run. */
export function releaseDelivery(subscriptionKey: string, uuid: string): void {
	seen.get(subscriptionKey)?.delete(uuid);
}

/** Maps and sets iterate in insertion order: the first key is the oldest. */
function evictOldest(collection: Map<string, unknown> | Set<string>, max: number): void {
	while (collection.size > max) {
		const oldest = collection.keys().next().value as string;
		collection.delete(oldest);
	}
}
