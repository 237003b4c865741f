import {
	startFakeRingCentral,
	type FakeRingCentral,
	type FakeRingCentralOptions,
	type RateLimitOptions,
} from '../fake-server';
import type { TestCredential } from '../harness';

/** An access-token credential pointing at the fake server. */
export function accessTokenCredential(
	server: FakeRingCentral,
	accessToken = 'test-access-token',
): TestCredential {
	return {
		type: 'ringCentralAccessTokenApi',
		data: { environment: 'custom', serverUrl: server.url, accessToken },
	};
}

/** A JWT credential pointing at the fake server, with an empty (not yet fetched) token. */
export function jwtCredential(
	server: FakeRingCentral,
	overrides: Record<string, string> = {},
): TestCredential {
	return {
		type: 'ringCentralJwtApi',
		data: {
			environment: 'custom',
			serverUrl: server.url,
			clientId: 'test-client-id',
			clientSecret: 'test-client-secret',
			jwt: 'test-jwt',
			accessToken: '',
			...overrides,
		},
	};
}

/**
 * Limits no test reaches, announced in headers as RingCentral always does: without them the node
 * paces to RingCentral's documented limits (40 a minute and fewer), which would slow every test.
 * `rateLimits: false` turns the headers off.
 */
export const UNLIMITED: RateLimitOptions = {
	windowSeconds: 1,
	penaltySeconds: 1,
	limits: { Light: 10_000, Medium: 10_000, Heavy: 10_000, Auth: 10_000 },
};

/**
 * Starts a fake RingCentral server for each test, and fails the test if any request the
 * node sent broke the OpenAPI specification.
 */
export function useFakeRingCentral(options: FakeRingCentralOptions = {}): {
	readonly server: FakeRingCentral;
} {
	const holder = {} as { server: FakeRingCentral };
	beforeEach(async () => {
		holder.server = await startFakeRingCentral({ rateLimits: UNLIMITED, ...options });
	});
	afterEach(async () => {
		const violations = holder.server.violations;
		await holder.server.close();
		expect(violations).toEqual([]);
	});
	return holder;
}
