import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import type { ApiRequest } from './index';

export interface RequestFailure {
	status?: number;
	body?: unknown;
	headers?: IDataObject;
	/** e.g. ECONNRESET when the connection broke without an answer. */
	networkCode?: string;
	/** A failure that is not about HTTP at all (the JWT token exchange, a cancelled run). */
	message?: string;
	retries?: number;
}

interface RingCentralErrorBody {
	errorCode?: string;
	message?: string;
	error_description?: string;
	errors?: Array<{ errorCode?: string; message?: string; parameterName?: string; parameterValue?: string }>;
}

/**
 * Reads what n8n's request helper threw into plain data. Only the status, body, headers and
 * network code are kept: the axios error underneath also holds the request, token included.
 */
export function describeFailure(error: unknown): RequestFailure {
	const cause = findAxiosLike(error);
	const response = cause?.response;
	if (response?.status !== undefined) {
		return {
			status: response.status,
			body: response.data,
			headers: (response.headers ?? {}) as IDataObject,
		};
	}
	const networkCode = cause?.code ?? (error as { code?: string })?.code;
	if (typeof networkCode === 'string' && /^E[A-Z_]+$|^ERR_/.test(networkCode)) {
		return { networkCode };
	}
	return { message: error instanceof Error ? error.message : String(error) };
}

interface AxiosLike {
	code?: string;
	response?: { status?: number; data?: unknown; headers?: unknown };
}

function findAxiosLike(error: unknown): AxiosLike | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const candidate = current as AxiosLike & { cause?: unknown };
		if (candidate.response || (candidate.code && typeof candidate.code === 'string')) return candidate;
		current = candidate.cause;
	}
	return undefined;
}

const NETWORK_MESSAGES: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNREFUSED: 'the connection was refused',
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	ENOTFOUND: 'the server name could not be resolved',
};

export function toApiError(
	node: INode,
	failure: RequestFailure,
	request: ApiRequest,
	baseUrl: string,
): NodeApiError {
	const options = { itemIndex: request.itemIndex };
	const retried = failure.retries ? ` (after ${failure.retries} retries)` : '';
	if (failure.status === undefined) {
		const reason = failure.networkCode
			? `Could not complete the request to ${baseUrl}: ${NETWORK_MESSAGES[failure.networkCode] ?? failure.networkCode}${retried}`
			: (failure.message ?? 'The request to RingCentral failed');
		return new NodeApiError(node, { message: reason } as JsonObject, {
			...options,
			message: reason,
			description: maySucceededNote(request, failure),
		});
	}
	const body = (typeof failure.body === 'object' && failure.body !== null ? failure.body : {}) as RingCentralErrorBody;
	const code = body.errorCode ?? `HTTP ${failure.status}`;
	const text = body.message ?? body.error_description ?? statusText(failure.status);
	const details = (body.errors ?? [])
		.map((entry) =>
			[entry.errorCode, entry.parameterName && `[${entry.parameterName}]`, entry.message]
				.filter(Boolean)
				.join(' '),
		)
		.filter((line) => line.length > 0);
	const description = [
		...details,
		failure.status === 429 ? 'RingCentral rate limit still exceeded after waiting as it asked' + retried : '',
		maySucceededNote(request, failure),
	]
		.filter(Boolean)
		.join('\n');
	return new NodeApiError(
		node,
		{ httpCode: String(failure.status), errorCode: code, message: text } as JsonObject,
		{
			...options,
			httpCode: String(failure.status),
			message: `RingCentral error ${code} (HTTP ${failure.status}): ${text}${retried}`,
			description: description || undefined,
		},
	);
}

function maySucceededNote(request: ApiRequest, failure: RequestFailure): string {
	const mayHaveActed =
		request.method !== 'GET' &&
		(failure.networkCode !== undefined || (failure.status !== undefined && failure.status >= 500));
	return mayHaveActed
		? 'The request may have reached RingCentral before it failed, so it was not repeated. Check the account before running it again, to avoid creating or updating anything twice.'
		: '';
}

function statusText(status: number): string {
	if (status === 401) return 'The credential was rejected: check the token or the app credentials';
	if (status === 403) return 'The credential lacks a permission this operation needs';
	if (status === 404) return 'Not found';
	if (status === 429) return 'Too many requests';
	return status >= 500 ? 'RingCentral could not process the request' : 'The request was rejected';
}
