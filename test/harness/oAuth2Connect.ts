import { ClientOAuth2 } from '@n8n/client-oauth2';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { TestCredentialsHelper } from './credentials';
import type { TestCredential } from './workflow';

/** The callback n8n registers for OAuth2 credentials (what the RingCentral app's redirect URI must be). */
export const N8N_OAUTH2_CALLBACK = 'http://localhost:5678/rest/oauth2-credential/callback';

export interface OAuth2Connection {
	/** The authorize URL n8n opens for the user. */
	authorizeUrl: URL;
	/** What n8n saves as the credential's `oauthTokenData`. */
	oauthTokenData: ICredentialDataDecryptedObject;
}

/** n8n's `OauthService.convertCredentialToOptions` (packages/cli, n8n 2.41). */
function clientOptionsOf(credential: ICredentialDataDecryptedObject, state?: string) {
	const scope = typeof credential.scope === 'string' ? credential.scope : 'openid';
	return {
		clientId: String(credential.clientId),
		clientSecret: String(credential.clientSecret ?? ''),
		accessTokenUri: String(credential.accessTokenUrl ?? ''),
		authorizationUri: String(credential.authUrl ?? ''),
		authentication: (credential.authentication ?? 'header') as 'header' | 'body',
		redirectUri: N8N_OAUTH2_CALLBACK,
		scopes: scope.split(','),
		scopesSeparator: (scope.includes(',') ? ',' : ' ') as ',' | ' ',
		ignoreSSLIssues: false,
		state,
	};
}

/**
 * Connects an OAuth2 credential the way n8n's "Connect my account" button does: builds the
 * authorize URL from the credential (defaults resolved), lets the user consent (the fake
 * server redirects at once with a code), and exchanges the code at the token URL with
 * n8n's own OAuth2 client.
 */
export async function connectOAuth2(
	storedData: ICredentialDataDecryptedObject,
	credentialsHelper = new TestCredentialsHelper(),
): Promise<OAuth2Connection> {
	const credential = credentialsHelper.applyDefaultsAndExpressions(
		storedData,
		'ringCentralOAuth2Api',
	);
	const client = new ClientOAuth2(clientOptionsOf(credential, 'n8n-csrf-state'));
	const authorizeUrl = new URL(client.code.getUri());
	const consent = await fetch(authorizeUrl, { redirect: 'manual' });
	const callback = consent.headers.get('location');
	if (consent.status !== 302 || !callback) {
		throw new Error(`The authorize URL answered ${consent.status}: ${await consent.text()}`);
	}
	const token = await client.code.getToken(callback);
	return { authorizeUrl, oauthTokenData: { ...token.data } as ICredentialDataDecryptedObject };
}

export interface ConnectedOAuth2 {
	/** Run a node with both: the credential names what the helper holds. */
	credential: TestCredential;
	credentialsHelper: TestCredentialsHelper;
	oauthTokenData: ICredentialDataDecryptedObject;
}

/**
 * An OAuth2 credential for a custom server, connected (see connectOAuth2) and saved as n8n
 * saves it, with the token data beside the fields the user filled in.
 */
export async function connectedOAuth2(
	serverUrl: string,
	{ clientId, clientSecret }: { clientId: string; clientSecret: string },
): Promise<ConnectedOAuth2> {
	const storedData = { environment: 'custom', serverUrl, clientId, clientSecret };
	const { oauthTokenData } = await connectOAuth2(storedData);
	const credentialsHelper = new TestCredentialsHelper();
	credentialsHelper.add('oauth2', 'ringCentralOAuth2Api', { ...storedData, oauthTokenData });
	const credential: TestCredential = { id: 'oauth2', type: 'ringCentralOAuth2Api', data: {} };
	return { credential, credentialsHelper, oauthTokenData };
}
