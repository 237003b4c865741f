// The WebSocket trigger's gateway tokens and JWT renewals are RingCentral Auth-group requests,
// counted together per app and user: reconnects after repeated drops and renewals while the
// socket is open are paced to the limit the fake announces, so none is refused.
import { runNode } from './harness';
import {
	createdExtensionsTrigger,
	WebSocketTriggerHarness,
	waitUntil,
} from './harness/webSocketTrigger';
import {
	accessTokenCredential,
	createUserExtension,
	jwtCredential,
	useFakeRingCentral,
} from './support/setup';

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

const fake = useFakeRingCentral({
	seedExtensions: 2,
	rateLimits: {
		windowSeconds: 2,
		penaltySeconds: 2,
		limits: { Light: 1000, Medium: 1000, Heavy: 1000, Auth: 2 },
	},
});

test('reconnects after repeated drops never exceed the Auth group (no 429 for a gateway token)', async () => {
	const trigger = new WebSocketTriggerHarness({
		parameters: { authentication: 'accessToken', accountId: '~', events: ['created'] },
		credential: accessTokenCredential(fake.server),
	});
	await trigger.activate();
	const gateway = fake.server.gateway;
	for (let drop = 1; drop <= 3; drop++) {
		gateway.dropAll();
		await gateway.ready(drop + 1);
	}
	await trigger.deactivate();
	const tokens = fake.server.requestsFor('authWsToken');
	expect(tokens).toHaveLength(4);
	expect(tokens.map((request) => request.status)).toEqual([200, 200, 200, 200]);
	expect(fake.server.rateLimitStats().Auth?.refused ?? 0).toBe(0);
	expect(trigger.errors).toEqual([]);
});

test("a JWT renewal and reconnects draw on one Auth count: RingCentral's shared group never answers 429", async () => {
	const trigger = createdExtensionsTrigger(jwtCredential(fake.server));
	// Activation spends the whole window: one token exchange and one gateway token.
	await trigger.activate();
	// The token expires while the socket is open: the record read renews it (a third Auth request)...
	fake.server.expireAllTokens();
	await createUserExtension(fake.server, 'auth.window@example.com');
	const [[item]] = await trigger.executions(1);
	expect(item.json.extension).toMatchObject({ contact: { email: 'auth.window@example.com' } });
	// ...and two drops need two gateway tokens more.
	const gateway = fake.server.gateway;
	for (let drop = 1; drop <= 2; drop++) {
		gateway.dropAll();
		await gateway.ready(drop + 1);
	}
	await trigger.deactivate();
	expect(fake.server.requestsFor('oauthToken').map((request) => request.status)).toEqual([
		200, 200,
	]);
	expect(fake.server.requestsFor('authWsToken').map((request) => request.status)).toEqual([
		200, 200, 200,
	]);
	expect(fake.server.rateLimitStats().Auth?.refused ?? 0).toBe(0);
	expect(trigger.errors).toEqual([]);
});

describe('a hostile answer to the WebSocket trigger', () => {
	const hostile = useFakeRingCentral({ seedExtensions: 2 });

	test("an absurd Retry-After on the trigger's record read does not hold back the next run of the same credential", async () => {
		const credential = accessTokenCredential(hostile.server);
		const trigger = createdExtensionsTrigger(credential);
		await trigger.activate();
		hostile.server.injectFault({
			kind: 'status',
			status: 429,
			match: { operationId: 'readExtension' },
			headers: {
				'Retry-After': '1000000000',
				'X-Rate-Limit-Limit': '5',
				'X-Rate-Limit-Remaining': '0',
				'X-Rate-Limit-Window': '1',
			},
		});
		await createUserExtension(hostile.server, 'hostile.retry@example.com');
		await waitUntil(
			() =>
				hostile.server.requestsFor('readExtension').length > 0 &&
				trigger.emitted.length + trigger.errors.length > 0,
			'the read and its outcome',
		);
		await trigger.deactivate();
		// The same credential's next run reads at once: the group is not held back for 31 years.
		const { error, items } = await runNode({
			credential,
			parameters: { resource: 'extension', operation: 'get', extensionId: byId('100001') },
		});
		expect(error).toBeUndefined();
		expect(items.map(({ json }) => json.id)).toEqual([100001]);
		expect(hostile.server.requestsFor('readExtension').map((request) => request.status)).toEqual([
			429, 200,
		]);
	});
});
