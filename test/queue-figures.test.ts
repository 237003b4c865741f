import type { LoggedRequest } from './e2e/lib/fake';
import {
	minimumSeconds,
	missedTargets,
	missedThresholds,
	penaltySeconds,
	spanSeconds,
	type RunFigures,
} from './queue/figures';

function refused(at: number, group = 'Medium'): LoggedRequest {
	return {
		method: 'GET',
		path: '/x',
		rawQuery: '',
		query: {},
		body: undefined,
		status: 429,
		group,
		at,
	} as LoggedRequest;
}

describe('queue test figures', () => {
	it('counts overlapping penalties once, each 429 restarting the 6 s penalty', () => {
		// 0 → 6 s, restarted at 4 s → 10 s; a separate one at 20 s → 26 s, cut at the run's end (24 s).
		const requests = [refused(0), refused(4000), refused(20_000), refused(1000, 'Heavy')];
		expect(penaltySeconds(requests, 'Medium', 24_000)).toBe(14);
		expect(penaltySeconds(requests, 'Heavy', 24_000)).toBe(6);
		expect(penaltySeconds([], 'Medium', 24_000)).toBe(0);
	});

	it("measures the pacing's own span: first to last admitted request of the group", () => {
		const admitted = (at: number, group = 'Medium'): LoggedRequest => ({
			...refused(at, group),
			status: 200,
		});
		const requests = [admitted(900), refused(500), admitted(25_100), admitted(30_000, 'Light')];
		expect(spanSeconds(requests, 'Medium')).toBe(24.2);
		expect(spanSeconds([admitted(900)], 'Medium')).toBe(0);
	});

	it('takes the minimum from the sliding windows: the last of N requests waits ⌊(N − 1) / L⌋ windows', () => {
		expect(minimumSeconds(30, 6)).toBe(24);
		expect(minimumSeconds(20, 2, 1)).toBe(55);
		expect(minimumSeconds(6, 6)).toBe(0);
	});

	it('holds queue mode to four 429s and 1.3 × the minimum, one process to one 429', () => {
		const base: RunFigures = {
			mode: 'queue',
			workflow: 'A',
			run: 1,
			executions: 10,
			succeeded: 10,
			complete: 10,
			problems: [],
			admitted: { Medium: 30 },
			refused: 4,
			penaltySeconds: 6,
			wallSeconds: 31.2,
			minimumSeconds: 24,
			ratio: 1.3,
		};
		expect(missedThresholds(base)).toEqual([]);
		expect(missedThresholds({ ...base, refused: 5, ratio: 1.31 })).toHaveLength(1);
		expect(missedTargets(base)).toEqual([]);
		expect(missedTargets({ ...base, ratio: 1.31 })).toEqual([
			'A, queue, run 1: wall 31.2 s is 1.31 × the minimum 24.0 s (target 1.3)',
		]);
		expect(missedTargets({ ...base, mode: 'one process', ratio: 3 })).toEqual([]);
		expect(missedThresholds({ ...base, mode: 'one process', refused: 1, ratio: 3 })).toEqual([]);
		expect(missedThresholds({ ...base, mode: 'one process', refused: 2 })).toHaveLength(1);
	});
});
