import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import {
	MAX_REDIRECTS,
	networkFailureText,
	redirectRefusal,
	redirectTarget,
	REDIRECT_ADVICE,
	resolveBaseUrl,
	shownUrl,
} from '../server';
import { sharedRateLimiter } from './rateLimitRegistry';

/**
 * The JWT credential's token exchange: the one request the node sends that is not an API call,
 * and still the transport's (redirects only on the configured server, paced as RingCentral's
 * Auth group by the process's one limiter, one fetch shared by executions that start together).
 * The credential's `preAuthentication` only calls `jwtAccessToken`.
 */

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

interface TokenResponse {
	statusCode: number;
	body: IDataObject | string | undefined;
	headers?: IDataObject;
}

/** How long a token request may wait for the Auth rate limit (as the node's default for API requests). */
const TOKEN_WAIT_TIMEOUT_MS = 300_000;

/**
 * Token fetches of this process, by a hash of the credential's server and secrets: executions
 * that start together on one credential share one fetch instead of each spending one of the
 * Auth group's few requests a minute (each read the credential before the first one saved its
 * token). A fetch is shared while in flight and for a few seconds after, never with a caller
 * that is renewing that very token (after a 401); then it is forgotten.
 */
interface TokenFetch {
	promise: Promise<{ accessToken: string }>;
	settledAt?: number;
	accessToken?: string;
}

const tokenFetches = new Map<string, TokenFetch>();
const SHARE_AFTER_FETCH_MS = 15_000;

function forgetOldFetches(now: number): void {
	for (const [key, fetch] of tokenFetches) {
		if (fetch.settledAt !== undefined && now - fetch.settledAt > SHARE_AFTER_FETCH_MS) {
			tokenFetches.delete(key);
		}
	}
}

function fingerprint(baseUrl: string, credentials: ICredentialDataDecryptedObject): string {
	const parts = [baseUrl, credentials.clientId, credentials.clientSecret, credentials.jwt];
	return createHash('sha256')
		.update(parts.map((part) => String(part ?? '').trim()).join('\u0000'))
		.digest('hex');
}

/**
 * The limiter scope of a JWT credential's Auth group. RingCentral counts the Auth group per app
 * and user, token exchanges and gateway tokens together, so every Auth request made with this
 * credential (the WebSocket trigger's gateway tokens included) is paced under this one key.
 */
export function jwtAuthScope(credentials: ICredentialDataDecryptedObject): string {
	const baseUrl = resolveBaseUrl(credentials);
	return authScopeOf(baseUrl, fingerprint(baseUrl, credentials));
}

function authScopeOf(baseUrl: string, key: string): string {
	return `${baseUrl}|ringCentralJwtApi:${key.slice(0, 32)}`;
}

/** What to check, by the OAuth error RingCentral's token endpoint answered. */
const ADVICE_BY_OAUTH_ERROR: Record<string, string> = {
	invalid_client:
		'Check the client ID and client secret: they must be those of the app, for the chosen environment.',
	invalid_grant:
		'Check the JWT: it may be mistyped, expired or revoked, or not allowed for this app (in the Developer Console, under your name, Credentials).',
	unauthorized_client:
		'The app does not allow the JWT auth flow: in the Developer Console, set the app\'s authentication to "JWT auth flow".',
	unsupported_grant_type:
		'The app does not allow the JWT auth flow: in the Developer Console, set the app\'s authentication to "JWT auth flow".',
};

const DEFAULT_ADVICE =
	'Check the client ID, client secret and JWT, and that the app uses the JWT auth flow.';

function bodyText(details: IDataObject, ...keys: string[]): string | undefined {
	return keys
		.map((key) => details[key])
		.find((value): value is string => typeof value === 'string' && value.length > 0);
}

/** Builds a message from RingCentral's token-endpoint answer; it never echoes a secret. */
function tokenErrorMessage({ statusCode, body }: TokenResponse): string {
	const details = typeof body === 'object' && body !== null ? body : {};
	const oauthError = bodyText(details, 'error');
	const codes = [oauthError, bodyText(details, 'errorCode')].filter(Boolean).join(' ');
	const status = codes ? `HTTP ${statusCode}, ${codes}` : `HTTP ${statusCode}`;
	const reason = (bodyText(details, 'error_description', 'message') ?? 'no reason given').replace(
		/\.+$/,
		'',
	);
	if (statusCode === 429) {
		return `RingCentral refused to issue an access token for now (${status}): ${reason}. Its token endpoint allows only a few requests a minute per app and user; wait a minute and run the workflow again.`;
	}
	if (statusCode >= 500) {
		return `RingCentral could not issue an access token (${status}): ${reason}. Try again later.`;
	}
	if (statusCode < 400) {
		return `RingCentral's token endpoint answered without an access token (${status}). Check the environment and server URL.`;
	}
	const advice = (oauthError && ADVICE_BY_OAUTH_ERROR[oauthError]) ?? DEFAULT_ADVICE;
	return `RingCentral refused the JWT credential (${status}): ${reason}. ${advice}`;
}

/**
 * The token request failed without an answer. Its error holds the request, client secret and
 * JWT included, so only its network code is kept, in words. The code itself is left out on
 * purpose: the node would take the failure for a failed API call, which it was not.
 */
function tokenRequestFailure(tokenUrl: string, error: unknown): Error {
	const code = (error as { code?: unknown } | undefined)?.code;
	// The token endpoint closing the socket before answering ("socket hang up") reads as closed.
	const reason =
		code === 'ECONNRESET'
			? 'the connection was closed'
			: (networkFailureText(code) ?? 'no answer came');
	return new Error(
		`Could not reach RingCentral's token endpoint ${tokenUrl} to get an access token: ${reason}. Check the environment and server URL, or try again later.`,
	);
}

/** An access token for the JWT credential: fetched once for executions that ask together. */
export async function jwtAccessToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ accessToken: string }> {
	const baseUrl = resolveBaseUrl(credentials);
	const key = fingerprint(baseUrl, credentials);
	forgetOldFetches(Date.now());
	const shared = tokenFetches.get(key);
	const renewing =
		shared?.accessToken !== undefined && shared.accessToken === credentials.accessToken;
	if (shared && !renewing) return await shared.promise;
	const fetch: TokenFetch = { promise: fetchToken(helper, credentials, baseUrl, key) };
	tokenFetches.set(key, fetch);
	fetch.promise.then(
		(token) => {
			fetch.settledAt = Date.now();
			fetch.accessToken = token.accessToken;
		},
		() => {
			if (tokenFetches.get(key) === fetch) tokenFetches.delete(key);
		},
	);
	return await fetch.promise;
}

/** Exchanges the JWT for an access token on the configured server (redirects elsewhere refused). */
async function fetchToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
	key: string,
): Promise<{ accessToken: string }> {
	const tokenUrl = `${baseUrl}/restapi/oauth/token`;
	const scope = authScopeOf(baseUrl, key);
	// One deadline for the whole exchange, redirects included.
	const deadline = Date.now() + TOKEN_WAIT_TIMEOUT_MS;
	let url = tokenUrl;
	let response: TokenResponse;
	// The client secret and JWT may go to the configured server only: redirects elsewhere are refused.
	for (let redirects = 0; ; redirects++) {
		response = await pacedRequestToken(helper, url, credentials, scope, deadline);
		if (response.statusCode < 300 || response.statusCode >= 400) break;
		const target = redirectTarget(url, response.headers?.location);
		if (!target.follow || redirects >= MAX_REDIRECTS) {
			const refusal = redirectRefusal("RingCentral's token endpoint", {
				status: response.statusCode,
				baseUrl,
				shown: target.shown,
				tooMany: target.follow !== undefined,
			});
			throw new Error(`${refusal}. ${REDIRECT_ADVICE}`);
		}
		url = target.follow;
	}
	const body = response.body;
	if (response.statusCode >= 400 || typeof body !== 'object' || !body?.access_token) {
		throw new Error(tokenErrorMessage(response));
	}
	return { accessToken: String(body.access_token) };
}

/**
 * One token request, paced as RingCentral's Auth group (5 a minute per app and user): a refusal
 * (429) is waited out like any other group's, within the wait timeout.
 */
async function pacedRequestToken(
	helper: IHttpRequestHelper,
	url: string,
	credentials: ICredentialDataDecryptedObject,
	scope: string,
	deadline: number,
): Promise<TokenResponse> {
	for (;;) {
		const ticket = await sharedRateLimiter.acquire(scope, 'Auth', { deadline });
		if (ticket.exceeded) {
			throw new Error(
				`RingCentral's token endpoint allows only a few requests a minute per app and user, and this n8n process would have to wait ${Math.round(ticket.neededMs / 1000)} s more for its next one. Wait a minute and run the workflow again.`,
			);
		}
		let response: TokenResponse | undefined;
		try {
			response = await requestToken(helper, url, credentials);
		} finally {
			// Settled whether an answer came or not (then without status and headers).
			sharedRateLimiter.settle(scope, 'Auth', ticket, response?.statusCode, response?.headers);
		}
		if (response.statusCode !== 429) return response;
		// Past the deadline (or an absurd Retry-After): the 429 becomes the error.
		const decision = sharedRateLimiter.refused(scope, 'Auth', response.headers, deadline);
		if (!('retryInMs' in decision)) return response;
	}
}

/** One JWT-for-token exchange at `url`, redirects not followed (the caller decides). */
async function requestToken(
	helper: IHttpRequestHelper,
	url: string,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenResponse> {
	try {
		return (await helper.helpers.httpRequest({
			method: 'POST',
			url,
			auth: {
				username: String(credentials.clientId ?? '').trim(),
				password: String(credentials.clientSecret ?? '').trim(),
			},
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body: { grant_type: JWT_GRANT, assertion: String(credentials.jwt ?? '').trim() },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
		})) as TokenResponse;
	} catch (error) {
		throw tokenRequestFailure(shownUrl(url), error);
	}
}
