import { setTimeout as sleep } from 'node:timers/promises';

import { TriggerContext } from 'n8n-core';
import {
	type Workflow,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type ITriggerResponse,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { WebSocket as WsWebSocket } from 'ws';

import { RingCentralExtensionsWebSocketTrigger } from '../../nodes/RingCentralExtensionsWebSocketTrigger/RingCentralExtensionsWebSocketTrigger.node';
import { TestCredentialsHelper } from './credentials';
import {
	additionalDataFor,
	AUTHENTICATION_OF_TYPE,
	publishedTriggerWorkflow,
	type TestCredential,
} from './workflow';

export const WEBSOCKET_TRIGGER_NODE_TYPE =
	'n8n-nodes-ringcentral-extensions.ringCentralExtensionsWebSocketTrigger';

/**
 * n8n 2.41 runs on Node 24, whose global `WebSocket` the node uses. This machine's Node 20 has
 * none: the tests give it the `ws` package's client, which has the same browser-style API.
 */
export function provideGlobalWebSocket(): void {
	const scope = globalThis as { WebSocket?: unknown };
	if (scope.WebSocket === undefined) scope.WebSocket = WsWebSocket;
}

export interface WebSocketTriggerOptions {
	parameters: INodeParameters;
	credential: TestCredential;
	/** `manual`: "Listen for test event"; default `trigger`, a published workflow. */
	mode?: Extract<WorkflowExecuteMode, 'trigger' | 'manual'>;
}

/** The trigger most tests need: extensions created on the whole account, with their records. */
export function createdExtensionsTrigger(credential: TestCredential): WebSocketTriggerHarness {
	return new WebSocketTriggerHarness({
		parameters: {
			authentication: AUTHENTICATION_OF_TYPE[credential.type],
			accountId: '~',
			events: ['created'],
			includeDetails: true,
		},
		credential,
	});
}

/**
 * A published workflow holding only the WebSocket trigger, activated through n8n-core's own
 * TriggerContext, with `emit` and `emitError` recorded as n8n's ActiveWorkflowManager receives them.
 */
export class WebSocketTriggerHarness {
	readonly emitted: INodeExecutionData[][] = [];
	readonly errors: Error[] = [];
	readonly credentialsHelper = new TestCredentialsHelper();
	readonly node: INode;
	readonly workflow: Workflow;
	readonly context: TriggerContext;
	private response?: ITriggerResponse;
	private readonly nodeType = new RingCentralExtensionsWebSocketTrigger();

	constructor(options: WebSocketTriggerOptions) {
		provideGlobalWebSocket();
		({ node: this.node, workflow: this.workflow } = publishedTriggerWorkflow(
			this.nodeType,
			{
				id: 'ws-trigger',
				name: 'RingCentral WebSocket Trigger',
				type: WEBSOCKET_TRIGGER_NODE_TYPE,
				parameters: options.parameters,
			},
			options.credential,
			this.credentialsHelper,
		));
		const additionalData = additionalDataFor(
			this.credentialsHelper,
			'ws-trigger-exec',
		) as IWorkflowExecuteAdditionalData;
		this.context = new TriggerContext(
			this.workflow,
			this.node,
			additionalData,
			options.mode ?? 'trigger',
			'activate',
			(data) => {
				this.emitted.push(data[0]);
			},
			(error) => {
				this.errors.push(error);
			},
			() => {},
			{} as never,
		);
	}

	/** n8n's activation: `trigger()`; it throws when the activation fails. */
	async activate(): Promise<void> {
		this.response = await this.nodeType.trigger.call(this.context);
	}

	/** n8n's deactivation (unpublish): the close function. */
	async deactivate(): Promise<void> {
		const response = this.response;
		this.response = undefined;
		await response?.closeFunction?.();
	}

	/** Resolves once `count` executions have been started in all. */
	async executions(count: number): Promise<INodeExecutionData[][]> {
		await waitUntil(() => this.emitted.length >= count, `${count} executions`);
		return this.emitted;
	}

	/** Resolves once emitError has been called. */
	async failure(): Promise<Error> {
		await waitUntil(() => this.errors.length > 0, 'emitError');
		return this.errors[0];
	}
}

/** Polls until `condition` holds; jest's own timeout ends a test that waits forever. */
export async function waitUntil(condition: () => boolean, _what: string): Promise<void> {
	while (!condition()) await sleep(10);
}
