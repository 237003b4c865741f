import type { INodeParameters } from 'n8n-workflow';

import { runNode } from './harness';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const LIST = 'listExtensions';

describe('extension · getAll paging', () => {
	const fake = useFakeRingCentral({ seedExtensions: 2345 });

	test('Return All over 2,345 extensions takes 3 requests of 1000', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', returnAll: true },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2345);
		expect(new Set(items.map(({ json }) => json.id)).size).toBe(2345);
		const requests = fake.server.requestsFor(LIST);
		expect(requests.map(({ query }) => [query.page, query.perPage])).toEqual([
			[['1'], ['1000']],
			[['2'], ['1000']],
			[['3'], ['1000']],
		]);
	});

	test('Limit 120 takes 1 request and yields exactly 120 items', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', returnAll: false, limit: 120 },
		});
		expect(items).toHaveLength(120);
		expect(fake.server.requestsFor(LIST)).toHaveLength(1);
		expect(fake.server.requestsFor(LIST)[0].query.perPage).toEqual(['120']);
	});

	test('Limit 1500 stops after the page that reaches it', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', limit: 1500 },
		});
		expect(items).toHaveLength(1500);
		expect(fake.server.requestsFor(LIST)).toHaveLength(2);
	});

	test('each output item is one extension record paired with its input item', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ run: 'a' }, { run: 'b' }],
			parameters: { resource: 'extension', operation: 'getAll', limit: 3 },
		});
		expect(items).toHaveLength(6);
		expect(items.map(({ pairedItem }) => pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 0 },
			{ item: 1 },
			{ item: 1 },
			{ item: 1 },
		]);
		expect(items[0].json).toMatchObject({
			id: 100001,
			extensionNumber: '101',
			uri: expect.any(String),
		});
	});
});

describe('extension · getAll filters', () => {
	const fake = useFakeRingCentral({ seedExtensions: 60 });

	async function list(filters: INodeParameters) {
		const result = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', returnAll: true, filters },
		});
		expect(result.error).toBeUndefined();
		return { ...result, request: fake.server.requestsFor(LIST)[0] };
	}

	test('several statuses go out as repeated query keys', async () => {
		const { items, request } = await list({ status: ['Enabled', 'Frozen'] });
		expect(request.rawQuery).toMatch(/(^|&)status=Enabled&status=Frozen(&|$)/);
		expect(items.length).toBeGreaterThan(0);
		expect(new Set(items.map(({ json }) => json.status))).toEqual(new Set(['Enabled', 'Frozen']));
	});

	test('several types go out as repeated query keys', async () => {
		const { items, request } = await list({ type: ['Department', 'Voicemail'] });
		expect(request.query.type).toEqual(['Department', 'Voicemail']);
		expect(new Set(items.map(({ json }) => json.type))).toEqual(
			new Set(['Department', 'Voicemail']),
		);
	});

	test('comma-separated emails become repeated email keys', async () => {
		const { items, request } = await list({ email: 'user1@example.com, user7@example.com' });
		expect(request.query.email).toEqual(['user1@example.com', 'user7@example.com']);
		expect(items.map(({ json }) => (json.contact as { email: string }).email).sort()).toEqual([
			'user1@example.com',
			'user7@example.com',
		]);
	});

	test('extension number filter', async () => {
		const { items, request } = await list({ extensionNumber: '105' });
		expect(request.query.extensionNumber).toEqual(['105']);
		expect(items.map(({ json }) => json.extensionNumber)).toEqual(['105']);
	});

	test('filters evaluate expressions per item', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ mail: 'user2@example.com' }, { mail: 'user3@example.com' }],
			parameters: {
				resource: 'extension',
				operation: 'getAll',
				returnAll: true,
				filters: { email: '={{ $json.mail }}' },
			},
		});
		expect(items.map(({ json }) => (json.contact as { email: string }).email)).toEqual([
			'user2@example.com',
			'user3@example.com',
		]);
		expect(items.map(({ pairedItem }) => pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('extension · getAll when a proxy ignores the page parameter', () => {
	const fake = useFakeRingCentral({ seedExtensions: 30 });

	test('stops at the last page RingCentral announced instead of reading page 1 forever', async () => {
		const page1 = await fetch(`${fake.server.url}/restapi/v1.0/account/~/extension?perPage=10`, {
			headers: { authorization: 'Bearer test-access-token' },
		}).then((response) => response.json() as Promise<{ paging: object }>);
		fake.server.reset();
		for (let times = 0; times < 5; times++) {
			fake.server.injectFault({
				match: { operationId: LIST },
				kind: 'status',
				status: 200,
				body: { ...page1, paging: { ...page1.paging, totalPages: 3 } },
			});
		}
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', returnAll: true },
		});
		expect(error).toBeUndefined();
		expect(fake.server.requestsFor(LIST)).toHaveLength(3);
		expect(items).toHaveLength(30);
	});
});

describe('extension · getAll never follows a paging link to another host', () => {
	const fake = useFakeRingCentral({ seedExtensions: 25, navigationBaseUrl: 'http://127.0.0.9:9' });

	test('pages are read from the configured server only', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', limit: 20 },
			items: [{}],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(20);
		const { items: all } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', returnAll: true },
		});
		expect(all).toHaveLength(25);
	});
});

describe('extension · create', () => {
	const fake = useFakeRingCentral({ seedExtensions: 5 });

	const hires = [
		{ first: 'Nina', last: 'Ng', mail: 'nina.ng@example.com', title: 'Engineer' },
		{ first: 'Omar', last: 'Oz', mail: 'omar.oz@example.com', title: 'Designer' },
		{ first: 'Pia', last: 'Park', mail: 'pia.park@example.com', title: 'Analyst' },
	];

	const byFields = {
		resource: 'extension',
		operation: 'create',
		firstName: '={{ $json.first }}',
		lastName: '={{ $json.last }}',
		email: '={{ $json.mail }}',
		additionalFields: { jobTitle: '={{ $json.title }}', department: 'R&D' },
	};

	test('creates one extension per input item from fields', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: hires,
			parameters: byFields,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items.map(({ pairedItem }) => pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(items.map(({ json }) => (json.contact as { email: string }).email)).toEqual(
			hires.map((h) => h.mail),
		);
		expect(items[0].json).toMatchObject({
			type: 'User',
			status: 'NotActivated',
			id: expect.any(Number),
		});
		const bodies = fake.server.requestsFor('createExtension').map(({ body }) => body);
		expect(bodies[1]).toEqual({
			contact: {
				firstName: 'Omar',
				lastName: 'Oz',
				email: 'omar.oz@example.com',
				jobTitle: 'Designer',
				department: 'R&D',
			},
			type: 'User',
		});
		expect(fake.server.state.extensions).toHaveLength(8);
	});

	test('creates from a JSON body per item', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: hires.slice(0, 2),
			parameters: {
				resource: 'extension',
				operation: 'create',
				specifyBody: 'json',
				jsonBody:
					'={{ JSON.stringify({ contact: { firstName: $json.first, email: $json.mail }, type: "User", status: "Enabled", password: "S3cret!pass" }) }}',
			},
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => json.status)).toEqual(['Enabled', 'Enabled']);
		expect(fake.server.requestsFor('createExtension')).toHaveLength(2);
	});

	test('an empty required field is an error naming the item and parameter, and nothing is sent', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [hires[0], { first: 'NoMail', mail: '' }],
			parameters: byFields,
		});
		expect(error?.message).toBe('Item 1, parameter "email": contact.email is required');
		expect(fake.server.requestsFor('createExtension')).toHaveLength(1);
	});

	test('a JSON body with a property RingCentral does not accept is refused before sending', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'create',
				specifyBody: 'json',
				jsonBody: '{ "contact": { "firstName": "A", "email": "a@example.com" }, "nickname": "x" }',
			},
		});
		expect(error?.message).toContain(
			'Item 0, parameter "jsonBody": nickname is not a property RingCentral accepts here',
		);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('a duplicate email surfaces RingCentral’s error code and message', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ first: 'Dup', mail: 'user1@example.com' }],
			parameters: byFields,
		});
		expect(error?.message).toMatch(/^RingCentral error \S+ \(HTTP 400\): /);
		expect(`${error?.message} ${error?.description}`).toContain('contact.email');
	});

	test('with Continue On Fail a failing item gives an error item and the others go on', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: [hires[0], { first: 'Dup', mail: 'user1@example.com' }, hires[2]],
			parameters: byFields,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(items[1].json.error).toMatch(/HTTP 400/);
		expect(items[1].pairedItem).toEqual({ item: 1 });
		expect((items[2].json.contact as { email: string }).email).toBe('pia.park@example.com');
	});
});
