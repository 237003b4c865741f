// The nightly sync in a real n8n: Get Many (the users now) → Code (the HR list: all of them but
// the signed-in admin and 12 leavers, one moved, two hires) → Create or Update with Missing
// Extensions on Disable. Preview, refusal over Max Disable, the real run, and a rerun.
import type { LoggedRequest } from './lib/fake';
import type { Execution } from './lib/n8n';
import { E2EFailure, log } from './lib/process';
import type { Scenario } from './scenarios';

const NODE = 'Nightly sync';
const LEAVERS = [2071, 2072, 2075, 2077, 2080, 2081, 2083, 2087, 2090, 2092, 2093, 2095].map(
	(n) => `user${n}@example.com`,
);
const SIGNED_IN = '/restapi/v1.0/account/~/extension/100001';

function check(condition: unknown, message: string, details?: unknown): asserts condition {
	if (!condition)
		throw new E2EFailure(
			message,
			details === undefined ? undefined : JSON.stringify(details, null, 2),
		);
}

const writesOf = (requests: LoggedRequest[]) =>
	requests.filter((request) => request.method !== 'GET');
const count = (requests: LoggedRequest[], operationId: string) =>
	requests.filter((request) => request.operationId === operationId).length;

function outcome(execution: Execution) {
	const items = execution.items(NODE);
	const actions = items.map((item) => String(item.json.action ?? `error: ${item.json.error}`));
	const byAction = (action: string) => actions.filter((entry) => entry === action).length;
	const leaving = items.filter((item) =>
		['disabled', 'missing'].includes(String(item.json.action)),
	);
	const emails = leaving.map(
		(item) => (item.json.extension as { contact?: { email?: string } }).contact?.email,
	);
	return { items, byAction, emails };
}

function describe(requests: LoggedRequest[]): string[] {
	return requests.map(
		(r) => `${r.method} ${r.path}${r.rawQuery ? `?${r.rawQuery.slice(0, 80)}` : ''} -> ${r.status}`,
	);
}

export const leaversScenario: Scenario = {
	name: 'leavers',
	workflows: ['e2eLeaversPrev01', 'e2eLeaversLimit1', 'e2eLeaversSync01'],
	async run({ execute, fake }) {
		const preview = await execute('e2eLeaversPrev01');
		check(preview.execution.ok, 'preview: the execution failed', preview.execution.error());
		const planned = outcome(preview.execution);
		check(
			writesOf(preview.requests).length === 0 &&
				planned.byAction('created') === 2 &&
				planned.byAction('updated') === 1 &&
				planned.byAction('disabled') === 12 &&
				LEAVERS.every((email) => planned.emails.includes(email)),
			'preview: expected 2 creates, 1 update and the 12 leavers disabled, nothing written (never refused over Max Disable)',
			{ emails: planned.emails, writes: describe(writesOf(preview.requests)) },
		);
		const paired = planned.items.find((item) => item.json.action === 'disabled')?.pairedItem;
		check(
			Array.isArray(paired) && paired.length === planned.items.length - 12,
			'preview: a disabled item is not paired with every HR row',
			{ paired: Array.isArray(paired) ? paired.length : paired },
		);
		log(`  preview: 2 created, 1 updated, 12 disabled (dry run), ${preview.requests.length} reads`);

		const refused = await execute('e2eLeaversLimit1');
		const message = String(refused.execution.error()?.message ?? '');
		check(
			!refused.execution.ok &&
				message.startsWith(
					'Nothing was written: 12 extensions would be disabled, more than Max Disable (5)',
				) &&
				writesOf(refused.requests).length === 0,
			'over Max Disable: expected the run refused before any write',
			{ message, writes: describe(writesOf(refused.requests)) },
		);
		log(`  Max Disable 5: refused, no write ("${message.slice(0, 90)}…")`);

		const sync = await execute('e2eLeaversSync01');
		check(sync.execution.ok, 'sync: the execution failed', sync.execution.error());
		const done = outcome(sync.execution);
		const reads = sync.requests.filter((request) => request.method === 'GET');
		check(
			done.byAction('created') === 2 &&
				done.byAction('updated') === 1 &&
				done.byAction('disabled') === 12 &&
				count(sync.requests, 'createExtension') === 2 &&
				count(sync.requests, 'extensionBulkUpdate') === 1 &&
				count(sync.requests, 'updateExtension') === 0 &&
				count(sync.requests, 'readCurrentExtension') === 1,
			'sync: expected 2 creates and one bulk update carrying the change and the 12 disables',
			describe(sync.requests),
		);
		for (const email of LEAVERS) {
			const found = await fake.api<{ records: Array<{ status: string }> }>(
				`/restapi/v1.0/account/~/extension?email=${encodeURIComponent(email)}`,
			);
			check(found.records[0]?.status === 'Disabled', `sync: ${email} is not Disabled`, found);
		}
		const admin = await fake.api<{ status: string }>(SIGNED_IN);
		check(admin.status === 'Enabled', 'sync: the signed-in admin was touched', admin);
		log(
			`  sync: 2 created, 1 updated, 12 disabled; ${sync.requests.length} requests (${reads.length} reads); the signed-in admin (not on the list) still Enabled`,
		);

		const again = await execute('e2eLeaversSync01');
		check(again.execution.ok, 'rerun: the execution failed', again.execution.error());
		const rerun = outcome(again.execution);
		check(
			writesOf(again.requests).length === 0 &&
				rerun.items.length > 0 &&
				rerun.byAction('unchanged') === rerun.items.length,
			'rerun: expected every row unchanged and no write',
			{ writes: describe(writesOf(again.requests)) },
		);
		log(`  rerun: ${rerun.items.length} unchanged, no write`);
	},
};
