import type { ExecutionDetails } from './n8nServer';
import { E2EFailure } from './process';

/** Fails the scenario with `message` (and `details`, as JSON) unless `condition` holds. */
export function check(condition: unknown, message: string, details?: unknown): asserts condition {
	if (!condition)
		throw new E2EFailure(
			message,
			details === undefined ? undefined : JSON.stringify(details, null, 2),
		);
}

/** Reads until `done` holds, for up to 30 s (n8n activates and runs in the background). */
export async function waitFor<T>(
	what: string,
	read: () => Promise<T>,
	done: (value: T) => boolean,
): Promise<T> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		const value = await read();
		if (done(value)) return value;
		if (Date.now() > deadline)
			throw new E2EFailure(`timed out waiting for ${what}`, JSON.stringify(value, null, 2));
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

/** The items a node put out in an execution (first run, first output). */
export function outputOf(
	execution: ExecutionDetails,
	node: string,
): Array<Record<string, unknown>> {
	return (execution.run.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []).map(
		(item) => item.json,
	);
}
