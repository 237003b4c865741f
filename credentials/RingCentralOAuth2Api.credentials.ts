import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { baseUrlExpression, credentialTestRequest, serverProperties } from '../nodes/shared/server';

/** `$self` keeps these expressions valid when n8n refreshes the token outside a node. */
const serverUrl = baseUrlExpression('$self').slice('={{ '.length, -' }}'.length);

export class RingCentralOAuth2Api implements ICredentialType {
	name = 'ringCentralOAuth2Api';

	/**
	 * n8n merges the parents' fields in this order and keeps an inherited field at its parent's
	 * position (adding new ones at the end). The access-token credential goes first only so that
	 * its Environment and Server URL lead the form, as in the other two credentials; its
	 * Access Token field is hidden below. The OAuth2 flow comes from oAuth2Api.
	 */
	extends = ['ringCentralAccessTokenApi', 'oAuth2Api'];

	displayName = 'RingCentral OAuth2 API';

	icon = { light: 'file:ringCentral.svg', dark: 'file:ringCentral.dark.svg' } as const;

	documentationUrl =
		'https://github.com/n8n-nodes-ringcentral-extensions/n8n-nodes-ringcentral-extensions/blob/main/docs/credentials.md#oauth2';

	properties: INodeProperties[] = [
		...serverProperties,
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ (${serverUrl}) + "/restapi/oauth/authorize" }}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ (${serverUrl}) + "/restapi/oauth/token" }}`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			// RingCentral grants the scopes configured on the app; it rejects unknown scope strings.
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			// RingCentral's token endpoint wants the client credentials as HTTP Basic auth.
			default: 'header',
		},
	];

	test: ICredentialTestRequest = credentialTestRequest(
		'n8n refreshed the token and RingCentral still refused it: reconnect the credential.',
	);
}
