import { WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	deepCopy,
	Workflow,
	type ExecutionError,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowSettings,
} from 'n8n-workflow';

import { RingCentralExtensions } from '../../nodes/RingCentralExtensions/RingCentralExtensions.node';
import { RingCentralExtensionsTrigger } from '../../nodes/RingCentralExtensionsTrigger/RingCentralExtensionsTrigger.node';
import { TestCredentialsHelper } from './credentials';
import { standInNodeTypes } from './standIns';
import { additionalDataFor, type TestCredential } from './workflow';

import { RingCentralExtensionsWebSocketTrigger } from '../../nodes/RingCentralExtensionsWebSocketTrigger/RingCentralExtensionsWebSocketTrigger.node';
import { WEBSOCKET_TRIGGER_NODE_TYPE } from './webSocketTrigger';

export const RING_CENTRAL_NODE_TYPE = 'n8n-nodes-ringcentral-extensions.ringCentralExtensions';
export const RING_CENTRAL_TRIGGER_TYPE =
	'n8n-nodes-ringcentral-extensions.ringCentralExtensionsTrigger';

/** A workflow as n8n exports it (the shape of the files in examples/). */
export interface WorkflowJson {
	name: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	[key: string]: unknown;
}

export interface RunWorkflowOptions {
	workflow: WorkflowJson;
	/** Stands in for every credential of its type that the workflow's nodes refer to. */
	credentials: TestCredential[];
	/** The trigger to start from (default: the Manual Trigger). */
	startNode?: string;
	/**
	 * What the start node emits (default one empty item). For a webhook trigger, the items its
	 * `webhook()` returned: n8n-core passes them through the trigger, as in a webhook execution.
	 */
	startItems?: INodeExecutionData[];
	credentialsHelper?: TestCredentialsHelper;
}

export interface RunWorkflowResult {
	run: IRun;
	error?: ExecutionError;
	/** The nodes that ran, in order. */
	ranNodes: string[];
	/** The items a node sent out of one of its outputs (first run). */
	outputOf(nodeName: string, outputIndex?: number): INodeExecutionData[];
	credentialsHelper: TestCredentialsHelper;
}

/** Our node plus the stand-ins for n8n's core nodes; any other type is unknown. */
export const workflowNodeTypes: INodeTypes = (() => {
	const registry: Record<string, INodeType> = {
		...standInNodeTypes,
		[RING_CENTRAL_NODE_TYPE]: new RingCentralExtensions(),
		[RING_CENTRAL_TRIGGER_TYPE]: new RingCentralExtensionsTrigger(),
		[WEBSOCKET_TRIGGER_NODE_TYPE]: new RingCentralExtensionsWebSocketTrigger(),
	};
	return {
		getByName: (type: string) => registry[type] as INodeType | IVersionedNodeType,
		getByNameAndVersion: (type: string) => registry[type],
		getKnownTypes: () => ({}),
	};
})();

function startNodeOf(workflow: WorkflowJson, name?: string): INode {
	const start = name
		? workflow.nodes.find((node) => node.name === name)
		: workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!start)
		throw new Error(`No start node ${name ?? '(Manual Trigger)'} in workflow "${workflow.name}"`);
	return start;
}

function storeCredentials(
	helper: TestCredentialsHelper,
	nodes: INode[],
	credentials: TestCredential[],
): void {
	for (const node of nodes) {
		for (const [type, reference] of Object.entries(node.credentials ?? {})) {
			const credential = credentials.find((candidate) => candidate.type === type);
			if (!credential)
				throw new Error(`Node "${node.name}" needs a ${type} credential; none was given`);
			if (reference.id && !helper.store.has(reference.id))
				helper.add(reference.id, type, credential.data);
		}
	}
}

let executionCounter = 0;

/**
 * Runs a whole exported workflow through n8n-core's WorkflowExecute, as a manual run from its
 * trigger, with the RingCentral node and stand-ins for n8n's core nodes (see standIns/README.md).
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	const json = deepCopy(options.workflow);
	const credentialsHelper = options.credentialsHelper ?? new TestCredentialsHelper();
	storeCredentials(credentialsHelper, json.nodes, options.credentials);
	const start = startNodeOf(json, options.startNode);
	const workflow = new Workflow({
		id: `example-${++executionCounter}`,
		name: json.name,
		nodes: json.nodes,
		connections: json.connections,
		active: false,
		nodeTypes: workflowNodeTypes,
		settings: json.settings ?? {},
	});
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: workflow.getNode(start.name)!,
					data: { main: [options.startItems ?? [{ json: {} }]] },
					source: null,
				},
			],
		},
	});
	const additionalData = additionalDataFor(credentialsHelper, `workflow-exec-${executionCounter}`);
	// An execution a trigger() node started runs in n8n's `trigger` mode, which passes the
	// emitted items on; in `manual` mode n8n would call trigger() again and wait for an event.
	const mode = workflowNodeTypes.getByNameAndVersion(start.type).trigger ? 'trigger' : 'manual';
	const run = await new WorkflowExecute(additionalData, mode, runData).processRunExecutionData(
		workflow,
	);
	const resultRunData = run.data.resultData.runData;
	return {
		run,
		error: run.data.resultData.error,
		ranNodes: Object.keys(resultRunData),
		outputOf: (nodeName, outputIndex = 0) =>
			resultRunData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [],
		credentialsHelper,
	};
}
