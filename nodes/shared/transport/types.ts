import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import type { RateLimitGroup } from './rateLimiter';

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

export interface PageRequest extends ApiRequest {
	/** Stop after this many records; undefined for all of them. */
	limit?: number;
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
}
