/** A bulk-update request takes at most this many records (extensionBulkUpdate in the spec). */
export const MAX_RECORDS_PER_REQUEST = 500;

export interface AccountBatch<T> {
	accountId: string;
	entries: T[];
}

/**
 * Entries in as few bulk-update requests as the 500-record limit allows: pooled by `poolOf`
 * (by default their account; every entry of a pool has one account), each pool cut into
 * requests of at most 500, in the order the entries came.
 */
export function batchesByAccount<T>(
	entries: T[],
	accountOf: (entry: T) => string,
	poolOf: (entry: T) => string = accountOf,
): Array<AccountBatch<T>> {
	const pools = new Map<string, AccountBatch<T>>();
	for (const entry of entries) {
		const key = poolOf(entry);
		const pool = pools.get(key) ?? { accountId: accountOf(entry), entries: [] };
		pool.entries.push(entry);
		pools.set(key, pool);
	}
	return [...pools.values()].flatMap(({ accountId, entries: pooled }) => {
		const batches: Array<AccountBatch<T>> = [];
		for (let start = 0; start < pooled.length; start += MAX_RECORDS_PER_REQUEST) {
			batches.push({ accountId, entries: pooled.slice(start, start + MAX_RECORDS_PER_REQUEST) });
		}
		return batches;
	});
}
