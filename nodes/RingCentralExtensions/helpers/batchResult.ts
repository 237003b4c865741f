import type { IDataObject } from 'n8n-workflow';

/**
 * A result of a batch operation, paired with the input items it came from (the router pairs
 * it; see BatchOperation in actions/node.type.ts).
 */
export type BatchResult =
	| { json: IDataObject; itemIndexes: number[] }
	| { error: Error; itemIndexes: number[]; json?: IDataObject };
