import { LoadOptionsContext } from 'n8n-core';
import {
	Workflow,
	type INode,
	type INodeListSearchResult,
	type INodeParameters,
} from 'n8n-workflow';

import { RingCentralExtensions } from '../../nodes/RingCentralExtensions/RingCentralExtensions.node';
import { TestCredentialsHelper } from './credentials';
import { workflowNodeTypes } from './runWorkflow';
import { additionalDataFor, type TestCredential } from './workflow';

const { listSearch } = new RingCentralExtensions().methods;

export interface ListSearchCall {
	/** The node's parameters as they are being edited. */
	parameters: INodeParameters;
	/** The parameter the picker fills: `parameters.extensionId`. */
	path: string;
	filter?: string;
	paginationToken?: string;
}

/**
 * Calls one of the action node's list searches as n8n's editor does: in a LoadOptionsContext for
 * the node as it is being edited, signed in with `credential`.
 */
export async function callListSearch(
	method: keyof typeof listSearch,
	credential: TestCredential,
	{ parameters, path, filter, paginationToken }: ListSearchCall,
): Promise<INodeListSearchResult> {
	const credentialsHelper = new TestCredentialsHelper();
	credentialsHelper.add('credential-1', credential.type, credential.data);
	const editedNode: INode = {
		id: 'node-1',
		name: 'RingCentral Extensions',
		type: 'n8n-nodes-ringcentral-extensions.ringCentralExtensions',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [credential.type]: { id: 'credential-1', name: 'RingCentral account' } },
	};
	const workflow = new Workflow({
		nodes: [editedNode],
		connections: {},
		active: false,
		nodeTypes: workflowNodeTypes,
	});
	const context = new LoadOptionsContext(
		workflow,
		workflow.getNode(editedNode.name)!,
		// The Workflow has filled in the defaults (authentication among them), as the editor sends them.
		{
			...additionalDataFor(credentialsHelper, 'load-options'),
			currentNodeParameters: editedNode.parameters,
		},
		path,
	);
	return await listSearch[method].call(context, filter, paginationToken);
}
