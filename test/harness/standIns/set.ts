import {
	deepCopy,
	getValueDescription,
	jsonParse,
	NodeConnectionTypes,
	NodeOperationError,
	validateFieldType,
	type AssignmentCollectionValue,
	type FieldType,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { fieldList, getPath, setPath, unsetPath } from './paths';
import { unsupported } from './unsupported';

interface SetOptions {
	include: 'all' | 'none' | 'selected' | 'except';
	dotNotation: boolean;
	ignoreConversionErrors: boolean;
}

/** n8n's rule for one assignment: null stays null, strings are cast, the rest is validated. */
function typedValue(
	node: INode,
	itemIndex: number,
	name: string,
	type: FieldType,
	value: unknown,
	ignoreErrors: boolean,
): unknown {
	if (value === undefined || value === null) return null;
	let candidate = value;
	if (type === 'string')
		candidate = typeof value === 'object' ? JSON.stringify(value) : String(value);
	const result = validateFieldType(name, candidate, type);
	if (!result.valid) {
		if (ignoreErrors) return candidate;
		throw new NodeOperationError(
			node,
			`${result.errorMessage ?? `'${name}' expects a ${type} but we got ${getValueDescription(value)}`} [item ${itemIndex}]`,
			{
				itemIndex,
			},
		);
	}
	return result.newValue ?? null;
}

function composeItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	input: INodeExecutionData,
	newFields: IDataObject,
	options: SetOptions,
): INodeExecutionData {
	const write = (target: IDataObject, key: string, value: unknown) =>
		options.dotNotation
			? setPath(target, key, value)
			: (target[key] = value as IDataObject[string]);
	let json: IDataObject = {};
	if (options.include === 'all') json = deepCopy(input.json);
	if (options.include === 'selected') {
		for (const key of fieldList(ctx.getNodeParameter('includeFields', itemIndex))) {
			const value = options.dotNotation ? getPath(input.json, key) : input.json[key];
			write(json, options.dotNotation ? key.split('.').pop()! : key, value);
		}
	}
	if (options.include === 'except') {
		json = deepCopy(input.json);
		for (const key of fieldList(ctx.getNodeParameter('excludeFields', itemIndex))) {
			if (options.dotNotation) unsetPath(json, key);
			else delete json[key];
		}
	}
	for (const [key, value] of Object.entries(newFields)) write(json, key, value);
	return { json, pairedItem: { item: itemIndex } };
}

function manualFields(ctx: IExecuteFunctions, itemIndex: number, options: SetOptions): IDataObject {
	const { assignments = [] } = ctx.getNodeParameter(
		'assignments',
		itemIndex,
		{},
	) as AssignmentCollectionValue;
	const fields: IDataObject = {};
	for (const assignment of assignments) {
		if (assignment.type === 'binary') throw unsupported(ctx.getNode(), 'binary assignments');
		const type = (assignment.type ?? 'string') as FieldType;
		fields[assignment.name] = typedValue(
			ctx.getNode(),
			itemIndex,
			assignment.name,
			type,
			assignment.value,
			options.ignoreConversionErrors,
		) as IDataObject[string];
	}
	return fields;
}

function rawFields(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = ctx.getNodeParameter('jsonOutput', itemIndex, '', {
		rawExpressions: true,
	}) as unknown;
	if (typeof raw === 'string' && raw.startsWith('='))
		throw unsupported(ctx.getNode(), 'expressions in JSON mode');
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		try {
			parsed = jsonParse(raw, { repairJSON: true });
		} catch {
			throw new NodeOperationError(
				ctx.getNode(),
				`The 'JSON Output' in item ${itemIndex} contains invalid JSON`,
				{ itemIndex },
			);
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The 'JSON Output' in item ${itemIndex} does not contain a valid JSON object`,
			{ itemIndex },
		);
	}
	return parsed as IDataObject;
}

/**
 * n8n-nodes-base.set ("Edit Fields") v3.3–3.4: manual mapping with typed assignments, or a JSON
 * object; "Include Other Input Fields" off means only the new fields; dot notation on by default.
 */
export class SetStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Edit Fields (Set) (test stand-in)',
		name: 'set',
		group: ['input'],
		version: [3.3, 3.4],
		description: 'Modify, add, or remove item fields',
		defaults: { name: 'Edit Fields' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Manual Mapping', value: 'manual' },
					{ name: 'JSON', value: 'raw' },
				],
				default: 'manual',
			},
			{
				displayName: 'JSON',
				name: 'jsonOutput',
				type: 'json',
				default: '{\n  "my_field_1": "value",\n  "my_field_2": 1\n}\n',
				displayOptions: { show: { mode: ['raw'] } },
			},
			{
				displayName: 'Fields to Set',
				name: 'assignments',
				type: 'assignmentCollection',
				default: {},
				displayOptions: { show: { mode: ['manual'] } },
			},
			{
				displayName: 'Include Other Input Fields',
				name: 'includeOtherFields',
				type: 'boolean',
				default: false,
			},
			{
				displayName: 'Input Fields to Include',
				name: 'include',
				type: 'options',
				default: 'all',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Selected', value: 'selected' },
					{ name: 'All Except', value: 'except' },
				],
				displayOptions: { hide: { '/includeOtherFields': [false] } },
			},
			{
				displayName: 'Fields to Include',
				name: 'includeFields',
				type: 'string',
				default: '',
				displayOptions: { show: { include: ['selected'], '/includeOtherFields': [true] } },
			},
			{
				displayName: 'Fields to Exclude',
				name: 'excludeFields',
				type: 'string',
				default: '',
				displayOptions: { show: { include: ['except'], '/includeOtherFields': [true] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{
						displayName: 'Ignore Type Conversion Errors',
						name: 'ignoreConversionErrors',
						type: 'boolean',
						default: false,
					},
					{
						displayName: 'Support Dot Notation',
						name: 'dotNotation',
						type: 'boolean',
						default: true,
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const mode = this.getNodeParameter('mode', 0) as string;
		const output: INodeExecutionData[] = [];
		for (const [itemIndex, item] of this.getInputData().entries()) {
			const chosen = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const includeOtherFields = this.getNodeParameter(
				'includeOtherFields',
				itemIndex,
				false,
			) as boolean;
			const options: SetOptions = {
				include: includeOtherFields
					? (this.getNodeParameter('include', itemIndex, 'all') as SetOptions['include'])
					: 'none',
				dotNotation: chosen.dotNotation !== false,
				ignoreConversionErrors: chosen.ignoreConversionErrors === true,
			};
			try {
				const fields =
					mode === 'raw' ? rawFields(this, itemIndex) : manualFields(this, itemIndex, options);
				output.push(composeItem(this, itemIndex, item, fields, options));
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}
