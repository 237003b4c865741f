import { runNode } from './harness';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

describe('userTemplate', () => {
	const fake = useFakeRingCentral({ seedTemplates: 7 });

	test('getAll returns every template, and a type filter narrows them', async () => {
		const all = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'userTemplate', operation: 'getAll', returnAll: true },
		});
		expect(all.items).toHaveLength(7);
		const callHandling = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'userTemplate',
				operation: 'getAll',
				returnAll: true,
				filters: { type: 'CallHandling' },
			},
		});
		expect(callHandling.items.length).toBeGreaterThan(0);
		expect(callHandling.items.every(({ json }) => json.type === 'CallHandling')).toBe(true);
		expect(fake.server.requestsFor('listUserTemplates')[1].query.type).toEqual(['CallHandling']);
	});

	test('getAll with a limit', async () => {
		const { items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'userTemplate', operation: 'getAll', limit: 2 },
		});
		expect(items).toHaveLength(2);
		expect(fake.server.requestsFor('listUserTemplates')[0].query.perPage).toEqual(['2']);
	});

	test.each([
		['list', '300002'],
		['id', '300003'],
	])('get reads one template picked in %s mode', async (mode, id) => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'userTemplate',
				operation: 'get',
				templateId: { __rl: true, mode, value: id },
			},
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => json.id)).toEqual([id]);
		expect(fake.server.requestsFor('readUserTemplate')[0].path).toBe(
			`/restapi/v1.0/account/~/templates/${id}`,
		);
	});

	test('an unknown template is an API error with RingCentral’s code', async () => {
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'userTemplate',
				operation: 'get',
				templateId: { __rl: true, mode: 'id', value: '999' },
			},
		});
		expect(error?.message).toMatch(/^RingCentral error CMN-102 \(HTTP 404\)/);
	});

	test('the account ID is sent as one encoded path segment', async () => {
		await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'userTemplate',
				operation: 'getAll',
				limit: 1,
				accountId: '400000001',
			},
		});
		expect(fake.server.requestsFor('listUserTemplates')[0].path).toBe(
			'/restapi/v1.0/account/400000001/templates',
		);
	});
});
