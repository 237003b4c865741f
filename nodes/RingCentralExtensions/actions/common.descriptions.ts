import type { INodeProperties } from 'n8n-workflow';

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

export const POLL_INTERVAL_LIMITS = { min: 1, max: 3600, fallback: 5 };
export const POLL_TIMEOUT_LIMITS = { min: 1, max: 86400, fallback: 600 };

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
	return [
		waitByDefault ? { ...waitForCompletion, default: true } : waitForCompletion,
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			default: 5,
			typeOptions: { minValue: POLL_INTERVAL_LIMITS.min, maxValue: POLL_INTERVAL_LIMITS.max },
			description: 'How long to wait between two status checks of a task',
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
		},
		{
			displayName: 'Poll Timeout (Seconds)',
			name: 'pollTimeout',
			type: 'number',
			default: 600,
			typeOptions: { minValue: POLL_TIMEOUT_LIMITS.min, maxValue: POLL_TIMEOUT_LIMITS.max },
			description:
				'How long to wait in all before giving up. The error names the unfinished task IDs, so the run can be resumed with the Bulk Update Task resource.',
			displayOptions: { show: { ...show, waitForCompletion: [true] } },
		},
	];
}
