import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
} from 'n8n-workflow';

import { failureOutcome, outcomeOfItem, RunOutcomes } from '../helpers/runOutcomes';
import * as bulkUpdateTask from './bulkUpdateTask';
import * as extension from './extension';
import type {
	BatchOperation,
	BatchResult,
	ItemOperation,
	Operation,
	OperationMap,
	Resource,
} from './node.type';
import * as userTemplate from './userTemplate';

const operations: OperationMap = {
	extension: extension.operations,
	bulkUpdateTask: bulkUpdateTask.operations,
	userTemplate: userTemplate.operations,
};

function isResource(name: string): name is Resource {
	return Object.hasOwn(operations, name);
}

/** The operation saved in the workflow, or undefined for names this version does not know. */
function operationFor(resource: string, operation: string): Operation | undefined {
	if (!isResource(resource)) return undefined;
	const byName: Partial<Record<string, Operation>> = operations[resource];
	return Object.hasOwn(byName, operation) ? byName[operation] : undefined;
}

/** One input item pairs as `{ item }`, several as a list, as in n8n's own nodes. */
function pairedItems(itemIndexes: number[]): IPairedItemData | IPairedItemData[] {
	return itemIndexes.length === 1
		? { item: itemIndexes[0] }
		: itemIndexes.map((item) => ({ item }));
}

function errorItem(error: Error, itemIndexes: number[], extra?: IDataObject): INodeExecutionData {
	return { json: { error: error.message, ...extra }, pairedItem: pairedItems(itemIndexes) };
}

/** Errors thrown without an item are tied to the item that caused them. */
function withItem(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeOperationError || (error as { context?: IDataObject })?.context) {
		const nodeError = error as Error & { context: IDataObject };
		nodeError.context.itemIndex ??= itemIndex;
		return nodeError;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

async function runItemOperation(
	ctx: IExecuteFunctions,
	operation: ItemOperation,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const { outcome } = operation;
	const outcomes = new RunOutcomes(items.map((_, itemIndex) => itemIndex));
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const data = await operation.execute.call(ctx, itemIndex);
			if (outcome) outcomes.set([itemIndex], outcome);
			output.push(
				...ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(data), {
					itemData: { item: itemIndex },
				}),
			);
		} catch (error) {
			if (!outcome) {
				if (!ctx.continueOnFail()) throw withItem(ctx, error, itemIndex);
				output.push(errorItem(error as Error, [itemIndex]));
				continue;
			}
			// A write: the error (or error item) says what became of it, and of the items before.
			outcomes.setFailed([itemIndex], error as Error);
			if (!ctx.continueOnFail()) {
				throw outcomes.stopped(ctx, withItem(ctx, error, itemIndex), { itemIndex });
			}
			const json = { outcome: failureOutcome(error as Error) };
			output.push(errorItem(error as Error, [itemIndex], json));
		}
	}
	return output;
}

/**
 * Runs a batch operation's work. A step for the whole batch that fails (a look-up answered 403)
 * makes, with Continue On Fail, an error item of every item, naming its outcome when the run
 * wrote (see RunOutcomes): never the input passed on unmarked, as if it had gone through.
 */
async function executeBatch(
	ctx: IExecuteFunctions,
	operation: BatchOperation,
	work: Array<{ itemIndex: number; work: unknown }>,
): Promise<BatchResult[]> {
	try {
		return await operation.execute.call(ctx, work);
	} catch (error) {
		if (!ctx.continueOnFail()) throw withItem(ctx, error, work[0].itemIndex);
		return work.map(({ itemIndex }) => {
			const outcome = outcomeOfItem(error, itemIndex);
			return {
				error: error as Error,
				itemIndexes: [itemIndex],
				...(outcome && { json: { outcome } }),
			};
		});
	}
}

async function runBatchOperation(
	ctx: IExecuteFunctions,
	operation: BatchOperation,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const work: Array<{ itemIndex: number; work: unknown }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			work.push({ itemIndex, work: await operation.prepare.call(ctx, itemIndex) });
		} catch (error) {
			if (!ctx.continueOnFail()) throw withItem(ctx, error, itemIndex);
			output.push(errorItem(error as Error, [itemIndex]));
		}
	}
	if (work.length === 0) return output;
	for (const result of await executeBatch(ctx, operation, work)) {
		if ('error' in result) {
			if (!ctx.continueOnFail()) throw withItem(ctx, result.error, result.itemIndexes[0]);
			output.push(errorItem(result.error, result.itemIndexes, result.json));
		} else {
			output.push({ json: result.json, pairedItem: pairedItems(result.itemIndexes) });
		}
	}
	return output;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = operationFor(resource, operationName);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not supported for the resource "${resource}"`,
		);
	}
	const output =
		operation.kind === 'item'
			? await runItemOperation(this, operation, items)
			: await runBatchOperation(this, operation, items);
	return [output];
}
