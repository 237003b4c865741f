import type { IDataObject } from 'n8n-workflow';

import { isPlainObject as isObject } from '../helpers/values';

/**
 * What an answer must look like, from the spec's response schemas:
 * - `object`: any JSON object (or no body at all for HTTP 204);
 * - `record`: an object with an `id` (an extension, a template);
 * - `list`: an object whose `records` is an array of objects;
 * - `task`: a bulk-update task, with an `id` and a status RingCentral defines.
 */
export type ResponseShape = 'object' | 'record' | 'list' | 'task';

export const TASK_STATUSES: readonly string[] = ['Accepted', 'InProgress', 'Completed', 'Failed'];

function hasId(value: IDataObject): boolean {
	const id = value.id;
	return (
		(typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isFinite(id))
	);
}

function kindOf(value: unknown): string {
	if (value === undefined || value === '') return 'no body';
	if (typeof value === 'string') return 'text, not JSON';
	if (Array.isArray(value)) return 'a JSON array';
	return value === null ? 'null' : `a JSON ${typeof value}`;
}

/** Why an answer (HTTP `status`, `body`) is not what RingCentral sends, or undefined when it is. */
export function shapeProblem(
	body: unknown,
	shape: ResponseShape,
	status: number,
): string | undefined {
	if (shape === 'object' && status === 204) return undefined;
	if (!isObject(body)) return `expected a JSON object, got ${kindOf(body)}`;
	switch (shape) {
		case 'object':
			return undefined;
		case 'record':
			return hasId(body) ? undefined : 'the object has no "id"';
		case 'list': {
			const records = body.records;
			if (!Array.isArray(records)) return 'the object has no "records" array';
			const index = records.findIndex((record) => !isObject(record));
			return index === -1
				? undefined
				: `records[${index}] is ${kindOf(records[index])}, not an object`;
		}
		case 'task':
			if (!hasId(body)) return 'the task has no "id"';
			return TASK_STATUSES.includes(body.status as string)
				? undefined
				: `the task's status ${JSON.stringify(body.status)} is none of ${TASK_STATUSES.join(', ')}`;
	}
}
