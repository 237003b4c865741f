import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { fieldList, getPath } from './paths';
import { unsupported } from './unsupported';

/**
 * n8n-nodes-base.splitOut v1: one output item per element of a list field. With "No Other Fields",
 * an element that is an object becomes the item itself; anything else lands under the field's name.
 */
export class SplitOutStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Split Out (test stand-in)',
		name: 'splitOut',
		group: ['transform'],
		version: 1,
		description: 'Turn a list inside item(s) into separate items',
		defaults: { name: 'Split Out' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Fields To Split Out',
				name: 'fieldToSplitOut',
				type: 'string',
				default: '',
				required: true,
			},
			{
				displayName: 'Include',
				name: 'include',
				type: 'options',
				options: [
					{ name: 'No Other Fields', value: 'noOtherFields' },
					{ name: 'All Other Fields', value: 'allOtherFields' },
					{ name: 'Selected Other Fields', value: 'selectedOtherFields' },
				],
				default: 'noOtherFields',
			},
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (const [itemIndex, item] of this.getInputData().entries()) {
			const fields = fieldList(this.getNodeParameter('fieldToSplitOut', itemIndex)).map((field) =>
				field.replace(/^\$json\./, ''),
			);
			if (fields.length !== 1)
				throw unsupported(this.getNode(), 'splitting several fields at once');
			if (this.getNodeParameter('include', itemIndex) !== 'noOtherFields')
				throw unsupported(this.getNode(), 'including other fields');
			if (Object.keys(this.getNodeParameter('options', itemIndex, {}) as IDataObject).length > 0)
				throw unsupported(this.getNode(), 'options');
			const field = fields[0];
			// n8n outputs nothing for an item without the field (and shows a hint in the editor).
			let list = getPath(item.json, field) ?? [];
			if (typeof list !== 'object' || list === null) list = [list];
			const elements = Array.isArray(list) ? list : Object.values(list as IDataObject);
			for (const element of elements) {
				const json =
					typeof element === 'object' && element !== null
						? { ...(element as IDataObject) }
						: { [field]: element };
				output.push({ json: json as IDataObject, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}
