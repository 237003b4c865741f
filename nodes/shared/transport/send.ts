import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse, INode } from 'n8n-workflow';

import { MAX_FAULT_RETRY_WAIT_MS } from '../descriptions';
import { MAX_REDIRECTS, redirectTarget } from '../server';
import {
	rateLimitTimeoutError,
	redirectError,
	seeOtherError,
	toApiError,
	unexpectedAnswerError,
} from './errors';
import { apiPath } from './paths';
import { retryAfterMs, type RateLimitGroup } from './rateLimits';
import { sharedRateLimiter } from './rateLimitRegistry';
import { shapeProblem } from './responses';
import { waitMs } from './wait';
import type { ApiRequest, RequestFailure } from './types';

const MAX_TRANSIENT_RETRIES = 3;
const FIRST_BACKOFF_MS = 500;
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

const rateLimiter = sharedRateLimiter;

/** One answer, sorted: a body to return, a redirect to judge, or a failure. */
export interface SendOutcome extends RequestFailure {
	response?: IN8nHttpFullResponse;
	redirect?: { status: number; location: unknown };
}

/**
 * Who sends a request, with which credential and under which pacing scope: an execution's
 * context (index.ts) or a session that outlives `trigger()` (detached.ts). Everything else about
 * a request (pacing, retries, redirects, answers, errors) is `sendRequest`'s.
 */
export interface Sender {
	node: INode;
	baseUrl: string;
	/** Credential values that must never be shown, read when an error is made. */
	secrets(): string[];
	/** RingCentral meters per app and user: the pacing scope for each group. */
	scopeOf(group: RateLimitGroup): string;
	signal?: AbortSignal;
	/** Sends once, with the credential; never throws for an HTTP status or a network fault. */
	send(options: IHttpRequestOptions): Promise<SendOutcome>;
	/** After a 401: renews the credential once, when the sender must do it itself (true: send again). */
	renewAfterUnauthorized?(): Promise<boolean>;
}

/** RingCentral meters per app and user: the credential (and its server) stands for both. */
export function rateLimitScope(node: INode, credentialType: string, baseUrl: string): string {
	const credentialId = node.credentials?.[credentialType]?.id ?? 'default';
	return `${baseUrl}|${credentialType}:${credentialId}`;
}

/** The credential's values that must never appear in an error, whatever a server answers. */
export function credentialSecrets(credentials: IDataObject): string[] {
	const token = (credentials.oauthTokenData ?? {}) as IDataObject;
	return [
		credentials.accessToken,
		credentials.clientSecret,
		credentials.jwt,
		token.access_token,
		token.refresh_token,
	].filter((value): value is string => typeof value === 'string' && value.length > 0);
}

/** The request's path: below `/restapi/v1.0` unless the request names a path of its own. */
export interface SentRequest extends ApiRequest {
	/** A path outside `/restapi/v1.0` (the gateway token endpoint), used as is. */
	rawPath?: string;
}

/** Sends one RingCentral API request: pacing, retries, redirects and error mapping live here. */
export async function sendRequest<T>(
	sender: Sender,
	request: SentRequest,
	waitTimeoutMs: number,
): Promise<T> {
	const { node, baseUrl, signal } = sender;
	const { group } = request;
	const scope = sender.scopeOf(group);
	const startedAt = Date.now();
	const deadline = startedAt + waitTimeoutMs;
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.rawPath ?? apiPath(request)}`,
		qs: request.qs,
		body: request.body,
		json: true,
		arrayFormat: 'repeat',
		returnFullResponse: true,
		// Redirects are followed here, not by n8n: only on the configured server (see below).
		disableFollowRedirect: true,
	};

	let rateLimitRetries = 0;
	let transientRetries = 0;
	let waitedMs = 0;
	let redirects = 0;
	let renewed = false;
	for (;;) {
		const ticket = await rateLimiter.acquire(scope, group, { signal, deadline });
		if (ticket.exceeded) {
			throw rateLimitTimeoutError(node, request, {
				view: ticket.view,
				waitedMs: Date.now() - startedAt,
				neededMs: ticket.neededMs,
				waitTimeoutMs,
				refusals: rateLimitRetries,
			});
		}
		waitedMs += ticket.waitedMs;
		const outcome = await sender.send(options);
		rateLimiter.settle(
			scope,
			group,
			ticket,
			outcome.response?.statusCode ?? outcome.status,
			outcome.headers,
		);
		if (outcome.redirect) {
			const target = redirectTarget(options.url as string, outcome.redirect.location);
			// 303 See Other: the server carried the write out and points to its result; never resend it.
			if (outcome.redirect.status === 303 && request.method !== 'GET')
				throw seeOtherError(node, request, target.shown);
			if (target.follow && redirects < MAX_REDIRECTS) {
				// Same server: repeated there as it was (method, body, credential); its query is the target's.
				options.url = target.follow;
				options.qs = undefined;
				redirects++;
				continue;
			}
			throw redirectError(node, request, {
				status: outcome.redirect.status,
				baseUrl,
				shown: target.shown,
				tooMany: target.follow !== undefined,
			});
		}
		if (outcome.response)
			return checkedBody(node, request, outcome.response, sender.secrets()) as T;
		const failure: RequestFailure = {
			...outcome,
			retries: rateLimitRetries + transientRetries,
			waitedMs,
		};
		if (signal?.aborted) throw toApiError(node, failure, request, baseUrl, sender.secrets());

		if (failure.status === 401 && !renewed && sender.renewAfterUnauthorized) {
			renewed = true;
			if (await sender.renewAfterUnauthorized()) continue;
		}
		if (failure.status === 429) {
			// Held back in the limiter, so every request of the group waits, not only this one.
			const decision = rateLimiter.refused(scope, group, failure.headers, deadline);
			if ('retryInMs' in decision) {
				rateLimitRetries++;
				continue;
			}
			throw toApiError(
				node,
				{
					...failure,
					waitedMs: Date.now() - startedAt,
					rateLimit: {
						view: rateLimiter.view(scope, group),
						neededMs: decision.giveUp.neededMs,
						waitTimeoutMs,
					},
				},
				request,
				baseUrl,
				sender.secrets(),
			);
		}
		if (isRetryableFault(request, failure) && transientRetries < MAX_TRANSIENT_RETRIES) {
			const backoff = backoffMs(transientRetries, failure);
			// A server asking for more than that is not waited for (days, at worst).
			if (backoff <= MAX_FAULT_RETRY_WAIT_MS) {
				await waitMs(backoff, signal);
				waitedMs += backoff;
				transientRetries++;
				continue;
			}
			failure.refusedWaitMs = backoff;
		}
		throw toApiError(node, failure, request, baseUrl, sender.secrets());
	}
}

/** Sorts what n8n's HTTP helper answered (or threw) into a `SendOutcome`. */
export function outcomeOf(response: IN8nHttpFullResponse): SendOutcome {
	const headers = response.headers as IDataObject;
	if (response.statusCode >= 300 && response.statusCode < 400) {
		return { redirect: { status: response.statusCode, location: headers?.location }, headers };
	}
	if (response.statusCode < 400) return { response, headers };
	return { status: response.statusCode, body: response.body, headers };
}

/** Before retrying a read: as RingCentral asks (up to the 429 cap), else doubling from 0.5 s. */
function backoffMs(attempt: number, failure: RequestFailure): number {
	return retryAfterMs(failure.headers) ?? FIRST_BACKOFF_MS * 2 ** attempt;
}

/**
 * A request may be repeated only where a repeat cannot do anything twice: reads, and
 * anything the server refused before acting (429). A POST that may have reached
 * RingCentral is never re-sent, so a create can never make a duplicate extension.
 */
function isRetryableFault(request: ApiRequest, failure: RequestFailure): boolean {
	if (request.method !== 'GET') return false;
	return failure.status === undefined
		? failure.networkCode !== undefined
		: TRANSIENT_STATUSES.has(failure.status);
}

/** The answer's body, once it has the shape the spec gives it; otherwise an error naming what came. */
function checkedBody(
	node: INode,
	request: ApiRequest,
	response: IN8nHttpFullResponse,
	secrets: string[],
): unknown {
	const problem = shapeProblem(response.body, request.expect ?? 'object', response.statusCode);
	if (!problem) return response.body;
	const { statusCode, body } = response;
	throw unexpectedAnswerError(node, request, statusCode, problem, body, secrets);
}
