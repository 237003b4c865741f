import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_RATE_LIMIT_WAIT_S } from '../../shared/descriptions';
import { POLL_INTERVAL_LIMITS, POLL_TIMEOUT_LIMITS } from '../helpers/tasks/tasks';

export function returnAllProperty(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	};
}

export function limitProperty(show: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	};
}

/** How long to wait between two status checks of a bulk-update task. */
export function pollIntervalProperty(
	description: string,
	show: Record<string, Array<string | boolean>>,
): INodeProperties {
	return {
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		default: 5, // POLL_INTERVAL_LIMITS.fallback (n8n's lint wants a literal default)
		typeOptions: { minValue: POLL_INTERVAL_LIMITS.min, maxValue: POLL_INTERVAL_LIMITS.max },
		description,
		displayOptions: { show },
	};
}

/** How long to wait for bulk-update tasks in all. */
export function pollTimeoutProperty(
	description: string,
	show: Record<string, Array<string | boolean>>,
): INodeProperties {
	return {
		displayName: 'Poll Timeout (Seconds)',
		name: 'pollTimeout',
		type: 'number',
		default: 600, // POLL_TIMEOUT_LIMITS.fallback (n8n's lint wants a literal default)
		typeOptions: { minValue: POLL_TIMEOUT_LIMITS.min, maxValue: POLL_TIMEOUT_LIMITS.max },
		description,
		displayOptions: { show },
	};
}

/** `waitForCompletion`, `pollInterval` and `pollTimeout`, for the operations that watch a task. */
export function pollingProperties(
	show: Record<string, string[]>,
	waitByDefault: boolean,
): INodeProperties[] {
	const waitForCompletion: INodeProperties = {
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until RingCentral has finished the bulk-update task (Completed or Failed) and output its final state. All tasks of a run are watched together, with the settings of the first input item.',
		displayOptions: { show },
	};
	const whenWaiting = { ...show, waitForCompletion: [true] };
	return [
		waitByDefault ? { ...waitForCompletion, default: true } : waitForCompletion,
		pollIntervalProperty('How long to wait between two status checks of a task', whenWaiting),
		pollTimeoutProperty(
			'How long to wait in all before giving up. The error names the unfinished task IDs, so the run can be resumed with the Bulk Update Task resource.',
			whenWaiting,
		),
	];
}

/**
 * Read by the transport (`rateLimiting.waitTimeout`) for every request the node sends; one
 * collection for every operation, so that it sits in the same place whatever the operation.
 */
export const rateLimitingProperty: INodeProperties = {
	displayName: 'Rate Limiting',
	name: 'rateLimiting',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	description: `RingCentral limits requests per app and user (every n8n worker and workflow signed in as that user shares one budget); the node paces its requests to it and waits out refusals (HTTP 429). By default a request waits up to ${DEFAULT_RATE_LIMIT_WAIT_S} seconds.`,
	options: [
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeout',
			type: 'number',
			default: DEFAULT_RATE_LIMIT_WAIT_S,
			typeOptions: { minValue: 0, maxValue: 86400 },
			description:
				"The longest one request waits for RingCentral's rate limit, pacing and refusals together, before the node gives up with an error. 0 fails at the first refusal.",
		},
	],
};
