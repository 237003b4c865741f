import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** An operation that runs once per input item; the router owns the loop. */
export interface ItemOperation {
	kind: 'item';
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

/** A result of a batch operation, paired with the input items it came from. */
export type BatchResult =
	| { json: IDataObject; itemIndexes: number[] }
	| { error: Error; itemIndexes: number[]; json?: IDataObject };

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

export type Operation = ItemOperation | BatchOperation<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
