import type { IDataObject, IHttpRequestOptions, INode, ITriggerFunctions } from 'n8n-workflow';

import { credentials } from '../descriptions';
import { redirectError, describeFailure, toApiError, unexpectedAnswerError } from './errors';
import { resolveBaseUrl, redirectTarget } from '../server';
import { jwtAccessToken, jwtAuthScope } from './auth';
import { apiPath } from './paths';
import { retryAfterMs, type RateLimitGroup } from './rateLimits';
import { sharedRateLimiter } from './rateLimitRegistry';
import { shapeProblem } from './responses';
import { waitMs } from './wait';
import type { ApiRequest, RequestFailure } from './types';

/**
 * A request path for work that goes on after `trigger()` has returned (a WebSocket trigger's
 * reconnects and record reads). n8n 2.41 cannot evaluate expressions then ("No bridge acquired
 * for this context"), and the credentials' `authenticate` is an expression, so this path reads
 * the credential once, inside `trigger()`, and sends the Bearer token itself through the plain
 * `httpRequest` helper, paced by the shared rate limiter like every other request. JWT tokens are
 * renewed through the transport's one JWT exchange (`jwtAccessToken`, auth.ts); OAuth2 requests
 * go through n8n's helper, which alone may use and save the single-use refresh token.
 */
export interface DetachedRequest extends ApiRequest {
	/** A path outside `/restapi/v1.0` (the gateway token endpoint), used as is. */
	rawPath?: string;
}

export interface DetachedSession {
	readonly baseUrl: string;
	/** Credential values that must never be shown (the session's current token included). */
	secrets(): string[];
	request<T = IDataObject>(request: DetachedRequest, signal?: AbortSignal): Promise<T>;
}

const MAX_TRANSIENT_RETRIES = 3;
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
const WAIT_TIMEOUT_MS = 300_000;

interface Answer extends RequestFailure {
	statusCode?: number;
	answerBody?: unknown;
	location?: unknown;
}

/** Call inside `trigger()`: it reads the parameter and the credential while n8n still can. */
export async function detachedSession(ctx: ITriggerFunctions): Promise<DetachedSession> {
	const authentication = String(ctx.getNodeParameter('authentication', 'accessToken'));
	const credentialType =
		credentials.find((credential) =>
			(credential.displayOptions?.show?.authentication ?? []).includes(authentication),
		)?.name ?? 'ringCentralAccessTokenApi';
	const data = await ctx.getCredentials(credentialType);
	const baseUrl = resolveBaseUrl(data);
	const node = ctx.getNode();
	const scope = `${baseUrl}|${credentialType}:${node.credentials?.[credentialType]?.id ?? 'default'}`;
	// Gateway tokens share the Auth count with the JWT exchange (one app and user).
	const authScope = credentialType === 'ringCentralJwtApi' ? jwtAuthScope(data) : scope;
	const scopeOf = (group: RateLimitGroup) => (group === 'Auth' ? authScope : scope);
	const { httpRequest, httpRequestWithAuthentication } = ctx.helpers;
	const tokenData = (data.oauthTokenData ?? {}) as IDataObject;
	const fixedSecrets = [
		data.accessToken,
		data.clientSecret,
		data.jwt,
		tokenData.access_token,
		tokenData.refresh_token,
	].filter((value): value is string => typeof value === 'string' && value.length > 0);
	let accessToken = String(data.accessToken ?? '');

	async function renewJwtToken(): Promise<void> {
		const renewed = await jwtAccessToken({ helpers: { httpRequest } }, { ...data, accessToken });
		accessToken = renewed.accessToken;
	}

	async function send(options: IHttpRequestOptions): Promise<Answer> {
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
							headers: { ...options.headers, Authorization: `Bearer ${accessToken}` },
						});
			const { statusCode, body, headers } = response as {
				statusCode: number;
				body: unknown;
				headers: IDataObject;
			};
			if (statusCode >= 300 && statusCode < 400) return { statusCode, location: headers?.location };
			if (statusCode < 400) return { statusCode, answerBody: body, headers };
			return { status: statusCode, body, headers };
		} catch (error) {
			return describeFailure(error);
		}
	}

	async function request<T>(request: DetachedRequest, signal?: AbortSignal): Promise<T> {
		if (credentialType === 'ringCentralJwtApi' && !accessToken) await renewJwtToken();
		const url = `${baseUrl}${request.rawPath ?? apiPath(request)}`;
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			qs: request.qs,
			body: request.body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
		};
		const deadline = Date.now() + WAIT_TIMEOUT_MS;
		let retries = 0;
		let renewed = false;
		for (;;) {
			const ticket = await sharedRateLimiter.acquire(scopeOf(request.group), request.group, {
				signal,
				deadline,
			});
			if (ticket.exceeded) {
				throw toApiError(node, { status: 429, retries }, request, baseUrl, secrets());
			}
			const answer = await send(options);
			sharedRateLimiter.settle(
				scopeOf(request.group),
				request.group,
				ticket,
				answer.statusCode ?? answer.status,
				answer.headers,
			);
			if (answer.location !== undefined) {
				throw redirectError(node, request, {
					status: answer.statusCode ?? 307,
					baseUrl,
					shown: redirectTarget(url, answer.location).shown,
					tooMany: false,
				});
			}
			if (answer.statusCode !== undefined) return checked<T>(node, request, answer, secrets());
			if (signal?.aborted) throw toApiError(node, answer, request, baseUrl, secrets());
			if (answer.status === 401 && credentialType === 'ringCentralJwtApi' && !renewed) {
				renewed = true;
				await renewJwtToken();
				continue;
			}
			if (answer.status === 429) {
				const penalty = sharedRateLimiter.penalize(
					scopeOf(request.group),
					request.group,
					retryAfterMs(answer.headers),
				);
				if (Date.now() + penalty <= deadline) continue;
			} else if (isRetryable(request, answer) && retries < MAX_TRANSIENT_RETRIES) {
				await waitMs(retryAfterMs(answer.headers) ?? 500 * 2 ** retries, signal);
				retries++;
				continue;
			}
			throw toApiError(node, { ...answer, retries }, request, baseUrl, secrets());
		}
	}

	function secrets(): string[] {
		return accessToken ? [...fixedSecrets, accessToken] : fixedSecrets;
	}

	return { baseUrl, secrets, request };
}

function isRetryable(request: ApiRequest, failure: RequestFailure): boolean {
	if (request.method !== 'GET') return false;
	return failure.status === undefined
		? failure.networkCode !== undefined
		: TRANSIENT_STATUSES.has(failure.status);
}

function checked<T>(node: INode, request: ApiRequest, answer: Answer, secrets: string[]): T {
	const status = answer.statusCode ?? 200;
	const problem = shapeProblem(answer.answerBody, request.expect ?? 'object', status);
	if (!problem) return answer.answerBody as T;
	throw unexpectedAnswerError(node, request, status, problem, answer.answerBody, secrets);
}
