import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { ParameterContext } from './parameters';

/** An input problem found before anything is sent, naming the item and the parameter. */
export function inputError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}, parameter "${parameter}": ${problem}`,
		{
			itemIndex,
			description,
		},
	);
}

/**
 * A problem of one item that no single parameter is to blame for (two items that name one
 * extension, a value several extensions share): `Item N: …`, the wording of every item error.
 */
export function itemError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${problem}`, {
		itemIndex,
		description,
	});
}

/**
 * A problem of one entry of an item: of a record in a list parameter, `Item N, parameter
 * "records[2]": …`; of an item that is itself the entry (no `parameter`), `Item N: …`.
 */
export function entryError(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string | undefined,
	problem: string,
): NodeOperationError {
	return parameter === undefined
		? itemError(ctx, itemIndex, problem)
		: inputError(ctx, itemIndex, parameter, problem);
}

/** A parameter problem outside an execution (no item): the editor's look-ups, the trigger's hooks. */
export function parameterError(
	ctx: ParameterContext,
	parameter: string,
	problem: string,
): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Parameter "${parameter}": ${problem}`);
}
