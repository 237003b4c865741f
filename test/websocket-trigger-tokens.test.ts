// Tokens that expire while the WebSocket stays open, after trigger() has returned: the next
// record read and the gateway token of the next reconnect use a fresh token, for JWT and OAuth2
// credentials alike, and no secret reaches an item, a log or an error.
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

import type { RecordedRequest } from './fake-server';
import type { TestCredential } from './harness';
import { connectOAuth2 } from './harness/oAuth2Connect';
import {
	createdExtensionsTrigger,
	WebSocketTriggerHarness,
	waitUntil,
} from './harness/webSocketTrigger';
import { wireSecrets } from './support/secrets';
import { createUserExtension, jwtCredential, useFakeRingCentral } from './support/setup';

const fake = useFakeRingCentral({ seedExtensions: 2 });

let trigger: WebSocketTriggerHarness | undefined;
const logged: unknown[] = [];

beforeEach(() => {
	logged.length = 0;
	const logger = Container.get(Logger);
	for (const level of ['info', 'warn', 'error', 'debug'] as const) {
		jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void logged.push(args));
	}
});

afterEach(async () => {
	await trigger?.deactivate();
	trigger = undefined;
	jest.restoreAllMocks();
});

const bearerOf = (request: RecordedRequest) =>
	String(request.headers.authorization).replace(/^Bearer /, '');
const statusesOf = (operationId: string) =>
	fake.server.requestsFor(operationId).map((request) => request.status);

/**
 * Activates, then lets the token expire twice while the socket is open: once before a record
 * read, once before a drop that RingCentral does not recover (so the node also subscribes again).
 */
async function expireTwiceWhileListening(credential: TestCredential): Promise<void> {
	trigger = createdExtensionsTrigger(credential);
	await trigger.activate();
	fake.server.expireAllTokens();
	await createUserExtension(fake.server, 'lee@example.com');
	await trigger.executions(1);

	const gateway = fake.server.gateway;
	fake.server.expireAllTokens();
	gateway.configure({ recovery: false });
	gateway.dropAll();
	await gateway.ready(2);
	await createUserExtension(fake.server, 'max@example.com');
	await trigger.executions(2);
	await trigger.deactivate();
}

/** Each expiry cost one refused request, and the request after it carried a fresh token. */
function expectFreshTokensAfterEachExpiry(): void {
	const reads = fake.server.requestsFor('readExtension');
	const wsTokens = fake.server.requestsFor('authWsToken');
	expect(reads.map((request) => request.status)).toEqual([401, 200, 200]);
	expect(wsTokens.map((request) => request.status)).toEqual([200, 401, 200]);
	const [firstToken, , secondToken] = [wsTokens[0], reads[1], wsTokens[2]].map(bearerOf);
	expect(bearerOf(reads[0])).toBe(firstToken);
	expect(bearerOf(reads[1])).not.toBe(firstToken);
	expect(bearerOf(wsTokens[1])).toBe(bearerOf(reads[1]));
	expect(secondToken).not.toBe(bearerOf(reads[1]));
	expect(bearerOf(reads[2])).toBe(secondToken);
	// The drop was not recovered: the node subscribed again on the new connection.
	expect(fake.server.gateway.subscriptions).toHaveLength(0);
	expect(fake.server.gateway.connections[1].recoveryState).toBe('Failed');
}

function expectNoSecretShown(extraSecrets: unknown[]): void {
	const emails = trigger!.emitted.map(([item]) => {
		return (item.json.extension as { contact?: { email?: string } } | undefined)?.contact?.email;
	});
	expect(emails).toEqual(['lee@example.com', 'max@example.com']);
	expect(trigger!.errors).toEqual([]);
	expect(logged.length).toBeGreaterThan(0);
	const shown = JSON.stringify([trigger!.emitted, logged, trigger!.errors]);
	const secrets = [...wireSecrets(fake.server), ...fake.server.gateway.issuedTokens];
	for (const secret of [...secrets, ...extraSecrets]) {
		expect(typeof secret === 'string' && secret.length > 0).toBe(true);
		expect(shown).not.toContain(secret);
	}
}

test('JWT: a token that expires while the socket is open is renewed for the next record read and the next gateway token', async () => {
	await expireTwiceWhileListening(jwtCredential(fake.server));
	expectFreshTokensAfterEachExpiry();
	expect(statusesOf('oauthToken')).toEqual([200, 200, 200]);
	expectNoSecretShown(['test-jwt', 'test-client-secret']);
});

test("OAuth2: n8n's helper refreshes a token that expires while the socket is open, and saves the new pair", async () => {
	const storedData = {
		environment: 'custom',
		serverUrl: fake.server.url,
		clientId: 'test-client-id',
		clientSecret: 'test-client-secret',
	};
	const { oauthTokenData } = await connectOAuth2(storedData);
	await expireTwiceWhileListening({
		type: 'ringCentralOAuth2Api',
		data: { ...storedData, oauthTokenData },
	});
	expectFreshTokensAfterEachExpiry();
	const grants = fake.server
		.requestsFor('oauthToken')
		.map((request) => (request.body as { grant_type?: string }).grant_type);
	expect(grants).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
	const saved = trigger!.credentialsHelper.store.get('cred-ringCentralOAuth2Api')?.data
		.oauthTokenData as Record<string, string>;
	expect(saved.access_token).toBe(bearerOf(fake.server.requestsFor('readExtension')[2]));
	expectNoSecretShown([
		'test-client-secret',
		oauthTokenData.access_token,
		oauthTokenData.refresh_token,
		saved.access_token,
		saved.refresh_token,
	]);
});

test('JWT: a token the session held before a renewal stays hidden when a later answer echoes it', async () => {
	trigger = createdExtensionsTrigger(jwtCredential(fake.server));
	await trigger.activate();
	fake.server.expireAllTokens();
	await createUserExtension(fake.server, 'lee@example.com');
	await trigger.executions(1);
	const oldToken = bearerOf(fake.server.requestsFor('readExtension')[0]);
	expect(statusesOf('readExtension')).toEqual([401, 200]);
	fake.server.injectFault({
		kind: 'status',
		status: 400,
		match: { operationId: 'readExtension' },
		body: { errorCode: 'CMN-101', message: `Token ${oldToken} does not grant this` },
	});
	await createUserExtension(fake.server, 'max@example.com');
	await waitUntil(
		() => trigger!.emitted.length + trigger!.errors.length > 1,
		'the second event and its outcome',
	);
	await trigger.deactivate();
	const shown = JSON.stringify([trigger.emitted, logged, trigger.errors.map(String)]);
	expect(shown).toContain('does not grant this');
	expect(shown).not.toContain(oldToken);
});
