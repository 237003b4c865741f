// The WebSocket trigger's gateway tokens and JWT renewals are RingCentral Auth-group requests,
// counted together per app and user: reconnects after repeated drops and renewals while the
// socket is open are paced to the limit the fake announces, so none is refused.
import { WebSocketTriggerHarness } from './harness/webSocketTrigger';
import {
	accessTokenCredential,
	createUserExtension,
	jwtCredential,
	useFakeRingCentral,
} from './support/setup';

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
	const trigger = new WebSocketTriggerHarness({
		parameters: {
			authentication: 'jwt',
			accountId: '~',
			events: ['created'],
			includeDetails: true,
		},
		credential: jwtCredential(fake.server),
	});
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
