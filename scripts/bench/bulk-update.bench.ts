import type { IDataObject } from 'n8n-workflow';

import type { FakeRingCentral, TaskRecord } from '../../test/fake-server';
import { log, measureRun, onFreshFake, UNMETERED_LIMITS } from './measure';

const RECORDS = 10_000;
const SHORTEST_TASK_MS = 2_000;
const LONGEST_TASK_MS = 5_000;

export interface BulkUpdateRow {
	records: number;
	pollIntervalSeconds: number;
	posts: number;
	polls: number;
	wallMs: number;
	postPhaseMs: number;
	/** From the last POST until the run ended: the time spent waiting for the tasks. */
	waitMs: number;
	slowestTaskMs: number;
	/** From the moment the last task was done until the poll that saw it. */
	noticedAfterMs: number;
	tasksCompleted: number;
	error?: string;
}

interface TaskTiming {
	durationMs: number;
	dueAt: number;
}

/**
 * The fake completes every task a fixed time after it was created; spread the durations out
 * (2-5 s, in an order unrelated to creation) by backdating each new task's creation.
 */
function varyTaskDurations(fake: FakeRingCentral): Map<string, TaskTiming> {
	const timings = new Map<string, TaskTiming>();
	const tasks = fake.state.tasks;
	const set = tasks.set.bind(tasks);
	tasks.set = (id: string, record: TaskRecord) => {
		const step = (timings.size * 7) % 20;
		const durationMs = SHORTEST_TASK_MS + ((LONGEST_TASK_MS - SHORTEST_TASK_MS) * step) / 19;
		timings.set(id, { durationMs, dueAt: record.createdAt + durationMs });
		record.createdAt -= LONGEST_TASK_MS - durationMs;
		return set(id, record);
	};
	return timings;
}

async function runOnce(pollIntervalSeconds: number): Promise<BulkUpdateRow> {
	const options = {
		rateLimits: UNMETERED_LIMITS,
		seedExtensions: RECORDS,
		task: { completeAfterMs: LONGEST_TASK_MS },
	};
	return await onFreshFake(options, async (fake) => {
		const timings = varyTaskDurations(fake);
		const items: IDataObject[] = Array.from({ length: RECORDS }, (_, index) => ({
			id: 100001 + index,
			status: 'Disabled',
		}));
		const started = Date.now();
		const run = await measureRun(
			fake.url,
			{ resource: 'extension', operation: 'bulkUpdate', pollInterval: pollIntervalSeconds },
			items,
		);
		const posts = fake.requestsFor('extensionBulkUpdate');
		const polls = fake.requestsFor('getExtensionBulkUpdateTask');
		const [lastTaskId, lastTask] = [...timings.entries()].sort(
			([, a], [, b]) => b.dueAt - a.dueAt,
		)[0];
		const seen = polls.find(
			({ path, at }) => path.endsWith(`/${lastTaskId}`) && at >= lastTask.dueAt,
		);
		return {
			records: RECORDS,
			pollIntervalSeconds,
			posts: posts.length,
			polls: polls.length,
			wallMs: run.wallMs,
			postPhaseMs: posts[posts.length - 1].at - started,
			waitMs: started + run.wallMs - posts[posts.length - 1].at,
			slowestTaskMs: Math.max(...[...timings.values()].map(({ durationMs }) => durationMs)),
			noticedAfterMs: seen ? seen.at - lastTask.dueAt : Number.NaN,
			tasksCompleted: [...fake.state.tasks.values()].filter(
				({ resource }) => resource.status === 'Completed',
			).length,
			error: run.error,
		};
	});
}

/** Bulk-updates 10,000 records (20 tasks of 2-5 s) with a short and the default poll interval. */
export async function runBulkUpdateBenchmarks(): Promise<BulkUpdateRow[]> {
	const rows: BulkUpdateRow[] = [];
	for (const pollIntervalSeconds of [1, 5]) {
		log(`bulk update: ${RECORDS} records, poll interval ${pollIntervalSeconds} s`);
		const row = await runOnce(pollIntervalSeconds);
		log(`  ${row.posts} POSTs, ${row.polls} polls, ${(row.wallMs / 1000).toFixed(2)} s`);
		rows.push(row);
	}
	return rows;
}
