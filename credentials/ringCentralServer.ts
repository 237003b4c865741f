import type { INodeProperties } from 'n8n-workflow';

export const RINGCENTRAL_SERVERS = {
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
				description: RINGCENTRAL_SERVERS.production,
			},
			{
				name: 'Sandbox',
				value: 'sandbox',
				description: RINGCENTRAL_SERVERS.sandbox,
			},
			{
				name: 'Custom Server URL',
				value: 'custom',
				description: 'An on-premise gateway, a proxy or a test server',
			},
		],
	},
	{
		displayName: 'Server URL',
		name: 'serverUrl',
		type: 'string',
		default: '',
		placeholder: 'https://platform.ringcentral.com',
		description: 'Base URL of the RingCentral API, without a trailing path',
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
		`={{ ${field('environment')} === "custom" ? String(${field('serverUrl')}).replace(/\\/+$/, "")` +
		` : ${field('environment')} === "sandbox" ? "${RINGCENTRAL_SERVERS.sandbox}" : "${RINGCENTRAL_SERVERS.production}" }}`
	);
}

/** Resolves the API base URL from decrypted credential data (the node's transport uses this). */
export function resolveBaseUrl(credentials: { environment?: unknown; serverUrl?: unknown }): string {
	if (credentials.environment === 'custom') {
		return String(credentials.serverUrl ?? '').replace(/\/+$/, '');
	}
	return credentials.environment === 'sandbox'
		? RINGCENTRAL_SERVERS.sandbox
		: RINGCENTRAL_SERVERS.production;
}

export const CREDENTIAL_TEST_PATH = '/restapi/v1.0/account/~/extension/~';
