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

/** n8n 2.x shows one Credential dropdown instead of the field above; this hint shows under it. */
export const credentialNoticeProperty: INodeProperties = {
	displayName:
		'For workflows that run on their own, pick a RingCentral JWT (Recommended) API credential: n8n renews its token, while an access token expires after about an hour',
	name: 'credentialNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['accessToken'] } },
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
