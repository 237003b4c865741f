// extension · bulkUpdate with matchOn (email, extension number) and dryRun (a preview).
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode } from './harness';
import { bulkUpdate } from './support/fixtures';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const POST = 'extensionBulkUpdate';

function recordsOf(body: unknown): IDataObject[] {
	return (body as { records: IDataObject[] }).records;
}

describe('bulk update matched on email or extension number', () => {
	const fake = useFakeRingCentral({ task: { completeAfterPolls: 1 } });

	async function run(items: IDataObject[], parameters: INodeParameters, continueOnFail = false) {
		return await runNode({
			credential: accessTokenCredential(fake.server),
			items,
			continueOnFail,
			parameters: bulkUpdate(parameters),
		});
	}

	test('leavers by email (any case): one list request finds their ids, then one bulk update', async () => {
		const { items, error } = await run(
			[
				{ email: ' USER2@example.com', status: 'Disabled' },
				{ email: 'user5@example.com', status: 'Disabled' },
			],
			{ matchOn: 'email' },
		);
		expect(error).toBeUndefined();
		const lists = fake.server.requestsFor('listExtensions');
		expect(lists.map(({ query }) => query.email)).toEqual([
			['user2@example.com', 'user5@example.com'],
		]);
		const [post] = fake.server.requestsFor(POST);
		expect(recordsOf(post.body)).toEqual([
			{ status: 'Disabled', id: '100002' },
			{ status: 'Disabled', id: '100005' },
		]);
		expect(items).toHaveLength(1);
		expect(items[0].json.status).toBe('Completed');
		expect(fake.server.state.extensions[1].status).toBe('Disabled');
	});

	test('items from Get Many can be matched on contact.email; the email itself is not sent', async () => {
		const listed = fake.server.state.extensions.slice(0, 2).map((extension) => ({
			contact: { ...extension.contact, email: extension.contact.email!.toUpperCase() },
			status: 'Frozen',
		}));
		await run(listed, { matchOn: 'email' });
		const records = recordsOf(fake.server.requestsFor(POST)[0].body);
		expect(records.map(({ id }) => id)).toEqual(['100001', '100002']);
		expect(records.every((record) => !(record.contact as IDataObject).email)).toBe(true);
	});

	test('by extension number: one filtered request for one number', async () => {
		await run([{ extensionNumber: 103, status: 'Disabled' }], { matchOn: 'extensionNumber' });
		expect(
			fake.server.requestsFor('listExtensions').map(({ query }) => query.extensionNumber),
		).toEqual([['103']]);
		expect(recordsOf(fake.server.requestsFor(POST)[0].body)).toEqual([
			{ status: 'Disabled', id: '100003' },
		]);
	});

	test('a record that matches no extension is an error naming its item; nothing is sent', async () => {
		const { error } = await run(
			[
				{ email: 'user2@example.com', status: 'Disabled' },
				{ email: 'nobody@example.com', status: 'Disabled' },
			],
			{ matchOn: 'email' },
		);
		expect(error?.message).toMatch(/Item 1: no extension has the email "nobody@example.com"/);
		expect(fake.server.requestsFor(POST)).toEqual([]);
	});

	test('a match value two extensions share is an error naming them', async () => {
		fake.server.state.extensions[3].extensionNumber = '102';
		const { error } = await run([{ extensionNumber: '102', status: 'Disabled' }], {
			matchOn: 'extensionNumber',
		});
		expect(error?.message).toMatch(
			/Item 0: extensions 100002, 100004 share the extension number "102"/,
		);
		expect(fake.server.requestsFor(POST)).toEqual([]);
	});

	test('two records with the same email (in any case) are an error naming their items; nothing is sent', async () => {
		const leavers = [
			{ email: 'user2@example.com', status: 'Disabled' },
			{ email: 'user3@example.com', status: 'Disabled' },
			{ email: ' USER2@example.com', status: 'Enabled' },
		];
		const { error } = await run(leavers, { matchOn: 'email' });
		expect(error?.message).toMatch(/Item 0: items 0, 2 have the same email "user2@example.com"/);
		expect(fake.server.requests).toEqual([]);

		const { items } = await run(leavers, { matchOn: 'email' }, true);
		// In input order: the task of item 1 between the error items of items 0 and 2.
		expect(items.map(({ json }) => json.error ?? json.status)).toEqual([
			expect.stringMatching(/items 0, 2 have the same email/),
			'Completed',
			expect.stringMatching(/items 0, 2 have the same email/),
		]);
		expect(recordsOf(fake.server.requestsFor(POST)[0].body)).toEqual([
			{ status: 'Disabled', id: '100003' },
		]);
	});

	test('with Continue On Fail: an error item for the unmatched record, the rest are updated', async () => {
		const { items } = await run(
			[
				{ email: 'nobody@example.com', status: 'Disabled' },
				{ email: 'user2@example.com', status: 'Disabled' },
			],
			{ matchOn: 'email' },
			true,
		);
		expect(items[0]).toMatchObject({
			json: { error: expect.stringMatching(/no extension has the email/) },
			pairedItem: { item: 0 },
		});
		expect(items[1]).toMatchObject({ json: { status: 'Completed' }, pairedItem: { item: 1 } });
		expect(recordsOf(fake.server.requestsFor(POST)[0].body)).toEqual([
			{ status: 'Disabled', id: '100002' },
		]);
	});

	test('a record without the field it is matched on is refused before anything is sent', async () => {
		const { error } = await run([{ id: '100002', status: 'Disabled' }], { matchOn: 'email' });
		expect(error?.message).toMatch(
			/Item 0, parameter "source \(input item\)": the record has no extension "email"/,
		);
		expect(fake.server.requests).toEqual([]);
	});

	test('an extension number longer than the list filter takes (8) is refused before anything is sent', async () => {
		const { error } = await run(
			[
				{ extensionNumber: '102', status: 'Disabled' },
				{ extensionNumber: '123456789', status: 'Disabled' },
			],
			{ matchOn: 'extensionNumber' },
		);
		expect(error?.message).toMatch(
			/Item 1, parameter "source \(input item\)": .*at most 8 characters/,
		);
		expect(fake.server.requests).toEqual([]);
	});

	test('items that disagree on Match On or Preview Only are refused before anything is sent', async () => {
		const items = [
			{ email: 'user2@example.com', status: 'Disabled', by: 'email', preview: true },
			{ id: '100005', email: 'user5@example.com', status: 'Disabled', by: 'id', preview: false },
		];
		const byMatch = await run(items, { matchOn: '={{ $json.by }}' });
		expect(byMatch.error?.message).toMatch(/Item 1, parameter "matchOn": .*same for every item/);
		const byPreview = await run(items, { matchOn: 'email', dryRun: '={{ $json.preview }}' });
		expect(byPreview.error?.message).toMatch(/Item 1, parameter "dryRun": .*same for every item/);
		expect(fake.server.requests).toEqual([]);
	});

	test('JSON records can be matched too', async () => {
		await run([{}], {
			matchOn: 'email',
			source: 'json',
			records: JSON.stringify([{ email: 'user3@example.com', status: 'Enabled' }]),
		});
		expect(recordsOf(fake.server.requestsFor(POST)[0].body)).toEqual([
			{ status: 'Enabled', id: '100003' },
		]);
	});
});

describe('bulk update of JSON records, several in one item: each record named by its place', () => {
	const fake = useFakeRingCentral({ task: { completeAfterPolls: 1 } });
	const records = [
		{ email: 'user2@example.com', status: 'Disabled' },
		{ email: 'user3@example.com', status: 'Enabled' },
		{ email: 'Nobody@example.com', status: 'Disabled' },
		{ email: 'user5@example.com', status: 'Disabled' },
	];
	const unmatched =
		'Item 0, parameter "records[2]": no extension has the email "nobody@example.com"';

	async function run(parameters: INodeParameters, continueOnFail = false) {
		return await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{}],
			continueOnFail,
			parameters: bulkUpdate({
				matchOn: 'email',
				source: 'json',
				records: JSON.stringify(records),
				...parameters,
			}),
		});
	}

	test('the third record matching no extension is named by its place and email; nothing is sent', async () => {
		const { error } = await run({});
		expect(error?.message).toBe(unmatched);
		expect(fake.server.requestsFor(POST)).toEqual([]);
	});

	test('with Continue On Fail, one item per record in record order, each with the email it was matched by', async () => {
		const { items } = await run({ output: 'records' }, true);
		const taskId = [...fake.server.state.tasks.keys()][0];
		const success = (extensionId: string, email: string) => ({
			taskId,
			extensionId,
			email,
			status: 'Success',
			errors: [],
		});
		expect(items).toEqual([
			{ json: success('100002', 'user2@example.com'), pairedItem: { item: 0 } },
			{ json: success('100003', 'user3@example.com'), pairedItem: { item: 0 } },
			{
				json: { error: unmatched, outcome: 'notWritten', email: 'nobody@example.com' },
				pairedItem: { item: 0 },
			},
			{ json: success('100005', 'user5@example.com'), pairedItem: { item: 0 } },
		]);
	});

	test("with Continue On Fail and one item per task, the task comes before the later record's error", async () => {
		const { items } = await run({}, true);
		expect(items.map(({ json }) => json.error ?? json.status)).toEqual(['Completed', unmatched]);
	});

	test('a preview lists records and errors in record order', async () => {
		const { items } = await run({ dryRun: true }, true);
		expect(items.map(({ json }) => json.error ?? json.email)).toEqual([
			'user2@example.com',
			'user3@example.com',
			unmatched,
			'user5@example.com',
		]);
		expect(fake.server.requestsFor(POST)).toEqual([]);
	});

	test('two records of the item with one email are named by their places', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{}],
			parameters: bulkUpdate({
				matchOn: 'email',
				source: 'json',
				records: JSON.stringify([records[0], records[1], { ...records[0], status: 'Enabled' }]),
			}),
		});
		expect(error?.message).toBe(
			'Item 0, parameter "records[0]": records[0], records[2] have the same email "user2@example.com": one extension can be updated by one record only',
		);
		expect(fake.server.requests).toEqual([]);
	});

	test('input items: an error item stays in its place between the updated ones', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [records[0], records[2], records[3]],
			continueOnFail: true,
			parameters: bulkUpdate({ matchOn: 'email', output: 'records' }),
		});
		expect(items.map(({ json, pairedItem }) => [json.error ?? json.email, pairedItem])).toEqual([
			['user2@example.com', { item: 0 }],
			['Item 1: no extension has the email "nobody@example.com"', { item: 1 }],
			['user5@example.com', { item: 2 }],
		]);
	});
});

describe('bulk update preview (dryRun)', () => {
	const fake = useFakeRingCentral({ seedExtensions: 1500 });

	test('by ID: reads the extension, sends nothing, outputs per record what would change', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [
				{ id: 100001, status: 'Disabled', contact: { jobTitle: 'Specialist', department: 'Ops' } },
			],
			parameters: bulkUpdate({ dryRun: true }),
		});
		expect(error).toBeUndefined();
		expect(fake.server.requestsFor(POST)).toEqual([]);
		expect(fake.server.requestsFor('readExtension')).toHaveLength(1);
		expect(items).toEqual([
			{
				json: {
					extensionId: '100001',
					name: 'Alice Smith',
					changes: {
						status: { from: 'Enabled', to: 'Disabled' },
						'contact.department': { from: expect.any(String), to: 'Ops' },
					},
					dryRun: true,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	test('600 leavers by email in 1,500 extensions: two pages of the whole list, no write', async () => {
		const leavers = fake.server.state.extensions
			.slice(0, 600)
			.map((extension) => ({ email: extension.contact.email, status: 'Disabled', password: 'x1' }));
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: leavers,
			parameters: bulkUpdate({ matchOn: 'email', dryRun: true }),
		});
		expect(fake.server.requestsFor(POST)).toEqual([]);
		expect(fake.server.requestsFor('listExtensions').map(({ query }) => query.page)).toEqual([
			['1'],
			['2'],
		]);
		expect(items).toHaveLength(600);
		expect(items[0].json).toEqual({
			extensionId: '100001',
			email: 'user1@example.com',
			name: 'Alice Smith',
			changes: {
				status: { from: 'Enabled', to: 'Disabled' },
				password: { from: null, to: '(hidden)' },
			},
			dryRun: true,
		});
		// Already Disabled: nothing would change.
		expect(items[2].json.changes).toEqual({ password: { from: null, to: '(hidden)' } });
		expect(JSON.stringify(items)).not.toContain('x1"');
	});
});
