import {
	NodeOperationError,
	type IDataObject,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
} from 'n8n-workflow';

import { credentialTypeFor, DEFAULT_RATE_LIMIT_WAIT_S } from '../descriptions';
import { resolveBaseUrl } from '../server';
import { describeFailure } from './errors';
import { credentialSecrets, outcomeOf, rateLimitScope, sendRequest, type Sender } from './send';

import type { ApiRequest, PageRequest, RingCentralContext } from './types';

export { pathSegments } from './paths';
export { waitMs } from './wait';
export { DEFAULT_RATE_LIMIT_WAIT_S } from '../descriptions';

const MAX_RATE_LIMIT_WAIT_S = 86_400;
/** A million records at RingCentral's largest page size: far beyond any account. */
const MAX_PAGES = 1000;

function credentialTypeOf(ctx: RingCentralContext): string {
	const authentication =
		'getInputData' in ctx
			? ctx.getNodeParameter('authentication', 0, 'accessToken')
			: ctx.getNodeParameter('authentication', 'accessToken');
	return credentialTypeFor(authentication);
}

function cancelSignalOf(ctx: RingCentralContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
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

/**
 * A 401 must still throw for the credentials n8n can renew (JWT, OAuth2), so that n8n fetches
 * a new token and resends once. A pasted access token cannot be renewed: resending would only
 * repeat the same 401.
 */
function statusErrorsFor(credentialType: string): IHttpRequestOptions['ignoreHttpStatusErrors'] {
	return credentialType === 'ringCentralAccessTokenApi' ? true : { ignore: true, except: [401] };
}

/** An execution's sender: n8n's helper adds the credential (and renews JWT and OAuth2 tokens). */
async function senderOf(ctx: RingCentralContext): Promise<Sender> {
	const credentialType = credentialTypeOf(ctx);
	const credentials = await ctx.getCredentials(credentialType);
	const baseUrl = resolveBaseUrl(credentials);
	const scope = rateLimitScope(ctx.getNode(), credentialType, baseUrl);
	const secrets = credentialSecrets(credentials);
	const ignoreHttpStatusErrors = statusErrorsFor(credentialType);
	return {
		node: ctx.getNode(),
		baseUrl,
		secrets: () => secrets,
		scopeOf: () => scope,
		signal: cancelSignalOf(ctx),
		send: async (options) => {
			try {
				return outcomeOf(
					(await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
						...options,
						ignoreHttpStatusErrors,
					})) as IN8nHttpFullResponse,
				);
			} catch (error) {
				return describeFailure(error);
			}
		},
	};
}

/** Sends one RingCentral API request: auth, pacing, retries and error mapping (send.ts). */
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
