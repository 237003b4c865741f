import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { unsupported } from './unsupported';

/** Nested objects become `parent.child` columns, as n8n's flattenObject does. */
function flatten(data: IDataObject, prefix = ''): IDataObject {
	const flat: IDataObject = {};
	for (const [key, value] of Object.entries(data)) {
		if (value !== null && typeof value === 'object')
			Object.assign(flat, flatten(value as IDataObject, `${prefix}${key}.`));
		else flat[`${prefix}${key}`] = value;
	}
	return flat;
}

/** A cell as SheetJS writes it into CSV: empty for null, TRUE/FALSE, quoted when needed. */
function csvCell(value: unknown, delimiter: string): string {
	if (value === null || value === undefined) return '';
	const text = typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value);
	return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * n8n-nodes-base.convertToFile v1.1, operation "Convert to CSV": all input items become one CSV
 * file (columns in order of first appearance, header row on by default) in one output item.
 */
export class ConvertToFileStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Convert to File (test stand-in)',
		name: 'convertToFile',
		group: ['input'],
		version: [1, 1.1],
		description: 'Convert JSON data to binary data',
		defaults: { name: 'Convert to File' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Convert to CSV', value: 'csv' }],
				default: 'csv',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'Delimiter', name: 'delimiter', type: 'string', default: ',' },
					{ displayName: 'File Name', name: 'fileName', type: 'string', default: '' },
					{ displayName: 'Header Row', name: 'headerRow', type: 'boolean', default: true },
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		if (this.getNodeParameter('operation', 0) !== 'csv')
			throw unsupported(this.getNode(), 'formats other than CSV');
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const delimiter = String(options.delimiter || ',');
		const rows = items.map((item) => flatten(item.json));
		const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
		const lines = rows.map((row) =>
			columns.map((column) => csvCell(row[column], delimiter)).join(delimiter),
		);
		if (options.headerRow !== false)
			lines.unshift(columns.map((column) => csvCell(column, delimiter)).join(delimiter));
		const fileName = options.fileName !== undefined ? String(options.fileName) : 'File.csv';
		const binaryPropertyName = this.getNodeParameter('binaryPropertyName', 0, 'data') as string;
		const binary = await this.helpers.prepareBinaryData(Buffer.from(lines.join('\n')), fileName);
		return [
			[
				{
					json: {},
					binary: { [binaryPropertyName]: binary },
					pairedItem: items.map((_, item) => ({ item })),
				},
			],
		];
	}
}
