import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { RateLimitGroup, RateLimitView } from './rateLimiter';
import type { ResponseShape } from './responses';

export type RingCentralContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| ITriggerFunctions
	| IWebhookFunctions;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/**
	 * Path below `/restapi/v1.0/account/{accountId}` (with `scope: 'api'`, below `/restapi/v1.0`),
	 * built with `pathSegments`.
	 */
	path: string;
	/** Required for account requests (the default scope). */
	accountId?: string;
	/** `api` for the resources that belong to no account, such as `/subscription`. */
	scope?: 'account' | 'api';
	group: RateLimitGroup;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** The shape the spec gives the answer (default: any JSON object); anything else is an error. */
	expect?: ResponseShape;
}

export interface PageRequest extends ApiRequest {
	/** Stop after this many records; undefined for all of them. */
	limit?: number;
	/** Start at this page (default 1), when the pages before it were read already. */
	firstPage?: number;
}

export interface RequestFailure {
	status?: number;
	body?: unknown;
	headers?: IDataObject;
	/** e.g. ECONNRESET when the connection broke without an answer. */
	networkCode?: string;
	/** A failure that is not about HTTP at all (the JWT token exchange, a cancelled run). */
	message?: string;
	/** How often the request was sent again, and how long was waited before those resends. */
	retries?: number;
	waitedMs?: number;
	/** RingCentral asked to wait this long before a retry: longer than the cap, so it was not retried. */
	refusedWaitMs?: number;
	/** For a 429 that was not waited out: the limit as the node knew it, and the wait it would need. */
	rateLimit?: { view: RateLimitView; neededMs: number; waitTimeoutMs: number };
}
