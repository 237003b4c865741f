import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../../shared/helpers/parameters';

/**
 * A setting of an operation that handles all items together in one run (a preview, how records
 * are matched): each item may give it through an expression, so an item that gives another value
 * than the first would be silently run the first item's way (e.g. written although it asked for
 * a preview). Refused before anything is sent, naming that item.
 */
export function sameForEveryItem<T>(
	ctx: IExecuteFunctions,
	parameter: string,
	values: Array<{ itemIndex: number; value: T }>,
): T {
	const [first] = values;
	const other = values.find(({ value }) => value !== first.value);
	if (other) {
		throw inputError(
			ctx,
			other.itemIndex,
			parameter,
			`is ${JSON.stringify(other.value)} here but ${JSON.stringify(first.value)} for item ${first.itemIndex}; it must be the same for every item, since all items are handled together`,
		);
	}
	return first.value;
}
