import type {
	IDataObject,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	ITriggerFunctions,
} from 'n8n-workflow';

import { credentialTypeFor, DEFAULT_RATE_LIMIT_WAIT_S } from '../descriptions';
import { resolveBaseUrl } from '../server';
import { jwtAccessToken, jwtAuthScope } from './auth';
import { describeFailure } from './errors';
import type { RateLimitGroup } from './rateLimits';
import {
	credentialSecrets,
	outcomeOf,
	rateLimitScope,
	sendRequest,
	type Sender,
	type SendOutcome,
	type SentRequest,
} from './send';

/**
 * A request path for work that goes on after `trigger()` has returned (a WebSocket trigger's
 * reconnects and record reads). n8n 2.41 cannot evaluate expressions then ("No bridge acquired
 * for this context"), and the credentials' `authenticate` is an expression, so this session reads
 * the credential once, inside `trigger()`, and sends the Bearer token itself through the plain
 * `httpRequest` helper; pacing, retries and errors are the transport's (`sendRequest`). JWT
 * tokens are renewed through the transport's one JWT exchange (`jwtAccessToken`, auth.ts); OAuth2
 * requests go through n8n's helper, which alone may use and save the single-use refresh token.
 */
export type DetachedRequest = SentRequest;

export interface DetachedSession {
	readonly baseUrl: string;
	/** Credential values that must never be shown (the tokens the session held included). */
	secrets(): string[];
	request<T = IDataObject>(request: DetachedRequest, signal?: AbortSignal): Promise<T>;
}

/** The session's latest tokens kept hidden (a session open for weeks renews hundreds). */
const MAX_TOKENS_HIDDEN = 16;

/** Call inside `trigger()`: it reads the parameter and the credential while n8n still can. */
export async function detachedSession(ctx: ITriggerFunctions): Promise<DetachedSession> {
	const credentialType = credentialTypeFor(ctx.getNodeParameter('authentication', 'accessToken'));
	const data = await ctx.getCredentials(credentialType);
	const baseUrl = resolveBaseUrl(data);
	const node = ctx.getNode();
	const scope = rateLimitScope(node, credentialType, baseUrl);
	const isJwt = credentialType === 'ringCentralJwtApi';
	// Gateway tokens share the Auth count with the JWT exchange (one app and user).
	const authScope = isJwt ? jwtAuthScope(data) : scope;
	const { httpRequest, httpRequestWithAuthentication } = ctx.helpers;
	const fixedSecrets = credentialSecrets(data);
	let accessToken = String(data.accessToken ?? '');
	// Every token the session held: an answer to a request sent before a renewal may echo the old one.
	const heldTokens = accessToken ? [accessToken] : [];

	async function renewJwtToken(): Promise<void> {
		const renewed = await jwtAccessToken({ helpers: { httpRequest } }, { ...data, accessToken });
		accessToken = renewed.accessToken;
		if (accessToken && !heldTokens.includes(accessToken)) {
			heldTokens.push(accessToken);
			if (heldTokens.length > MAX_TOKENS_HIDDEN) heldTokens.shift();
		}
	}

	async function send(options: IHttpRequestOptions): Promise<SendOutcome> {
		try {
			const response =
				credentialType === 'ringCentralOAuth2Api'
					? await httpRequestWithAuthentication.call(ctx, credentialType, {
							...options,
							// n8n refreshes an OAuth2 token only when the 401 is thrown.
							ignoreHttpStatusErrors: { ignore: true, except: [401] },
						})
					: await httpRequest({
							...options,
							ignoreHttpStatusErrors: true,
							headers: { ...options.headers, Authorization: `Bearer ${accessToken}` },
						});
			return outcomeOf(response as IN8nHttpFullResponse);
		} catch (error) {
			return describeFailure(error);
		}
	}

	function secrets(): string[] {
		return [...fixedSecrets, ...heldTokens];
	}

	const sender = (signal?: AbortSignal): Sender => ({
		node,
		baseUrl,
		secrets,
		scopeOf: (group: RateLimitGroup) => (group === 'Auth' ? authScope : scope),
		signal,
		send,
		renewAfterUnauthorized: isJwt
			? async () => {
					await renewJwtToken();
					return true;
				}
			: undefined,
	});

	async function request<T>(request: DetachedRequest, signal?: AbortSignal): Promise<T> {
		if (isJwt && !accessToken) await renewJwtToken();
		return await sendRequest<T>(sender(signal), request, DEFAULT_RATE_LIMIT_WAIT_S * 1000);
	}

	return { baseUrl, secrets, request };
}
