import { pathSegments } from '../helpers/parameters';

import type { ApiRequest } from './types';

/** The request's path on the server, below the base URL (ids encoded by `pathSegments`). */
export function apiPath(request: ApiRequest): string {
	if (request.scope === 'api') return `/restapi/v1.0${request.path}`;
	return `/restapi/v1.0/account${pathSegments(request.accountId ?? '')}${request.path}`;
}
