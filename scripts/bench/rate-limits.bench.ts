import type { IDataObject, INodeParameters } from 'n8n-workflow';

import {
	startFakeRingCentral,
	type FakeRingCentralOptions,
	type RateLimitGroup,
} from '../../test/fake-server';
import {
	log,
	measureRun,
	median,
	minimumMs,
	requestsPerGroup,
	SCALED_LIMITS,
	UNMETERED_LIMITS,
} from './measure';

interface Scenario {
	name: string;
	seedExtensions: number;
	task?: FakeRingCentralOptions['task'];
	parameters: INodeParameters;
	items: IDataObject[];
	/** Runs of short scenarios are repeated and their median taken, to steady the ratio. */
	repeat: number;
}

export interface RateLimitRow {
	scenario: string;
	mode: string;
	/** Whether the fake applied rate limits (the baseline does not). */
	limited: boolean;
	requests: string;
	rateLimited: number;
	wallMs: number;
	minimumMs: number;
	error?: string;
}

function disableRecords(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({ id: 100001 + index, status: 'Disabled' }));
}

const scenarios: Scenario[] = [
	{
		name: 'List 20,000 extensions (Return All)',
		seedExtensions: 20_000,
		parameters: { resource: 'extension', operation: 'getAll', returnAll: true },
		items: [{}],
		repeat: 5,
	},
	{
		name: 'Bulk-update 5,000 records, waiting for the tasks (poll interval 1 s)',
		seedExtensions: 5_000,
		task: { completeAfterPolls: 1 },
		parameters: { resource: 'extension', operation: 'bulkUpdate', pollInterval: 1 },
		items: disableRecords(5_000),
		repeat: 5,
	},
	{
		name: 'Look up 200 users by email, one item each (needs pacing)',
		seedExtensions: 200,
		parameters: {
			resource: 'extension',
			operation: 'getAll',
			limit: 1,
			filters: { email: '={{ $json.email }}' },
		},
		items: Array.from({ length: 200 }, (_, index) => ({ email: `user${index + 1}@example.com` })),
		repeat: 1,
	},
	{
		name: 'Bulk-update 25,000 records without waiting (needs pacing)',
		seedExtensions: 100,
		parameters: { resource: 'extension', operation: 'bulkUpdate', waitForCompletion: false },
		items: disableRecords(25_000),
		repeat: 1,
	},
];

interface ModeResult {
	wallMs: number;
	perGroup: Partial<Record<RateLimitGroup, number>>;
	rateLimited: number;
	error?: string;
}

async function runOnce(
	scenario: Scenario,
	rateLimits: FakeRingCentralOptions['rateLimits'],
): Promise<ModeResult> {
	const fake = await startFakeRingCentral({
		seedExtensions: scenario.seedExtensions,
		task: scenario.task,
		rateLimits,
	});
	try {
		const run = await measureRun(fake.url, scenario.parameters, scenario.items);
		if (fake.violations.length > 0)
			throw new Error(`Spec violations: ${JSON.stringify(fake.violations[0])}`);
		return {
			wallMs: run.wallMs,
			perGroup: requestsPerGroup(fake.requests.filter(({ status }) => status !== 429)),
			rateLimited: fake.requests.filter(({ status }) => status === 429).length,
			error: run.error,
		};
	} finally {
		await fake.close();
	}
}

const MODES: Array<[string, FakeRingCentralOptions['rateLimits']]> = [
	['no limits (baseline)', UNMETERED_LIMITS],
	['limits, with X-Rate-Limit headers', SCALED_LIMITS],
	// No "without headers" mode: since 0.2 the node then paces to RingCentral's documented
	// per-minute limits, far below these scaled ones, on purpose (tested in test/rate-limiter.test.ts).
];

/**
 * Every mode of a scenario, repeated in turns (baseline, limits, baseline, ...)
 * so that a busy moment of the machine does not fall on one mode only; medians of wall time.
 */
async function runModes(scenario: Scenario): Promise<ModeResult[]> {
	const runs: ModeResult[][] = MODES.map(() => []);
	for (let round = 0; round < scenario.repeat; round++) {
		for (const [index, [, rateLimits]] of MODES.entries())
			runs[index].push(await runOnce(scenario, rateLimits));
	}
	return runs.map((modeRuns) => ({
		...modeRuns[modeRuns.length - 1],
		wallMs: median(modeRuns.map((run) => run.wallMs)),
		rateLimited: Math.max(...modeRuns.map((run) => run.rateLimited)),
		error: modeRuns.find((run) => run.error)?.error,
	}));
}

function describeRequests(result: ModeResult): string {
	const total =
		Object.values(result.perGroup).reduce((sum, count) => sum + (count ?? 0), 0) +
		result.rateLimited;
	const groups = Object.entries(result.perGroup).map(([group, count]) => `${count} ${group}`);
	return `${total} (${groups.join(', ')}${result.rateLimited ? `, ${result.rateLimited} refused` : ''})`;
}

/** Each scenario without limits (the baseline), then with scaled limits announced in headers. */
export async function runRateLimitBenchmarks(): Promise<RateLimitRow[]> {
	const rows: RateLimitRow[] = [];
	for (const scenario of scenarios) {
		log(`rate limits: ${scenario.name}`);
		const results = await runModes(scenario);
		const minimum = minimumMs(results[0].wallMs, results[0].perGroup, SCALED_LIMITS);
		for (const [index, [mode, rateLimits]] of MODES.entries()) {
			const result = results[index];
			log(`  ${mode}: ${describeRequests(result)}, ${(result.wallMs / 1000).toFixed(2)} s`);
			rows.push({
				scenario: scenario.name,
				mode,
				limited: rateLimits !== UNMETERED_LIMITS,
				requests: describeRequests(result),
				rateLimited: result.rateLimited,
				wallMs: result.wallMs,
				minimumMs: minimum,
				error: result.error,
			});
		}
	}
	return rows;
}

/** Loads and compiles everything once, so the first measured run is not the slowest. */
export async function warmUp(): Promise<void> {
	const fake = await startFakeRingCentral({
		rateLimits: UNMETERED_LIMITS,
		seedExtensions: 1000,
		task: { completeAfterPolls: 1 },
	});
	try {
		await measureRun(fake.url, { resource: 'extension', operation: 'getAll', returnAll: true });
		await measureRun(
			fake.url,
			{
				resource: 'extension',
				operation: 'getAll',
				limit: 1,
				filters: { email: '={{ $json.email }}' },
			},
			[{ email: 'user1@example.com' }],
		);
		await measureRun(
			fake.url,
			{ resource: 'extension', operation: 'bulkUpdate', pollInterval: 1 },
			disableRecords(600),
		);
	} finally {
		await fake.close();
	}
}
