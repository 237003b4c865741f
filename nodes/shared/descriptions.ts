import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/**
 * How long one request waits for RingCentral's rate limit by default, in seconds: the node's
 * Rate Limiting > Wait Timeout default, and the bound of list searches, trigger hooks and the
 * JWT token exchange, which have no such parameter.
 */
export const DEFAULT_RATE_LIMIT_WAIT_S = 300;

/**
 * After a 5xx or a dropped connection, a Retry-After (or backoff) longer than this is not waited
 * for: the read fails at once instead. A 429's cap is rateLimits.ts's MAX_RETRY_AFTER_MS.
 */
export const MAX_FAULT_RETRY_WAIT_MS = 5 * 60_000;

/** The node parameter `authentication`'s values and the credential type each one uses: the one map. */
const AUTHENTICATIONS = [
	['accessToken', 'ringCentralAccessTokenApi'],
	['jwt', 'ringCentralJwtApi'],
	['oAuth2', 'ringCentralOAuth2Api'],
] as const;

export type Authentication = (typeof AUTHENTICATIONS)[number][0];

export const CREDENTIAL_TYPE_BY_AUTH: ReadonlyMap<string, string> = new Map(AUTHENTICATIONS);

/** The credential type an `authentication` value uses (an unknown value: the access token's). */
export function credentialTypeFor(authentication: unknown): string {
	return CREDENTIAL_TYPE_BY_AUTH.get(String(authentication)) ?? 'ringCentralAccessTokenApi';
}

/** The node parameter `authentication` picks one of these credentials. */
export const credentials: INodeCredentialDescription[] = [...CREDENTIAL_TYPE_BY_AUTH].map(
	([authentication, name]) => ({
		name,
		required: true,
		displayOptions: { show: { authentication: [authentication] } },
	}),
);

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Access Token',
			value: 'accessToken',
			description: 'A token you paste in; it expires after about an hour',
		},
		{
			name: 'JWT (Recommended)',
			value: 'jwt',
			description: 'Lets n8n fetch and renew the access token for you',
		},
		{
			name: 'OAuth2',
			value: 'oAuth2',
			description: 'Sign in with a RingCentral user',
		},
	],
	default: 'accessToken',
};

export const accountIdProperty: INodeProperties = {
	displayName: 'Account ID',
	name: 'accountId',
	type: 'string',
	default: '~',
	hint: '"~" is the account the credential belongs to',
	description:
		'The RingCentral account to work on. Leave "~" for the account the credential belongs to.',
};
