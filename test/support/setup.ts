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

/** Changes the fake's account as an admin would, outside the node (with the static token). */
export async function accountApi(
	server: FakeRingCentral,
	method: string,
	path: string,
	body?: unknown,
): Promise<Record<string, unknown>> {
	const response = await fetch(`${server.url}/restapi/v1.0/account/~${path}`, {
		method,
		headers: { Authorization: 'Bearer test-access-token', 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
}

/** Creates a User extension at the fake (as an admin would) and returns its id. */
export async function createUserExtension(server: FakeRingCentral, email: string): Promise<string> {
	const created = await accountApi(server, 'POST', '/extension', {
		contact: { firstName: 'Ada', email },
		type: 'User',
	});
	return String(created.id);
}
