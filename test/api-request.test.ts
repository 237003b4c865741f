import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { rateLimitingProperty } from '../nodes/RingCentralExtensions/actions/common.descriptions';
import { ringCentralApiRequest } from '../nodes/shared/transport';
import type { ApiRequest } from '../nodes/shared/transport/types';
import type { FakeRingCentral, RateLimitOptions, RecordedRequest } from './fake-server';
import { registerNodeType, runNode } from './harness';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

/**
 * `ringCentralApiRequest`, the one way the nodes send: the credential's auth, the shared pacing
 * per group, the retry rules and the Wait Timeout, driven from a bare node inside n8n-core's
 * engine (no operation in between) against the fake RingCentral server.
 */

const SENDER_NODE = 'test.ringCentralApiRequest';
const LIST = 'listExtensions';
const CREATE = 'createExtension';
const list = { method: 'GET', accountId: '~', path: '/extension', group: 'Medium' } as const;
const template = { method: 'GET', accountId: '~', path: '/templates', group: 'Medium' } as const;

interface Sender {
	request<T = IDataObject>(request: ApiRequest): Promise<T>;
}

/** What the test node sends. */
let script: (sender: Sender) => Promise<IDataObject[]>;

class SenderTestNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sender test',
		name: 'ringCentralApiRequestTest',
		group: ['transform'],
		version: 1,
		description: 'Sends through ringCentralApiRequest',
		defaults: { name: 'Sender test' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ringCentralAccessTokenApi', required: true }],
		properties: [rateLimitingProperty],
	};

	async execute(this: IExecuteFunctions) {
		const sender: Sender = {
			request: async <T>(request: ApiRequest) => await ringCentralApiRequest<T>(this, request),
		};
		const json = await script(sender);
		return [json.map((item) => ({ json: item }))];
	}
}

registerNodeType(SENDER_NODE, new SenderTestNode());

async function runSender(server: FakeRingCentral, waitTimeout?: number) {
	return await runNode({
		nodeType: SENDER_NODE,
		credential: accessTokenCredential(server),
		parameters: waitTimeout === undefined ? {} : { rateLimiting: { waitTimeout } },
	});
}

/** The next request of this operation is answered 429 with this Retry-After. */
function refuse(server: FakeRingCentral, operationId: string, retryAfter: string): void {
	server.injectFault({
		match: { operationId },
		kind: 'status',
		status: 429,
		headers: { 'Retry-After': retryAfter },
	});
}

function statuses(requests: RecordedRequest[]): number[] {
	return requests.map(({ status }) => status);
}

/** The most requests that arrived within any `windowMs` span. */
function busiestWindow(requests: RecordedRequest[], windowMs: number): number {
	const times = requests.map(({ at }) => at).sort((a, b) => a - b);
	return Math.max(
		0,
		...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length),
	);
}

describe('ringCentralApiRequest sends with the credential', () => {
	const fake = useFakeRingCentral({ seedExtensions: 5 });

	test('each request carries the credential’s token, to the path asked for', async () => {
		script = async (sender) => [
			await sender.request(list),
			await sender.request({ ...template, expect: 'list' }),
			await sender.request({ ...list, qs: { page: 2, perPage: 2 }, expect: 'list' }),
		];
		const { items, error } = await runSender(fake.server);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(fake.server.requests.map(({ path }) => path)).toEqual([
			'/restapi/v1.0/account/~/extension',
			'/restapi/v1.0/account/~/templates',
			'/restapi/v1.0/account/~/extension',
		]);
		expect(statuses(fake.server.requests)).toEqual([200, 200, 200]);
		for (const request of fake.server.requests)
			expect(request.headers.authorization).toBe('Bearer test-access-token');
	});
});

describe('ringCentralApiRequest paces per group', () => {
	const SCALED: RateLimitOptions = {
		windowSeconds: 1,
		penaltySeconds: 1,
		limits: { Light: 5, Medium: 3, Heavy: 2, Auth: 5 },
	};
	const fake = useFakeRingCentral({ seedExtensions: 5, rateLimits: SCALED });

	test('7 Medium requests at once against 3 a second: no 429, no window over the limit; a Light one is not held back by them', async () => {
		script = async (sender) => {
			const medium = Array.from({ length: 7 }, () => sender.request(list));
			const light = sender.request({
				method: 'GET',
				accountId: '~',
				path: '/templates/300001',
				group: 'Light',
			});
			return await Promise.all([...medium, light]);
		};
		const { error } = await runSender(fake.server);
		expect(error).toBeUndefined();
		const medium = fake.server.requestsFor(LIST);
		expect(statuses(medium)).toEqual(Array(7).fill(200));
		expect(busiestWindow(medium, 1000)).toBeLessThanOrEqual(3);
		const [light] = fake.server.requestsFor('readUserTemplate');
		expect(light.status).toBe(200);
		// Sent after the 7 Medium ones were queued, it arrives before the last of them.
		expect(light.at).toBeLessThan(medium[medium.length - 1].at);
	});
});

describe('ringCentralApiRequest retries what cannot be done twice, and nothing else', () => {
	const fake = useFakeRingCentral({ seedExtensions: 5 });
	const ada = { contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' } };
	const create = {
		method: 'POST',
		accountId: '~',
		path: '/extension',
		group: 'Medium',
		body: ada,
		expect: 'record',
	} as const;

	test('a read answered 503, then 429, is sent again until answered, nothing of the group during the penalty', async () => {
		fake.server.injectFault({ match: { operationId: LIST }, kind: 'status', status: 503 });
		refuse(fake.server, LIST, '1');
		script = async (sender) => [await sender.request({ ...list, expect: 'list' })];
		const { items, error } = await runSender(fake.server);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const requests = fake.server.requestsFor(LIST);
		expect(statuses(requests)).toEqual([503, 429, 200]);
		expect(requests[2].at - requests[1].at).toBeGreaterThanOrEqual(1000);
	});

	test('a create whose connection dropped after RingCentral acted is not resent', async () => {
		fake.server.injectFault({ match: { operationId: CREATE }, kind: 'dropAfterProcessing' });
		const before = fake.server.state.extensions.length;
		script = async (sender) => [await sender.request(create)];
		const { error } = await runSender(fake.server);
		expect(fake.server.requestsFor(CREATE)).toHaveLength(1);
		expect(fake.server.state.extensions).toHaveLength(before + 1);
		expect(error?.message).toContain('RingCentral may have carried it out');
	});

	test('a create answered 503 is not resent either', async () => {
		fake.server.injectFault({ match: { operationId: CREATE }, kind: 'status', status: 503 });
		script = async (sender) => [await sender.request(create)];
		const { error } = await runSender(fake.server);
		expect(statuses(fake.server.requestsFor(CREATE))).toEqual([503]);
		expect(error).toBeDefined();
	});

	test('a create refused with 429 (RingCentral did nothing) is sent again after the penalty, once', async () => {
		refuse(fake.server, CREATE, '1');
		const before = fake.server.state.extensions.length;
		script = async (sender) => [await sender.request(create)];
		const { error, items } = await runSender(fake.server);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(statuses(fake.server.requestsFor(CREATE))).toEqual([429, 200]);
		expect(fake.server.state.extensions).toHaveLength(before + 1);
	});

	test('the Wait Timeout bounds the wait: a longer penalty fails at once', async () => {
		refuse(fake.server, LIST, '30');
		script = async (sender) => [await sender.request(list)];
		const { error } = await runSender(fake.server, 1);
		expect(statuses(fake.server.requestsFor(LIST))).toEqual([429]);
		expect(error?.message).toMatch(/^RingCentral error CMN-301 \(HTTP 429\)/);
	});
});
