import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral, RateLimitOptions } from '../../test/fake-server';
import { newHires, rowsOf } from '../../test/support/hrRows';
import {
	log,
	measureRun,
	minimumMs,
	onFreshFake,
	requestsPerGroup,
	SCALED_LIMITS,
	UNMETERED_LIMITS,
} from './measure';

export const SEEDED = 2_500;
export const LIMITED = 'limits, with headers';
const EXISTING = 700;
const CHANGED = 200;
const NEW = 300;

export interface ProvisionRow {
	run: string;
	mode: string;
	requests: string;
	lists: number;
	creates: number;
	puts: number;
	bulkUpdates: number;
	rateLimited: number;
	wallMs: number;
	minimumMs?: number;
	error?: string;
}

const PARAMETERS: INodeParameters = {
	resource: 'extension',
	operation: 'createOrUpdate',
	firstName: '={{ $json.firstName }}',
	lastName: '={{ $json.lastName ?? "" }}',
	email: '={{ $json.email }}',
	additionalFields: { department: '={{ $json.department ?? "" }}' },
	pollInterval: 1,
};

/** 1,000 HR rows: 700 people who have an extension (200 of them moved department), 300 new hires. */
function hrList(fake: FakeRingCentral): IDataObject[] {
	return [...rowsOf(fake.state.extensions.slice(0, EXISTING), CHANGED), ...newHires(NEW)];
}

function describe(perGroup: Partial<Record<string, number>>, rateLimited: number): string {
	const total = Object.values(perGroup).reduce((sum = 0, count = 0) => sum + count, 0) ?? 0;
	const groups = Object.entries(perGroup).map(([group, count]) => `${count} ${group}`);
	return `${total + rateLimited} (${groups.join(', ')}${rateLimited ? `, ${rateLimited} refused` : ''})`;
}

export async function measure(
	fake: FakeRingCentral,
	run: string,
	mode: string,
	items: IDataObject[],
	extra: INodeParameters = {},
): Promise<ProvisionRow> {
	fake.reset();
	const result = await measureRun(fake.url, { ...PARAMETERS, ...extra }, items);
	if (fake.violations.length > 0)
		throw new Error(`Spec violations: ${JSON.stringify(fake.violations[0])}`);
	const answered = fake.requests.filter(({ status }) => status !== 429);
	const rateLimited = fake.requests.length - answered.length;
	const of = (operationId: string) =>
		answered.filter((request) => request.operationId === operationId).length;
	const row: ProvisionRow = {
		run,
		mode,
		requests: describe(requestsPerGroup(answered), rateLimited),
		lists: of('listExtensions'),
		creates: of('createExtension'),
		puts: of('updateExtension'),
		bulkUpdates: of('extensionBulkUpdate'),
		rateLimited,
		wallMs: result.wallMs,
		error: result.error,
	};
	log(`  ${run}, ${mode}: ${row.requests}, ${(row.wallMs / 1000).toFixed(2)} s`);
	return row;
}

/** Runs `measureOn` against a fresh account of 2,500 extensions under these limits. */
export async function onFreshAccount<T>(
	rateLimits: RateLimitOptions,
	measureOn: (fake: FakeRingCentral) => Promise<T>,
): Promise<T> {
	return await onFreshFake(
		{ rateLimits, seedExtensions: SEEDED, task: { completeAfterPolls: 1 } },
		measureOn,
	);
}

/** One measured run of a list: its name, its mode, parameters beyond the benchmark's own. */
export type MeasureOn<Row> = (
	fake: FakeRingCentral,
	run: string,
	mode: string,
	extra?: INodeParameters,
) => Promise<Row>;

/**
 * The runs every Create or Update benchmark makes: the first run without limits (the baseline),
 * then under the scaled limits, on one account, a preview, the first run (with the minimum the
 * baseline's requests allow) and a second run of the same list.
 */
export async function baselineAndLimitedRuns<Row extends ProvisionRow>(
	measureOn: MeasureOn<Row>,
): Promise<{ baseline: Row; first: Row; second: Row; preview: Row }> {
	const baseline = await onFreshAccount(UNMETERED_LIMITS, async (fake) => ({
		row: await measureOn(fake, 'First run', 'no limits (baseline)'),
		groups: requestsPerGroup(fake.requests),
	}));
	const [preview, first, second] = await onFreshAccount(SCALED_LIMITS, async (fake) => [
		await measureOn(fake, 'Preview (dry run)', LIMITED, { dryRun: true }),
		await measureOn(fake, 'First run', LIMITED),
		await measureOn(fake, 'Second run, same list', LIMITED),
	]);
	first.minimumMs = minimumMs(baseline.row.wallMs, baseline.groups, SCALED_LIMITS);
	return { baseline: baseline.row, first, second, preview };
}

/** Create or Update of 1,000 people (300 new, 200 changed) in an account of 2,500 extensions. */
export async function runProvisionBenchmarks(): Promise<ProvisionRow[]> {
	log('create or update: 1,000 people, 300 new, 200 changed');
	const { baseline, first, second, preview } = await baselineAndLimitedRuns(
		async (fake, run, mode, extra) => await measure(fake, run, mode, hrList(fake), extra),
	);
	return [baseline, first, second, preview];
}
