import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { resolveBaseUrl } from '../../../credentials/ringCentralServer';
import { waitMs } from '../helpers/wait';
import { describeFailure, toApiError, type RequestFailure } from './errors';
import { RateLimiter, numberHeader, type RateLimitGroup } from './rateLimiter';

export type { RateLimitGroup } from './rateLimiter';

export type RingCentralContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below `/restapi/v1.0/account/{accountId}`, built with `pathSegments`. */
	path: string;
	accountId: string;
	group: RateLimitGroup;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
}

/** The node's `authentication` values and the credential type each one uses. */
const CREDENTIAL_TYPES = new Map([
	['accessToken', 'ringCentralAccessTokenApi'],
	['jwt', 'ringCentralJwtApi'],
	['oAuth2', 'ringCentralOAuth2Api'],
]);

const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_TRANSIENT_RETRIES = 3;
const FIRST_BACKOFF_MS = 500;
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

const rateLimiter = new RateLimiter();

/** Joins path segments, each URL-encoded as exactly one segment (`/` and `?` cannot escape it). */
export function pathSegments(...segments: string[]): string {
	return segments.map((segment) => `/${encodeURIComponent(segment)}`).join('');
}

export function credentialTypeOf(ctx: RingCentralContext): string {
	const authentication =
		'getInputData' in ctx
			? ctx.getNodeParameter('authentication', 0, 'accessToken')
			: ctx.getNodeParameter('authentication', 'accessToken');
	return CREDENTIAL_TYPES.get(String(authentication)) ?? 'ringCentralAccessTokenApi';
}

async function baseUrlOf(ctx: RingCentralContext, credentialType: string): Promise<string> {
	const credentials = await ctx.getCredentials(credentialType);
	return resolveBaseUrl(credentials);
}

function cancelSignalOf(ctx: RingCentralContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

function rateLimitKey(ctx: RingCentralContext, credentialType: string, group: RateLimitGroup): string {
	const credentialId = ctx.getNode().credentials?.[credentialType]?.id ?? 'default';
	return `${credentialType}:${credentialId}:${group}`;
}

function backoffMs(attempt: number, failure: RequestFailure): number {
	const retryAfter = numberHeader(failure.headers, 'retry-after');
	return retryAfter !== undefined ? retryAfter * 1000 : FIRST_BACKOFF_MS * 2 ** attempt;
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

/** Sends one RingCentral API request: auth, pacing, retries and error mapping live here. */
export async function ringCentralApiRequest<T = IDataObject>(
	ctx: RingCentralContext,
	request: ApiRequest,
): Promise<T> {
	const credentialType = credentialTypeOf(ctx);
	const baseUrl = await baseUrlOf(ctx, credentialType);
	const limiterKey = rateLimitKey(ctx, credentialType, request.group);
	const signal = cancelSignalOf(ctx);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}/restapi/v1.0/account${pathSegments(request.accountId)}${request.path}`,
		qs: request.qs,
		body: request.body,
		json: true,
		arrayFormat: 'repeat',
		returnFullResponse: true,
		// 401 still throws, so that n8n renews an expired JWT token and resends once.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
	};

	let rateLimitRetries = 0;
	let transientRetries = 0;
	for (;;) {
		await rateLimiter.beforeRequest(limiterKey, signal);
		const failure = await send(ctx, credentialType, options);
		rateLimiter.afterResponse(limiterKey, failure.headers);
		if (failure.response) return failure.response.body as T;
		if (signal?.aborted) throw toApiError(ctx.getNode(), failure, request, baseUrl);

		if (failure.status === 429 && rateLimitRetries < MAX_RATE_LIMIT_RETRIES) {
			const penaltyMs =
				(numberHeader(failure.headers, 'retry-after') ?? 0) * 1000 ||
				rateLimiter.windowMs(limiterKey) ||
				60_000;
			rateLimiter.penalize(limiterKey, penaltyMs);
			rateLimitRetries++;
			continue;
		}
		if (isRetryableFault(request, failure) && transientRetries < MAX_TRANSIENT_RETRIES) {
			await waitMs(backoffMs(transientRetries, failure), signal);
			transientRetries++;
			continue;
		}
		throw toApiError(ctx.getNode(), { ...failure, retries: rateLimitRetries + transientRetries }, request, baseUrl);
	}
}

interface SendOutcome extends RequestFailure {
	response?: IN8nHttpFullResponse;
}

async function send(
	ctx: RingCentralContext,
	credentialType: string,
	options: IHttpRequestOptions,
): Promise<SendOutcome> {
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			{ ...options },
		)) as IN8nHttpFullResponse;
		const headers = response.headers as IDataObject;
		if (response.statusCode < 400) return { response, headers };
		return { status: response.statusCode, body: response.body, headers };
	} catch (error) {
		return describeFailure(error);
	}
}

export interface PageRequest extends Omit<ApiRequest, 'qs'> {
	qs?: IDataObject;
	/** Stop after this many records; undefined for all of them. */
	limit?: number;
}

const MAX_PAGE_SIZE = 1000;

/**
 * Reads a paged RingCentral list with as few requests as the page size allows. Pages are
 * addressed by number on the configured server; `navigation` links from the response are
 * only read as "there is more", never followed, so no request can go to another host.
 */
export async function ringCentralApiRequestAllItems(
	ctx: RingCentralContext,
	request: PageRequest,
): Promise<IDataObject[]> {
	const { limit, ...rest } = request;
	const perPage = Math.min(limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
	const records: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const response = await ringCentralApiRequest<IDataObject>(ctx, {
			...rest,
			qs: { ...rest.qs, page, perPage },
		});
		const pageRecords = (response.records as IDataObject[] | undefined) ?? [];
		records.push(...pageRecords);
		const navigation = response.navigation as IDataObject | undefined;
		if (limit !== undefined && records.length >= limit) return records.slice(0, limit);
		if (pageRecords.length === 0 || !navigation?.nextPage) return records;
	}
}
