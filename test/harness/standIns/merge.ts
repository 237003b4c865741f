import { isDeepStrictEqual } from 'node:util';

import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { getPath } from './paths';
import { unsupported } from './unsupported';

interface FieldPair {
	field1: string;
	field2: string;
}

function matchFields(ctx: IExecuteFunctions): FieldPair[] {
	const pairs = ctx.getNodeParameter('advanced', 0)
		? (ctx.getNodeParameter('mergeByFields.values', 0, []) as FieldPair[])
		: String(ctx.getNodeParameter('fieldsToMatchString', 0, ''))
				.split(',')
				.map((field) => ({ field1: field.trim(), field2: field.trim() }));
	if (pairs.length === 0 || pairs.some(({ field1, field2 }) => !field1 || !field2)) {
		throw new NodeOperationError(
			ctx.getNode(),
			'You need to define at least one pair of fields in "Fields to Match" to match on',
		);
	}
	return pairs;
}

/** An input that received nothing reads as empty, as in n8n's node. */
function inputData(ctx: IExecuteFunctions, inputIndex: number): INodeExecutionData[] {
	try {
		return ctx.getInputData(inputIndex) ?? [];
	} catch {
		return [];
	}
}

/** Splits both inputs into matched and unmatched items, comparing values strictly (no fuzzy compare). */
function findMatches(
	input1: INodeExecutionData[],
	input2: INodeExecutionData[],
	pairs: FieldPair[],
	dotNotation: boolean,
) {
	const read = (json: IDataObject, field: string) =>
		dotNotation ? getPath(json, field) : json[field];
	const matched1: INodeExecutionData[] = [];
	const unmatched1: INodeExecutionData[] = [];
	const matchedIn2 = new Set<number>();
	for (const entry1 of input1) {
		const wanted = pairs.map(({ field1 }) => read(entry1.json, field1));
		if (wanted.some((value) => value === undefined)) {
			unmatched1.push(entry1);
			continue;
		}
		const hits = input2
			.map((entry2, index) => ({ entry2, index }))
			.filter(({ entry2 }) =>
				pairs.every(({ field2 }, at) => isDeepStrictEqual(wanted[at], read(entry2.json, field2))),
			);
		for (const { index } of hits) matchedIn2.add(index);
		(hits.length > 0 ? matched1 : unmatched1).push(entry1);
	}
	return {
		matched1,
		unmatched1,
		matched2: input2.filter((_, index) => matchedIn2.has(index)),
		unmatched2: input2.filter((_, index) => !matchedIn2.has(index)),
	};
}

/**
 * n8n-nodes-base.merge v3–3.2, mode "Combine" by "Matching Fields", output "Keep Matches" or
 * "Keep Non-Matches" from one input. Like n8n's node it outputs the input items themselves, and
 * when one input is empty it passes the other on (Keep Non-Matches) or stops (Keep Matches).
 */
export class MergeStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Merge (test stand-in)',
		name: 'merge',
		group: ['transform'],
		version: [3, 3.1, 3.2],
		description: 'Merges data of multiple streams once data from both is available',
		defaults: { name: 'Merge' },
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		requiredInputs: '={{ $parameter["mode"] === "chooseBranch" ? [0, 1] : 1 }}',
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Append', value: 'append' },
					{ name: 'Combine', value: 'combine' },
					{ name: 'SQL Query', value: 'combineBySql' },
					{ name: 'Choose Branch', value: 'chooseBranch' },
				],
				default: 'append',
			},
			{
				displayName: 'Combine By',
				name: 'combineBy',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Matching Fields', value: 'combineByFields' },
					{ name: 'Position', value: 'combineByPosition' },
					{ name: 'All Possible Combinations', value: 'combineAll' },
				],
				default: 'combineByFields',
				displayOptions: { show: { mode: ['combine'] } },
			},
			{
				displayName: 'Fields To Match Have Different Names',
				name: 'advanced',
				type: 'boolean',
				default: false,
				displayOptions: { show: { mode: ['combine'], combineBy: ['combineByFields'] } },
			},
			{
				displayName: 'Fields to Match',
				name: 'fieldsToMatchString',
				type: 'string',
				default: '',
				displayOptions: {
					show: { mode: ['combine'], combineBy: ['combineByFields'], advanced: [false] },
				},
			},
			{
				displayName: 'Fields to Match',
				name: 'mergeByFields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: { values: [{ field1: '', field2: '' }] },
				displayOptions: {
					show: { mode: ['combine'], combineBy: ['combineByFields'], advanced: [true] },
				},
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{ displayName: 'Input 1 Field', name: 'field1', type: 'string', default: '' },
							{ displayName: 'Input 2 Field', name: 'field2', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Output Type',
				name: 'joinMode',
				type: 'options',
				options: [
					{ name: 'Keep Matches', value: 'keepMatches' },
					{ name: 'Keep Non-Matches', value: 'keepNonMatches' },
					{ name: 'Keep Everything', value: 'keepEverything' },
					{ name: 'Enrich Input 1', value: 'enrichInput1' },
					{ name: 'Enrich Input 2', value: 'enrichInput2' },
				],
				default: 'keepMatches',
				displayOptions: { show: { mode: ['combine'], combineBy: ['combineByFields'] } },
			},
			{
				displayName: 'Output Data From',
				name: 'outputDataFrom',
				type: 'options',
				options: [
					{ name: 'Both Inputs', value: 'both' },
					{ name: 'Input 1', value: 'input1' },
					{ name: 'Input 2', value: 'input2' },
				],
				default: 'both',
				displayOptions: {
					show: {
						mode: ['combine'],
						combineBy: ['combineByFields'],
						joinMode: ['keepMatches', 'keepNonMatches'],
					},
				},
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [
					{
						displayName: 'Disable Dot Notation',
						name: 'disableDotNotation',
						type: 'boolean',
						default: false,
					},
					{ displayName: 'Fuzzy Compare', name: 'fuzzyCompare', type: 'boolean', default: false },
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const mode = this.getNodeParameter('mode', 0) as string;
		const combineBy = this.getNodeParameter('combineBy', 0, '') as string;
		if (mode !== 'combine' || combineBy !== 'combineByFields')
			throw unsupported(this.getNode(), `mode "${mode}" ${combineBy}`);
		const joinMode = this.getNodeParameter('joinMode', 0) as string;
		const outputDataFrom = this.getNodeParameter('outputDataFrom', 0, 'both') as string;
		if (!['keepMatches', 'keepNonMatches'].includes(joinMode) || outputDataFrom === 'both') {
			throw unsupported(
				this.getNode(),
				`output type "${joinMode}" with data from "${outputDataFrom}"`,
			);
		}
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		if (options.fuzzyCompare) throw unsupported(this.getNode(), 'fuzzy compare');
		const pairs = matchFields(this);
		const input1 = inputData(this, 0);
		const input2 = inputData(this, 1);
		if (input1.length === 0 || input2.length === 0) {
			if (joinMode === 'keepMatches') return [];
			if (outputDataFrom === 'input1' && input1.length === 0) return [[]];
			if (outputDataFrom === 'input2' && input2.length === 0) return [[]];
			return [[...input1, ...input2]];
		}
		const found = findMatches(input1, input2, pairs, options.disableDotNotation !== true);
		if (joinMode === 'keepMatches')
			return [outputDataFrom === 'input1' ? found.matched1 : found.matched2];
		return [outputDataFrom === 'input1' ? found.unmatched1 : found.unmatched2];
	}
}
