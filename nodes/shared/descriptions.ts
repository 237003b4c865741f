import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** The node parameter `authentication` picks one of these credentials. */
export const credentials: INodeCredentialDescription[] = [
	{
		name: 'ringCentralAccessTokenApi',
		required: true,
		displayOptions: { show: { authentication: ['accessToken'] } },
	},
	{
		name: 'ringCentralJwtApi',
		required: true,
		displayOptions: { show: { authentication: ['jwt'] } },
	},
	{
		name: 'ringCentralOAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
];

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
