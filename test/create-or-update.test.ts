// extension · createOrUpdate: people (e.g. HR rows) matched to extensions by email or number,
// created when missing, updated where they differ, left alone where they don't.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral } from './fake-server';
import { runNode } from './harness';
import {
	CREATE_OR_UPDATE_FIELDS as FIELDS,
	newHires,
	rowOf,
	rowsOf,
	writesOf,
} from './support/hrRows';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

async function provision(
	server: FakeRingCentral,
	items: IDataObject[],
	parameters: INodeParameters = {},
	continueOnFail = false,
) {
	return await runNode({
		credential: accessTokenCredential(server),
		items,
		continueOnFail,
		parameters: { ...FIELDS, ...parameters },
	});
}

describe('extension · createOrUpdate, a few people', () => {
	const fake = useFakeRingCentral();

	const rows = () => [
		{ firstName: 'Nina', lastName: 'New', email: 'nina.new@example.com', jobTitle: 'Analyst' },
		{ ...rowOf(fake.server.state.extensions[0]), jobTitle: 'Head of Phones' },
		// Differs from what RingCentral holds in case and spaces only: no change.
		{ ...rowOf(fake.server.state.extensions[2]), email: '  USER3@Example.COM ' },
	];

	test('one filtered list request, one create, one PUT; output paired, with the changes', async () => {
		const { items, error } = await provision(fake.server, rows());
		expect(error).toBeUndefined();

		const lists = fake.server.requestsFor('listExtensions');
		expect(lists).toHaveLength(1);
		expect(lists[0].query.email).toEqual([
			'nina.new@example.com',
			'user1@example.com',
			'user3@example.com',
		]);
		expect(fake.server.requestsFor('createExtension')).toHaveLength(1);
		const puts = fake.server.requestsFor('updateExtension');
		expect(puts.map(({ path, body }) => [path, body])).toEqual([
			['/restapi/v1.0/account/~/extension/100001', { contact: { jobTitle: 'Head of Phones' } }],
		]);
		expect(fake.server.requestsFor('extensionBulkUpdate')).toHaveLength(0);

		expect(items.map(({ pairedItem }) => pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(items.map(({ json }) => json.action)).toEqual(['created', 'updated', 'unchanged']);
		expect(items[0].json.changes).toEqual({
			'contact.firstName': { from: null, to: 'Nina' },
			'contact.lastName': { from: null, to: 'New' },
			'contact.email': { from: null, to: 'nina.new@example.com' },
			'contact.jobTitle': { from: null, to: 'Analyst' },
			type: { from: null, to: 'User' },
		});
		expect(items[0].json.extension).toMatchObject({ id: 100026, name: 'Nina New' });
		expect(items[1].json.changes).toEqual({
			'contact.jobTitle': { from: 'Specialist', to: 'Head of Phones' },
		});
		expect(items[1].json.extension).toMatchObject({
			id: 100001,
			contact: { jobTitle: 'Head of Phones' },
		});
		expect(items[2].json).toEqual({
			action: 'unchanged',
			changes: {},
			extension: expect.objectContaining({ id: 100003 }),
		});
		expect(fake.server.state.extensions[2].contact.email).toBe('user3@example.com');
	});

	test('a second run on the same list writes nothing', async () => {
		await provision(fake.server, rows());
		fake.server.reset();
		const { items } = await provision(fake.server, rows());
		expect(items.map(({ json }) => json.action)).toEqual(['unchanged', 'unchanged', 'unchanged']);
		expect(writesOf(fake.server)).toEqual([]);
		expect(fake.server.requestsFor('listExtensions')).toHaveLength(1);
	});

	test('a preview reads, writes nothing, and says per field what would change', async () => {
		const before = structuredClone(fake.server.state.extensions);
		const { items } = await provision(fake.server, rows(), { dryRun: true });
		expect(writesOf(fake.server)).toEqual([]);
		expect(fake.server.state.extensions).toEqual(before);
		expect(items.map(({ json }) => [json.action, json.dryRun])).toEqual([
			['created', true],
			['updated', true],
			['unchanged', true],
		]);
		expect(items[1].json.changes).toEqual({
			'contact.jobTitle': { from: 'Specialist', to: 'Head of Phones' },
		});
		expect(items[1].json.extension).toMatchObject({
			id: 100001,
			contact: { jobTitle: 'Head of Phones' },
		});
		expect(items[0].json.extension).toMatchObject({ contact: { email: 'nina.new@example.com' } });
	});

	test('a password goes to new extensions only, and never into the output', async () => {
		const { items } = await provision(fake.server, rows().slice(0, 2), {
			additionalFields: {
				...(FIELDS.additionalFields as IDataObject),
				password: 'S3cret-pass',
				status: 'Enabled',
			},
		});
		const [create] = fake.server.requestsFor('createExtension');
		expect((create.body as IDataObject).password).toBe('S3cret-pass');
		expect(JSON.stringify(items.map(({ json }) => json))).not.toContain('S3cret-pass');
		expect(items[0].json.changes).toMatchObject({ password: { from: null, to: '(hidden)' } });
		// The existing one (already Enabled) gets its new job title, not the password.
		expect(fake.server.requestsFor('updateExtension')[0].body).toEqual({
			contact: { jobTitle: 'Head of Phones' },
		});
	});

	test('two items with the same email (in any case) are an error naming both; nothing is sent', async () => {
		const { error } = await provision(fake.server, [
			{ firstName: 'A', email: 'same@example.com' },
			{ firstName: 'B', email: 'other@example.com' },
			{ firstName: 'C', email: ' Same@Example.com' },
		]);
		expect(error?.message).toMatch(/Item 0: items 0, 2 have the same email "same@example.com"/);
		expect(fake.server.requests).toEqual([]);
	});

	test('with Continue On Fail, the two get error items and the others go on', async () => {
		const { items } = await provision(
			fake.server,
			[
				{ firstName: 'A', email: 'same@example.com' },
				{ firstName: 'B', email: 'other@example.com' },
				{ firstName: 'C', email: 'same@example.com' },
			],
			{},
			true,
		);
		expect(items.map(({ json }) => json.action ?? json.error)).toEqual([
			expect.stringMatching(/items 0, 2 have the same email/),
			'created',
			expect.stringMatching(/items 0, 2 have the same email/),
		]);
		expect(fake.server.requestsFor('createExtension')).toHaveLength(1);
	});

	test('an email two extensions share is an error naming their IDs, before any write', async () => {
		fake.server.state.extensions[4].contact.email = 'USER4@example.com';
		const { error } = await provision(fake.server, [
			{ firstName: 'Nina', email: 'nina.new@example.com' },
			{ firstName: 'Dee', email: 'user4@example.com' },
		]);
		expect(error?.message).toMatch(/extensions 100004, 100005 share the email "user4@example.com"/);
		expect(writesOf(fake.server)).toEqual([]);
	});

	test('with Continue On Fail, an email two extensions share is an error item; the others are written', async () => {
		fake.server.state.extensions[4].contact.email = 'user4@example.com';
		const { items } = await provision(
			fake.server,
			[
				{ firstName: 'Dee', email: 'user4@example.com' },
				{ firstName: 'Nina', email: 'nina.new@example.com' },
			],
			{},
			true,
		);
		expect(items.map(({ json }) => json.error ?? json.action)).toEqual([
			expect.stringMatching(/extensions 100004, 100005 share the email/),
			'created',
		]);
	});

	test('poll settings out of range, or an unknown Match On, are refused before anything is sent', async () => {
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ pollInterval: 0 }, /parameter "pollInterval": must be a number from 1/],
			[{ pollTimeout: '={{ "soon" }}' }, /parameter "pollTimeout"/],
			[{ matchOn: '={{ "name" }}' }, /parameter "matchOn": must be email or extensionNumber/],
		];
		for (const [parameters, message] of cases) {
			const { error } = await provision(fake.server, rows().slice(0, 1), parameters);
			expect(error?.message).toMatch(message);
		}
		expect(fake.server.requests).toEqual([]);
	});

	test('matched on extension number: the email may change; a small account is read in one page', async () => {
		const { items, error } = await provision(
			fake.server,
			[
				{
					firstName: 'Alice',
					lastName: 'Smith',
					email: 'alice@new.example.com',
					extensionNumber: '101',
				},
				{ firstName: 'Sam', email: 'sam@example.com', extensionNumber: '555' },
			],
			{ matchOn: 'extensionNumber' },
		);
		expect(error).toBeUndefined();
		// Two numbers would take two filtered requests; page 1 of the whole list holds all 25.
		expect(fake.server.requestsFor('listExtensions').map(({ query }) => query.page)).toEqual([
			['1'],
		]);
		expect(items.map(({ json }) => json.action)).toEqual(['updated', 'created']);
		expect(items[0].json.changes).toEqual({
			'contact.email': { from: 'user1@example.com', to: 'alice@new.example.com' },
		});
		expect(fake.server.state.extensions.find(({ id }) => id === 100001)?.contact.email).toBe(
			'alice@new.example.com',
		);
	});

	test('updates go first: an email one extension gives up can go to a new one in the same run', async () => {
		const { items, error } = await provision(
			fake.server,
			[
				{ firstName: 'Newt', email: 'user1@example.com', extensionNumber: '555' },
				{
					firstName: 'Alice',
					lastName: 'Smith',
					email: 'alice@new.example.com',
					extensionNumber: '101',
				},
			],
			{ matchOn: 'extensionNumber' },
		);
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => json.action)).toEqual(['created', 'updated']);
		const writes = writesOf(fake.server).map(({ operationId }) => operationId);
		expect(writes).toEqual(['updateExtension', 'createExtension']);
	});

	test('matching on extension number needs one in every item', async () => {
		const { error } = await provision(
			fake.server,
			[{ firstName: 'Sam', email: 'sam@example.com' }],
			{
				matchOn: 'extensionNumber',
			},
		);
		expect(error?.message).toMatch(
			/Item 0, parameter "additionalFields.extensionNumber": is empty/,
		);
		expect(fake.server.requests).toEqual([]);
	});

	test('an extension number longer than the list filter takes (8) is refused before anything is sent', async () => {
		const { error } = await provision(
			fake.server,
			[{ firstName: 'Sam', email: 'sam@example.com', extensionNumber: '123456789' }],
			{ matchOn: 'extensionNumber' },
		);
		expect(error?.message).toMatch(
			/Item 0, parameter "additionalFields.extensionNumber": .*at most 8 characters/,
		);
		expect(fake.server.requests).toEqual([]);
	});

	test('items that disagree on Preview Only are refused before anything is read or written', async () => {
		const { error } = await provision(
			fake.server,
			[
				{ ...rows()[0], preview: false },
				{ ...rows()[1], preview: true },
			],
			{ dryRun: '={{ $json.preview }}' },
		);
		expect(error?.message).toMatch(/Item 1, parameter "dryRun": .*same for every item/);
		expect(fake.server.requests).toEqual([]);
	});

	test('items that disagree on Match On are refused: one by email and one by number could both write one extension', async () => {
		const alice = { ...rowOf(fake.server.state.extensions[0]), extensionNumber: '101' };
		const { error } = await provision(
			fake.server,
			[
				{ ...alice, jobTitle: 'A', by: 'email' },
				{ ...alice, email: 'alice@new.example.com', jobTitle: 'B', by: 'extensionNumber' },
			],
			{ matchOn: '={{ $json.by }}' },
		);
		expect(error?.message).toMatch(/Item 1, parameter "matchOn": .*same for every item/);
		expect(fake.server.requests).toEqual([]);
	});

	test('a Status of Not Activated goes to new extensions only: existing ones keep theirs; Disabled is written', async () => {
		const active = fake.server.state.extensions.find(({ status }) => status === 'Enabled')!;
		const { items, error } = await provision(
			fake.server,
			[
				{ ...rowOf(active), status: 'NotActivated' },
				{
					firstName: 'Nia',
					lastName: 'Hire',
					email: 'nia.hire@example.com',
					status: 'NotActivated',
				},
			],
			{
				additionalFields: { ...(FIELDS.additionalFields as object), status: '={{ $json.status }}' },
			},
		);
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => json.action)).toEqual(['unchanged', 'created']);
		expect(fake.server.requestsFor('updateExtension')).toEqual([]);
		expect(active.status).toBe('Enabled');
		expect(fake.server.requestsFor('createExtension')[0].body).toMatchObject({
			status: 'NotActivated',
		});

		const { items: disabled } = await provision(
			fake.server,
			[{ ...rowOf(active), status: 'Disabled' }],
			{
				additionalFields: { ...(FIELDS.additionalFields as object), status: '={{ $json.status }}' },
			},
		);
		expect(disabled[0].json.changes).toEqual({ status: { from: 'Enabled', to: 'Disabled' } });
		expect(active.status).toBe('Disabled');
	});

	test('a field an existing extension cannot take in an update is an error naming the parameter', async () => {
		const { error } = await provision(
			fake.server,
			[{ ...rowOf(fake.server.state.extensions[0]), status: 'Unassigned' }],
			{
				additionalFields: { ...(FIELDS.additionalFields as object), status: '={{ $json.status }}' },
			},
		);
		expect(error?.message).toMatch(
			/Item 0, parameter "additionalFields.status": the extension exists, and RingCentral cannot update it this way: status is "Unassigned"/,
		);
		expect(writesOf(fake.server)).toEqual([]);
	});

	test('an item RingCentral refuses (email in use) is an error item with Continue On Fail; the rest is written', async () => {
		const { items } = await provision(
			fake.server,
			[
				{
					firstName: 'Alice',
					lastName: 'Smith',
					email: 'user2@example.com',
					extensionNumber: '101',
				},
				{ firstName: 'Sam', email: 'sam@example.com', extensionNumber: '555' },
			],
			{ matchOn: 'extensionNumber' },
			true,
		);
		expect(items[0].json.error).toMatch(/already in use/);
		expect(items[1].json.action).toBe('created');
	});
});

describe('extension · createOrUpdate, writes with an unknown outcome and JSON bodies', () => {
	const fake = useFakeRingCentral({ task: { completeAfterPolls: 1 } });

	test('a create whose answer is lost is not sent again; the error says so, and a rerun finds it', async () => {
		fake.server.injectFault({
			kind: 'dropAfterProcessing',
			match: { operationId: 'createExtension' },
		});
		const rows = [
			{ firstName: 'Lost', email: 'lost.answer@example.com' },
			{ firstName: 'Next', email: 'next.one@example.com' },
		];
		const { error } = await provision(fake.server, rows);
		expect(error?.message).toMatch(/may have carried it out/);
		expect(error?.description).toContain(
			'What this run did, per item: not written: item 1; unknown (may have been written: check before running again): item 0.',
		);
		expect(error?.description).toMatch(/Running the node again is safe/);
		expect(fake.server.requestsFor('createExtension')).toHaveLength(1);

		fake.server.reset();
		const again = await provision(fake.server, rows);
		expect(again.items.map(({ json }) => json.action)).toEqual(['unchanged', 'created']);
		expect(fake.server.requestsFor('createExtension')).toHaveLength(1);
	});

	test('an empty form field leaves the value as it is; an empty text in a JSON body clears it', async () => {
		const row = { ...rowOf(fake.server.state.extensions[0]), jobTitle: '' };
		const form = await provision(fake.server, [row]);
		expect(form.items[0].json.action).toBe('unchanged');
		expect(fake.server.state.extensions[0].contact.jobTitle).toBe('Specialist');

		const json = await provision(fake.server, [row], {
			specifyBody: 'json',
			jsonBody:
				'={{ { contact: { firstName: $json.firstName, email: $json.email, jobTitle: "" } } }}',
		});
		expect(json.items[0].json.changes).toEqual({
			'contact.jobTitle': { from: 'Specialist', to: '' },
		});
		expect(fake.server.state.extensions[0].contact.jobTitle ?? '').toBe('');
	});

	test('a JSON body (an ExtensionCreationRequest) is compared field by field too', async () => {
		const { items } = await provision(fake.server, [{ email: 'user2@example.com' }], {
			specifyBody: 'json',
			jsonBody:
				'={{ JSON.stringify({ contact: { firstName: "Bob", email: $json.email, department: "Legal" }, partnerId: "HR-2", costCenter: { id: "9" } }) }}',
		});
		expect(items[0].json.action).toBe('updated');
		expect(Object.keys(items[0].json.changes as IDataObject).sort()).toEqual([
			'contact.department',
			'partnerId',
		]);
		// The cost center is for new extensions only: RingCentral's update takes none.
		expect(fake.server.requestsFor('updateExtension')[0].body).toEqual({
			contact: { department: 'Legal' },
			partnerId: 'HR-2',
		});
	});

	test('a bulk-update task that fails as a whole: an error item per person, naming the task', async () => {
		fake.server.failNextTask([{ errorCode: 'CMN-500', message: 'Bulk update task failed' }]);
		const rows = fake.server.state.extensions
			.slice(0, 6)
			.map((extension) => ({ ...rowOf(extension), department: 'Moved' }));
		const { items } = await provision(fake.server, rows, {}, true);
		const taskId = [...fake.server.state.tasks.keys()][0];
		expect(items.map(({ json }) => json.error)).toEqual(
			Array(6).fill(`Bulk-update task ${taskId} failed: CMN-500 Bulk update task failed`),
		);
	});
});

describe('extension · createOrUpdate, PUT for a few changes, bulk update for many', () => {
	const fake = useFakeRingCentral({ seedExtensions: 30, task: { completeAfterPolls: 1 } });

	const changed = (count: number, extra: IDataObject = {}): IDataObject[] =>
		fake.server.state.extensions
			.slice(0, count)
			.map((extension) => ({ ...rowOf(extension), department: 'Provisioned', ...extra }));

	test('five changed extensions: five PUTs', async () => {
		await provision(fake.server, changed(5));
		expect(fake.server.requestsFor('updateExtension')).toHaveLength(5);
		expect(fake.server.requestsFor('extensionBulkUpdate')).toHaveLength(0);
	});

	test('six: one bulk update, followed to its end; the output shows the extensions as they now are', async () => {
		const { items, error } = await provision(fake.server, changed(6));
		expect(error).toBeUndefined();
		expect(fake.server.requestsFor('updateExtension')).toHaveLength(0);
		const [bulk] = fake.server.requestsFor('extensionBulkUpdate');
		expect((bulk.body as { records: IDataObject[] }).records).toEqual(
			fake.server.state.extensions
				.slice(0, 6)
				.map(({ id }) => ({ id: String(id), contact: { department: 'Provisioned' } })),
		);
		expect(fake.server.requestsFor('getExtensionBulkUpdateTask').length).toBeGreaterThan(0);
		expect(items.map(({ json }) => json.action)).toEqual(Array(6).fill('updated'));
		expect(items[5].json.extension).toMatchObject({
			id: 100006,
			contact: { department: 'Provisioned' },
		});
		expect(fake.server.state.extensions[5].contact.department).toBe('Provisioned');
	});

	test('a site change goes by PUT even among many (the bulk record wants a site URI)', async () => {
		const rows = changed(6);
		rows[2] = { ...rows[2], siteId: '77' };
		await provision(fake.server, rows);
		expect(fake.server.requestsFor('updateExtension').map(({ body }) => body)).toEqual([
			{ contact: { department: 'Provisioned' }, site: { id: '77' } },
		]);
		expect(
			(fake.server.requestsFor('extensionBulkUpdate')[0].body as { records: unknown[] }).records,
		).toHaveLength(5);
	});

	test('a record the task fails is an error item naming the extension and the task', async () => {
		const rows = changed(6);
		// Another extension's number: RingCentral fails this record when the task runs.
		rows[1] = { ...rows[1], extensionNumber: '130' };
		const { items } = await provision(fake.server, rows, {}, true);
		expect(items[1].json.error).toMatch(
			/did not update extension 100002 \(bulk-update task .+\): CMN-101/,
		);
		expect(items.filter(({ json }) => json.action === 'updated')).toHaveLength(5);
	});
});

describe('extension · createOrUpdate, 1,000 people: 300 new, 200 changed, 500 as they are', () => {
	const fake = useFakeRingCentral({ seedExtensions: 2500, task: { completeAfterPolls: 1 } });

	function hrList(): IDataObject[] {
		return [...rowsOf(fake.server.state.extensions.slice(0, 700), 200), ...newHires(300)];
	}

	function counts() {
		const of = (operationId: string) => fake.server.requestsFor(operationId).length;
		return {
			list: of('listExtensions'),
			create: of('createExtension'),
			put: of('updateExtension'),
			bulkUpdate: of('extensionBulkUpdate'),
		};
	}

	test('3 list requests (the whole list beats 10 filtered ones), 300 creates, 1 bulk update; a second run writes nothing', async () => {
		const list = hrList();
		const first = await provision(fake.server, list);
		expect(first.error).toBeUndefined();
		expect(counts()).toEqual({ list: 3, create: 300, put: 0, bulkUpdate: 1 });
		const actions = first.items.map(({ json }) => json.action);
		expect(actions.filter((action) => action === 'created')).toHaveLength(300);
		expect(actions.filter((action) => action === 'updated')).toHaveLength(200);
		expect(actions.filter((action) => action === 'unchanged')).toHaveLength(500);
		expect(first.items.map(({ pairedItem }) => (pairedItem as { item: number }).item)).toEqual(
			list.map((_, index) => index),
		);
		expect(fake.server.state.extensions).toHaveLength(2800);

		fake.server.reset();
		const second = await provision(fake.server, list);
		expect(second.items.every(({ json }) => json.action === 'unchanged')).toBe(true);
		expect(counts()).toEqual({ list: 3, create: 0, put: 0, bulkUpdate: 0 });
	});

	test('a preview of the same list writes nothing', async () => {
		const { items } = await provision(fake.server, hrList(), { dryRun: true });
		expect(writesOf(fake.server)).toEqual([]);
		expect(counts()).toEqual({ list: 3, create: 0, put: 0, bulkUpdate: 0 });
		expect(items.filter(({ json }) => json.action === 'updated')).toHaveLength(200);
		expect(items[0].json.changes).toEqual({
			'contact.department': { from: expect.any(String), to: 'Reorganised' },
		});
	});
});

describe('extension · createOrUpdate, how existing extensions are found', () => {
	const large = useFakeRingCentral({ seedExtensions: 3500 });

	test('few emails in a large account: filtered requests of up to 100, after one page of the whole list', async () => {
		const rows = large.server.state.extensions.slice(0, 150).map(rowOf);
		const { error } = await provision(large.server, rows, { dryRun: true });
		expect(error).toBeUndefined();
		const lists = large.server.requestsFor('listExtensions');
		// Page 1 says 4 pages; 2 filtered requests finish sooner than 3 more pages.
		expect(lists.map(({ query }) => query.email?.length ?? `page ${query.page}`)).toEqual([
			'page 1',
			100,
			50,
		]);
	});

	test('one extension number: one filtered request', async () => {
		await provision(
			large.server,
			[{ firstName: 'X', email: 'x@example.com', extensionNumber: '3000' }],
			{ matchOn: 'extensionNumber', dryRun: true },
		);
		expect(
			large.server.requestsFor('listExtensions').map(({ query }) => query.extensionNumber),
		).toEqual([['3000']]);
	});

	test('many extension numbers: the whole list when it takes fewer requests', async () => {
		const rows = large.server.state.extensions
			.slice(0, 20)
			.map((extension) => ({ ...rowOf(extension), extensionNumber: extension.extensionNumber }));
		const { items } = await provision(large.server, rows, {
			matchOn: 'extensionNumber',
			dryRun: true,
		});
		expect(items.every(({ json }) => json.action === 'unchanged')).toBe(true);
		expect(large.server.requestsFor('listExtensions').map(({ query }) => query.page)).toEqual([
			['1'],
			['2'],
			['3'],
			['4'],
		]);
	});

	test('one email: one filtered request, no page of the whole list', async () => {
		await provision(large.server, [rowOf(large.server.state.extensions[9])], { dryRun: true });
		expect(large.server.requestsFor('listExtensions').map(({ query }) => query.email)).toEqual([
			['user10@example.com'],
		]);
	});
});
