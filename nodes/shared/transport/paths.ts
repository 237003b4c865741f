import { ApplicationError } from 'n8n-workflow';

import type { ApiRequest } from './types';

/**
 * Why a value cannot be one URL path segment. Dot segments (`.`, `..`, `...`) are refused
 * because URL parsers resolve them as directory steps even when percent-encoded.
 */
export function pathSegmentProblem(segment: string): string | undefined {
	if (segment === '') return 'must not be empty';
	if (/^\.+$/.test(segment)) return `"${segment}" is not a valid identifier`;
	return undefined;
}

/**
 * Joins ids into a URL path, each trimmed and encoded as exactly one segment (`/`, `?` and
 * `#` cannot escape it). The transport builds every path with this.
 */
export function pathSegments(...segments: string[]): string {
	return segments
		.map((raw) => {
			const segment = raw.trim();
			const problem = pathSegmentProblem(segment);
			if (problem) {
				throw new ApplicationError(`"${segment}" cannot be used as an ID in a RingCentral URL`);
			}
			return `/${encodeURIComponent(segment)}`;
		})
		.join('');
}

/** The request's path on the server, below the base URL (ids encoded by `pathSegments`). */
export function apiPath(request: ApiRequest): string {
	if (request.scope === 'api') return `/restapi/v1.0${request.path}`;
	return `/restapi/v1.0/account${pathSegments(request.accountId ?? '')}${request.path}`;
}
