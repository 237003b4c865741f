import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type INode,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { credentialTypes, TestCredentialsHelper } from './credentials';

/** The parts of a failed request that n8n's CredentialsTester reads. */
interface RoutingError extends Error {
	cause?: { response?: { status?: number; statusText?: string }; code?: string };
}

function noOpTypeWith(credentialType: string, test: ICredentialTestRequest): INodeType {
	return {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'n8n-nodes-base.noOp',
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	};
}

function additionalDataFor(
	credentialsHelper: TestCredentialsHelper,
): IWorkflowExecuteAdditionalData {
	const base = 'http://localhost:5678';
	return {
		credentialsHelper,
		currentNodeParameters: {},
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formWaitingBaseUrl: `${base}/form-waiting`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Maps a failed test request to the result n8n shows, as `runRequestTest` does. */
function failedTestResult(
	error: RoutingError,
	test: ICredentialTestRequest,
): INodeCredentialTestResult {
	const response = error.cause?.response;
	if (response) {
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		return {
			status: 'Error',
			message: response.statusText || `Received HTTP status code: ${response.status}`,
		};
	}
	if (error.cause?.code) return { status: 'Error', message: error.cause.code };
	return { status: 'Error', message: error.message.toString() };
}

/**
 * Presses a credential's "Test" button: what n8n's CredentialsTester (packages/cli, n8n 2.41)
 * does for a credential with a `test` request. It sends the request through n8n-core's
 * RoutingNode on a temporary No-Op node, with the credential's defaults applied, and maps the
 * outcome to the message n8n shows. The helper keeps the credential (and a token it fetches).
 */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
	credentialsHelper = new TestCredentialsHelper(),
): Promise<INodeCredentialTestResult> {
	const test = credentialTypes[type]?.test;
	if (!test) return { status: 'Error', message: 'No testing function found for this credential.' };
	const id = `test-${type}`;
	credentialsHelper.add(id, type, data);
	const decrypted = {
		id,
		name: 'Tested credential',
		type,
		data: credentialsHelper.applyDefaultsAndExpressions(data, type),
	};
	const nodeType = noOpTypeWith(type, test);
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id, name: decrypted.name } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new ExecuteContext(
		workflow,
		workflow.getNode(node.name) as INode,
		additionalDataFor(credentialsHelper),
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	try {
		await new RoutingNode(context, nodeType, decrypted).runNode();
	} catch (error) {
		return failedTestResult(error as RoutingError, test);
	}
	return { status: 'OK', message: 'Connection successful!' };
}
