import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startFakeRingCentral, type FakeRingCentral } from '../../test/fake-server';
import {
	log,
	measureRun,
	minimumMs,
	requestsPerGroup,
	SCALED_LIMITS,
	UNMETERED_LIMITS,
} from './measure';

const SEEDED = 2_500;
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
	const existing = fake.state.extensions.slice(0, EXISTING).map((extension, index) => ({
		firstName: extension.contact.firstName,
		...(extension.contact.lastName && { lastName: extension.contact.lastName }),
		email: extension.contact.email,
		...(index < CHANGED && { department: 'Reorganised' }),
	}));
	const hires = Array.from({ length: NEW }, (_, index) => ({
		firstName: 'Hire',
		lastName: String(index + 1),
		email: `hire${index + 1}@example.com`,
	}));
	return [...existing, ...hires];
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

/**
 * Create or Update of 1,000 people (300 new, 200 changed) in an account of 2,500 extensions:
 * the first run without limits (the baseline) and under the scaled limits, then a second run
 * and a preview of the same list under the limits.
 */
export async function runProvisionBenchmarks(): Promise<ProvisionRow[]> {
	log('create or update: 1,000 people, 300 new, 200 changed');
	const rows: ProvisionRow[] = [];
	const baseline = await startFakeRingCentral({
		rateLimits: UNMETERED_LIMITS,
		seedExtensions: SEEDED,
		task: { completeAfterPolls: 1 },
	});
	let baselineRow: ProvisionRow;
	let baselineGroups: ReturnType<typeof requestsPerGroup>;
	try {
		baselineRow = await measure(baseline, 'First run', 'no limits (baseline)', hrList(baseline));
		baselineGroups = requestsPerGroup(baseline.requests);
		rows.push(baselineRow);
	} finally {
		await baseline.close();
	}
	const limited = await startFakeRingCentral({
		seedExtensions: SEEDED,
		task: { completeAfterPolls: 1 },
		rateLimits: SCALED_LIMITS,
	});
	try {
		const list = hrList(limited);
		const preview = await measure(limited, 'Preview (dry run)', 'limits, with headers', list, {
			dryRun: true,
		});
		const first = await measure(limited, 'First run', 'limits, with headers', list);
		first.minimumMs = minimumMs(baselineRow.wallMs, baselineGroups, SCALED_LIMITS);
		const second = await measure(limited, 'Second run, same list', 'limits, with headers', list);
		rows.push(first, second, preview);
	} finally {
		await limited.close();
	}
	return rows;
}
