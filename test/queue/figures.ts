import type { LoggedRequest } from '../e2e/lib/fake';

/** The limits the fake is started with for this test (see test/queue/README.md). */
export const LIMITS = {
	windowSeconds: 6,
	penaltySeconds: 6,
	Medium: 6,
	Heavy: 2,
};

export type Mode = 'queue' | 'one process';

export interface RunFigures {
	mode: Mode;
	workflow: string;
	run: number;
	executions: number;
	succeeded: number;
	/** Executions whose output was complete (A: every extension once; B: every record Success). */
	complete: number;
	problems: string[];
	/** Requests the fake admitted, by group. */
	admitted: Record<string, number>;
	refused: number;
	/** Seconds the metered group was under penalty (union of the penalties the 429s started). */
	penaltySeconds: number;
	wallSeconds: number;
	minimumSeconds: number;
	ratio: number;
	/**
	 * From the first to the last admitted request of the metered group, and the least the limits
	 * allow for it: the pacing's own time, without n8n starting and finishing the executions.
	 */
	meteredSpan?: { seconds: number; minimumSeconds: number };
	/** Executions each worker ran (queue mode), from the workers' logs. */
	perWorker?: Record<string, number>;
}

export interface Thresholds {
	max429: number;
	/** A speed target: reported beside the figures, never failed (speed is measured, not asserted). */
	targetRatio?: number;
}

/**
 * The "Done when": 10 of 10 always (run.ts); queue mode ≤ 4 429s, one process ≤ 1 429.
 * The wall time's target (queue mode ≤ 1.3 × the minimum) depends on how busy the machine is:
 * one n8n process with no 429 took 1.06–1.55 × on the same 2 cores. It is printed, not failed.
 */
export function thresholdsFor(mode: Mode): Thresholds {
	return mode === 'queue' ? { max429: 4, targetRatio: 1.3 } : { max429: 1 };
}

export function countByGroup(requests: LoggedRequest[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const request of requests) {
		if (request.status === 429) continue;
		const group = (request as { group?: string }).group ?? 'none';
		counts[group] = (counts[group] ?? 0) + 1;
	}
	return counts;
}

/**
 * How long `group` was locked during the run (until `untilMs`, the last execution's end): every
 * 429 starts (or restarts) a penalty of penaltySeconds.
 */
export function penaltySeconds(requests: LoggedRequest[], group: string, untilMs: number): number {
	const refusals = requests
		.filter((request) => request.status === 429 && (request as { group?: string }).group === group)
		.map((request) => request.at ?? 0)
		.sort((a, b) => a - b);
	const penaltyMs = LIMITS.penaltySeconds * 1000;
	let total = 0;
	let openUntil = -Infinity;
	for (const at of refusals) {
		const end = Math.min(at + penaltyMs, untilMs);
		const start = Math.max(at, openUntil);
		if (end > start) total += end - start;
		openUntil = Math.max(openUntil, end);
	}
	return total / 1000;
}

/**
 * The least time the limits allow for `count` requests of a group with `limit` per window: the
 * last one cannot go out before ⌊(count − 1) / limit⌋ windows have passed; plus `tailSeconds`
 * that follow the last request whatever the pacing (the bulk-update task finishing).
 */
export function minimumSeconds(count: number, limit: number, tailSeconds = 0): number {
	if (count === 0) return tailSeconds;
	return Math.floor((count - 1) / limit) * LIMITS.windowSeconds + tailSeconds;
}

/** First to last admitted request of `group`, in seconds (0 for fewer than two). */
export function spanSeconds(requests: LoggedRequest[], group: string): number {
	const times = requests
		.filter((request) => request.status < 400 && (request as { group?: string }).group === group)
		.map((request) => request.at ?? 0);
	return times.length < 2 ? 0 : (Math.max(...times) - Math.min(...times)) / 1000;
}

function pad(text: string, width: number): string {
	return text.padEnd(width);
}

/** Markdown table of the runs, for the log and docs/benchmarks.md. */
export function table(runs: RunFigures[]): string {
	const header = [
		'Workflow',
		'Mode',
		'Run',
		'Succeeded',
		'Items complete',
		'Requests (admitted)',
		'429s',
		'Under penalty',
		'Wall time',
		'Minimum',
		'Ratio',
		'Metered span',
		'Executions per worker',
	];
	const rows = runs.map((run) => [
		run.workflow,
		run.mode,
		String(run.run),
		`${run.succeeded}/${run.executions}`,
		`${run.complete}/${run.executions}`,
		Object.entries(run.admitted)
			.map(([group, count]) => `${count} ${group}`)
			.join(', '),
		String(run.refused),
		`${run.penaltySeconds.toFixed(1)} s`,
		`${run.wallSeconds.toFixed(1)} s`,
		`${run.minimumSeconds.toFixed(1)} s`,
		run.ratio.toFixed(2),
		run.meteredSpan
			? `${run.meteredSpan.seconds.toFixed(1)} s / ${run.meteredSpan.minimumSeconds.toFixed(1)} s`
			: '—',
		run.perWorker
			? Object.entries(run.perWorker)
					.map(([worker, count]) => `${worker}: ${count}`)
					.join(', ')
			: '—',
	]);
	const widths = header.map((title, column) =>
		Math.max(title.length, ...rows.map((row) => row[column].length)),
	);
	const line = (cells: string[]) =>
		`| ${cells.map((cell, column) => pad(cell, widths[column])).join(' | ')} |`;
	return [
		line(header),
		line(widths.map((width) => '-'.repeat(width))),
		...rows.map((row) => line(row)),
	].join('\n');
}

/** The thresholds a run missed: its 429s. */
export function missedThresholds(run: RunFigures): string[] {
	const { max429 } = thresholdsFor(run.mode);
	if (run.refused <= max429) return [];
	return [`${labelOf(run)}: ${run.refused} 429s (at most ${max429})`];
}

/** The speed targets a run missed, to print beside the figures. */
export function missedTargets(run: RunFigures): string[] {
	const { targetRatio } = thresholdsFor(run.mode);
	if (targetRatio === undefined || run.ratio <= targetRatio) return [];
	return [
		`${labelOf(run)}: wall ${run.wallSeconds.toFixed(1)} s is ${run.ratio.toFixed(2)} × the minimum ${run.minimumSeconds.toFixed(1)} s (target ${targetRatio})`,
	];
}

function labelOf(run: RunFigures): string {
	return `${run.workflow}, ${run.mode}, run ${run.run}`;
}

/** Both workers must have run executions, or the queue test did not test the queue. */
export function checkSpread(runs: RunFigures[], workers: number): string[] {
	const queueRuns = runs.filter((run) => run.mode === 'queue');
	if (queueRuns.length === 0) return [];
	const totals: Record<string, number> = {};
	for (const run of queueRuns)
		for (const [worker, count] of Object.entries(run.perWorker ?? {}))
			totals[worker] = (totals[worker] ?? 0) + count;
	const idle = Array.from({ length: workers }, (_, index) => `worker${index + 1}`).filter(
		(worker) => !totals[worker],
	);
	const unattributed = totals['not in any worker log'] ?? 0;
	return [
		...idle.map((worker) => `queue mode: ${worker} ran no execution`),
		...(unattributed > 0
			? [`queue mode: ${unattributed} execution(s) ran on no worker (in the main process?)`]
			: []),
	];
}
