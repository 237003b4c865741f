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

/** Resolves the API base URL from decrypted credential data (the node's transport uses this). */
export function resolveBaseUrl(credentials: {
	environment?: unknown;
	serverUrl?: unknown;
}): string {
	if (credentials.environment === 'custom') {
		return String(credentials.serverUrl ?? '')
			.trim()
			.replace(/\/+$/, '');
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
};

/** A network error code in words, or undefined for a code this table does not know. */
export function networkFailureText(code: unknown): string | undefined {
	return typeof code === 'string' && Object.hasOwn(NETWORK_FAILURES, code)
		? NETWORK_FAILURES[code]
		: undefined;
}
