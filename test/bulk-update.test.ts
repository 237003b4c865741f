import type { IDataObject } from 'n8n-workflow';

import { FIRST_EXTENSION_ID } from './fake-server/seed';
import { runNode } from './harness';
import { bulkUpdate, disableRecords } from './support/fixtures';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const POST = 'extensionBulkUpdate';
const GET_TASK = 'getExtensionBulkUpdateTask';

describe('bulk update from input items', () => {
	const fake = useFakeRingCentral({ seedExtensions: 1300, task: { completeAfterPolls: 1 } });

	test('1,234 records go out as 500/500/234, ids as strings, and each task is paired with its items', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(1234),
			parameters: bulkUpdate(),
		});
		expect(error).toBeUndefined();
		const posts = fake.server.requestsFor(POST);
		const sizes = posts.map(({ body }) => (body as { records: unknown[] }).records.length);
		expect(sizes).toEqual([500, 500, 234]);
		const firstRecord = (posts[0].body as { records: IDataObject[] }).records[0];
		expect(firstRecord).toEqual({ id: String(FIRST_EXTENSION_ID), status: 'Disabled' });
		expect(items).toHaveLength(3);
		expect(items.map(({ json }) => json.status)).toEqual(['Completed', 'Completed', 'Completed']);
		expect((items[2].pairedItem as Array<{ item: number }>).map(({ item }) => item)).toEqual(
			Array.from({ length: 234 }, (_, index) => 1000 + index),
		);
		expect(items[0].json.summary).toMatchObject({ records: 500, succeeded: 500, failed: 0 });
		expect(
			fake.server.state.extensions.slice(0, 1234).every(({ status }) => status === 'Disabled'),
		).toBe(true);
	});

	test('items from getAll, edited, round-trip: fields the update does not define are dropped', async () => {
		const listed = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'getAll',
				limit: 3,
				filters: { type: ['User'] },
			},
		});
		// What an Edit Fields (Set) node does: change one field, keep the rest of the item.
		const edited = listed.items.map(({ json }) => ({
			...json,
			status: 'Disabled',
			contact: { ...(json.contact as IDataObject), jobTitle: 'Leaver' },
		}));
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: edited,
			parameters: bulkUpdate(),
		});
		expect(error).toBeUndefined();
		const [sent] = (fake.server.requestsFor(POST)[0].body as { records: IDataObject[] }).records;
		expect(sent.id).toBe(String(listed.items[0].json.id));
		for (const dropped of [
			'uri',
			'permissions',
			'profileImage',
			'name',
			'account',
			'hidden',
			'creationTime',
		]) {
			expect(sent).not.toHaveProperty(dropped);
		}
		expect(sent.contact).toMatchObject({
			jobTitle: 'Leaver',
			email: (listed.items[0].json.contact as IDataObject).email,
		});
		expect(sent.regionalSettings).toEqual({
			homeCountry: { id: '1' },
			timezone: { id: '58' },
			language: { id: '1033' },
			greetingLanguage: { id: '1033' },
			formattingLocale: { id: '1033' },
			timeFormat: '12h',
		});
		const updated = fake.server.state.extensions.find(({ id }) => id === listed.items[0].json.id);
		expect(updated?.contact.jobTitle).toBe('Leaver');
	});

	test('a record without an id is refused before anything is sent, naming the item', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [...disableRecords(2), { status: 'Disabled' }],
			parameters: bulkUpdate(),
		});
		expect(error?.message).toBe(
			'Item 2, parameter "source (input item)": the record has no extension "id"',
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('a value RingCentral does not accept is refused before anything is sent', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ id: '100001', status: 'Disabld' }],
			parameters: bulkUpdate(),
		});
		expect(error?.message).toContain(
			'Item 0, parameter "source (input item)": status is "Disabld"',
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('values RingCentral lists but does not take in an update are dropped, so records round-trip', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [
				{ id: 100001, type: 'Limited', status: 'Unassigned', comment: 'Lobby phone' },
				{ id: 100002, type: 'User', status: 'Disabled' },
			],
			parameters: bulkUpdate(),
		});
		expect(error).toBeUndefined();
		const { records } = fake.server.requestsFor(POST)[0].body as { records: IDataObject[] };
		expect(records).toEqual([
			{ id: '100001', comment: 'Lobby phone' },
			{ id: '100002', type: 'User', status: 'Disabled' },
		]);
	});

	test('a record whose fields are all misspelt is refused instead of updating nothing', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ id: 100001, Status: 'Disabled' }],
			parameters: bulkUpdate(),
		});
		expect(error?.message).toBe(
			'Item 0, parameter "source (input item)": the record for extension 100001 changes nothing RingCentral can update; check the field names (e.g. "status", "contact")',
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('per-record output says which extensions were updated and which failed and why', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [
				{ id: 100001, status: 'Disabled' },
				{ id: 999999, status: 'Disabled' },
				{ id: 100003, status: 'Enabled' },
			],
			parameters: bulkUpdate({ output: 'records' }),
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => [json.extensionId, json.status])).toEqual([
			['100001', 'Success'],
			['999999', 'Fail'],
			['100003', 'Success'],
		]);
		expect(items.map(({ pairedItem }) => pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(items[1].json.errors).toEqual([expect.objectContaining({ errorCode: 'CMN-102' })]);
		expect(items[0].json.taskId).toEqual(expect.any(String));
	});

	test('without waiting, the accepted task is output and never polled', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate({ waitForCompletion: false }),
		});
		expect(items.map(({ json }) => json.status)).toEqual(['Accepted']);
		expect(fake.server.requestsFor(GET_TASK)).toHaveLength(0);
	});
});

describe('bulk update from a JSON records array', () => {
	const fake = useFakeRingCentral({ seedExtensions: 1200, task: { completeAfterPolls: 1 } });

	test('an array of 1,200 in one item is split 500/500/200; each item keeps its own requests', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ records: disableRecords(1200) }, { records: disableRecords(3) }],
			parameters: bulkUpdate({ source: 'json', records: '={{ $json.records }}' }),
		});
		expect(error).toBeUndefined();
		const sizes = fake.server
			.requestsFor(POST)
			.map(({ body }) => (body as { records: unknown[] }).records.length);
		expect(sizes).toEqual([500, 500, 200, 3]);
		expect(items.map(({ pairedItem }) => pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
		]);
	});

	test.each([
		['{"id": "1"}', 'must be a JSON array of records'],
		['[{"id": "1", "status": "Disabled"}, 5]', 'records[1]'],
		['[{"status": "Disabled"}]', 'the record has no extension "id"'],
		['[{"id": "1",', 'is not valid JSON'],
	])('records %s are refused before anything is sent', async (records, message) => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: bulkUpdate({ source: 'json', records }),
		});
		expect(error?.message).toContain('Item 0, parameter "records');
		expect(error?.message).toContain(message);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('an empty records array sends nothing and outputs nothing', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: bulkUpdate({ source: 'json', records: '[]' }),
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(fake.server.requests).toHaveLength(0);
	});
});

describe('waiting for bulk-update tasks', () => {
	const fake = useFakeRingCentral({ seedExtensions: 1100, task: { completeAfterPolls: 3 } });

	test('a task that completes on the 3rd poll takes 3 GETs, none before the poll interval', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(5),
			parameters: bulkUpdate(),
		});
		expect(items[0].json.status).toBe('Completed');
		const [post] = fake.server.requestsFor(POST);
		const gets = fake.server.requestsFor(GET_TASK);
		expect(gets).toHaveLength(3);
		expect(gets[0].at - post.at).toBeGreaterThanOrEqual(1000);
	});

	test('several tasks are polled in the same rounds, not one after the other', async () => {
		await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(1001),
			parameters: bulkUpdate(),
		});
		const gets = fake.server.requestsFor(GET_TASK);
		expect(fake.server.requestsFor(POST)).toHaveLength(3);
		expect(gets).toHaveLength(9);
		const taskOrder = gets.map(({ path }) => path.split('/').pop());
		expect(new Set(taskOrder.slice(0, 3)).size).toBe(3);
	});

	test('a timeout names every unfinished task', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(600),
			parameters: bulkUpdate({ pollTimeout: 2 }),
		});
		const taskIds = [...fake.server.state.tasks.keys()];
		expect(taskIds).toHaveLength(2);
		expect(error?.message).toBe(
			`Bulk-update tasks ${taskIds.join(', ')} did not finish within 2 seconds`,
		);
		expect(fake.server.requestsFor(GET_TASK)).toHaveLength(4);
	});

	test('a timeout shorter than the poll interval still reads the task once, at the timeout', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate({ pollInterval: 10, pollTimeout: 1 }),
		});
		const [post] = fake.server.requestsFor(POST);
		const gets = fake.server.requestsFor(GET_TASK);
		expect(gets).toHaveLength(1);
		expect(gets[0].at - post.at).toBeGreaterThanOrEqual(1000);
		expect(error?.message).toMatch(/did not finish within 1 seconds$/);
	});

	test('a task that cannot be read while waiting is an error naming it and the tasks started', async () => {
		fake.server.injectFault({
			match: { operationId: GET_TASK },
			kind: 'status',
			status: 404,
			times: 10,
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate(),
		});
		const [taskId] = [...fake.server.state.tasks.keys()];
		expect(error?.message).toMatch(
			new RegExp(
				`^Could not read bulk-update task ${taskId}: RingCentral error \\S+ \\(HTTP 404\\)`,
			),
		);
		expect(error?.description).toContain(`already started before this error: ${taskId}`);
		expect(fake.server.requestsFor(POST)).toHaveLength(1);
	});

	test('with Continue On Fail, a task that cannot be read is an error item and the others finish', async () => {
		fake.server.injectFault({ match: { operationId: GET_TASK }, kind: 'status', status: 404 });
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: disableRecords(501),
			parameters: bulkUpdate(),
		});
		expect(error).toBeUndefined();
		const [firstTask] = [...fake.server.state.tasks.keys()];
		expect(items[0].json).toEqual({
			error: expect.stringContaining(firstTask),
			taskId: firstTask,
			outcome: 'unknown',
		});
		expect((items[0].pairedItem as unknown[]).length).toBe(500);
		expect(items[1].json.status).toBe('Completed');
	});

	test('the unfinished task can be resumed with bulkUpdateTask · get', async () => {
		await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate({ pollTimeout: 1 }),
		});
		const [taskId] = [...fake.server.state.tasks.keys()];
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'bulkUpdateTask',
				operation: 'get',
				taskId,
				waitForCompletion: true,
				pollInterval: 1,
			},
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			id: taskId,
			status: 'Completed',
			summary: { records: 2, succeeded: 2 },
		});
	});

	test('reading a task without waiting takes one GET', async () => {
		await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate({ waitForCompletion: false }),
		});
		const [taskId] = [...fake.server.state.tasks.keys()];
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'bulkUpdateTask', operation: 'get', taskId },
		});
		expect(items[0].json).toMatchObject({ id: taskId, status: 'InProgress' });
		expect(fake.server.requestsFor(GET_TASK)).toHaveLength(1);
	});

	test('a cancelled execution stops polling at once', async () => {
		// With a 60 s interval, the test would time out (30 s) if the wait did not stop.
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate({ pollInterval: 60 }),
			cancelAfterMs: 300,
		});
		expect(error?.message).toMatch(/cancel/i);
		expect(fake.server.requestsFor(GET_TASK)).toHaveLength(0);
	});
});

describe('tasks that fail', () => {
	const fake = useFakeRingCentral({ seedExtensions: 10, task: { completeAfterPolls: 1 } });

	test('a task that ends Failed is an error naming the task', async () => {
		fake.server.failNextTask([{ errorCode: 'CMN-500', message: 'Storage unavailable' }]);
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(2),
			parameters: bulkUpdate(),
		});
		const [taskId] = [...fake.server.state.tasks.keys()];
		expect(error?.message).toBe(`Bulk-update task ${taskId} failed: CMN-500 Storage unavailable`);
	});

	test('with Continue On Fail it is an error item carrying the task id, paired with its items', async () => {
		fake.server.failNextTask();
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: disableRecords(2),
			parameters: bulkUpdate(),
		});
		const [taskId] = [...fake.server.state.tasks.keys()];
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: { error: expect.stringContaining(taskId), taskId, outcome: 'notWritten' },
				pairedItem: [{ item: 0 }, { item: 1 }],
			},
		]);
	});
});

describe('a bulk-update request that fails', () => {
	const fake = useFakeRingCentral({ seedExtensions: 1100, task: { completeAfterPolls: 1 } });

	test('is not resent: a POST that may have reached RingCentral is never repeated', async () => {
		fake.server.injectFault({ match: { operationId: POST }, kind: 'status', status: 503 });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(3),
			parameters: bulkUpdate(),
		});
		expect(error?.message).toMatch(/HTTP 503/);
		expect(error?.description).toContain('was not repeated');
		expect(fake.server.requestsFor(POST)).toHaveLength(1);
	});

	test('with Continue On Fail, the failed request becomes an error item and the other tasks finish', async () => {
		fake.server.injectFault({ match: { operationId: POST }, kind: 'status', status: 500 });
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: disableRecords(1001),
			parameters: bulkUpdate(),
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => json.status ?? json.error)).toEqual([
			expect.stringMatching(/HTTP 500/),
			'Completed',
			'Completed',
		]);
		expect((items[0].pairedItem as unknown[]).length).toBe(500);
		expect(fake.server.requestsFor(POST)).toHaveLength(3);
	});
});

describe('a later bulk-update request that fails', () => {
	const fake = useFakeRingCentral({ seedExtensions: 600, task: { completeAfterPolls: 1 } });

	test('names the tasks already started, so nothing is sent twice', async () => {
		fake.server.injectFault({
			match: { operationId: POST },
			after: 1,
			kind: 'status',
			status: 502,
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: disableRecords(600),
			parameters: bulkUpdate(),
		});
		const [startedTask] = [...fake.server.state.tasks.keys()];
		expect(error?.message).toMatch(/HTTP 502/);
		expect(error?.description).toContain(`already started before this error: ${startedTask}`);
		expect(fake.server.requestsFor(POST)).toHaveLength(2);
	});
});

describe('the older plain-array affectedItems shape', () => {
	const fake = useFakeRingCentral({
		seedExtensions: 10,
		task: { completeAfterPolls: 1 },
		affectedItemsShape: 'array',
	});

	test('per-record outcomes and the summary read it too', async () => {
		const records = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [
				{ id: 100001, status: 'Disabled' },
				{ id: 5, status: 'Disabled' },
			],
			parameters: bulkUpdate({ output: 'records' }),
		});
		expect(records.items.map(({ json }) => json.status)).toEqual(['Success', 'Fail']);
		const tasks = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ id: 100002, status: 'Disabled' }],
			parameters: bulkUpdate(),
		});
		expect(Array.isArray((tasks.items[0].json.result as IDataObject).affectedItems)).toBe(true);
		expect(tasks.items[0].json.summary).toMatchObject({ records: 1, succeeded: 1, failed: 0 });
	});
});
