import type { INodeParameters } from 'n8n-workflow';

import { runNode } from './harness';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

const ACCOUNT = '/restapi/v1.0/account';

/** Values that would reach another endpoint if they were put into the path as they are. */
const HOSTILE_IDS = [
	'../../extension',
	'x?page=9&perPage=1',
	'x#fragment',
	'a/b',
	'../templates/300001',
	'..%2F..',
	'~/extension',
];

interface PathCase {
	parameter: string;
	operationId: string;
	parameters(id: string): INodeParameters;
	/** The raw path the request must arrive on. */
	path(encoded: string): string;
}

const cases: PathCase[] = [
	{
		parameter: 'accountId',
		operationId: 'listExtensions',
		parameters: (id) => ({ resource: 'extension', operation: 'getAll', accountId: id, limit: 5 }),
		path: (encoded) => `${ACCOUNT}/${encoded}/extension`,
	},
	{
		parameter: 'taskId',
		operationId: 'getExtensionBulkUpdateTask',
		parameters: (id) => ({ resource: 'bulkUpdateTask', operation: 'get', taskId: id }),
		path: (encoded) => `${ACCOUNT}/~/extension-bulk-update/tasks/${encoded}`,
	},
	{
		parameter: 'templateId',
		operationId: 'readUserTemplate',
		parameters: (id) => ({
			resource: 'userTemplate',
			operation: 'get',
			templateId: { __rl: true, mode: 'id', value: id },
		}),
		path: (encoded) => `${ACCOUNT}/~/templates/${encoded}`,
	},
];

describe('path safety: each ID is exactly one URL-encoded path segment', () => {
	const fake = useFakeRingCentral({ seedExtensions: 5 });

	describe.each(cases)('$parameter', ({ parameter, operationId, parameters, path }) => {
		test.each(HOSTILE_IDS)('%j reaches only its own endpoint', async (id) => {
			await runNode({ credential: accessTokenCredential(fake.server), parameters: parameters(id) });
			expect(fake.server.requests).toHaveLength(1);
			const [request] = fake.server.requests;
			expect(request.path).toBe(path(encodeURIComponent(id)));
			expect(request.operationId).toBe(operationId);
			expect(request.query.page ?? []).not.toContain('9');
		});

		test.each(['..', '.', ' .. '])('%j is refused before anything is sent', async (id) => {
			const { error } = await runNode({
				credential: accessTokenCredential(fake.server),
				parameters: parameters(id),
			});
			expect(error?.message).toBe(
				`Item 0, parameter "${parameter}": "${id.trim()}" is not a valid identifier`,
			);
			expect(fake.server.requests).toHaveLength(0);
		});
	});

	test('an accountId from an expression is encoded too', async () => {
		await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ account: '../../oauth/revoke?token=x' }],
			parameters: {
				resource: 'extension',
				operation: 'getAll',
				accountId: '={{ $json.account }}',
				limit: 5,
			},
		});
		expect(fake.server.requests.map(({ path }) => path)).toEqual([
			`${ACCOUNT}/..%2F..%2Foauth%2Frevoke%3Ftoken%3Dx/extension`,
		]);
	});
});

describe('API errors', () => {
	const fake = useFakeRingCentral({ seedExtensions: 5 });

	test('show RingCentral’s error code, message, HTTP status and the parameter at fault', async () => {
		fake.server.injectFault({
			kind: 'status',
			status: 400,
			body: {
				errorCode: 'CMN-101',
				message: 'Parameter [email] value is invalid',
				errors: [
					{
						errorCode: 'CMN-101',
						message: 'Parameter [email] value is invalid',
						parameterName: 'email',
					},
				],
			},
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'getAll',
				limit: 5,
				filters: { email: 'nobody' },
			},
		});
		expect(error?.message).toBe(
			'RingCentral error CMN-101 (HTTP 400): Parameter [email] value is invalid',
		);
		expect(error?.description).toBe('CMN-101 [email] Parameter [email] value is invalid');
		expect((error as { httpCode?: string } | undefined)?.httpCode).toBe('400');
	});

	test('a 403 without a body still says what it means', async () => {
		fake.server.injectFault({ kind: 'status', status: 403, body: {} });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'userTemplate', operation: 'getAll', limit: 5 },
		});
		expect(error?.message).toBe(
			'RingCentral error (HTTP 403): The credential lacks a permission this operation needs',
		);
	});
});
