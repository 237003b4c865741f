import { randomBytes } from 'node:crypto';

import { ApiError } from './errors';
import type { Reply } from './http';
import type { JwtCredentials } from './types';

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const REFRESH_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const SCOPE = 'EditAccounts EditExtensions ReadAccounts ReadCompanyInfo';

export interface AuthSettings {
	staticAccessToken: string;
	tokenLifetimeSeconds: number;
	client: JwtCredentials;
	/** owner_id of issued tokens: the extension that "~/extension/~" answers with. */
	ownerId: string;
}

export interface TokenRequest {
	authorization?: string;
	contentType: string;
	/** The parsed form. */
	body: unknown;
}

interface AuthorizationCode {
	redirectUri: string;
}

/** Access and refresh tokens, authorization codes, and the OAuth endpoints that issue them. */
export class TokenStore {
	/** token -> expiry (ms since the epoch) */
	private readonly accessTokens = new Map<string, number>();
	private readonly refreshTokens = new Map<string, number>();
	private readonly codes = new Map<string, AuthorizationCode>();

	constructor(private readonly settings: AuthSettings) {}

	/** Returns the bearer token of an authorised request; throws 401 otherwise. */
	authenticate(authorization: string | undefined): string {
		const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
		if (!token) throw tokenInvalid('Authorization header is not specified');
		if (token === this.settings.staticAccessToken) return token;
		const expiresAt = this.accessTokens.get(token);
		if (expiresAt === undefined) throw tokenInvalid('Token not found');
		if (Date.now() >= expiresAt) throw tokenInvalid('Token expired');
		return token;
	}

	expireAll(): void {
		for (const token of this.accessTokens.keys()) this.accessTokens.set(token, 0);
	}

	revokeRefreshTokens(): void {
		this.refreshTokens.clear();
	}

	/** GET /restapi/oauth/authorize: the user "consents" at once and is sent back with a code. */
	authorize(query: Record<string, string[]>): Reply {
		const [clientId, redirectUri, state] = ['client_id', 'redirect_uri', 'state'].map(
			(key) => query[key]?.[0],
		);
		if (query.response_type?.[0] !== 'code') {
			throw oauthError(400, 'unsupported_response_type', 'OAU-250', 'Unsupported response type');
		}
		if (clientId !== this.settings.client.clientId) throw invalidClient(clientId);
		if (!redirectUri) {
			throw oauthError(400, 'invalid_request', 'OAU-101', 'Parameter [redirect_uri] is required');
		}
		const code = randomToken('code');
		this.codes.set(code, { redirectUri });
		const location = new URL(redirectUri);
		location.searchParams.set('code', code);
		if (state !== undefined) location.searchParams.set('state', state);
		return { status: 302, body: undefined, headers: { Location: location.toString() } };
	}

	/** POST /restapi/oauth/token */
	token({ authorization, contentType, body }: TokenRequest): Reply {
		this.checkClient(authorization);
		if (contentType !== FORM_CONTENT_TYPE) {
			throw oauthError(
				400,
				'invalid_request',
				'OAU-101',
				`Content-Type must be ${FORM_CONTENT_TYPE}`,
			);
		}
		const form = (body ?? {}) as Record<string, string | undefined>;
		switch (form.grant_type) {
			case JWT_GRANT:
				this.checkAssertion(form.assertion);
				break;
			case 'authorization_code':
				this.redeemCode(form.code, form.redirect_uri);
				break;
			case 'refresh_token':
				this.redeemRefreshToken(form.refresh_token);
				break;
			default:
				throw oauthError(
					400,
					'unsupported_grant_type',
					'OAU-250',
					`Unsupported grant type: ${form.grant_type}`,
				);
		}
		return { status: 200, body: this.issue() };
	}

	private checkClient(authorization: string | undefined): void {
		const { clientId, clientSecret } = basicCredentials(authorization);
		const { client } = this.settings;
		if (clientId !== client.clientId || clientSecret !== client.clientSecret) {
			throw invalidClient(clientId);
		}
	}

	private checkAssertion(assertion: string | undefined): void {
		if (assertion !== this.settings.client.assertion) {
			throw oauthError(400, 'invalid_grant', 'OAU-140', 'Invalid resource owner credentials');
		}
	}

	private redeemCode(code: string | undefined, redirectUri: string | undefined): void {
		const issued = code === undefined ? undefined : this.codes.get(code);
		if (!issued || issued.redirectUri !== redirectUri) {
			throw oauthError(400, 'invalid_grant', 'OAU-109', 'Authorization code is invalid or expired');
		}
		this.codes.delete(code as string);
	}

	/** Refresh tokens are single use: a new pair replaces them. */
	private redeemRefreshToken(refreshToken: string | undefined): void {
		const expiresAt = refreshToken === undefined ? undefined : this.refreshTokens.get(refreshToken);
		if (expiresAt === undefined || Date.now() >= expiresAt) {
			throw oauthError(400, 'invalid_grant', 'OAU-211', 'Token is revoked or expired');
		}
		this.refreshTokens.delete(refreshToken as string);
	}

	private issue(): Record<string, string | number> {
		const accessToken = randomToken('access');
		const refreshToken = randomToken('refresh');
		const { tokenLifetimeSeconds, ownerId } = this.settings;
		this.accessTokens.set(accessToken, Date.now() + tokenLifetimeSeconds * 1000);
		this.refreshTokens.set(refreshToken, Date.now() + REFRESH_TOKEN_LIFETIME_SECONDS * 1000);
		return {
			access_token: accessToken,
			token_type: 'bearer',
			expires_in: tokenLifetimeSeconds,
			refresh_token: refreshToken,
			refresh_token_expires_in: REFRESH_TOKEN_LIFETIME_SECONDS,
			scope: SCOPE,
			owner_id: ownerId,
			endpoint_id: 'fake-endpoint-id',
		};
	}
}

export function basicCredentials(authorization: string | undefined): {
	clientId?: string;
	clientSecret?: string;
} {
	const encoded = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
	if (!encoded) return {};
	const decoded = Buffer.from(encoded, 'base64').toString('utf8');
	const separator = decoded.indexOf(':');
	if (separator === -1) return { clientId: decoded };
	return { clientId: decoded.slice(0, separator), clientSecret: decoded.slice(separator + 1) };
}

function randomToken(kind: string): string {
	return `${kind}-${randomBytes(16).toString('hex')}`;
}

function tokenInvalid(reason: string): ApiError {
	return new ApiError(401, {
		errorCode: 'TokenInvalid',
		message: 'Invalid token',
		errors: [{ errorCode: 'OAU-213', message: reason }],
	});
}

function invalidClient(clientId: string | undefined): ApiError {
	return oauthError(401, 'invalid_client', 'OAU-123', `Invalid client: ${clientId ?? ''}`);
}

/** RingCentral's OAuth errors carry both the OAuth 2 fields and its usual error body. */
function oauthError(
	status: number,
	error: string,
	errorCode: string,
	description: string,
): ApiError {
	return new ApiError(status, {
		error,
		errorCode,
		error_description: description,
		message: description,
		errors: [{ errorCode, message: description }],
	});
}
