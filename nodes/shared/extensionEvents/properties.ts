import type { INodeProperties } from 'n8n-workflow';

import { EVENT_OPTIONS } from './events';

/** The parameters both triggers share (webhook and WebSocket delivery), after authentication and account. */
export const eventProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: EVENT_OPTIONS,
		default: [],
		description: 'The changes that start the workflow',
	},
	{
		displayName: 'Include Extension Details',
		name: 'includeDetails',
		type: 'boolean',
		default: true,
		description:
			'Whether to read the record of each created or updated extension (one request per extension). Deleted extensions give only their ID.',
	},
];
