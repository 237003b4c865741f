import { NODE_TYPE } from '../e2e/lib/n8n';
import { ACCESS_TOKEN_CREDENTIAL } from '../e2e/scenarios';

/** The first seeded extension id (see test/fake-server/README.md); 100001 owns the token. */
const FIRST_SEEDED_ID = 100001;

export interface LoadWorkflow {
	id: string;
	/** Production webhook path: POST <n8n>/webhook/<path> starts one execution. */
	path: string;
	/** The node whose output holds the items to check. */
	resultNode: string;
	workflow: unknown;
}

const credentials = { ringCentralAccessTokenApi: ACCESS_TOKEN_CREDENTIAL };

function webhook(path: string, webhookId: string) {
	return {
		id: `${webhookId}-node`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [220, 300],
		webhookId,
		// Answers at once; the outcome is read from the execution records.
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	};
}

function chain(names: string[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

/** (A) Get Many, Return All: every execution lists the whole account. */
export function listAllWorkflow(): LoadWorkflow {
	const id = 'queueListAll0001';
	const path = 'queue-list-all';
	return {
		id,
		path,
		resultNode: 'List all extensions',
		workflow: {
			id,
			name: 'Queue test: list all extensions',
			active: false,
			nodes: [
				webhook(path, '6d7c1c36-0a0e-4c55-9f0e-2f6f6bb0a001'),
				{
					id: 'queue-list-all-node',
					name: 'List all extensions',
					type: NODE_TYPE,
					typeVersion: 1,
					position: [440, 300],
					parameters: { resource: 'extension', operation: 'getAll', returnAll: true, filters: {} },
					credentials,
				},
			],
			connections: chain(['Webhook', 'List all extensions']),
			settings: { executionOrder: 'v1' },
			pinData: {},
		},
	};
}

/** (B) Bulk Update of `records` seeded extensions (status Enabled), waiting, one item per record. */
export function bulkUpdateWorkflow(records: number): LoadWorkflow {
	const id = 'queueBulkUpd0001';
	const path = 'queue-bulk-update';
	// Skips the token's owner (100001): the records are 100002 … 100001 + records.
	const jsCode = [
		`const first = ${FIRST_SEEDED_ID + 1};`,
		`return Array.from({ length: ${records} }, (_, index) => ({`,
		`  json: { id: String(first + index), status: 'Enabled' },`,
		`}));`,
	].join('\n');
	return {
		id,
		path,
		resultNode: 'Bulk update',
		workflow: {
			id,
			name: 'Queue test: bulk update and wait',
			active: false,
			nodes: [
				webhook(path, '6d7c1c36-0a0e-4c55-9f0e-2f6f6bb0b002'),
				{
					id: 'queue-bulk-records-node',
					name: 'Records',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [440, 300],
					parameters: { jsCode },
				},
				{
					id: 'queue-bulk-update-node',
					name: 'Bulk update',
					type: NODE_TYPE,
					typeVersion: 1,
					position: [660, 300],
					parameters: {
						resource: 'extension',
						operation: 'bulkUpdate',
						source: 'inputItems',
						waitForCompletion: true,
						pollInterval: 1,
						pollTimeout: 600,
						output: 'records',
					},
					credentials,
				},
			],
			connections: chain(['Webhook', 'Records', 'Bulk update']),
			settings: { executionOrder: 'v1' },
			pinData: {},
		},
	};
}
