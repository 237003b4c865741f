import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	startFakeRingCentral,
	type FakeRingCentral,
	type FakeRingCentralOptions,
	type RateLimitGroup,
	type RateLimitOptions,
	type RecordedRequest,
} from '../../test/fake-server';
import { runNode, type TestCredential } from '../../test/harness';

/** RingCentral's per-minute counts, per 6-second window (and a 6-second penalty): time scaled by 1/10. */
/**
 * Limits no benchmark reaches, announced in headers as RingCentral always does: without headers
 * the node paces to RingCentral's documented limits, which would measure that pacing instead.
 */
export const UNMETERED_LIMITS: RateLimitOptions = {
	windowSeconds: 1,
	penaltySeconds: 1,
	limits: { Light: 10_000, Medium: 10_000, Heavy: 10_000, Auth: 10_000 },
};

export const SCALED_LIMITS: RateLimitOptions = {
	windowSeconds: 6,
	penaltySeconds: 6,
	limits: { Light: 50, Medium: 40, Heavy: 10, Auth: 5 },
};

/** Runs `measureOn` against a fake RingCentral started for it, and closes the fake after. */
export async function onFreshFake<T>(
	options: FakeRingCentralOptions,
	measureOn: (fake: FakeRingCentral) => Promise<T>,
): Promise<T> {
	const fake = await startFakeRingCentral(options);
	try {
		return await measureOn(fake);
	} finally {
		await fake.close();
	}
}

let credentialCounter = 0;

/** A fresh credential id per run: the node's rate-limit state is kept per credential. */
export function credentialFor(url: string): TestCredential {
	return {
		id: `bench-${++credentialCounter}`,
		type: 'ringCentralAccessTokenApi',
		data: { environment: 'custom', serverUrl: url, accessToken: 'test-access-token' },
	};
}

export interface RunMeasurement {
	wallMs: number;
	cpuMs: number;
	outputItems: number;
	error?: string;
}

/** Runs the node once in n8n's engine; wall and CPU time (this process) around it. */
export async function measureRun(
	url: string,
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
): Promise<RunMeasurement> {
	const credential = credentialFor(url);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const result = await runNode({ credential, parameters, items });
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	return {
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		outputItems: result.items.length,
		error: result.error?.message,
	};
}

export function countBy(
	requests: RecordedRequest[],
	predicate: (request: RecordedRequest) => boolean,
): number {
	return requests.filter(predicate).length;
}

export function requestsPerGroup(
	requests: RecordedRequest[],
): Partial<Record<RateLimitGroup, number>> {
	const counts: Partial<Record<RateLimitGroup, number>> = {};
	for (const { group } of requests) if (group) counts[group] = (counts[group] ?? 0) + 1;
	return counts;
}

/**
 * The least time a run can take: no less than the same run without limits, and no less than
 * the sliding windows allow. N requests of a group with L a window W cannot all be sent
 * before floor((N - 1) / L) windows have passed; the last one then still takes its share.
 */
export function minimumMs(
	unlimitedMs: number,
	perGroup: Partial<Record<RateLimitGroup, number>>,
	limits: RateLimitOptions,
): number {
	const totalRequests = Object.values(perGroup).reduce((sum, count) => sum + (count ?? 0), 0);
	const perRequestMs = totalRequests > 0 ? unlimitedMs / totalRequests : 0;
	const windowBound = Object.entries(perGroup).map(
		([group, count]) =>
			Math.floor(((count ?? 0) - 1) / limits.limits[group as RateLimitGroup]) *
				limits.windowSeconds *
				1000 +
			perRequestMs,
	);
	return Math.max(unlimitedMs, ...windowBound);
}

export function seconds(ms: number, digits = 2): string {
	return (ms / 1000).toFixed(digits);
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function log(line: string): void {
	process.stderr.write(`${line}\n`);
}
