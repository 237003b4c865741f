import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode } from './harness';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const createFromJson = { resource: 'extension', operation: 'create', specifyBody: 'json' };
const bulkFromJson = {
	resource: 'extension',
	operation: 'bulkUpdate',
	source: 'json',
	pollInterval: 1,
};
const bulkFromItems = {
	resource: 'extension',
	operation: 'bulkUpdate',
	source: 'inputItems',
	pollInterval: 1,
};
const listExtensions = { resource: 'extension', operation: 'getAll', returnAll: false, limit: 5 };
const readTask = { resource: 'bulkUpdateTask', operation: 'get', taskId: 'task-1' };
const hundredAndOneEmails = Array.from({ length: 101 }, (_, index) => `user${index}@example.com`);

interface BadInput {
	name: string;
	parameters: INodeParameters;
	items?: IDataObject[];
	message: string;
}

const badInputs: BadInput[] = [
	{
		name: 'JSON body that does not parse',
		parameters: { ...createFromJson, jsonBody: '{ "contact": ' },
		message: 'Item 0, parameter "jsonBody": is not valid JSON',
	},
	{
		name: 'JSON body that is an array, not one extension',
		parameters: {
			...createFromJson,
			jsonBody: '[{ "contact": { "firstName": "A", "email": "a@example.com" } }]',
		},
		message: 'Item 0, parameter "jsonBody": must be a JSON object (one extension per item)',
	},
	{
		name: 'a null in a JSON body (an expression that found nothing), not "no change"',
		parameters: {
			resource: 'extension',
			operation: 'update',
			extensionId: '100001',
			specifyBody: 'json',
			jsonBody: '{ "contact": { "jobTitle": null, "department": "Sales" } }',
		},
		message:
			'Item 0, parameter "jsonBody": contact.jobTitle is null, which RingCentral does not take',
	},
	{
		name: 'a null in a bulk record',
		parameters: {
			...bulkFromJson,
			records:
				'[{ "id": "100001", "status": "Disabled" }, { "id": "100002", "contact": { "jobTitle": null } }]',
		},
		message:
			'Item 0, parameter "records[1]": contact.jobTitle is null, which RingCentral does not take',
	},
	{
		name: 'a null in an input item sent as a bulk record',
		parameters: bulkFromItems,
		items: [{ id: '100001', contact: { department: null } }],
		message: 'Item 0, parameter "source (input item)": contact.department is null',
	},
	{
		name: 'records that do not parse',
		parameters: { ...bulkFromJson, records: '[{ "id": "1" ' },
		message: 'Item 0, parameter "records": is not valid JSON',
	},
	{
		name: 'records that are an object, not an array',
		parameters: { ...bulkFromJson, records: '{ "id": "100001" }' },
		message: 'Item 0, parameter "records": must be a JSON array of records',
	},
	{
		name: 'records with a non-object',
		parameters: {
			...bulkFromJson,
			records: '[{ "id": "100001", "status": "Disabled" }, "100002"]',
		},
		message: 'Item 0, parameter "records[1]": each record must be a JSON object',
	},
	{
		name: 'a record without an id',
		parameters: {
			...bulkFromJson,
			records: '[{ "id": "100001", "status": "Disabled" }, { "status": "Disabled" }]',
		},
		message: 'Item 0, parameter "records[1]": the record has no extension "id"',
	},
	{
		name: 'a record with an empty id',
		parameters: { ...bulkFromJson, records: '[{ "id": " ", "status": "Disabled" }]' },
		message: 'Item 0, parameter "records[0]": the record has no extension "id"',
	},
	{
		name: 'a record id that cannot be a path segment (a preview reads it by id)',
		parameters: {
			...bulkFromJson,
			dryRun: true,
			records: '[{ "id": "..", "status": "Disabled" }]',
		},
		message: 'Item 0, parameter "records[0]": ".." is not a valid identifier',
	},
	{
		name: 'a record of the wrong shape',
		parameters: { ...bulkFromJson, records: '[{ "id": "100001", "contact": "Ada" }]' },
		message: 'Item 0, parameter "records[0]": contact must be an object',
	},
	{
		name: 'records of the 2nd item (from an expression) that are not an array',
		items: [{ records: [{ id: '100001', status: 'Disabled' }] }, { records: 'everyone' }],
		parameters: { ...bulkFromJson, records: '={{ $json.records }}' },
		message: 'Item 1, parameter "records": is not valid JSON',
	},
	{
		name: 'an input item without an id',
		items: [
			{ id: 100001, status: 'Disabled' },
			{ name: 'Ada', status: 'Disabled' },
		],
		parameters: bulkFromItems,
		message: 'Item 1, parameter "source (input item)": the record has no extension "id"',
	},
	{
		name: 'an empty first name (from an expression)',
		items: [{ first: '' }],
		parameters: {
			resource: 'extension',
			operation: 'create',
			firstName: '={{ $json.first }}',
			email: 'a@example.com',
		},
		message: 'Item 0, parameter "firstName": contact.firstName is required',
	},
	{
		name: 'an email of spaces only',
		parameters: { resource: 'extension', operation: 'create', firstName: 'Ada', email: '   ' },
		message: 'Item 0, parameter "email": contact.email is required',
	},
	{
		name: 'an empty task id in the 2nd item',
		items: [{ task: 'task-1' }, { task: '' }],
		parameters: { ...readTask, taskId: '={{ $json.task }}' },
		message: 'Item 1, parameter "taskId": must not be empty',
	},
	{
		name: 'a poll interval of 0',
		items: [{ id: 100001 }],
		parameters: { ...bulkFromItems, pollInterval: 0 },
		message: 'Item 0, parameter "pollInterval": must be a number from 1 to 3600',
	},
	{
		name: 'a poll interval that is not a number',
		items: [{ id: 100001 }],
		parameters: { ...bulkFromItems, pollInterval: '={{ "soon" }}' },
		message: 'Item 0, parameter "pollInterval": must be a number from 1 to 3600',
	},
	{
		name: 'a poll timeout over a day',
		parameters: { ...readTask, waitForCompletion: true, pollTimeout: 100000 },
		message: 'Item 0, parameter "pollTimeout": must be a number from 1 to 86400',
	},
	{
		name: 'an unknown status filter (from an expression)',
		parameters: { ...listExtensions, filters: { status: '={{ ["Enabled", "Bogus"] }}' } },
		message:
			'Item 0, parameter "filters.status": unknown value Bogus; use one of: Enabled, Disabled',
	},
	{
		name: 'an unknown extension type filter (from an expression)',
		parameters: { ...listExtensions, filters: { type: '={{ ["Robot"] }}' } },
		message: 'Item 0, parameter "filters.type": unknown value Robot; use one of: User',
	},
	{
		name: 'an unknown template type filter (from an expression)',
		parameters: {
			resource: 'userTemplate',
			operation: 'getAll',
			limit: 5,
			filters: { type: '={{ "Bogus" }}' },
		},
		message: 'Item 0, parameter "filters.type": unknown template type "Bogus"',
	},
	{
		name: 'an unknown extension type to create (from an expression)',
		parameters: {
			resource: 'extension',
			operation: 'create',
			firstName: 'Ada',
			email: 'a@example.com',
			extensionType: '={{ "Alien" }}',
		},
		message:
			'Item 0, parameter "extensionType": type is "Alien", which RingCentral does not accept here',
	},
	{
		name: 'more than 100 emails',
		parameters: { ...listExtensions, filters: { email: hundredAndOneEmails.join(', ') } },
		message: 'Item 0, parameter "filters.email": at most 100 addresses at once',
	},
	{
		name: 'more than 100 emails from an expression',
		parameters: {
			...listExtensions,
			filters: { email: `={{ ${JSON.stringify(hundredAndOneEmails)} }}` },
		},
		message: 'Item 0, parameter "filters.email": at most 100 addresses at once',
	},
	{
		name: 'a limit of 0',
		parameters: { ...listExtensions, limit: 0 },
		message: 'Item 0, parameter "limit": must be a whole number of at least 1',
	},
];

describe('bad input is refused before anything is sent, naming the item and the parameter', () => {
	const fake = useFakeRingCentral({ seedExtensions: 5 });

	test.each(badInputs)('$name', async ({ parameters, items, message }) => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters,
			items,
		});
		expect(error?.message.slice(0, message.length)).toBe(message);
		expect(fake.server.requests).toHaveLength(0);
	});
});

describe('with Continue On Fail, bad input fails only its own item', () => {
	const fake = useFakeRingCentral({ seedExtensions: 5, task: { completeAfterPolls: 1 } });

	test('create: the item with a bad JSON body gives { error } paired with it; the others are created', async () => {
		const body = (email: string) => JSON.stringify({ contact: { firstName: 'A', email } });
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: [{ body: body('a@example.com') }, { body: '{ nope' }, { body: body('c@example.com') }],
			parameters: { ...createFromJson, jsonBody: '={{ $json.body }}' },
		});
		expect(error).toBeUndefined();
		expect(items[1].json).toEqual({
			error: expect.stringContaining('Item 1, parameter "jsonBody": is not valid JSON'),
			outcome: 'notWritten',
		});
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect(items.map(({ json }) => (json.contact as IDataObject | undefined)?.email)).toEqual([
			'a@example.com',
			undefined,
			'c@example.com',
		]);
		expect(fake.server.requestsFor('createExtension')).toHaveLength(2);
	});

	test('bulk update: the record without an id is left out, and the others go in one request', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: [
				{ id: 100001, status: 'Disabled' },
				{ status: 'Disabled' },
				{ id: 100003, status: 'Disabled' },
			],
			parameters: { ...bulkFromItems, waitForCompletion: false },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json.error).toContain(
			'Item 1, parameter "source (input item)": the record has no extension "id"',
		);
		expect(items[0].pairedItem).toEqual({ item: 1 });
		expect(items[1].pairedItem).toEqual([{ item: 0 }, { item: 2 }]);
		const posts = fake.server.requestsFor('extensionBulkUpdate');
		expect(
			posts.map(({ body }) => (body as { records: IDataObject[] }).records.map(({ id }) => id)),
		).toEqual([['100001', '100003']]);
	});
});
