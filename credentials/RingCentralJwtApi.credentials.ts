import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import {
	baseUrlExpression,
	CREDENTIAL_TEST_PATH,
	resolveBaseUrl,
	serverProperties,
} from './ringCentralServer';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

interface TokenResponse {
	statusCode: number;
	body: IDataObject | string | undefined;
}

/** Builds a message from RingCentral's token-endpoint error body; it never echoes a secret. */
function tokenErrorMessage({ statusCode, body }: TokenResponse): string {
	const details = typeof body === 'object' && body !== null ? body : {};
	const reason = [details.error_description, details.message, details.error]
		.filter((part): part is string => typeof part === 'string' && part.length > 0)
		.shift();
	const code = typeof details.errorCode === 'string' ? ` [${details.errorCode}]` : '';
	return `RingCentral refused the JWT credential (HTTP ${statusCode})${code}: ${
		reason ?? 'no reason given'
	}. Check the client ID, client secret and JWT, and that the app allows the JWT auth flow.`;
}

export class RingCentralJwtApi implements ICredentialType {
	name = 'ringCentralJwtApi';

	displayName = 'RingCentral JWT API';

	icon = { light: 'file:ringCentral.svg', dark: 'file:ringCentral.dark.svg' } as const;

	documentationUrl =
		'https://github.com/n8n-nodes-ringcentral-extensions/n8n-nodes-ringcentral-extensions#jwt-recommended';

	properties: INodeProperties[] = [
		...serverProperties,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The client ID of your RingCentral app (REST API app with the JWT auth flow)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- a RingCentral JWT is a long-lived bearer secret that signs in as its user
		{
			displayName: 'JWT',
			name: 'jwt',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The JWT credential created for a user in the RingCentral Developer Console',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${resolveBaseUrl(credentials)}/restapi/oauth/token`,
			auth: {
				username: String(credentials.clientId),
				password: String(credentials.clientSecret),
			},
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: { grant_type: JWT_GRANT, assertion: String(credentials.jwt) },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as TokenResponse;
		const body = response.body;
		if (response.statusCode >= 400 || typeof body !== 'object' || !body?.access_token) {
			throw new Error(tokenErrorMessage(response));
		}
		return { accessToken: String(body.access_token) };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression('$credentials'),
			url: CREDENTIAL_TEST_PATH,
		},
	};
}
