import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { BatchResult } from '../helpers/batchResult';
import type { ItemOutcome } from '../helpers/runOutcomes';

export type { BatchResult };

/** An operation that runs once per input item; the router owns the loop. */
export interface ItemOperation {
	kind: 'item';
	description: INodeProperties[];
	/** What it writes to an item that goes through: an error ending the run says it per item. */
	outcome?: ItemOutcome;
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

/**
 * An operation that gathers work from every item first (checked item by item, before
 * anything is sent) and then runs it together: bulk update packs records from many items
 * into few requests, and task waits poll all tasks in one loop.
 */
export interface BatchOperation<Work = unknown> {
	kind: 'batch';
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<Work>;
	execute(
		this: IExecuteFunctions,
		work: Array<{ itemIndex: number; work: Work }>,
	): Promise<BatchResult[]>;
}

export type Operation = ItemOperation | BatchOperation;

/**
 * Every resource and its operation names, as saved in workflows (NODE-CONTRACT.md). The
 * resources' operation maps and the router are typed from this, so a missing or misspelled
 * operation is a compile error, as in n8n's own nodes (`AllEntities`).
 */
export interface RingCentralExtensionsMap {
	extension: 'getAll' | 'get' | 'create' | 'createOrUpdate' | 'update' | 'delete' | 'bulkUpdate';
	bulkUpdateTask: 'get';
	userTemplate: 'get' | 'getAll';
}

export type Resource = keyof RingCentralExtensionsMap;

/** A resource's operations, by name: exactly the names of the map, each one implemented. */
export type OperationsOf<R extends Resource> = Record<RingCentralExtensionsMap[R], Operation>;

export type OperationMap = { [R in Resource]: OperationsOf<R> };
