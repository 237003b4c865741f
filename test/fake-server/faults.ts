import { STATUS_CODES } from 'node:http';

import { errorBody } from './errors';
import type { Reply } from './http';
import type { Fault, FaultMatch } from './types';

export interface FaultTarget {
	method: string;
	path: string;
	operationId?: string;
}

interface QueuedFault {
	fault: Fault;
	remaining: number;
	/** Matching requests still to let through before the fault strikes. */
	skip: number;
}

const FAULT_KINDS = new Set([
	'status',
	'drop',
	'delay',
	'dropAfterProcessing',
	'truncateAfterProcessing',
	'redirect',
	'raw',
]);

/** One-shot (or `times`-shot) faults, taken by the first requests they match. */
export class FaultQueue {
	private queued: QueuedFault[] = [];

	add(fault: Fault): void {
		this.queued.push({ fault, remaining: fault.times ?? 1, skip: fault.after ?? 0 });
	}

	take(target: FaultTarget): Fault | undefined {
		const entry = this.queued.find(({ fault }) => matches(fault.match, target));
		if (!entry) return undefined;
		if (entry.skip > 0) {
			entry.skip--;
			return undefined;
		}
		entry.remaining--;
		if (entry.remaining <= 0) this.queued = this.queued.filter((queued) => queued !== entry);
		return entry.fault;
	}

	clear(): void {
		this.queued = [];
	}
}

function matches(match: FaultMatch | undefined, target: FaultTarget): boolean {
	if (!match) return true;
	return (
		(match.method === undefined || match.method.toUpperCase() === target.method.toUpperCase()) &&
		(match.operationId === undefined || match.operationId === target.operationId) &&
		(match.path === undefined || new RegExp(match.path).test(target.path))
	);
}

export function faultReply(fault: Extract<Fault, { kind: 'status' }>): Reply {
	return {
		status: fault.status,
		body: fault.body ?? defaultFaultBody(fault.status),
		headers: fault.headers,
	};
}

function defaultFaultBody(status: number): object {
	if (status === 429) return errorBody('CMN-301', 'Request rate exceeded');
	return errorBody(`CMN-${status}`, STATUS_CODES[status] ?? 'Injected fault');
}

/** A fault posted as JSON to the admin endpoint (its path is a regular expression source). */
export function parseFault(json: unknown): Fault {
	const fault = json as Fault;
	if (typeof json !== 'object' || json === null || !FAULT_KINDS.has(fault.kind)) {
		throw new Error(`A fault needs a kind among ${[...FAULT_KINDS].join(', ')}`);
	}
	return fault;
}
