import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../../shared/helpers/inputErrors';

/**
 * A setting of an operation that handles all items together in one run (a preview, how records
 * are matched): each item may give it through an expression, so an item that gives another value
 * than the first would be silently run the first item's way (e.g. written although it asked for
 * a preview). Refused before anything is sent, naming that item.
 */
export function sameForEveryItem<W, K extends keyof W & string>(
	ctx: IExecuteFunctions,
	work: Array<{ itemIndex: number; work: W }>,
	parameter: K,
): W[K] {
	const [first] = work;
	const other = work.find((entry) => entry.work[parameter] !== first.work[parameter]);
	if (other) {
		throw inputError(
			ctx,
			other.itemIndex,
			parameter,
			`is ${JSON.stringify(other.work[parameter])} here but ${JSON.stringify(first.work[parameter])} for item ${first.itemIndex}; it must be the same for every item, since all items are handled together`,
		);
	}
	return first.work[parameter];
}
