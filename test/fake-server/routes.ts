import { ApiError, errorBody, invalidParameters } from './errors';
import type { Incoming } from './http';
import type { ErrorEntity, RateLimitGroup } from './types';
import type { SpecValidator } from './validator';

export type RouteKind = 'operation' | 'token' | 'authorize' | 'notFound';

/** What a request is, before anything is checked. */
export interface Route {
	kind: RouteKind;
	operationId?: string;
	group?: RateLimitGroup;
	params: Record<string, string>;
	/** Whether a bearer token is required. */
	authenticated: boolean;
	/** Spec violations; the request is answered with `rejection` when there are some. */
	violations: ErrorEntity[];
	rejection?: ApiError;
}

// Outside the spec subset, but the credential test of every RingCentral credential calls it.
const CURRENT_EXTENSION_PATH = /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/~\/?$/;
const TOKEN_PATH = '/restapi/oauth/token';
const AUTHORIZE_PATH = '/restapi/oauth/authorize';

export function resolveRoute(incoming: Incoming, validator: SpecValidator): Route {
	const { method, path } = incoming;
	if (method === 'POST' && path === TOKEN_PATH) {
		return plainRoute('token', 'oauthToken', 'Auth', false);
	}
	if (method === 'GET' && path === AUTHORIZE_PATH) {
		return plainRoute('authorize', 'oauthAuthorize', undefined, false);
	}
	const currentExtension = method === 'GET' ? CURRENT_EXTENSION_PATH.exec(path) : null;
	if (currentExtension) {
		return {
			...plainRoute('operation', 'readCurrentExtension', 'Light', true),
			params: { accountId: decodeURIComponent(currentExtension[1]) },
		};
	}
	const operation = validator.match(method, path);
	if (!operation) return notFoundRoute(method, path);
	const encodingViolations = bodyEncodingViolations(incoming);
	const violations =
		encodingViolations.length > 0
			? encodingViolations
			: validator.validateRequest(operation.operationId, { ...incoming, params: operation.params });
	return {
		kind: 'operation',
		operationId: operation.operationId,
		group: operation.group,
		params: operation.params,
		authenticated: true,
		violations,
		rejection: violations.length > 0 ? invalidParameters(violations) : undefined,
	};
}

function plainRoute(
	kind: RouteKind,
	operationId: string,
	group: RateLimitGroup | undefined,
	authenticated: boolean,
): Route {
	return { kind, operationId, group, params: {}, authenticated, violations: [] };
}

function notFoundRoute(method: string, path: string): Route {
	const message = `Resource for parameter [path] is not found: ${method} ${path}`;
	const violation: ErrorEntity = {
		errorCode: 'CMN-102',
		message,
		parameterName: 'path',
		parameterValue: path,
	};
	return {
		kind: 'notFound',
		params: {},
		authenticated: false,
		violations: [violation],
		rejection: new ApiError(404, errorBody('CMN-102', message, [violation])),
	};
}

/** The spec only describes JSON bodies; the validator cannot see a body that did not parse. */
function bodyEncodingViolations(incoming: Incoming): ErrorEntity[] {
	if (incoming.body === undefined) return [];
	if (incoming.contentType !== 'application/json') {
		return [
			invalidBody(`Content-Type [${incoming.contentType}] is not supported, use application/json`),
		];
	}
	if (incoming.bodyParseError) {
		return [invalidBody(`Request body is not valid JSON: ${incoming.bodyParseError}`)];
	}
	return [];
}

function invalidBody(message: string): ErrorEntity {
	return { errorCode: 'CMN-101', message, parameterName: 'body' };
}
