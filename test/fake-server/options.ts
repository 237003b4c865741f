import type {
	AffectedItemsShape,
	EventBodyShape,
	FakeRingCentralOptions,
	JwtCredentials,
	RateLimitOptions,
	TaskProgressOptions,
} from './types';

export interface ResolvedOptions {
	port: number;
	seedExtensions: number;
	seedTemplates: number;
	accessToken: string;
	accountId: string;
	tokenLifetimeSeconds: number;
	jwt: JwtCredentials;
	task: TaskProgressOptions;
	affectedItemsShape: AffectedItemsShape;
	rateLimits: Required<RateLimitOptions> | false;
	navigationBaseUrl?: string;
	eventBodyShape: EventBodyShape;
}

export const DEFAULT_JWT: JwtCredentials = {
	clientId: 'test-client-id',
	clientSecret: 'test-client-secret',
	assertion: 'test-jwt',
};

/** RingCentral's documented limits: requests per 60 s window, 60 s penalty. */
export const DOCUMENTED_RATE_LIMITS: RateLimitOptions = {
	windowSeconds: 60,
	penaltySeconds: 60,
	limits: { Light: 50, Medium: 40, Heavy: 10, Auth: 5 },
};

export function resolveOptions(options: FakeRingCentralOptions): ResolvedOptions {
	return {
		port: options.port ?? 0,
		seedExtensions: options.seedExtensions ?? 25,
		seedTemplates: options.seedTemplates ?? 5,
		accessToken: options.accessToken ?? 'test-access-token',
		accountId: options.accountId ?? '400000001',
		tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
		jwt: options.jwt ?? DEFAULT_JWT,
		task: options.task ?? { completeAfterPolls: 2 },
		affectedItemsShape: options.affectedItemsShape ?? 'object',
		rateLimits: options.rateLimits
			? { headers: true, retryAfter: true, ...options.rateLimits }
			: false,
		navigationBaseUrl: options.navigationBaseUrl,
		eventBodyShape: options.eventBodyShape ?? 'spec',
	};
}
