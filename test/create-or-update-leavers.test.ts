// extension · createOrUpdate with missingExtensions: the HR list as the source of truth. The
// extensions in scope that nobody on the list holds are reported or disabled in the same run.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral } from './fake-server';
import type { RecordedRequest } from './fake-server/types';
import { runNode, type RunNodeOptions } from './harness';
import {
	CREATE_OR_UPDATE_FIELDS as FIELDS,
	inDefaultScope,
	newHires,
	rowOf,
	rowsOf,
	writesOf,
} from './support/hrRows';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const SIGNED_IN_ID = 100001;

async function provision(
	server: FakeRingCentral,
	items: IDataObject[],
	parameters: INodeParameters = {},
	options: Partial<RunNodeOptions> = {},
) {
	return await runNode({
		credential: accessTokenCredential(server),
		items,
		parameters: { ...FIELDS, ...parameters },
		...options,
	});
}

/** The request log as `METHOD path?query`, query keys in the order sent. */
function requestLog(server: FakeRingCentral): string[] {
	return server.requests.map(
		({ method, path, rawQuery }) => `${method} ${path}${rawQuery ? `?${rawQuery}` : ''}`,
	);
}

const actionsOf = (items: INodeExecutionData[]) => items.map(({ json }) => json.action);
const count = (values: unknown[], value: unknown) => values.filter((v) => v === value).length;
const recordsOf = (request: RecordedRequest) =>
	(request.body as { records: IDataObject[] }).records;

describe('createOrUpdate, missingExtensions, in an account of 2,500 extensions', () => {
	const fake = useFakeRingCentral({ seedExtensions: 2500, task: { completeAfterPolls: 1 } });

	/**
	 * 980 rows: 950 of the 1,001 users in scope (not the signed-in admin, not the last 50, who
	 * have left; 20 moved department), 5 people whose extension is Disabled (out of scope; they
	 * moved too) and 25 new hires.
	 */
	function hrList() {
		const extensions = fake.server.state.extensions;
		const scope = extensions.filter(inDefaultScope);
		const leavers = scope.slice(-50);
		const stayers = rowsOf(scope.slice(1, -50), 20);
		const returning = extensions
			.filter(({ type, status }) => type === 'User' && status === 'Disabled')
			.slice(0, 5)
			.map((extension) => ({ ...rowOf(extension), department: 'Returned' }));
		return { rows: [...stayers, ...returning, ...newHires(25)], leavers, scope };
	}

	test('keep (the default) sends exactly the requests 0.2 sent: the whole list, the creates, one bulk update', async () => {
		const { rows } = hrList();
		const { error } = await provision(fake.server, rows);
		expect(error).toBeUndefined();
		const log = requestLog(fake.server);
		const taskId = [...fake.server.state.tasks.keys()][0];
		expect(log).toEqual([
			'GET /restapi/v1.0/account/~/extension?page=1&perPage=1000',
			'GET /restapi/v1.0/account/~/extension?page=2&perPage=1000',
			'GET /restapi/v1.0/account/~/extension?page=3&perPage=1000',
			'POST /restapi/v1.0/account/~/extension-bulk-update',
			`GET /restapi/v1.0/account/~/extension-bulk-update/tasks/${taskId}`,
			...Array(25).fill('POST /restapi/v1.0/account/~/extension'),
		]);
		expect(recordsOf(fake.server.requestsFor('extensionBulkUpdate')[0])).toHaveLength(25);

		// The same run with Keep chosen, on a fresh account: the same log.
		fake.server.reset({ state: true });
		await provision(fake.server, hrList().rows, {
			missingExtensions: 'keep',
			scope: { types: ['Room'] },
		});
		const [again] = [requestLog(fake.server)];
		const newTaskId = [...fake.server.state.tasks.keys()][0];
		expect(again).toEqual(log.map((line) => line.replace(taskId, newTaskId)));
	});

	test('report: the scope read once serves the matching; one item per leaver, paired with every row; nothing written to them', async () => {
		const { rows, leavers } = hrList();
		const { items, error } = await provision(fake.server, rows, { missingExtensions: 'report' });
		expect(error).toBeUndefined();

		const lists = fake.server.requestsFor('listExtensions');
		// Two pages of the scope (1,001 users), then the 30 emails it lacks in one filtered request.
		expect(lists.map(({ rawQuery }) => rawQuery.replace(/^email=.*/, 'email=…'))).toEqual([
			'type=User&status=Enabled&status=NotActivated&page=1&perPage=1000',
			'type=User&status=Enabled&status=NotActivated&page=2&perPage=1000',
			'email=…',
		]);
		expect(lists[2].query.email).toHaveLength(30);
		expect(fake.server.requestsFor('readCurrentExtension')).toHaveLength(1);

		const actions = actionsOf(items);
		expect(actions.slice(0, rows.length)).toEqual([
			...Array(20).fill('updated'),
			...Array(930).fill('unchanged'),
			...Array(5).fill('updated'),
			...Array(25).fill('created'),
		]);
		const missing = items.slice(rows.length);
		expect(missing.map(({ json }) => json.action)).toEqual(Array(50).fill('missing'));
		expect(missing.map(({ json }) => (json.extension as IDataObject).id)).toEqual(
			leavers.map(({ id }) => id),
		);
		expect(missing[0].json).toEqual({ action: 'missing', extension: expect.any(Object) });
		expect(missing[0].pairedItem).toEqual(rows.map((_, item) => ({ item })));
		// The creates and updates went ahead; the leavers and the signed-in admin are as they were.
		expect(fake.server.requestsFor('createExtension')).toHaveLength(25);
		const records = recordsOf(fake.server.requestsFor('extensionBulkUpdate')[0]);
		expect(records).toHaveLength(25);
		expect(records.every((record) => record.status === undefined)).toBe(true);
		expect(leavers.every(inDefaultScope)).toBe(true);
	});

	test('disable: the leavers go in the same bulk update as the changes; a second run writes nothing', async () => {
		const { rows, leavers } = hrList();
		const before = new Map(leavers.map(({ id, status }) => [id, status]));
		const { items, error } = await provision(fake.server, rows, {
			missingExtensions: 'disable',
			maxDisable: 50,
		});
		expect(error).toBeUndefined();
		const bulk = fake.server.requestsFor('extensionBulkUpdate');
		expect(bulk).toHaveLength(1);
		const records = recordsOf(bulk[0]);
		expect(records).toHaveLength(75);
		expect(records.slice(25)).toEqual(
			leavers.map(({ id }) => ({ id: String(id), status: 'Disabled' })),
		);
		expect(fake.server.requestsFor('listExtensions')).toHaveLength(3);
		expect(fake.server.requestsFor('createExtension')).toHaveLength(25);
		expect(fake.server.requestsFor('updateExtension')).toHaveLength(0);

		const disabled = items.slice(rows.length);
		expect(disabled).toHaveLength(50);
		expect(disabled[0].json).toEqual({
			action: 'disabled',
			changes: { status: { from: before.get(leavers[0].id), to: 'Disabled' } },
			extension: expect.objectContaining({ id: leavers[0].id, status: 'Disabled' }),
		});
		expect(disabled.every(({ json }) => json.action === 'disabled')).toBe(true);
		expect(disabled[49].pairedItem).toHaveLength(rows.length);
		expect(leavers.every(({ status }) => status === 'Disabled')).toBe(true);
		const signedIn = fake.server.state.extensions.find(({ id }) => id === SIGNED_IN_ID)!;
		expect(signedIn.status).toBe('Enabled');

		fake.server.reset();
		const second = await provision(fake.server, rows, {
			missingExtensions: 'disable',
			maxDisable: 50,
		});
		expect(second.error).toBeUndefined();
		expect(writesOf(fake.server)).toEqual([]);
		expect(second.items).toHaveLength(rows.length);
		expect(second.items.every(({ json }) => json.action === 'unchanged')).toBe(true);
	});

	test('more than Max Disable (10 by default): refused before any write, naming how many, the first few and what to do', async () => {
		const { rows, leavers } = hrList();
		const { error, items } = await provision(fake.server, rows, { missingExtensions: 'disable' });
		expect(items).toEqual([]);
		expect(error?.message).toMatch(
			/^Nothing was written: 50 extensions would be disabled, more than Max Disable \(10\): /,
		);
		const first = leavers[0];
		expect(error?.message).toContain(
			`${first.extensionNumber} ${first.name} <${first.contact.email}> (ID ${first.id})`,
		);
		expect(error?.message).toMatch(/ and 45 more$/);
		expect(error?.description).toMatch(/raise Max Disable to 50 or more/);
		expect(error?.description).toMatch(/narrow the Scope/);
		expect(error?.description).toMatch(/Preview Only/);
		// The reads happened; not one create, update or disable.
		expect(writesOf(fake.server)).toEqual([]);
		expect(fake.server.requests.every(({ method }) => method === 'GET')).toBe(true);
		expect(fake.server.state.extensions).toHaveLength(2500);
	});

	test('with Continue On Fail the refusal is one error item paired with every row; still nothing written', async () => {
		const { rows } = hrList();
		const { items } = await provision(
			fake.server,
			rows,
			{ missingExtensions: 'disable' },
			{ continueOnFail: true },
		);
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toMatch(/^Nothing was written: 50 extensions would be disabled/);
		expect(items[0].pairedItem).toHaveLength(rows.length);
		expect(writesOf(fake.server)).toEqual([]);
	});

	test('Preview Only shows the whole plan, every would-be-disabled extension included, and is never refused', async () => {
		const { rows, leavers } = hrList();
		const { items, error, run } = await provision(fake.server, rows, {
			missingExtensions: 'disable',
			dryRun: true,
		});
		expect(error).toBeUndefined();
		expect(writesOf(fake.server)).toEqual([]);
		expect(items).toHaveLength(rows.length + 50);
		expect(count(actionsOf(items), 'created')).toBe(25);
		const disabled = items.slice(rows.length);
		expect(disabled.map(({ json }) => (json.extension as IDataObject).id)).toEqual(
			leavers.map(({ id }) => id),
		);
		expect(disabled[0].json).toMatchObject({
			action: 'disabled',
			dryRun: true,
			changes: { status: { to: 'Disabled' } },
			extension: { status: 'Disabled' },
		});
		expect(leavers.every(inDefaultScope)).toBe(true);
		const hints = run.data.resultData.runData.RingCentral[0].hints ?? [];
		expect(hints.map(({ message }) => message)).toEqual([
			expect.stringMatching(
				/A real run would write nothing: 50 extensions would be disabled, more than Max Disable \(10\)/,
			),
		]);
	});
});

describe('createOrUpdate, missingExtensions: scope, exclude and the signed-in user', () => {
	const fake = useFakeRingCentral({ seedExtensions: 60, task: { completeAfterPolls: 1 } });

	test('the scope defaults: users that are Enabled or Not Activated, never the signed-in one', async () => {
		const { items, error } = await provision(
			fake.server,
			[{ firstName: 'Nina', email: 'nina@example.com' }],
			{ missingExtensions: 'report', dryRun: true },
		);
		expect(error).toBeUndefined();
		const reported = items.slice(1).map(({ json }) => (json.extension as IDataObject).id);
		const expected = fake.server.state.extensions
			.filter((extension) => inDefaultScope(extension) && extension.id !== SIGNED_IN_ID)
			.map(({ id }) => id);
		expect(reported).toEqual(expected);
		expect(expected).toHaveLength(23);
		expect(items.slice(1).every(({ json }) => json.action === 'missing' && json.dryRun)).toBe(true);
		expect(fake.server.requestsFor('readCurrentExtension').map(({ path }) => path)).toEqual([
			'/restapi/v1.0/account/~/extension/~',
		]);
	});

	test('types, statuses, departments and exclude (emails in any case, numbers, ids) narrow it', async () => {
		const exclude = fake.server.state.extensions.filter(({ contact }) =>
			['Sales', 'Engineering'].includes(contact.department ?? ''),
		);
		const [byEmail, byNumber, byId] = exclude.filter(
			({ id, type, status }) =>
				id !== SIGNED_IN_ID &&
				['User', 'DigitalUser'].includes(type) &&
				['Enabled', 'Frozen'].includes(status),
		);
		const { items, error } = await provision(
			fake.server,
			[{ firstName: 'Nina', email: 'nina@example.com' }],
			{
				missingExtensions: 'report',
				scope: {
					types: ['User', 'DigitalUser'],
					statuses: ['Enabled', 'Frozen'],
					departments: ' sales,ENGINEERING ',
					exclude: `${byEmail.contact.email!.toUpperCase()}, ${byNumber.extensionNumber},${byId.id}`,
				},
			},
		);
		expect(error).toBeUndefined();
		expect(fake.server.requestsFor('listExtensions')[0].rawQuery).toBe(
			'type=User&type=DigitalUser&status=Enabled&status=Frozen&page=1&perPage=1000',
		);
		const excluded = [byEmail.id, byNumber.id, byId.id, SIGNED_IN_ID];
		const expected = fake.server.state.extensions
			.filter(
				({ id, type, status, contact }) =>
					['User', 'DigitalUser'].includes(type) &&
					['Enabled', 'Frozen'].includes(status) &&
					['Sales', 'Engineering'].includes(contact.department ?? '') &&
					!excluded.includes(id),
			)
			.map(({ id }) => id);
		expect(expected.length).toBeGreaterThan(3);
		expect(items.slice(1).map(({ json }) => (json.extension as IDataObject).id)).toEqual(expected);
	});

	test('a scope value that is not an extension type, or an empty one, is refused before anything is sent', async () => {
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ scope: { types: ['Person'] } }, /parameter "scope.types": unknown value Person/],
			[
				{ scope: { statuses: [] } },
				/parameter "scope.statuses": is set but resolved to an empty list/,
			],
			[
				{ scope: { exclude: '={{ "" }}' } },
				/parameter "scope.exclude": is set but resolved to an empty text/,
			],
			[{ maxDisable: -1 }, /parameter "maxDisable": must be a whole number of at least 0/],
			[
				{ missingExtensions: '={{ "delete" }}' },
				/parameter "missingExtensions": must be one of keep, report, disable/,
			],
		];
		for (const [parameters, message] of cases) {
			const { error } = await provision(fake.server, [{ firstName: 'N', email: 'n@example.com' }], {
				missingExtensions: 'disable',
				...parameters,
			});
			expect(error?.message).toMatch(message);
		}
		expect(fake.server.requests).toEqual([]);
	});

	test('two items with one email are refused before the scope is read', async () => {
		const { error } = await provision(
			fake.server,
			[
				{ firstName: 'A', email: 'same@example.com' },
				{ firstName: 'B', email: 'SAME@example.com' },
			],
			{ missingExtensions: 'disable' },
		);
		expect(error?.message).toMatch(/Item 0: items 0, 1 have the same email/);
		expect(fake.server.requests).toEqual([]);
	});

	test('items that disagree on Missing Extensions are refused before anything is read', async () => {
		const { error } = await provision(
			fake.server,
			[
				{ firstName: 'A', email: 'a@example.com', mode: 'report' },
				{ firstName: 'B', email: 'b@example.com', mode: 'disable' },
			],
			{ missingExtensions: '={{ $json.mode }}' },
		);
		expect(error?.message).toMatch(/Item 1, parameter "missingExtensions": .*same for every item/);
		expect(fake.server.requests).toEqual([]);
	});

	test('an empty input with Disable is refused outright; no input at all does not run the node', async () => {
		const empty = await provision(fake.server, [{}], {
			missingExtensions: 'disable',
			dryRun: true,
		});
		expect(empty.error?.message).toMatch(
			/The input is empty .* everyone in scope would look like a leaver/,
		);
		const none = await provision(fake.server, [], { missingExtensions: 'disable' });
		expect(none.items).toEqual([]);
		expect(fake.server.requests).toEqual([]);
	});

	test('Execute Once with Disable is refused: only the first row would reach the node', async () => {
		const { error } = await provision(
			fake.server,
			[rowOf(fake.server.state.extensions[1]), rowOf(fake.server.state.extensions[4])],
			{ missingExtensions: 'disable' },
			{ executeOnce: true },
		);
		expect(error?.message).toMatch(/Execute Once passes on only the first input item/);
		expect(fake.server.requests).toEqual([]);
	});

	test('a few leavers: Disabled ones in scope are reported as missing, the others disabled by PUT with the updates', async () => {
		const everyone = fake.server.state.extensions.filter(
			(extension) => extension.type === 'User' && extension.id !== SIGNED_IN_ID,
		);
		const [frozen, disabledAlready, leaver] = [
			everyone.find(({ status }) => status === 'Frozen')!,
			everyone.find(({ status }) => status === 'Disabled')!,
			everyone.find(({ status }) => status === 'Enabled')!,
		];
		const gone = [frozen.id, disabledAlready.id, leaver.id];
		const rows = everyone.filter(({ id }) => !gone.includes(id)).map(rowOf);
		rows[0] = { ...rows[0], department: 'Moved' };
		const moved = everyone.find(({ contact }) => contact.email === rows[0].email)!;
		const { items, error } = await provision(fake.server, rows, {
			missingExtensions: 'disable',
			scope: { statuses: ['Enabled', 'NotActivated', 'Frozen', 'Disabled'] },
		});
		expect(error).toBeUndefined();
		expect(
			fake.server
				.requestsFor('updateExtension')
				.map(({ path, body }) => [path.split('/').pop(), body]),
		).toEqual([
			[String(moved.id), { contact: { department: 'Moved' } }],
			...[frozen.id, leaver.id]
				.sort((a, b) => a - b)
				.map((id) => [String(id), { status: 'Disabled' }]),
		]);
		// The disables' results (in list order), then what was written nothing to.
		const disabledInOrder = [frozen.id, leaver.id].sort((a, b) => a - b);
		expect(
			items.slice(rows.length).map(({ json }) => [(json.extension as IDataObject).id, json.action]),
		).toEqual([
			[disabledInOrder[0], 'disabled'],
			[disabledInOrder[1], 'disabled'],
			[disabledAlready.id, 'missing'],
		]);
		expect(frozen.status).toBe('Disabled');
		expect(leaver.status).toBe('Disabled');
	});
});

describe('createOrUpdate, missingExtensions: failures while disabling', () => {
	const fake = useFakeRingCentral({ seedExtensions: 60, task: { completeAfterPolls: 1 } });

	/** All users but the signed-in one and the first eight Enabled ones, who have left. */
	function list() {
		const users = fake.server.state.extensions.filter(
			(extension) => inDefaultScope(extension) && extension.id !== SIGNED_IN_ID,
		);
		return { rows: users.slice(8).map(rowOf), leavers: users.slice(0, 8) };
	}

	test('a bulk-update task that fails: with Continue On Fail an error item per leaver, naming the task', async () => {
		const { rows } = list();
		fake.server.failNextTask([{ errorCode: 'CMN-500', message: 'Bulk update task failed' }]);
		const { items } = await provision(
			fake.server,
			rows,
			{ missingExtensions: 'disable' },
			{ continueOnFail: true },
		);
		const taskId = [...fake.server.state.tasks.keys()][0];
		const failed = items.slice(rows.length);
		expect(failed.map(({ json }) => json.error)).toEqual(
			Array(8).fill(`Bulk-update task ${taskId} failed: CMN-500 Bulk update task failed`),
		);
		expect(failed[0].json.extension).toMatchObject({ id: expect.any(Number) });
		expect(failed[0].pairedItem).toHaveLength(rows.length);
	});

	test('without Continue On Fail, the error says what was written before it', async () => {
		const { rows } = list();
		rows.push({ firstName: 'Nina', email: 'nina@example.com' });
		fake.server.failNextTask();
		const { error } = await provision(fake.server, rows, { missingExtensions: 'disable' });
		expect(error?.message).toMatch(/Bulk-update task .* failed/);
		// Per item and per leaver: the failed task disabled none of them, the new row was not sent.
		expect(error?.description).toMatch(/unchanged: items 0, 1, .*; not written: item 15; /);
		expect(error?.description).toMatch(/leavers: not written: extensions \d+(, \d+){7}\.$/);
		// The create comes after the updates and disables: not sent once they failed.
		expect(fake.server.requestsFor('createExtension')).toEqual([]);
	});

	test('a create refused after the disables: the error names the leavers disabled before it', async () => {
		const { rows, leavers } = list();
		rows.push({ firstName: 'Nina', email: 'nina@example.com' });
		fake.server.injectFault({
			kind: 'status',
			status: 400,
			match: { operationId: 'createExtension' },
		});
		const { error } = await provision(fake.server, rows, { missingExtensions: 'disable' });
		const disabled = leavers.filter(({ status }) => status === 'Disabled').map(({ id }) => id);
		expect(disabled.length).toBe(8);
		expect(error?.description).toMatch(/not written: item 15; /);
		expect(error?.description).toContain(`leavers: disabled: extensions ${disabled.join(', ')}.`);
		expect(error?.description).toMatch(/Running the node again is safe/);
	});

	test('one leaver RingCentral fails: an error item naming it; the others are disabled', async () => {
		const { rows, leavers } = list();
		const running = provision(
			fake.server,
			rows,
			{ missingExtensions: 'disable' },
			{ continueOnFail: true },
		);
		// The task runs at its first poll: the extension is gone by then.
		while (fake.server.requestsFor('extensionBulkUpdate').length === 0) {
			await new Promise((resolve) => globalThis.setTimeout(resolve, 20));
		}
		const state = fake.server.state.extensions;
		state.splice(state.indexOf(leavers[3]), 1);
		const { items } = await running;
		const results = items.slice(rows.length);
		expect(results.map(({ json }) => json.error ?? json.action)).toEqual([
			'disabled',
			'disabled',
			'disabled',
			expect.stringMatching(
				new RegExp(`did not update extension ${leavers[3].id} \\(bulk-update task .+\\): CMN-102`),
			),
			'disabled',
			'disabled',
			'disabled',
			'disabled',
		]);
	});

	test('rows that cannot be read (Continue On Fail): the others are written, nobody is disabled', async () => {
		const { rows, leavers } = list();
		rows[2] = { ...rows[2], email: `${'x'.repeat(250)}@example.com` };
		rows.push({ firstName: 'Nina', email: 'nina@example.com' });
		const { items } = await provision(
			fake.server,
			rows,
			{ missingExtensions: 'disable' },
			{ continueOnFail: true },
		);
		const unread = items.find(({ pairedItem }) => (pairedItem as { item?: number }).item === 2);
		expect(unread?.json.error).toMatch(/^Item 2, parameter "/);
		expect(fake.server.requestsFor('createExtension')).toHaveLength(1);
		expect(fake.server.requestsFor('extensionBulkUpdate')).toEqual([]);
		expect(fake.server.requestsFor('updateExtension')).toEqual([]);
		const withheld = items.find(({ json }) =>
			String(json.error ?? '').startsWith('Nothing was disabled'),
		);
		expect(withheld?.json.error).toMatch(
			/input item 2 could not be read, .*\(9 would have been disabled\)/,
		);
		expect(leavers.every(inDefaultScope)).toBe(true);
		expect(count(actionsOf(items), 'missing')).toBe(9);

		fake.server.reset();
		const preview = await provision(
			fake.server,
			rows,
			{ missingExtensions: 'disable', dryRun: true },
			{ continueOnFail: true },
		);
		const hints = preview.run.data.resultData.runData.RingCentral[0].hints ?? [];
		expect(hints.map(({ message }) => message)).toEqual([
			expect.stringMatching(/^A real run would disable nobody: input item 2 could not be read/),
		]);
	});
});
