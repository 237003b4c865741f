// The WebSocket trigger's gateway tokens are RingCentral Auth-group requests: reconnects after
// repeated drops are paced to the limit the fake announces, so none is refused.
import { WebSocketTriggerHarness } from './harness/webSocketTrigger';
import { accessTokenCredential, useFakeRingCentral } from './support/setup';

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
