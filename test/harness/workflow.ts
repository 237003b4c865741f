import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	LoggerProxy,
	NodeConnectionTypes,
	Workflow,
	type ExecutionError,
	type IConnections,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type INodeTypeDescription,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { RingCentralExtensions } from '../../nodes/RingCentralExtensions/RingCentralExtensions.node';
import { TestCredentialsHelper } from './credentials';

const silentLogger = {
	error() {},
	warn() {},
	info() {},
	debug() {},
	scoped() {
		return silentLogger;
	},
};
// n8n-core reports node errors through its logger; the tests assert on them instead.
LoggerProxy.init(silentLogger as unknown as Parameters<typeof LoggerProxy.init>[0]);

const NODE_TYPE = 'n8n-nodes-ringcentral-extensions.ringCentralExtensions';

/** Outputs the items in its `items` parameter: the start of every test workflow. */
class TestItemsNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input'],
		version: 1,
		description: 'Outputs fixed items',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getNodeParameter('items', 0) as unknown;
		const list = (typeof items === 'string' ? JSON.parse(items) : items) as IDataObject[];
		return [list.map((json) => ({ json }))];
	}
}

const nodeTypeRegistry: Record<string, INodeType> = {
	[NODE_TYPE]: new RingCentralExtensions(),
	'test.items': new TestItemsNode(),
};

export const nodeTypes: INodeTypes = {
	getByName: (type: string) => nodeTypeRegistry[type] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (type: string) => nodeTypeRegistry[type],
	getKnownTypes: () => ({}),
};

export function registerNodeType(type: string, node: INodeType): void {
	nodeTypeRegistry[type] = node;
}

export interface TestCredential {
	id?: string;
	type: 'ringCentralAccessTokenApi' | 'ringCentralJwtApi' | 'ringCentralOAuth2Api';
	data: ICredentialDataDecryptedObject;
}

export interface RunNodeOptions {
	/** Parameters of the RingCentral Extensions node. */
	parameters: INodeParameters;
	credential: TestCredential;
	/** The items that reach the node (default: one empty item). */
	items?: IDataObject[];
	continueOnFail?: boolean;
	/** The node setting Execute Once (only the first input item reaches the node). */
	executeOnce?: boolean;
	/** Reuse one helper across runs to keep a fetched JWT token, as n8n keeps it in its database. */
	credentialsHelper?: TestCredentialsHelper;
	/** Cancel the execution after this many milliseconds, as the n8n UI's stop button does. */
	cancelAfterMs?: number;
	/** Run this registered node type in the RingCentral node's place (see `registerNodeType`). */
	nodeType?: string;
}

export interface RunNodeResult {
	/** What the RingCentral node output (its first output). */
	items: INodeExecutionData[];
	/** The execution's error, if the run failed. */
	error?: ExecutionError;
	run: IRun;
	credentialsHelper: TestCredentialsHelper;
}

/** The node parameter `authentication` that selects each test credential's type. */
export const AUTHENTICATION_OF_TYPE: Record<TestCredential['type'], string> = {
	ringCentralAccessTokenApi: 'accessToken',
	ringCentralJwtApi: 'jwt',
	ringCentralOAuth2Api: 'oAuth2',
};

export function additionalDataFor(
	credentialsHelper: TestCredentialsHelper,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	return {
		credentialsHelper,
		hooks: new ExecutionLifecycleHooks('manual', executionId, {
			id: 'test',
			name: 'test',
			nodes: [],
			connections: {},
			active: false,
			settings: {},
		} as never),
		executeWorkflow: async () => {
			throw new Error('not supported in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not supported in tests');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

let executionCounter = 0;

/** Runs Items → RingCentral Extensions through n8n-core's WorkflowExecute and returns what came out. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const credentialsHelper = options.credentialsHelper ?? new TestCredentialsHelper();
	const credentialId = options.credential.id ?? `cred-${options.credential.type}`;
	if (!credentialsHelper.store.has(credentialId)) {
		credentialsHelper.add(credentialId, options.credential.type, options.credential.data);
	}
	const start: INode = {
		id: 'items',
		name: 'Items',
		type: 'test.items',
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items ?? [{}]) },
	};
	const ringCentral: INode = {
		id: 'ringcentral',
		name: 'RingCentral',
		type: options.nodeType ?? NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: {
			authentication: AUTHENTICATION_OF_TYPE[options.credential.type],
			...options.parameters,
		},
		credentials: { [options.credential.type]: { id: credentialId, name: 'Test credential' } },
		continueOnFail: options.continueOnFail,
		onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
		executeOnce: options.executeOnce,
	};
	const connections: IConnections = {
		Items: { main: [[{ node: 'RingCentral', type: NodeConnectionTypes.Main, index: 0 }]] },
	};
	const workflow = new Workflow({
		id: 'test',
		name: 'test',
		nodes: [start, ringCentral],
		connections,
		active: false,
		nodeTypes,
		settings: {},
	});
	const executionId = `exec-${++executionCounter}`;
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const execution = new WorkflowExecute(
		additionalDataFor(credentialsHelper, executionId),
		'manual',
		runData,
	).processRunExecutionData(workflow);
	if (options.cancelAfterMs !== undefined) {
		const timer = globalThis.setTimeout(() => execution.cancel(), options.cancelAfterMs);
		void execution.finally(() => globalThis.clearTimeout(timer)).catch(() => {});
	}
	const run = await execution;
	const nodeRuns = run.data.resultData.runData.RingCentral ?? [];
	const items = nodeRuns[0]?.data?.main?.[0] ?? [];
	return { items, error: run.data.resultData.error, run, credentialsHelper };
}

/**
 * A published workflow holding only one trigger node, its credential stored in `credentialsHelper`
 * (the shape n8n activates; both trigger harnesses build on it).
 */
export function publishedTriggerWorkflow(
	nodeType: INodeType,
	node: Omit<INode, 'credentials' | 'typeVersion' | 'position'>,
	credential: TestCredential,
	credentialsHelper: TestCredentialsHelper,
): { node: INode; workflow: Workflow } {
	const credentialId = `cred-${credential.type}`;
	credentialsHelper.add(credentialId, credential.type, credential.data);
	const fullNode: INode = {
		...node,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [credential.type]: { id: credentialId, name: 'Test credential' } },
	};
	const workflow = new Workflow({
		id: `${node.id}-workflow`,
		name: node.name,
		nodes: [fullNode],
		connections: {},
		active: true,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		},
		settings: {},
		staticData: {},
	});
	return { node: fullNode, workflow };
}
