import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral } from '../../test/fake-server';
import { inDefaultScope, newHires, rowsOf } from '../../test/support/hrRows';
import { log, SCALED_LIMITS, seconds } from './measure';
import {
	baselineAndLimitedRuns,
	LIMITED,
	measure,
	onFreshAccount,
	SEEDED,
	type ProvisionRow,
} from './provision.bench';

const STAYING = 950;
const CHANGED = 100;
const LEAVERS = 50;
const NEW = 50;

const DISABLE: INodeParameters = { missingExtensions: 'disable', maxDisable: LEAVERS };

/**
 * 1,000 HR rows in an account of 2,500 extensions (1,001 users Enabled or Not Activated, the
 * default scope, the signed-in admin among them): 950 of those users (100 moved department),
 * 50 new hires; the last 50 users of the scope have left.
 */
function hrList(fake: FakeRingCentral): IDataObject[] {
	const scope = fake.state.extensions.filter(inDefaultScope);
	if (scope.length !== 1 + STAYING + LEAVERS) throw new Error(`scope of ${scope.length}`);
	return [...rowsOf(scope.slice(1, 1 + STAYING), CHANGED), ...newHires(NEW)];
}

export interface LeaversRow extends ProvisionRow {
	disabled: number;
}

function withDisabled(fake: FakeRingCentral, row: ProvisionRow): LeaversRow {
	const disabled = fake.requests
		.filter(({ operationId, status }) => operationId === 'extensionBulkUpdate' && status === 200)
		.flatMap(({ body }) => (body as { records: IDataObject[] }).records)
		.filter((record) => record.status === 'Disabled').length;
	return { ...row, disabled };
}

/**
 * Create or Update with Missing Extensions set to Disable: the baseline without limits, then
 * under the scaled limits a preview, the first run, a second run of the same list, and the same
 * list with Keep (0.2's requests, the leavers left alone) for comparison.
 */
export async function runLeaversBenchmarks(): Promise<LeaversRow[]> {
	log(
		`create or update with leavers: 1,000 people, ${NEW} new, ${CHANGED} changed, ${LEAVERS} left`,
	);
	const run = async (fake: FakeRingCentral, name: string, mode: string, extra = {}) =>
		withDisabled(fake, await measure(fake, name, mode, hrList(fake), { ...DISABLE, ...extra }));
	const { baseline, first, second, preview } = await baselineAndLimitedRuns(run);
	const keep = await onFreshAccount(SCALED_LIMITS, async (fake) =>
		withDisabled(fake, await measure(fake, 'First run, Keep (0.2)', LIMITED, hrList(fake))),
	);
	return [baseline, first, second, preview, keep];
}

export function leaversSection(rows: LeaversRow[]): string {
	const lines = [
		'## Create or Update with leavers',
		'',
		`1,000 HR rows, matched on email, in an account of ${SEEDED.toLocaleString('en-US')} extensions, with Missing Extensions set to Disable (Max Disable ${LEAVERS}): ${STAYING} of the 1,001 users in the default scope (users, Enabled or Not Activated; the signed-in admin is the 1,001st and is never disabled), ${CHANGED} of them with a new department, ${NEW} new hires; the other ${LEAVERS} users have left. Under the scaled limits of the Rate limits section. Expected: 2 pages of the scope (1,001 users) and 1 filtered request for the ${NEW} emails it lacks, 1 read of the signed-in extension (Light), ${NEW} creates, 1 bulk update carrying the ${CHANGED} changes and the ${LEAVERS} disables together, and its status poll; a second run and a preview write nothing. The last row is the same list with Keep: the requests of 0.2, the leavers left alone.`,
		'',
		'| Run | Mode | Requests (by group) | Lists | Creates | Bulk updates | Disabled | 429s | Wall time | Minimum | Ratio |',
		'|---|---|---|---|---|---|---|---|---|---|---|',
	];
	for (const row of rows) {
		const minimum = row.minimumMs === undefined ? '—' : `${seconds(row.minimumMs)} s`;
		const ratio = row.minimumMs === undefined ? '—' : (row.wallMs / row.minimumMs).toFixed(2);
		lines.push(
			`| ${row.run} | ${row.mode} | ${row.requests} | ${row.lists} | ${row.creates} | ${row.bulkUpdates} | ${row.disabled} | ${row.rateLimited} | ${seconds(row.wallMs)} s | ${minimum} | ${ratio}${row.error ? ` error: ${row.error}` : ''} |`,
		);
	}
	lines.push(
		'',
		`The leavers cost one Light request (the signed-in extension) and ${LEAVERS} more records in the bulk update the changes need anyway; the scope read serves the matching, so the run lists no more pages than Keep does (and the second run, whose people are all in scope, one page fewer). Wall time is Keep's too: the gap to the minimum is the transport's even spacing of the 53 Medium requests over the windows (see Rate limits), not the leavers.`,
	);
	return lines.join('\n');
}
