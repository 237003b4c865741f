import type { ICredentialTestRequest, INodeProperties, IAuthenticateGeneric } from 'n8n-workflow';

const RINGCENTRAL_SERVERS = {
	production: 'https://platform.ringcentral.com',
	sandbox: 'https://platform.devtest.ringcentral.com',
} as const;

/** The `environment` and `serverUrl` fields every RingCentral credential shares. */
export const serverProperties: INodeProperties[] = [
	{
		displayName: 'Environment',
		name: 'environment',
		type: 'options',
		default: 'production',
		options: [
			{
				name: 'Production',
				value: 'production',
				description: `${RINGCENTRAL_SERVERS.production} (also for RingCentral developer accounts)`,
			},
			{
				name: 'Sandbox',
				value: 'sandbox',
				description: `${RINGCENTRAL_SERVERS.sandbox} (legacy sandbox accounts)`,
			},
			{
				name: 'Custom Server URL',
				value: 'custom',
				description:
					'Another RingCentral platform (e.g. https://platform.ringcentral.biz), a proxy or a test server',
			},
		],
	},
	{
		displayName: 'Server URL',
		name: 'serverUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://platform.ringcentral.com',
		description: 'Base URL of the RingCentral API, without /restapi',
		displayOptions: { show: { environment: ['custom'] } },
	},
];

/**
 * An n8n expression that resolves a credential's API base URL. `source` is `$credentials`
 * in request and test definitions, and `$self` inside a credential's own hidden defaults.
 */
export function baseUrlExpression(source: '$credentials' | '$self'): string {
	const field = (name: string) =>
		source === '$self' ? `$self["${name}"]` : `$credentials.${name}`;
	return (
		`={{ ${field('environment')} === "custom" ? String(${field('serverUrl')} || "").trim().replace(/\\/+$/, "")` +
		` : ${field('environment')} === "sandbox" ? "${RINGCENTRAL_SERVERS.sandbox}" : "${RINGCENTRAL_SERVERS.production}" }}`
	);
}

/**
 * Resolves the API base URL from decrypted credential data (the node's transport uses this).
 * A user name or password in a custom URL is refused: RingCentral does not read them, and
 * every error that names the server would repeat them.
 */
export function resolveBaseUrl(credentials: {
	environment?: unknown;
	serverUrl?: unknown;
}): string {
	if (credentials.environment === 'custom') {
		const serverUrl = String(credentials.serverUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
		if (hasUserinfo(serverUrl)) {
			throw new Error(
				`The credential's server URL ${shownUrl(serverUrl)} contains a user name or password. RingCentral signs in with the credential's own fields: remove the "name:password@" part from the server URL.`,
			);
		}
		return serverUrl;
	}
	return credentials.environment === 'sandbox'
		? RINGCENTRAL_SERVERS.sandbox
		: RINGCENTRAL_SERVERS.production;
}

/** Reads the signed-in user's own extension: needs only the Read Accounts app permission. */
const CREDENTIAL_TEST_PATH = '/restapi/v1.0/account/~/extension/~';

/** Sends the credential's `accessToken` field (pasted, or fetched with the JWT) as a Bearer token. */
export const bearerAccessToken: IAuthenticateGeneric = {
	type: 'generic',
	properties: {
		headers: {
			Authorization: '=Bearer {{$credentials.accessToken}}',
		},
	},
};

/**
 * The "Test" button's request. n8n shows only the HTTP status text of a failed test, so the
 * rules turn RingCentral's refusals into advice.
 */
export function credentialTestRequest(whatToCheck: string): ICredentialTestRequest {
	return {
		request: {
			baseURL: baseUrlExpression('$credentials'),
			url: CREDENTIAL_TEST_PATH,
			// The Test button sends the credential too: it must not follow a redirect elsewhere.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: `RingCentral refused the credential (HTTP 401 Unauthorized). ${whatToCheck}`,
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'RingCentral accepted the credential but refused to read the signed-in user (HTTP 403): add the Read Accounts permission to the app in the RingCentral Developer Console.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No RingCentral API answered at this server URL (HTTP 404): check the environment and server URL.',
				},
			},
		],
	};
}

/**
 * Network failures in words, for the transport's errors and the JWT token request alike. In
 * words because n8n replaces a message that names a network error code with a generic one.
 */
const NETWORK_FAILURES: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNREFUSED: 'the connection was refused',
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	ENOTFOUND: 'the server name could not be resolved',
	EAI_AGAIN: 'the server name could not be resolved',
	EHOSTUNREACH: 'the server could not be reached',
	ERR_CANCELED: 'the execution was cancelled',
	ERR_BAD_RESPONSE: 'the answer was cut off before it was complete',
};

/** A network error code in words, or undefined for a code this table does not know. */
export function networkFailureText(code: unknown): string | undefined {
	return typeof code === 'string' && Object.hasOwn(NETWORK_FAILURES, code)
		? NETWORK_FAILURES[code]
		: undefined;
}

function parsedUrl(url: string, base?: string): URL | undefined {
	try {
		return new URL(url, base);
	} catch {
		return undefined;
	}
}

function hasUserinfo(url: string): boolean {
	const parsed = parsedUrl(url);
	if (parsed) return parsed.username !== '' || parsed.password !== '';
	return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url);
}

/**
 * A URL as errors may show it: without user name, password, query or fragment, which can
 * hold secrets (a redirect may point anywhere, with anything in it).
 */
export function shownUrl(url: string, base?: string): string {
	const parsed = parsedUrl(url, base);
	if (!parsed) return '(an address that is not a valid URL)';
	return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/** At most this many redirects are followed, and only those that stay on the configured server. */
export const MAX_REDIRECTS = 3;

/**
 * Where a redirect (`Location`, relative to `from`) leads. `follow` is set only when it stays
 * on the origin of `from` (same scheme, host and port), without any user name or password:
 * the request may then be repeated there with its credential and body. Otherwise nothing is
 * sent; `shown` names the target for the error.
 */
export function redirectTarget(
	from: string,
	location: unknown,
): { follow?: string; shown: string } {
	const target = typeof location === 'string' ? parsedUrl(location, from) : undefined;
	if (!target) return { shown: '(no valid Location header)' };
	const shown = shownUrl(target.href);
	const sameOrigin = target.origin === parsedUrl(from)?.origin;
	if (!sameOrigin || target.username !== '' || target.password !== '') return { shown };
	return { follow: target.href, shown };
}

/** Why a redirect was not followed, for the transport and the JWT token request alike. */
export function redirectRefusal(
	what: string,
	redirect: { status: number; baseUrl: string; shown: string; tooMany: boolean },
): string {
	if (redirect.tooMany) {
		return `${what} kept redirecting (more than ${MAX_REDIRECTS} times, last to ${redirect.shown}); stopped following`;
	}
	return `${what} answered HTTP ${redirect.status}, redirecting to ${redirect.shown}, which is not the configured server ${shownUrl(redirect.baseUrl)}. The redirect was not followed, so that no credential or data leaves that server`;
}

export const REDIRECT_ADVICE =
	'Check the environment and server URL of the credential: a proxy or gateway in front of RingCentral may be redirecting. Redirects within the configured server are followed.';
