import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeRingCentral, RateLimitOptions, RecordedRequest } from './fake-server';
import { runNode, type TestCredential } from './harness';
import { accessTokenCredential, jwtCredential, useFakeRingCentral } from './support/setup';

const LIST = 'listExtensions';

/** RingCentral's shape (penalty as long as the window), scaled down to a 1-second window. */
const SCALED: RateLimitOptions = {
	windowSeconds: 1,
	penaltySeconds: 1,
	limits: { Light: 5, Medium: 3, Heavy: 2, Auth: 5 },
};

/** One list request per item: `limit: 1` reads a single page. */
function lookups(count: number): { items: IDataObject[]; parameters: INodeParameters } {
	return {
		items: Array.from({ length: count }, (_, index) => ({ index })),
		parameters: { resource: 'extension', operation: 'getAll', returnAll: false, limit: 1 },
	};
}

function statuses(requests: RecordedRequest[]): number[] {
	return requests.map(({ status }) => status);
}

/** The most requests that arrived within any `windowMs` span. */
function busiestWindow(requests: RecordedRequest[], windowMs: number): number {
	const times = requests.map(({ at }) => at).sort((a, b) => a - b);
	return Math.max(
		0,
		...times.map(
			(start) => times.filter((time) => time >= start && time < start + windowMs).length,
		),
	);
}

/** Requests that arrived while the penalty that `limited` started was running. */
function sentDuringPenalty(
	server: FakeRingCentral,
	limited: RecordedRequest,
	penaltyMs: number,
): RecordedRequest[] {
	return server.requests.filter(
		(request) =>
			request !== limited &&
			request.group === limited.group &&
			request.at > limited.at &&
			request.at < limited.at + penaltyMs,
	);
}

function pause(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads one template while the server answers every request 429 with this Retry-After. */
async function readTemplateWhileRefused(
	server: FakeRingCentral,
	retryAfter: string,
	waitTimeoutS: number,
): Promise<Awaited<ReturnType<typeof runNode>>> {
	server.injectFault({
		kind: 'status',
		status: 429,
		times: 100_000,
		headers: { 'Retry-After': retryAfter },
	});
	return await runNode({
		credential: accessTokenCredential(server),
		parameters: {
			resource: 'userTemplate',
			operation: 'get',
			templateId: { __rl: true, mode: 'id', value: '300001' },
			rateLimiting: { waitTimeout: waitTimeoutS },
		},
	});
}

async function warmUp(credential: TestCredential): Promise<void> {
	const { error } = await runNode({ credential, ...lookups(1) });
	expect(error).toBeUndefined();
}

/** A credential whose first list has been answered; the next list request is answered 429. */
async function listRefusedOnce(
	server: FakeRingCentral,
	headers?: Record<string, string>,
): Promise<TestCredential> {
	const credential = accessTokenCredential(server);
	await warmUp(credential);
	server.injectFault({ match: { operationId: LIST }, kind: 'status', status: 429, headers });
	return credential;
}

describe('with X-Rate-Limit headers, requests are paced and never trip the limit', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20, rateLimits: SCALED });

	test('10 list requests against a limit of 3 a second: all answered 200, no window over the limit', async () => {
		const { items, error } = await runNode({
			credential: accessTokenCredential(fake.server),
			...lookups(10),
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(10);
		const requests = fake.server.requestsFor(LIST);
		expect(statuses(requests)).toEqual(Array(10).fill(200));
		expect(busiestWindow(requests, 1000)).toBeLessThanOrEqual(3);
		// The run needed pacing: 10 requests at 3 a window cannot fit in fewer than 3 windows.
		expect(requests[9].at - requests[0].at).toBeGreaterThanOrEqual(3000);
	});

	test('the pacing carries over to the next execution with the same credential', async () => {
		const credential = accessTokenCredential(fake.server);
		await runNode({ credential, ...lookups(3) });
		const { error } = await runNode({ credential, ...lookups(3) });
		expect(error).toBeUndefined();
		expect(statuses(fake.server.requestsFor(LIST))).toEqual(Array(6).fill(200));
	});

	test('two executions running at once share the limit without a 429', async () => {
		const credential = accessTokenCredential(fake.server);
		await warmUp(credential);
		const runs = await Promise.all([
			runNode({ credential, ...lookups(4) }),
			runNode({ credential, ...lookups(4) }),
		]);
		expect(runs.map(({ error }) => error)).toEqual([undefined, undefined]);
		expect(runs.map(({ items }) => items.length)).toEqual([4, 4]);
		const requests = fake.server.requestsFor(LIST);
		expect(statuses(requests)).toEqual(Array(9).fill(200));
		expect(busiestWindow(requests, 1000)).toBeLessThanOrEqual(3);
	});

	test('a window that another app used up costs one 429, which is waited out', async () => {
		const credential = accessTokenCredential(fake.server);
		await warmUp(credential);
		// Another client signed in as the same user takes the rest of the Medium window.
		for (let index = 0; index < 2; index++) {
			const response = await fetch(`${fake.server.url}/restapi/v1.0/account/~/templates`, {
				headers: { Authorization: 'Bearer test-access-token' },
			});
			expect(response.status).toBe(200);
		}
		const { items, error } = await runNode({ credential, ...lookups(2) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(fake.server.requests.filter(({ status }) => status === 429)).toHaveLength(1);
	});
});

describe('a 429 is waited out and nothing of the group is sent during the penalty', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	test('an execution that starts during another one’s penalty waits for it too', async () => {
		const credential = await listRefusedOnce(fake.server, { 'Retry-After': '2' });
		const first = runNode({ credential, ...lookups(2) });
		// Starts once the first run has been refused, so it can only learn of the penalty from the shared state.
		while (!fake.server.requests.some(({ status }) => status === 429)) await pause(10);
		// The fake logs the 429 before the node has read it: give the answer time to arrive.
		await pause(300);
		const second = runNode({ credential, ...lookups(1) });
		const runs = await Promise.all([first, second]);
		expect(runs.map(({ error }) => error)).toEqual([undefined, undefined]);
		const limited = fake.server.requests.filter(({ status }) => status === 429);
		expect(limited).toHaveLength(1);
		expect(sentDuringPenalty(fake.server, limited[0], 2000)).toEqual([]);
	});
});

describe('Retry-After, or the window when it is missing', () => {
	const fake = useFakeRingCentral({
		seedExtensions: 20,
		rateLimits: { ...SCALED, retryAfter: false },
	});

	test('a 429 without Retry-After waits the X-Rate-Limit-Window the server announced', async () => {
		const credential = await listRefusedOnce(fake.server);
		const { error } = await runNode({ credential, ...lookups(1) });
		expect(error).toBeUndefined();
		const [, limited, retried] = fake.server.requestsFor(LIST);
		expect(limited.status).toBe(429);
		expect(retried.status).toBe(200);
		expect(retried.at - limited.at).toBeGreaterThanOrEqual(SCALED.windowSeconds * 1000);
	});

	test('a 429 with Retry-After waits that long, even when it is longer than the window', async () => {
		const credential = await listRefusedOnce(fake.server, { 'Retry-After': '2' });
		const { error } = await runNode({ credential, ...lookups(1) });
		expect(error).toBeUndefined();
		const [, limited, retried] = fake.server.requestsFor(LIST);
		expect(retried.at - limited.at).toBeGreaterThanOrEqual(2000);
	});
});

describe('bounded retries', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	test('retrying is bounded by time: the Wait Timeout ends it with an error naming the group and the wait', async () => {
		const { error } = await readTemplateWhileRefused(fake.server, '1', 5);
		const sent = fake.server.requests.length;
		// Retried after each Retry-After (and its spread), but not past the 5 s: never the 100 the server would refuse.
		expect(sent).toBeGreaterThanOrEqual(2);
		expect(sent).toBeLessThanOrEqual(5);
		expect(error?.message).toMatch(
			/^RingCentral error CMN-301 \(HTTP 429\): Request rate exceeded \(after \d retr/,
		);
		expect(error?.description).toContain('"Light" rate limit for this app and user is exceeded');
		expect(error?.description).toContain("past the node's wait timeout (5 s, under Rate Limiting)");
		expect(error?.description).toContain('nothing else was seen using the limit');
		expect(error?.description).not.toContain('other apps');
	});

	test('a Retry-After longer than the wait timeout is not waited for: the error says so at once', async () => {
		fake.server.injectFault({ kind: 'status', status: 429, headers: { 'Retry-After': '3600' } });
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: { resource: 'extension', operation: 'getAll', limit: 1 },
		});
		expect(fake.server.requests).toHaveLength(1);
		expect(error?.message).toBe('RingCentral error CMN-301 (HTTP 429): Request rate exceeded');
		expect(error?.description).toContain('"Medium" rate limit for this app and user is exceeded');
		// Retry-After, plus the comeback of a sender refused before any answer (up to 2.5 windows).
		const needed = Number(/Waiting the (\d+) s/.exec(String(error?.description))?.[1]);
		expect(needed).toBeGreaterThanOrEqual(3600);
		expect(needed).toBeLessThanOrEqual(3600 + 2.5 * 61);
		expect(error?.description).toContain('(300 s, under Rate Limiting)');
	});

	test('other senders seen in the counts are named as such in the error', async () => {
		const credential = accessTokenCredential(fake.server);
		// Someone else's requests make Remaining fall faster than ours.
		fake.server.injectFault({
			match: { operationId: LIST },
			kind: 'status',
			status: 429,
			after: 2,
			headers: { 'Retry-After': '3600' },
		});
		await fetch(`${fake.server.url}/restapi/v1.0/account/~/extension?perPage=1`, {
			headers: { Authorization: 'Bearer test-access-token' },
		});
		const { error } = await runNode({ credential, ...lookups(2) });
		expect(statuses(fake.server.requestsFor(LIST))).toEqual([200, 200, 429]);
		expect(error?.description).toContain('other n8n worker or process, or another app');
	});

	test('a create refused with 429 is sent again (RingCentral did not act), and created once', async () => {
		fake.server.injectFault({
			match: { operationId: 'createExtension' },
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
		});
		const before = fake.server.state.extensions.length;
		const { error, items } = await runNode({
			credential: accessTokenCredential(fake.server),
			parameters: {
				resource: 'extension',
				operation: 'create',
				firstName: 'Ada',
				email: 'ada@example.com',
			},
		});
		expect(error).toBeUndefined();
		expect(statuses(fake.server.requestsFor('createExtension'))).toEqual([429, 200]);
		expect(fake.server.state.extensions).toHaveLength(before + 1);
		expect((items[0].json.contact as IDataObject).email).toBe('ada@example.com');
	});

	test('a bulk update refused with 429 is sent again, and makes one task', async () => {
		fake.server.injectFault({
			match: { operationId: 'extensionBulkUpdate' },
			kind: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
		});
		const { error } = await runNode({
			credential: accessTokenCredential(fake.server),
			items: [{ id: 100001, status: 'Disabled' }],
			parameters: { resource: 'extension', operation: 'bulkUpdate', waitForCompletion: false },
		});
		expect(error).toBeUndefined();
		expect(statuses(fake.server.requestsFor('extensionBulkUpdate'))).toEqual([429, 200]);
		expect(fake.server.state.tasks.size).toBe(1);
	});
});

describe('hostile answers', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	test('a server that keeps answering 429 with Retry-After: 0 is not hammered: a floor on every wait', async () => {
		const { error } = await readTemplateWhileRefused(fake.server, '0', 3);
		// 0.2 retried at once, thousands of times in the 3 s; now at least 1 s apart, doubling.
		expect(fake.server.requests.length).toBeLessThanOrEqual(3);
		expect(error?.message).toMatch(/^RingCentral error CMN-301 \(HTTP 429\)/);
	});

	test('an absurd Retry-After fails that run with a clear error, and the next run goes through', async () => {
		const credential = await listRefusedOnce(fake.server, {
			'Retry-After': '1000000000',
			'X-Rate-Limit-Limit': '5',
			'X-Rate-Limit-Remaining': '0',
			'X-Rate-Limit-Window': '1',
		});
		const first = await runNode({ credential, ...lookups(1) });
		expect(first.error?.message).toBe(
			'RingCentral error CMN-301 (HTTP 429): Request rate exceeded',
		);
		expect(first.error?.description).toContain('1000000000 s');
		// 0.2 held the group for 31 years: every later run on the credential failed at once.
		const second = await runNode({ credential, ...lookups(1) });
		expect(second.error).toBeUndefined();
		expect(statuses(fake.server.requestsFor(LIST))).toEqual([200, 429, 200]);
	});
});

describe('cancelling the execution', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	test('stops a 60-second rate-limit wait at once, and nothing more is sent', async () => {
		const credential = accessTokenCredential(fake.server);
		await warmUp(credential);
		fake.server.injectFault({ kind: 'status', status: 429, headers: { 'Retry-After': '60' } });
		// The test would time out (30 s) if the wait did not stop.
		const { error } = await runNode({ credential, ...lookups(3), cancelAfterMs: 500 });
		expect(error).toBeDefined();
		expect(statuses(fake.server.requestsFor(LIST))).toEqual([200, 429]);
	});
});

describe('one token fetch at a time per JWT credential', () => {
	const fake = useFakeRingCentral({ seedExtensions: 20 });

	test('6 executions starting together share one token request (Auth allows 5 a minute)', async () => {
		const credential = jwtCredential(fake.server);
		const runs = await Promise.all(
			Array.from({ length: 6 }, () => runNode({ credential, ...lookups(1) })),
		);
		expect(runs.map(({ error }) => error)).toEqual(Array(6).fill(undefined));
		expect(statuses(fake.server.requestsFor('oauthToken'))).toEqual([200]);
		expect(statuses(fake.server.requestsFor(LIST))).toEqual(Array(6).fill(200));
	});
});

describe('bulk updates started together in one process', () => {
	const fake = useFakeRingCentral({
		seedExtensions: 20,
		rateLimits: { windowSeconds: 1, penaltySeconds: 1, limits: { ...SCALED.limits, Heavy: 2 } },
	});

	test('5 executions each sending a bulk update: no start-up burst, no 429', async () => {
		const credential = accessTokenCredential(fake.server);
		const runs = await Promise.all(
			Array.from({ length: 5 }, () =>
				runNode({
					credential,
					items: [{ id: 100001, status: 'Disabled' }],
					parameters: { resource: 'extension', operation: 'bulkUpdate', waitForCompletion: false },
				}),
			),
		);
		expect(runs.map(({ error }) => error)).toEqual(Array(5).fill(undefined));
		const posts = fake.server.requestsFor('extensionBulkUpdate');
		expect(statuses(posts)).toEqual(Array(5).fill(200));
		expect(busiestWindow(posts, 1000)).toBeLessThanOrEqual(2);
	});
});
