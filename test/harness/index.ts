export {
	runNode,
	registerNodeType,
	nodeTypes,
	type RunNodeOptions,
	type RunNodeResult,
	type TestCredential,
} from './workflow';
export { TestCredentialsHelper, credentialTypes } from './credentials';
export {
	runWorkflow,
	workflowNodeTypes,
	RING_CENTRAL_NODE_TYPE,
	RING_CENTRAL_TRIGGER_TYPE,
	type RunWorkflowOptions,
	type RunWorkflowResult,
	type WorkflowJson,
} from './runWorkflow';
export { standInNodeTypes } from './standIns';
export { TriggerHarness, TRIGGER_NODE_TYPE, type WebhookCall } from './webhook';
export {
	WebSocketTriggerHarness,
	WEBSOCKET_TRIGGER_NODE_TYPE,
	waitUntil,
} from './webSocketTrigger';
