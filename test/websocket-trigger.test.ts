import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import { WebSocketTriggerHarness, waitUntil } from './harness/webSocketTrigger';
import {
	accessTokenCredential,
	accountApi,
	createUserExtension,
	jwtCredential,
	useFakeRingCentral,
} from './support/setup';
import type { TestCredential } from './harness';

const fake = useFakeRingCentral({ seedExtensions: 5 });

let trigger: WebSocketTriggerHarness | undefined;

afterEach(async () => {
	await trigger?.deactivate();
	trigger = undefined;
});

function harness(
	parameters: Record<string, unknown> = {},
	options: { credential?: TestCredential; mode?: 'trigger' | 'manual' } = {},
): WebSocketTriggerHarness {
	trigger = new WebSocketTriggerHarness({
		parameters: {
			authentication: options.credential?.type === 'ringCentralJwtApi' ? 'jwt' : 'accessToken',
			accountId: '~',
			events: ['created', 'updated', 'deleted'],
			includeDetails: true,
			...parameters,
		},
		credential: options.credential ?? accessTokenCredential(fake.server),
		mode: options.mode,
	});
	return trigger;
}

async function started(
	parameters: Record<string, unknown> = {},
	options: { credential?: TestCredential; mode?: 'trigger' | 'manual' } = {},
): Promise<WebSocketTriggerHarness> {
	const started = harness(parameters, options);
	await started.activate();
	return started;
}

async function api(method: string, path: string, body?: unknown) {
	return await accountApi(fake.server, method, path, body);
}

async function createExtension(email: string): Promise<string> {
	return await createUserExtension(fake.server, email);
}

function subscriptionFrames() {
	return fake.server.gateway.frames.filter((frame) => frame.meta.type === 'ClientRequest');
}

describe('RingCentral Extensions WebSocket Trigger: connecting', () => {
	test('activation gets a gateway token, connects, and subscribes over the socket to extension events', async () => {
		await started();
		expect(fake.server.requestsFor('authWsToken')).toHaveLength(1);
		const [subscribe] = subscriptionFrames();
		expect(subscribe.meta).toMatchObject({
			type: 'ClientRequest',
			method: 'POST',
			path: '/restapi/v1.0/subscription/',
		});
		expect(subscribe.body).toEqual({
			eventFilters: ['/restapi/v1.0/account/~/extension'],
			deliveryMode: { transportType: 'WebSocket' },
		});
		expect(fake.server.gateway.subscriptions).toHaveLength(1);
		// No webhook subscription over REST.
		expect(fake.server.requestsFor('createSubscription')).toHaveLength(0);
	});

	test('created, updated and deleted extensions each start one execution, with the same items as webhook delivery', async () => {
		const listening = await started();
		const id = await createExtension('ada@example.com');
		await listening.executions(1);
		await api('PUT', `/extension/${id}`, { contact: { department: 'Sales' } });
		await listening.executions(2);
		await api('DELETE', `/extension/${id}`);
		const executions = await listening.executions(3);
		const subscriptionId = fake.server.gateway.subscriptions[0].id;
		expect(executions.map((items) => items.map((item) => item.json.event))).toEqual([
			['created'],
			['updated'],
			['deleted'],
		]);
		const [created] = executions[0];
		expect(created.json).toEqual({
			event: 'created',
			extensionId: id,
			extension: expect.objectContaining({ id: Number(id) }),
			timestamp: expect.any(String),
			uuid: expect.any(String),
			subscriptionId,
		});
		expect(
			(executions[1][0].json.extension as { contact: { department: string } }).contact.department,
		).toBe('Sales');
		expect(executions[2][0].json.extension).toBeUndefined();
	});

	test('only the selected events start executions, and details are read only when asked', async () => {
		const listening = await started({ events: ['deleted'], includeDetails: false });
		const id = await createExtension('bea@example.com');
		await api('DELETE', `/extension/${id}`);
		const [items] = await listening.executions(1);
		expect(items.map((item) => item.json.event)).toEqual(['deleted']);
		expect(fake.server.requestsFor('readExtension')).toHaveLength(0);
	});

	test('a JWT credential: the token is fetched by the node, and renewed when RingCentral refuses it', async () => {
		const listening = await started({}, { credential: jwtCredential(fake.server) });
		expect(fake.server.requestsFor('oauthToken')).toHaveLength(1);
		fake.server.expireAllTokens();
		const id = await createExtension('cy@example.com');
		const [[item]] = await listening.executions(1);
		expect(item.json.extension).toMatchObject({ id: Number(id) });
		expect(fake.server.requestsFor('oauthToken')).toHaveLength(2);
	});
});

describe('RingCentral Extensions WebSocket Trigger: activation failures', () => {
	test('without the WebSocket permission the activation fails and says which permission to add', async () => {
		fake.server.gateway.configure({ wsTokenPermission: false });
		await expect(harness().activate()).rejects.toThrow(/WebSocket Subscriptions permission/);
		expect(fake.server.gateway.connections).toHaveLength(0);
	});

	test('a subscription refused over the socket fails the activation, naming Read Accounts', async () => {
		fake.server.gateway.configure({ subscribePermission: false });
		await expect(harness().activate()).rejects.toThrow(/Read Accounts/);
		// The refused connection is closed, not left open.
		await waitUntil(() => fake.server.gateway.openConnections === 0, 'closed');
	});

	test('a refused credential fails the activation without showing the token', async () => {
		const attempt = harness({}, { credential: accessTokenCredential(fake.server, 'wrong-token') });
		const error = await attempt.activate().then(
			() => undefined,
			(thrown: Error) => thrown,
		);
		expect(error?.message).toMatch(/401/);
		expect(JSON.stringify(error)).not.toContain('wrong-token');
	});
	test('a runtime without a global WebSocket fails the activation with a clear error, before anything is sent', async () => {
		const attempt = harness();
		const scope = globalThis as { WebSocket?: unknown };
		const saved = scope.WebSocket;
		delete scope.WebSocket;
		try {
			await expect(attempt.activate()).rejects.toThrow(/built-in WebSocket client.*Node\.js 22/);
		} finally {
			scope.WebSocket = saved;
		}
		expect(fake.server.requests).toHaveLength(0);
	});
});

describe('RingCentral Extensions WebSocket Trigger: a connection that lasts', () => {
	test('after a network drop it reconnects with a fresh token and the session, and missed events arrive once', async () => {
		const listening = await started();
		const gateway = fake.server.gateway;
		gateway.dropAll();
		fake.server.emitExtensionEvent('Update', 100002);
		await gateway.ready(2);
		const [items] = await listening.executions(1);
		expect(items[0].json).toMatchObject({ event: 'updated', extensionId: '100002' });
		expect(gateway.replayed).toBe(1);
		expect(gateway.connections.map((connection) => connection.recoveryState)).toEqual([
			undefined,
			'Successful',
		]);
		expect(fake.server.requestsFor('authWsToken')).toHaveLength(2);
		// Recovered: the subscription came back with the session, no second subscribe.
		expect(subscriptionFrames()).toHaveLength(1);
	});

	test('when recovery fails it subscribes again on the new connection', async () => {
		const listening = await started();
		const gateway = fake.server.gateway;
		gateway.configure({ recovery: false });
		const first = gateway.subscriptions[0].id;
		gateway.dropAll();
		await gateway.ready(2);
		expect(gateway.connections[1].recoveryState).toBe('Failed');
		expect(subscriptionFrames()).toHaveLength(2);
		const id = await createExtension('eve@example.com');
		const [items] = await listening.executions(1);
		expect(items[0].json.subscriptionId).not.toBe(first);
		expect(items[0].json.extensionId).toBe(id);
	});

	test("RingCentral's idle (WSG-902) and absolute (WSG-903) closes are reconnected", async () => {
		const listening = await started();
		const gateway = fake.server.gateway;
		gateway.timeoutAll('WSG-902');
		await gateway.ready(2);
		gateway.timeoutAll('WSG-903');
		await gateway.ready(3);
		await createExtension('fay@example.com');
		await listening.executions(1);
		expect(listening.errors).toEqual([]);
	});

	test('heartbeats keep an idle connection open', async () => {
		fake.server.gateway.configure({ idleTimeout: 0.3 });
		const listening = await started();
		const gateway = fake.server.gateway;
		await waitUntil(
			() => gateway.frames.filter((frame) => frame.meta.type === 'Heartbeat').length >= 3,
			'heartbeats',
		);
		expect(gateway.connections).toHaveLength(1);
		expect(listening.errors).toEqual([]);
	});

	test('a reconnect refused for good goes to emitError, and nothing reconnects afterwards', async () => {
		const listening = await started();
		const gateway = fake.server.gateway;
		gateway.configure({ wsTokenPermission: false });
		gateway.dropAll();
		const error = await listening.failure();
		expect(error.message).toMatch(/WebSocket Subscriptions permission/);
		expect(fake.server.requestsFor('authWsToken')).toHaveLength(2);
	});
});

describe('RingCentral Extensions WebSocket Trigger: exactly once, from this subscription only', () => {
	test('a replayed notification, a foreign subscription and malformed frames start nothing and keep the connection', async () => {
		const listening = await started();
		const gateway = fake.server.gateway;
		await createExtension('gus@example.com');
		await listening.executions(1);
		const [uuid] = gateway.sentUuids;
		gateway.replay(uuid);
		gateway.sendRaw('not json');
		gateway.sendRaw('[{"type":"ServerNotification"},null]');
		gateway.sendRaw(
			JSON.stringify([
				{ type: 'ServerNotification', messageId: 'x' },
				{
					uuid: 'foreign-uuid',
					event: '/restapi/v1.0/account/400000001/extension',
					subscriptionId: 'someone-elses',
					body: { extensionId: '101', eventType: 'Create' },
				},
			]),
		);
		await createExtension('hal@example.com');
		const executions = await listening.executions(2);
		expect(executions).toHaveLength(2);
		expect(gateway.connections).toHaveLength(1);
	});

	test('no secret (access token, gateway token) reaches an item or a log', async () => {
		const logged: unknown[] = [];
		const logger = Container.get(Logger);
		for (const level of ['info', 'warn', 'error', 'debug'] as const) {
			jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logged.push(args));
		}
		const listening = await started();
		fake.server.gateway.dropAll();
		fake.server.gateway.sendRaw('[{"type":"Error","status":400},{"errorCode":"WSG-999"}]');
		await fake.server.gateway.ready(2);
		await createExtension('ivy@example.com');
		const executions = await listening.executions(1);
		await listening.deactivate();
		expect(logged.length).toBeGreaterThan(0);
		const shown = JSON.stringify([executions, logged]);
		const secrets = ['test-access-token', ...fake.server.gateway.issuedTokens];
		for (const secret of secrets) expect(shown).not.toContain(secret);
		jest.restoreAllMocks();
	});
});

describe('RingCentral Extensions WebSocket Trigger: unpublishing and test runs', () => {
	test('unpublishing deletes the subscription, closes the socket, and nothing reconnects', async () => {
		const listening = await started();
		const gateway = fake.server.gateway;
		const { id } = gateway.subscriptions[0];
		await listening.deactivate();
		expect(gateway.deleted).toEqual([id]);
		await waitUntil(() => gateway.openConnections === 0, 'closed');
		await createExtension('jo@example.com');
		expect(listening.emitted).toHaveLength(0);
		expect(fake.server.requestsFor('authWsToken')).toHaveLength(1);
	});

	test('"Listen for test event": the first change is emitted through the emit n8n set last', async () => {
		const listening = await started({}, { mode: 'manual' });
		const received: unknown[] = [];
		// n8n replaces emit after trigger() returns, in a test run.
		Object.assign(listening.context, { emit: (data: unknown) => received.push(data) });
		await createExtension('kim@example.com');
		await waitUntil(() => received.length === 1, 'the test event');
		expect(listening.emitted).toHaveLength(0);
	});
});
