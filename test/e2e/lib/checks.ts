import { FAKE, type LoggedRequest } from './fake';
import type { Execution, NodeItem } from './n8n';
import type { ExecutionDetails } from './n8nServer';
import { E2EFailure } from './process';

/** Fails the scenario with `message` (and `details`: a string as is, anything else as JSON) unless `condition` holds. */
export function check(condition: unknown, message: string, details?: unknown): asserts condition {
	if (!condition) {
		throw new E2EFailure(
			message,
			details === undefined
				? undefined
				: typeof details === 'string'
					? details
					: JSON.stringify(details, null, 2),
		);
	}
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

export function succeeded(execution: Execution, what: string): void {
	if (execution.ok) return;
	const error = execution.error();
	const summary = error
		? [error.message, error.description, error.httpCode ? `HTTP ${String(error.httpCode)}` : '']
				.filter(Boolean)
				.join(' | ')
		: `exit code ${execution.exitCode}, no run data in n8n's output`;
	throw new E2EFailure(
		`${what}: the execution failed: ${summary}`,
		lastLines(execution.output, 60),
	);
}

export function lastLines(text: string, count: number): string {
	return text.trimEnd().split('\n').slice(-count).join('\n');
}

export function api(requests: LoggedRequest[], operationId: string): LoggedRequest[] {
	return requests.filter((request) => request.operationId === operationId);
}

export function describeRequests(requests: LoggedRequest[]): string {
	return requests
		.map(
			(r) =>
				`${r.method} ${r.path}${r.rawQuery ? `?${r.rawQuery}` : ''} -> ${r.status} (${r.operationId ?? '?'})`,
		)
		.join('\n');
}

export function json(item: NodeItem | undefined): Record<string, unknown> {
	return item?.json ?? {};
}

export function isTokenRequest(request: LoggedRequest): boolean {
	return request.method === 'POST' && request.path === FAKE.tokenPath;
}

export function apiCalls(requests: LoggedRequest[]): LoggedRequest[] {
	return requests.filter((request) => !isTokenRequest(request));
}
