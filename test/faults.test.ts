import type { IDataObject } from 'n8n-workflow';

import type { RecordedRequest } from './fake-server';
import { runNode } from './harness';
import { accessTokenCredential, jwtCredential, useFakeRingCentral } from './support/setup';

const LIST = 'listExtensions';
const CREATE = 'createExtension';
const BULK = 'extensionBulkUpdate';

const listOne = { resource: 'extension', operation: 'getAll', returnAll: false, limit: 5 };
const createAda = {
	resource: 'extension',
	operation: 'create',
	firstName: 'Ada',
	email: 'ada@example.com',
};

function statuses(requests: RecordedRequest[]): number[] {
	return requests.map(({ status }) => status);
}

function gaps(requests: RecordedRequest[]): number[] {
	return requests.slice(1).map((request, index) => request.at - requests[index].at);
}

describe('reads (GET) are retried after transient faults', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	test.each([500, 502, 503, 504])('a %i is retried once and the list arrives', async (status) => {
		fake.server.injectFault({ match: { operationId: LIST }, kind: 'status', status });
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listOne,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(statuses(fake.server.requestsFor(LIST))).toEqual([status, 200]);
	});

	test('a dropped connection is retried', async () => {
		fake.server.injectFault({ match: { operationId: LIST }, kind: 'drop' });
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listOne,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		// 0: the connection closed without an answer.
		expect(statuses(fake.server.requestsFor(LIST))).toEqual([0, 200]);
	});

	test('backoff doubles from 0.5 s, and after 3 retries the error says so', async () => {
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'status',
			status: 503,
			times: 10,
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listOne,
		});
		const requests = fake.server.requestsFor(LIST);
		expect(statuses(requests)).toEqual([503, 503, 503, 503]);
		const [first, second, third] = gaps(requests);
		expect(first).toBeGreaterThanOrEqual(500);
		expect(second).toBeGreaterThanOrEqual(1000);
		expect(third).toBeGreaterThanOrEqual(2000);
		expect(error?.message).toBe(
			'RingCentral error CMN-503 (HTTP 503): Service Unavailable (after 3 retries)',
		);
	});

	test('a 503 with Retry-After waits that long before the retry', async () => {
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'status',
			status: 503,
			headers: { 'Retry-After': '2' },
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listOne,
		});
		expect(error).toBeUndefined();
		const requests = fake.server.requestsFor(LIST);
		expect(statuses(requests)).toEqual([503, 200]);
		expect(gaps(requests)[0]).toBeGreaterThanOrEqual(2000);
	});

	test('a slow answer is waited for, not resent', async () => {
		fake.server.injectFault({ match: { operationId: LIST }, kind: 'delay', ms: 1500 });
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listOne,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(statuses(fake.server.requestsFor(LIST))).toEqual([200]);
	});

	test('a 4xx answer is final: not retried', async () => {
		fake.server.injectFault({ match: { operationId: LIST }, kind: 'status', status: 400 });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: listOne,
		});
		expect(error?.message).toMatch(/^RingCentral error CMN-400 \(HTTP 400\)/);
		expect(fake.server.requestsFor(LIST)).toHaveLength(1);
	});
});

describe('changes (POST) are never sent twice after they may have reached RingCentral', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	test('a create whose connection dropped after RingCentral acted is not resent, and the error says it may exist', async () => {
		fake.server.injectFault({ match: { operationId: CREATE }, kind: 'dropAfterProcessing' });
		const before = fake.server.state.extensions.length;
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: createAda,
		});
		expect(fake.server.requestsFor(CREATE)).toHaveLength(1);
		expect(fake.server.state.extensions).toHaveLength(before + 1);
		expect(error?.message).toContain('the connection was reset');
		expect(error?.message).toContain(
			'RingCentral may have carried it out (e.g. created the extension',
		);
		expect(error?.description).toContain('was not repeated');
	});

	test.each([
		['a dropped connection', { kind: 'drop' as const }],
		['a 502', { kind: 'status' as const, status: 502 }],
		['a 503', { kind: 'status' as const, status: 503 }],
	])('a create answered by %s is not resent', async (_name, fault) => {
		fake.server.injectFault({ match: { operationId: CREATE }, ...fault });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: createAda,
		});
		expect(fake.server.requestsFor(CREATE)).toHaveLength(1);
		expect(error?.message).toContain('RingCentral may have carried it out');
	});

	test('a bulk update whose connection dropped after RingCentral started the task is not resent', async () => {
		fake.server.injectFault({ match: { operationId: BULK }, kind: 'dropAfterProcessing' });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ id: 100001, status: 'Disabled' }],
			parameters: { resource: 'extension', operation: 'bulkUpdate', waitForCompletion: false },
		});
		expect(fake.server.requestsFor(BULK)).toHaveLength(1);
		expect(fake.server.state.tasks.size).toBe(1);
		expect(error?.message).toContain('RingCentral may have carried it out');
	});
});

describe('Continue On Fail', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	test('the item whose request failed after its retries gives { error }, paired; the others go on', async () => {
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'status',
			status: 502,
			times: 4,
		});
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			continueOnFail: true,
			items: [{ n: 0 }, { n: 1 }, { n: 2 }],
			parameters: { ...listOne, limit: 1 },
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => Object.keys(json))).toEqual([
			['error'],
			expect.arrayContaining(['id']),
			expect.arrayContaining(['id']),
		]);
		expect(items[0].json.error).toBe(
			'RingCentral error CMN-502 (HTTP 502): Bad Gateway (after 3 retries)',
		);
		expect(items.map(({ pairedItem }) => pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(statuses(fake.server.requestsFor(LIST))).toEqual([502, 502, 502, 502, 200, 200]);
	});

	test('without it, the error names the item', async () => {
		fake.server.injectFault({ match: { operationId: CREATE }, kind: 'status', status: 400 });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ email: 'a@example.com' }, { email: 'b@example.com' }],
			parameters: { ...createAda, email: '={{ $json.email }}' },
		});
		expect(error?.context?.itemIndex).toBe(0);
		expect(fake.server.requestsFor(CREATE)).toHaveLength(1);
	});
});

describe('errors never show a secret', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	function everythingShown(result: {
		error?: unknown;
		items: Array<{ json: IDataObject }>;
	}): string {
		const error = result.error as (Error & IDataObject) | undefined;
		return JSON.stringify({
			error,
			message: error?.message,
			description: error?.description,
			stack: error?.stack,
			items: result.items,
		});
	}

	test('an access token does not appear in an API error or a network error', async () => {
		const credential = accessTokenCredential(fake.server, 'secret-access-token-123');
		const refused = await runNode({ credential, parameters: listOne });
		expect(refused.error?.message).toMatch(/HTTP 401/);
		fake.server.injectFault({ match: { operationId: CREATE }, kind: 'drop' });
		const dropped = await runNode({ credential, parameters: createAda, continueOnFail: true });
		expect(dropped.items[0].json.error).toContain('the connection was reset');
		for (const shown of [everythingShown(refused), everythingShown(dropped)]) {
			expect(shown).not.toContain('secret-access-token-123');
		}
	});

	test('the JWT, the client secret and the issued token do not appear in an error', async () => {
		const credential = jwtCredential(fake.server);
		fake.server.injectFault({ match: { operationId: LIST }, kind: 'status', status: 400 });
		const result = await runNode({ credential, parameters: listOne });
		expect(result.error?.message).toMatch(/HTTP 400/);
		const issued = String(fake.server.requestsFor(LIST)[0].headers.authorization).replace(
			'Bearer ',
			'',
		);
		const shown = everythingShown(result);
		for (const secret of ['test-jwt', 'test-client-secret', issued])
			expect(shown).not.toContain(secret);
	});
});

describe('cancelling the execution', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	test('stops a backoff wait at once', async () => {
		const credential = accessTokenCredential(fake.server);
		await runNode({ credential, parameters: listOne });
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'status',
			status: 503,
			headers: { 'Retry-After': '60' },
		});
		// The test would time out (30 s) if the wait did not stop.
		const { error } = await runNode({ credential, parameters: listOne, cancelAfterMs: 500 });
		expect(error).toBeDefined();
		expect(statuses(fake.server.requestsFor(LIST))).toEqual([200, 503]);
	});

	test('abandons a request that is still waiting for its answer', async () => {
		const credential = accessTokenCredential(fake.server);
		fake.server.injectFault({ match: { operationId: LIST }, kind: 'delay', ms: 25_000 });
		// The test would time out (30 s) if the request were not aborted.
		const { error } = await runNode({ credential, parameters: listOne, cancelAfterMs: 500 });
		expect(error?.message).toMatch(/cancel/i);
		expect(fake.server.requestsFor(LIST)).toHaveLength(1);
	});
});
