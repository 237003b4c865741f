import {
	NodeOperationError,
	type IDataObject,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

import {
	credentialTypeFor,
	DEFAULT_RATE_LIMIT_WAIT_S,
	MAX_FAULT_RETRY_WAIT_MS,
} from '../descriptions';
import { MAX_REDIRECTS, redirectTarget, resolveBaseUrl } from '../server';
import { waitMs } from './wait';
import {
	describeFailure,
	rateLimitTimeoutError,
	redirectError,
	toApiError,
	unexpectedAnswerError,
} from './errors';
import { apiPath } from './paths';
import { shapeProblem } from './responses';
import { retryAfterMs } from './rateLimits';
import { sharedRateLimiter } from './rateLimitRegistry';

import type { ApiRequest, PageRequest, RequestFailure, RingCentralContext } from './types';

export { pathSegments } from './paths';
export { waitMs } from './wait';
export { DEFAULT_RATE_LIMIT_WAIT_S } from '../descriptions';

const MAX_TRANSIENT_RETRIES = 3;
const FIRST_BACKOFF_MS = 500;
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
const MAX_RATE_LIMIT_WAIT_S = 86_400;
/** A million records at RingCentral's largest page size: far beyond any account. */
const MAX_PAGES = 1000;

const rateLimiter = sharedRateLimiter;

function credentialTypeOf(ctx: RingCentralContext): string {
	const authentication =
		'getInputData' in ctx
			? ctx.getNodeParameter('authentication', 0, 'accessToken')
			: ctx.getNodeParameter('authentication', 'accessToken');
	return credentialTypeFor(authentication);
}

/** The credential's values that must never appear in an error, whatever a server answers. */
function secretsOf(credentials: IDataObject): string[] {
	const token = (credentials.oauthTokenData ?? {}) as IDataObject;
	return [
		credentials.accessToken,
		credentials.clientSecret,
		credentials.jwt,
		token.access_token,
		token.refresh_token,
	].filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function cancelSignalOf(ctx: RingCentralContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/** RingCentral meters per app and user: the credential (and its server) stands for both. */
function rateLimitScope(ctx: RingCentralContext, credentialType: string, baseUrl: string): string {
	const credentialId = ctx.getNode().credentials?.[credentialType]?.id ?? 'default';
	return `${baseUrl}|${credentialType}:${credentialId}`;
}

/**
 * How long one request may wait for the rate limit (pacing and 429 penalties together) before
 * it fails: the node's Rate Limiting > Wait Timeout, in seconds.
 */
function rateLimitWaitMs(ctx: RingCentralContext, itemIndex: number | undefined): number {
	if (!('getInputData' in ctx)) return DEFAULT_RATE_LIMIT_WAIT_S * 1000;
	const raw = ctx.getNodeParameter(
		'rateLimiting.waitTimeout',
		itemIndex ?? 0,
		DEFAULT_RATE_LIMIT_WAIT_S,
	);
	const seconds = typeof raw === 'number' && Number.isFinite(raw) ? raw : DEFAULT_RATE_LIMIT_WAIT_S;
	return Math.min(Math.max(seconds, 0), MAX_RATE_LIMIT_WAIT_S) * 1000;
}

/** Before retrying a read: as RingCentral asks (up to the 429 cap), else doubling from 0.5 s. */
function backoffMs(attempt: number, failure: RequestFailure): number {
	return retryAfterMs(failure.headers) ?? FIRST_BACKOFF_MS * 2 ** attempt;
}

/** The answer's body, once it has the shape the spec gives it; otherwise an error naming what came. */
function checkedBody(
	ctx: RingCentralContext,
	request: ApiRequest,
	response: IN8nHttpFullResponse,
	secrets: string[],
): unknown {
	const problem = shapeProblem(response.body, request.expect ?? 'object', response.statusCode);
	if (!problem) return response.body;
	const { statusCode, body } = response;
	throw unexpectedAnswerError(ctx.getNode(), request, statusCode, problem, body, secrets);
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

/**
 * A 401 must still throw for the credentials n8n can renew (JWT, OAuth2), so that n8n fetches
 * a new token and resends once. A pasted access token cannot be renewed: resending would only
 * repeat the same 401.
 */
function statusErrorsFor(credentialType: string): IHttpRequestOptions['ignoreHttpStatusErrors'] {
	return credentialType === 'ringCentralAccessTokenApi' ? true : { ignore: true, except: [401] };
}

/** What a request needs from its context, read once: the credential, its server, its pacing scope. */
interface Sender {
	ctx: RingCentralContext;
	credentialType: string;
	baseUrl: string;
	secrets: string[];
	scope: string;
	signal?: AbortSignal;
}

async function senderOf(ctx: RingCentralContext): Promise<Sender> {
	const credentialType = credentialTypeOf(ctx);
	const credentials = await ctx.getCredentials(credentialType);
	const baseUrl = resolveBaseUrl(credentials);
	return {
		ctx,
		credentialType,
		baseUrl,
		secrets: secretsOf(credentials),
		scope: rateLimitScope(ctx, credentialType, baseUrl),
		signal: cancelSignalOf(ctx),
	};
}

/** Sends one RingCentral API request: auth, pacing, retries and error mapping live here. */
export async function ringCentralApiRequest<T = IDataObject>(
	ctx: RingCentralContext,
	request: ApiRequest,
): Promise<T> {
	return await sendRequest<T>(
		await senderOf(ctx),
		request,
		rateLimitWaitMs(ctx, request.itemIndex),
	);
}

async function sendRequest<T>(
	sender: Sender,
	request: ApiRequest,
	waitTimeoutMs: number,
): Promise<T> {
	const { ctx, credentialType, baseUrl, secrets, scope, signal } = sender;
	const { group } = request;
	const startedAt = Date.now();
	const deadline = startedAt + waitTimeoutMs;
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${apiPath(request)}`,
		qs: request.qs,
		body: request.body,
		json: true,
		arrayFormat: 'repeat',
		returnFullResponse: true,
		ignoreHttpStatusErrors: statusErrorsFor(credentialType),
		// Redirects are followed here, not by n8n: only on the configured server (see below).
		disableFollowRedirect: true,
	};

	let rateLimitRetries = 0;
	let transientRetries = 0;
	let waitedMs = 0;
	let redirects = 0;
	for (;;) {
		const ticket = await rateLimiter.acquire(scope, group, { signal, deadline });
		if (ticket.exceeded) {
			throw rateLimitTimeoutError(ctx.getNode(), request, {
				view: ticket.view,
				waitedMs: Date.now() - startedAt,
				neededMs: ticket.neededMs,
				waitTimeoutMs,
				refusals: rateLimitRetries,
			});
		}
		waitedMs += ticket.waitedMs;
		const outcome = await send(ctx, credentialType, options);
		rateLimiter.settle(
			scope,
			group,
			ticket,
			outcome.response?.statusCode ?? outcome.status,
			outcome.headers,
		);
		if (outcome.redirect) {
			const from = options.url as string;
			const target = redirectTarget(from, outcome.redirect.location);
			if (target.follow && redirects < MAX_REDIRECTS) {
				// Same server: repeated there as it was (method, body, credential); its query is the target's.
				options.url = target.follow;
				options.qs = undefined;
				redirects++;
				continue;
			}
			throw redirectError(ctx.getNode(), request, {
				status: outcome.redirect.status,
				baseUrl,
				shown: target.shown,
				tooMany: target.follow !== undefined,
			});
		}
		if (outcome.response) return checkedBody(ctx, request, outcome.response, secrets) as T;
		const failure: RequestFailure = {
			...outcome,
			retries: rateLimitRetries + transientRetries,
			waitedMs,
		};
		if (signal?.aborted) throw toApiError(ctx.getNode(), failure, request, baseUrl, secrets);

		if (failure.status === 429) {
			// Held back in the limiter, so every request of the group waits, not only this one.
			const decision = rateLimiter.refused(scope, group, failure.headers, deadline);
			if ('retryInMs' in decision) {
				rateLimitRetries++;
				continue;
			}
			throw toApiError(
				ctx.getNode(),
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
				secrets,
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
		throw toApiError(ctx.getNode(), failure, request, baseUrl, secrets);
	}
}

interface SendOutcome extends RequestFailure {
	response?: IN8nHttpFullResponse;
	redirect?: { status: number; location: unknown };
}

async function send(
	ctx: RingCentralContext,
	credentialType: string,
	options: IHttpRequestOptions,
): Promise<SendOutcome> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
			...options,
		})) as IN8nHttpFullResponse;
		const headers = response.headers as IDataObject;
		if (response.statusCode >= 300 && response.statusCode < 400) {
			return { redirect: { status: response.statusCode, location: headers?.location }, headers };
		}
		if (response.statusCode < 400) return { response, headers };
		return { status: response.statusCode, body: response.body, headers };
	} catch (error) {
		return describeFailure(error);
	}
}

export const MAX_PAGE_SIZE = 1000;

/**
 * Reads a paged RingCentral list with as few requests as the page size allows. Pages are
 * addressed by number on the configured server; `navigation` links from the response are
 * only read as "there is more", never followed, so no request can go to another host.
 */
export async function ringCentralApiRequestAllItems(
	ctx: RingCentralContext,
	request: PageRequest,
): Promise<IDataObject[]> {
	const { limit, firstPage = 1, ...rest } = request;
	const perPage = Math.min(limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	const records: IDataObject[] = [];
	for (let page = firstPage; ; page++) {
		const response = await ringCentralApiRequest<IDataObject>(ctx, {
			...rest,
			qs: { ...rest.qs, page, perPage },
			expect: 'list',
		});
		const pageRecords = response.records as IDataObject[];
		records.push(...pageRecords);
		const navigation = response.navigation as IDataObject | undefined;
		const totalPages = (response.paging as IDataObject | undefined)?.totalPages;
		if (limit !== undefined && records.length >= limit) return records.slice(0, limit);
		if (pageRecords.length === 0 || !navigation?.nextPage) return records;
		if (typeof totalPages === 'number' && page >= totalPages) return records;
		if (page >= MAX_PAGES) {
			throw new NodeOperationError(
				ctx.getNode(),
				`RingCentral still reported more records after ${MAX_PAGES} pages; stopped reading`,
				{
					itemIndex: request.itemIndex,
					description: 'A proxy in front of RingCentral may be ignoring the page parameter.',
				},
			);
		}
	}
}
