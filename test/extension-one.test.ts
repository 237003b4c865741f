// extension · get, update, delete: one extension, chosen with the extensionId resource locator.
import type { INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral } from './fake-server';
import { runNode } from './harness';
import { callListSearch } from './harness/listSearch';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromList = (value: string) => ({ __rl: true, mode: 'list', value });

describe('extension · get', () => {
	const fake = useFakeRingCentral();

	test('reads the extension picked from the list, and the one given by ID', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ pick: 'list' }, { pick: 'id' }],
			parameters: {
				resource: 'extension',
				operation: 'get',
				extensionId:
					'={{ $json.pick === "list" ? ' +
					JSON.stringify(fromList('100002')) +
					' : ' +
					JSON.stringify(byId('100003')) +
					' }}',
			},
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => json.id)).toEqual([100002, 100003]);
		expect(items.map(({ pairedItem }) => pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(fake.server.requestsFor('readExtension').map(({ path }) => path)).toEqual([
			'/restapi/v1.0/account/~/extension/100002',
			'/restapi/v1.0/account/~/extension/100003',
		]);
	});

	test("an unknown ID is RingCentral's 404 CMN-102; with Continue On Fail an error item", async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{}, {}],
			continueOnFail: true,
			parameters: {
				resource: 'extension',
				operation: 'get',
				extensionId: '={{ $itemIndex === 0 ? "999999" : "100001" }}',
			},
		});
		expect(error).toBeUndefined();
		expect(items[0].json.error).toMatch(/CMN-102/);
		expect(items[1].json.id).toBe(100001);
	});

	test('an empty ID or a dot segment is refused before anything is sent', async () => {
		for (const value of ['={{ "  " }}', '..']) {
			const { error } = await runNode({
				credential: accessTokenCredential(fake.server),
				parameters: { resource: 'extension', operation: 'get', extensionId: byId(value) },
			});
			expect(error?.message).toMatch(/Item 0, parameter "extensionId"/);
		}
		expect(fake.server.requests).toHaveLength(0);
	});
});

describe('extension · update', () => {
	const fake = useFakeRingCentral();

	test('Update Fields become one PUT of an ExtensionUpdateRequest; only the fields set go out', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'update',
				extensionId: byId('100001'),
				updateFields: {
					jobTitle: ' Team Lead ',
					status: 'Disabled',
					siteId: '55',
					extensionNumber: 909,
				},
			},
		});
		expect(error).toBeUndefined();
		const [put] = fake.server.requestsFor('updateExtension');
		expect(put.method).toBe('PUT');
		expect(put.body).toEqual({
			contact: { jobTitle: 'Team Lead' },
			status: 'Disabled',
			site: { id: '55' },
			extensionNumber: '909',
		});
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			id: 100001,
			status: 'Disabled',
			extensionNumber: '909',
			contact: { firstName: 'Alice', jobTitle: 'Team Lead' },
		});
	});

	test('a JSON body is checked against ExtensionUpdateRequest before sending', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'update',
				extensionId: byId('100001'),
				specifyBody: 'json',
				jsonBody: '{ "id": "100001", "status": "Gone" }',
			},
		});
		expect(error?.message).toMatch(/Item 0, parameter "jsonBody": id is not a property/);
		expect(error?.message).toMatch(/status is "Gone"/);
		expect(fake.server.requests).toHaveLength(0);
	});

	test('a JSON body that fits goes out as it is', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'update',
				extensionId: byId('100004'),
				specifyBody: 'json',
				jsonBody: '{ "contact": { "department": "Sales" }, "partnerId": "HR-4" }',
			},
		});
		expect(fake.server.requestsFor('updateExtension')[0].body).toEqual({
			contact: { department: 'Sales' },
			partnerId: 'HR-4',
		});
		expect(items[0].json).toMatchObject({ partnerId: 'HR-4', contact: { department: 'Sales' } });
	});

	test('no field to change, or a bad email, is an error naming the parameter; nothing is sent', async () => {
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ updateFields: {} }, /parameter "updateFields": names nothing to change/],
			[{ updateFields: { email: 'not-an-email' } }, /parameter "updateFields.email"/],
			[{ updateFields: { firstName: 'x'.repeat(65) } }, /parameter "updateFields.firstName"/],
		];
		for (const [parameters, message] of cases) {
			const { error } = await runNode({
				credential: accessTokenCredential(fake.server),
				parameters: {
					resource: 'extension',
					operation: 'update',
					extensionId: byId('100001'),
					...parameters,
				},
			});
			expect(error?.message).toMatch(message);
		}
		expect(fake.server.requests).toHaveLength(0);
	});

	test('an added field whose expression comes out empty is an error naming it, not a silent "no change"', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ title: 'Lead' }, { title: '  ' }],
			parameters: {
				resource: 'extension',
				operation: 'update',
				extensionId: byId('100001'),
				updateFields: { jobTitle: '={{ $json.title }}', status: 'Disabled' },
			},
		});
		expect(error?.message).toMatch(/Item 1, parameter "updateFields.jobTitle": is empty/);
		expect(fake.server.requestsFor('updateExtension')).toHaveLength(1);
	});

	test("an email another extension holds is RingCentral's 400, shown with the parameter", async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'update',
				extensionId: byId('100001'),
				updateFields: { email: 'user2@example.com' },
			},
		});
		expect(error?.message).toMatch(/already in use|CMN-101/);
		expect(fake.server.requestsFor('updateExtension')).toHaveLength(1);
		expect(fake.server.state.extensions[0].contact.email).toBe('user1@example.com');
	});
});

describe('extension · delete', () => {
	const fake = useFakeRingCentral();

	test('deletes and outputs { id, deleted: true }; the options go out as query parameters', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'delete',
				extensionId: byId('100003'),
				options: { savePhoneLines: true, savePhoneNumbers: false },
			},
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => json)).toEqual([{ id: '100003', deleted: true }]);
		const [request] = fake.server.requestsFor('deleteExtension');
		expect(request.rawQuery).toBe('savePhoneLines=true&savePhoneNumbers=false');
		expect(request.status).toBe(204);
		expect(fake.server.state.extensions.map(({ id }) => id)).not.toContain(100003);
	});

	test('"~" (the credential\'s own extension) is refused: an admin would delete themselves', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'delete', extensionId: byId(' ~ ') },
		});
		expect(error?.message).toMatch(/Item 0, parameter "extensionId": .*own extension/);
		expect(fake.server.requests).toEqual([]);
	});

	test('without options no query is sent; an unknown ID is an error and deletes nothing', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'delete', extensionId: byId('999999') },
		});
		expect(error?.message).toMatch(/CMN-102|not found/i);
		expect(fake.server.requestsFor('deleteExtension')[0].rawQuery).toBe('');
		expect(fake.server.state.extensions).toHaveLength(25);
	});
});

describe('extension picker (listSearch searchExtensions)', () => {
	const fake = useFakeRingCentral({ seedExtensions: 130 });

	async function searchExtensions(
		server: FakeRingCentral,
		filter?: string,
		token?: string,
		parameters: INodeParameters = {},
	) {
		return await callListSearch('searchExtensions', accessTokenCredential(server), {
			parameters: { resource: 'extension', operation: 'get', ...parameters },
			path: 'parameters.extensionId',
			filter,
			paginationToken: token,
		});
	}

	test('lists name (number) with the email, the ID as value, and pages on', async () => {
		const first = await searchExtensions(fake.server);
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({
			name: 'Alice Smith (101)',
			value: '100001',
			description: 'user1@example.com',
		});
		expect(first.paginationToken).toBe('2');
		const second = await searchExtensions(fake.server, undefined, '2');
		expect(second.results).toHaveLength(30);
		expect(second.paginationToken).toBeUndefined();
	});

	test('finds by part of a name, a number or an email, without regard to case', async () => {
		const byEmail = await searchExtensions(fake.server, 'USER12@');
		expect(byEmail.results.map(({ value }) => value)).toEqual(['100012']);
		const byNumber = await searchExtensions(fake.server, '(105)');
		expect(byNumber.results.map(({ value }) => value)).toEqual(['100005']);
		// Filtered searches read large pages: one request covers all 130.
		expect(fake.server.requests.slice(-1)[0].query.perPage).toEqual(['1000']);
	});

	describe('with a filter that matches on a later page only (3,500 extensions, pages of 1,000)', () => {
		const many = useFakeRingCentral({ seedExtensions: 3500 });

		test('reads on until a page matches, and hands the editor the page after it', async () => {
			const found = await searchExtensions(many.server, 'user2400@');
			expect(found.results.map(({ value }) => value)).toEqual(['102400']);
			expect(many.server.requests.map((request) => request.query.page)).toEqual([
				['1'],
				['2'],
				['3'],
			]);
			expect(found.paginationToken).toBe('4');
		});

		test('reads at most three pages per call; the editor pages on from there', async () => {
			const none = await searchExtensions(many.server, 'nobody-by-this-name');
			expect(none).toEqual({ results: [], paginationToken: '4' });
			expect(many.server.requests).toHaveLength(3);
			const rest = await searchExtensions(many.server, 'nobody-by-this-name', '4');
			expect(rest.results).toEqual([]);
			expect(rest.paginationToken).toBeUndefined();
			expect(many.server.requests).toHaveLength(4);
		});
	});

	test('an account ID that cannot be a path segment names the parameter, and nothing is sent', async () => {
		await expect(
			searchExtensions(fake.server, 'al', undefined, { accountId: ' .. ' }),
		).rejects.toThrow('Parameter "accountId": ".." is not a valid identifier');
		expect(fake.server.requests).toEqual([]);
	});
});
