import { LIMITS } from './figures';
import { bulkUpdateWorkflow, listAllWorkflow, type LoadWorkflow } from './workflows';

/** Webhooks fired at once in each run. */
export const EXECUTIONS = 10;
export const EXTENSIONS = 3000;
const BULK_RECORDS = 1000;
/** The fake finishes a bulk-update task this long after it was created. */
export const TASK_SECONDS = 1;

export interface Scenario {
	label: string;
	load: LoadWorkflow;
	group: 'Medium' | 'Heavy';
	/** Requests of `group` one execution needs: pages of 1,000, or bulk updates of 500 records. */
	requestsPerExecution: number;
	tailSeconds: number;
	/** Why an execution's output is incomplete, or undefined when it is complete. */
	incomplete(items: Array<{ json: Record<string, unknown> }>): string | undefined;
}

export const SCENARIOS: Scenario[] = [
	{
		label: `A: Get Many, Return All over ${EXTENSIONS.toLocaleString('en')} extensions (Medium ${LIMITS.Medium} per ${LIMITS.windowSeconds} s)`,
		load: listAllWorkflow(),
		group: 'Medium',
		requestsPerExecution: Math.ceil(EXTENSIONS / 1000),
		tailSeconds: 0,
		incomplete(items) {
			const ids = new Set(items.map((item) => String(item.json.id)));
			if (items.length !== EXTENSIONS || ids.size !== EXTENSIONS)
				return `${items.length} items, ${ids.size} distinct extensions (expected ${EXTENSIONS})`;
			return undefined;
		},
	},
	{
		label: `B: Bulk Update of ${BULK_RECORDS.toLocaleString('en')} records, waiting (Heavy ${LIMITS.Heavy} per ${LIMITS.windowSeconds} s)`,
		load: bulkUpdateWorkflow(BULK_RECORDS),
		group: 'Heavy',
		requestsPerExecution: Math.ceil(BULK_RECORDS / 500),
		tailSeconds: TASK_SECONDS,
		incomplete(items) {
			const ids = new Set(items.map((item) => String(item.json.extensionId)));
			const succeeded = items.filter((item) => item.json.status === 'Success').length;
			if (items.length !== BULK_RECORDS || ids.size !== BULK_RECORDS || succeeded !== BULK_RECORDS)
				return `${items.length} outcomes, ${ids.size} distinct extensions, ${succeeded} Success (expected ${BULK_RECORDS})`;
			return undefined;
		},
	},
];
