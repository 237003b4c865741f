import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { bearerAccessToken, credentialTestRequest, serverProperties } from '../nodes/shared/server';
import { jwtAccessToken } from '../nodes/shared/transport/auth';

export class RingCentralJwtApi implements ICredentialType {
	name = 'ringCentralJwtApi';

	displayName = 'RingCentral JWT (Recommended) API';

	icon = { light: 'file:ringCentral.svg', dark: 'file:ringCentral.dark.svg' } as const;

	documentationUrl =
		'https://github.com/n8n-nodes-ringcentral-extensions/n8n-nodes-ringcentral-extensions/blob/main/docs/credentials.md#jwt-recommended';

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
		return await jwtAccessToken(this, credentials);
	}

	authenticate: IAuthenticateGeneric = bearerAccessToken;

	test: ICredentialTestRequest = credentialTestRequest(
		'n8n got an access token with this JWT but RingCentral refused it: check that the JWT belongs to a user who is still enabled.',
	);
}
