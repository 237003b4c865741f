import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { credentialTestRequest, serverProperties, bearerAccessToken } from '../nodes/shared/server';

export class RingCentralAccessTokenApi implements ICredentialType {
	name = 'ringCentralAccessTokenApi';

	displayName = 'RingCentral Access Token API';

	icon = { light: 'file:ringCentral.svg', dark: 'file:ringCentral.dark.svg' } as const;

	documentationUrl =
		'https://github.com/n8n-nodes-ringcentral-extensions/n8n-nodes-ringcentral-extensions/blob/main/docs/credentials.md#access-token';

	properties: INodeProperties[] = [
		...serverProperties,
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: 'Expires after about an hour. For workflows that run on their own, use a RingCentral JWT (Recommended) API credential: n8n renews its token.',
			description:
				'A RingCentral access token. It expires after about an hour and n8n cannot renew it: for workflows that run on their own, use a RingCentral JWT (Recommended) API credential instead.',
		},
	];

	authenticate: IAuthenticateGeneric = bearerAccessToken;

	test: ICredentialTestRequest = credentialTestRequest(
		'The access token is wrong or has expired (access tokens last about an hour): paste a new one, or use the RingCentral JWT credential so that n8n renews tokens itself.',
	);
}
