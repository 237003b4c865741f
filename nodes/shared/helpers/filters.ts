import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { inputError } from './inputErrors';
import { notAllowed } from './jsonSchema';
import { describeValue } from './values';

/**
 * The filters of a list operation. A filter left out of the collection means "no filter"; one
 * that is there must have a value: an expression that resolves to nothing, or to the wrong
 * type, would otherwise quietly list everything (and "find, then disable" act on everyone).
 */
export class Filters {
	private readonly values: IDataObject;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly itemIndex: number,
		private readonly parameter = 'filters',
	) {
		const values = ctx.getNodeParameter(parameter, itemIndex, {}) as unknown;
		if (typeof values !== 'object' || values === null || Array.isArray(values)) {
			throw inputError(
				ctx,
				itemIndex,
				parameter,
				`must be a collection, not ${describeValue(values)}`,
			);
		}
		this.values = values as IDataObject;
	}

	private refuse(name: string, expected: string, value: unknown): never {
		throw inputError(
			this.ctx,
			this.itemIndex,
			`${this.parameter}.${name}`,
			`is set but resolved to ${describeValue(value)}; expected ${expected}. Remove the filter to list without it`,
		);
	}

	/** One text value; `numbers` lets a whole number stand for its digits (extension numbers). */
	text(name: string, { numbers = false } = {}): string | undefined {
		if (!Object.hasOwn(this.values, name)) return undefined;
		const value = this.values[name];
		if (numbers && typeof value === 'number' && Number.isInteger(value) && value >= 0) {
			return String(value);
		}
		if (typeof value !== 'string' || value.trim() === '') this.refuse(name, 'a text', value);
		return value.trim();
	}

	/** Several text values: a list, or one text with commas between the values. */
	list(name: string): string[] | undefined {
		if (!Object.hasOwn(this.values, name)) return undefined;
		const value = this.values[name];
		const entries = typeof value === 'string' ? value.split(',') : value;
		if (!Array.isArray(entries) || entries.some((entry) => typeof entry !== 'string')) {
			this.refuse(name, 'a list of texts (or one text, with commas between values)', value);
		}
		const values = (entries as string[]).map((entry) => entry.trim()).filter(Boolean);
		if (values.length === 0) this.refuse(name, 'at least one value', value);
		return values;
	}

	/** Several values (as `list`), each one of `allowed` (a spec enum). */
	choices(name: string, allowed: readonly string[]): string[] | undefined {
		const values = this.list(name);
		const refused = values && notAllowed(values, allowed);
		if (refused) {
			throw inputError(
				this.ctx,
				this.itemIndex,
				`${this.parameter}.${name}`,
				`unknown value ${refused.unknown.join(', ')}; ${refused.hint}`,
			);
		}
		return values;
	}
}
